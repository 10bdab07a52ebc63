// Drill-down (spec 6.2.2). A member whose raid rollup differs asks the admin for that raid's
// encounter checksums (CK.DRILL_REQ, after a random delay, and not at all when another member
// already asked); the admin answers every request of a 2 s batch at once (CK.DRILL_RES) with the
// component checksums of the encounters some requester lacks; each member compares the answer with
// its own tree and queues repairs. A full validation is the same exchange for every raid (`all`).
// Lua-only.
import type { TreeNode } from "../integrity/tree";
import { COMPONENTS, GLOBAL_COMPONENTS } from "../core/schema";
import { DrillQuery, DrillRaid, DrillReqMsg, DrillResMsg, MSG, Named, Seq } from "./protocol";
import { short } from "./nodes";
import { isTable } from "../core/values";
import { rebuildInBackground } from "../store/background";
import { SyncContext, ValidateCallback, adminOnline, isAdmin, me, note, now, receive, send } from "./context";
import { compare, detectionLabels, drillHierarchy, queueReport } from "./detect";

/** This client's short checksums of a raid, as a drill-down request carries them. */
function query(t: TreeNode, raidName: string): DrillQuery | undefined {
  const node = t.raids[raidName];
  if (node === undefined) return undefined;
  const e: Seq<string> = {};
  for (let i = 0; i < node.count; i++) e[i + 1] = short(node.list[i].encounter);
  return { m: short(node.raid), e };
}

// ----- member ------------------------------------------------------------------------------------

/** Sends one drill-down request for every raid collected during the random delay. */
function sendDrills(c: SyncContext): void {
  const S = c.S;
  S.drillSendTimer = undefined;
  const raids = S.drillQueue;
  S.drillQueue = [];
  const t = c.store.tree();
  const admin = c.perms.admin();
  if (admin === undefined || admin === me(c)) return;
  const q: Named<DrillQuery> = {};
  const names: string[] = [];
  for (const raidName of raids) {
    const heard = S.heardDrill[raidName];
    if (heard !== undefined && heard >= (S.drillWait[raidName] as number)) {
      c.stats.drillSuppressed++;
      note(c, "suppress", "drill-down of " + raidName + ": another member asked already");
      continue;
    }
    const one = query(t, raidName);
    if (one === undefined) continue;
    q[raidName] = one;
    names.push(raidName);
  }
  if (names.length === 0) return;
  const msg: DrillReqMsg = { q };
  const bytes = send(c, MSG.DRILL_REQ, msg, "ALERT", admin);
  c.stats.drillRequests++;
  note(c, "drill", "asked " + admin + " for the drill-down of " + names.join(", ") + " (" + bytes + " bytes)");
}

/** Asks for a drill-down of one raid (after the random delay, batched with other raids). */
export function requestDrill(c: SyncContext, raidName: string): void {
  const S = c.S;
  const waiting = S.drillWait[raidName];
  if (waiting !== undefined && now(c) - waiting < c.cfg.drillTimeout) return;
  S.drillWait[raidName] = now(c);
  S.drillQueue.push(raidName);
  if (S.drillSendTimer === undefined) S.drillSendTimer = c.platform.after(c.platform.random() * c.cfg.requestJitter, () => sendDrills(c));
}

/** The pending full validation's answer: tell the player and the caller. Returns whether to repair. */
function finishValidation(c: SyncContext, sender: string, m: DrillResMsg, t: TreeNode, found: ReturnType<typeof compare>, any: boolean): boolean {
  const S = c.S;
  const cb = S.validateCb as ValidateCallback;
  S.validateCb = undefined;
  if (S.validateTimer !== undefined) c.platform.cancel(S.validateTimer);
  S.validateTimer = undefined;
  // Raids only this client has: the admin's plan lacks them (not repaired by sync).
  const remoteMissing: string[] = [];
  for (const raidName in t.raids) if (m.q[raidName] === undefined) remoteMissing.push(raidName);
  const lines = detectionLabels(found.report);
  for (const r of remoteMissing) lines.push(r + " (only in your plan, not the admin's)");
  if (lines.length === 0) c.app.say("Validation passed: your plan matches " + sender + "'s.");
  else for (const l of lines) c.app.say("Structure mismatch detected: " + l);
  if (!S.validateRepair) {
    // The caller shows the result and lets the player choose the repair.
    if (any) note(c, "validate", "differences found; no automatic repair (the caller repairs)");
    any = false;
  }
  cb({ valid: lines.length === 0, corrupted: found.report, remoteMissing, admin: sender, remote: drillHierarchy(m.q, m.g, t) });
  return any;
}

/** A member hears the admin's drill-down answer (its own request's or another member's). */
export function onDrillRes(c: SyncContext, sender: string, payload: string): void {
  const raw = receive(c, sender, payload);
  if (raw === undefined || !isTable(raw.q)) return;
  if (sender !== c.perms.admin()) return;
  const m = raw as unknown as DrillResMsg;
  const t = c.store.tree();
  for (const raidName in m.q) c.S.drillWait[raidName] = undefined;
  const all = m.all === true && isTable(m.g);
  const found = compare(t, drillHierarchy(m.q, all ? m.g : undefined, t));
  const raids = found.report.raids as NonNullable<typeof found.report.raids>;
  // The admin sent no detail for these (a malformed answer): repair the whole raid.
  for (const raidName of found.drill) raids[raidName] = { raidLevel: true, encounters: {} };
  let any = (found.report.global as string[]).length > 0;
  for (const _ in raids) any = true;
  if (all && c.S.validateCb !== undefined) any = finishValidation(c, sender, m, t, found, any);
  if (any) queueReport(c, found.report, "drill-down");
}

/**
 * Full structure validation against the admin (every raid); cb(answer) when the answer came.
 * repairAfter false: differences are reported, not repaired (the caller lets the player choose).
 */
export function validateFull(c: SyncContext, cb: ValidateCallback | undefined, repairAfter = true): boolean {
  const S = c.S;
  if (isAdmin(c)) {
    // The whole tree is recomputed over frames (a full plan is about 2 M instructions).
    rebuildInBackground(c.app.jobs, c.store, (current) => {
      c.app.say("You are the raid admin: your plan is the reference. Checksum cache " + (current === true ? "verified." : "was stale and has been rebuilt."));
      if (cb !== undefined) cb({ valid: true, self: true });
    });
    return true;
  }
  const admin = c.perms.admin();
  if (!adminOnline(c) || admin === undefined) {
    c.app.say("No raid admin is online to validate against.");
    return false;
  }
  const t = c.store.tree();
  const q: Named<DrillQuery> = {};
  for (const raidName in t.raids) q[raidName] = query(t, raidName) as DrillQuery;
  S.validateCb = cb ?? (() => undefined);
  S.validateRepair = repairAfter;
  if (S.validateTimer !== undefined) c.platform.cancel(S.validateTimer);
  S.validateTimer = c.platform.after(c.cfg.drillBatch + c.cfg.drillTimeout + 10, () => {
    S.validateTimer = undefined;
    if (S.validateCb === undefined) return;
    const pending = S.validateCb;
    S.validateCb = undefined;
    c.app.say("Validation: no answer from " + admin + ".");
    pending({ valid: false, error: "no answer" });
  });
  const msg: DrillReqMsg = { q, all: true };
  send(c, MSG.DRILL_REQ, msg, "NORMAL", admin);
  c.stats.drillRequests++;
  c.app.say("Validating the full structure against " + admin + "...");
  note(c, "validate", "full structure validation requested from " + admin);
  return true;
}

// ----- admin -------------------------------------------------------------------------------------

/** One answer for every drill-down request of the batch. */
function flushDrill(c: SyncContext): void {
  const S = c.S;
  S.drillTimer = undefined;
  const t = c.store.tree();
  const q: Named<DrillRaid> = {};
  let count = 0;
  for (const raidName in S.drill) {
    const entry = S.drill[raidName];
    if (entry === undefined) continue;
    count++;
    const node = t.raids[raidName];
    if (node === undefined) {
      q[raidName] = { none: true };
      continue;
    }
    const e: Seq<string> = {};
    const d: Seq<Named<string>> = {};
    for (let i = 0; i < node.count; i++) {
      const enc = node.list[i];
      e[i + 1] = enc.encounter;
      let differs = false;
      for (let k = 0; k < entry.n && !differs; k++) {
        const l = entry.lists[k] as { e?: unknown } | undefined;
        if (l === undefined || !isTable(l) || !isTable(l.e) || (l.e as Seq<unknown>)[i + 1] !== short(enc.encounter)) differs = true;
      }
      if (differs) {
        const comps: Named<string> = {};
        for (const comp of COMPONENTS) comps[comp] = enc.components[comp];
        d[i + 1] = comps;
      }
    }
    q[raidName] = { m: node.raid, u: node.rollup, e, c: d };
  }
  const msg: DrillResMsg = { q };
  if (S.drillAll) {
    // A full validation: also the raids nobody asked about, and the global components.
    for (const raidName in t.raids) {
      if (q[raidName] === undefined) q[raidName] = { u: t.raids[raidName].rollup, m: t.raids[raidName].raid };
    }
    const g: Named<string> = {};
    for (const name of GLOBAL_COMPONENTS) g[name] = t.global[name];
    msg.g = g;
    msg.all = true;
  }
  S.drill = {};
  S.drillAll = false;
  const bytes = send(c, MSG.DRILL_RES, msg, "NORMAL", undefined);
  c.stats.drillAnswers++;
  note(c, "drill", "drill-down answer for " + count + " raid(s) (" + bytes + " bytes)");
}

/** The admin collects a drill-down request; a member notes that someone asked (and stays silent). */
export function onDrillReq(c: SyncContext, sender: string, payload: string): void {
  const S = c.S;
  const m = receive(c, sender, payload);
  if (m === undefined || !isTable(m.q)) return;
  const q = m.q as Named<unknown>;
  if (!isAdmin(c)) {
    for (const raidName in q) S.heardDrill[raidName] = now(c);
    return;
  }
  if (c.perms.permissionOf(sender) === undefined) return;
  for (const raidName in q) {
    if (typeof raidName !== "string") continue;
    let entry = S.drill[raidName];
    if (entry === undefined) {
      entry = { lists: [], n: 0 };
      S.drill[raidName] = entry;
    }
    entry.lists[entry.n] = q[raidName];
    entry.n++;
  }
  if (m.all === true) S.drillAll = true;
  note(c, "drill", "drill-down request from " + sender);
  if (S.drillTimer === undefined) S.drillTimer = c.platform.after(c.cfg.drillBatch, () => flushDrill(c));
}
