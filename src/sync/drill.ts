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
import { SyncContext, ValidateCallback, adminOnline, askWait, isAdmin, me, note, now, otherModeReason, receive, send } from "./context";
import { refreshInBackground } from "../store/background";
import { compare, detectionLabels, drillHierarchy, queueReport } from "./detect";
import { noteHeard } from "./heard";
import type { Tick } from "../core/jobs";

/** Requests for one raid's drill-down kept for one answer; beyond it every encounter is detailed. */
const MAX_LISTS = 40;

/** This client's short checksums of a raid, as a drill-down request carries them. */
function query(t: TreeNode, raidName: string): DrillQuery | undefined {
  const node = t.raids[raidName];
  if (node === undefined) return undefined;
  const e: Seq<string> = {};
  for (let i = 0; i < node.count; i++) e[i + 1] = short(node.list[i].encounter);
  return { m: short(node.raid), e };
}

// ----- member ------------------------------------------------------------------------------------

/** Raids still without a drill-down answer are asked again (another member's answer counts), up to cfg.askAttempts. */
function retryDrills(c: SyncContext, raids: string[]): void {
  const S = c.S;
  for (const raidName of raids) {
    const n = S.drillTry[raidName];
    if (S.drillWait[raidName] === undefined || n === undefined) continue;
    S.drillWait[raidName] = undefined;
    S.drillTry[raidName] = undefined;
    if (n >= c.cfg.askAttempts || !adminOnline(c)) {
      note(c, "drill", "no drill-down answer for " + raidName + " after " + n + " attempt(s); the next poll checks again");
      continue;
    }
    requestDrill(c, raidName, n + 1);
  }
}

/** Sends one drill-down request for every raid collected during the random delay. */
function sendDrills(c: SyncContext): void {
  const S = c.S;
  S.drillSendTimer = undefined;
  const raids = S.drillQueue;
  S.drillQueue = [];
  let attempt = 1;
  for (const raidName of raids) attempt = Math.max(attempt, S.drillTry[raidName] ?? 1);
  // Answered or not, lost or suppressed: the retry looks again after the wait.
  c.platform.after(askWait(c.cfg.drillBatch + c.cfg.drillTimeout, attempt), () => retryDrills(c, raids));
  const t = c.store.tree();
  const admin = c.perms.admin();
  if (admin === undefined || admin === me(c) || otherModeReason(c, admin) !== undefined) return;
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
  note(c, "drill", "asked " + admin + " for the drill-down of " + names.join(", ") + (attempt > 1 ? " (attempt " + attempt + ")" : "") + " (" + bytes + " bytes)");
}

/** Asks for a drill-down of one raid (after the random delay, batched with other raids); retried while no answer comes. */
export function requestDrill(c: SyncContext, raidName: string, attempt = 1): void {
  const S = c.S;
  // Already asked: its retry timer asks again if needed.
  if (attempt === 1 && S.drillWait[raidName] !== undefined) return;
  S.drillWait[raidName] = now(c);
  S.drillTry[raidName] = attempt;
  S.drillQueue.push(raidName);
  if (S.drillSendTimer === undefined) S.drillSendTimer = c.platform.after(c.platform.random() * c.cfg.requestJitter, () => sendDrills(c));
}

/** The pending full validation's answer: tell the player and the caller. Returns whether to repair. */
function finishValidation(c: SyncContext, sender: string, m: DrillResMsg, t: TreeNode, found: ReturnType<typeof compare>, any: boolean): boolean {
  const S = c.S;
  const cb = S.validateCb as ValidateCallback;
  S.validateCb = undefined;
  S.validateGot = undefined;
  if (S.validateTimer !== undefined) c.platform.cancel(S.validateTimer);
  S.validateTimer = undefined;
  // Raids only this client has: the admin's plan lacks them (not repaired by sync).
  const remoteMissing: string[] = [];
  for (const raidName in t.raids) if (m.q[raidName] === undefined || (m.q[raidName] as DrillRaid).none === true) remoteMissing.push(raidName);
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

/** What a drill-down answer (or a whole validation answer) names as differing, read for repairs. */
function readAnswer(t: TreeNode, q: Named<DrillRaid | undefined>, g: Named<string> | undefined): { found: ReturnType<typeof compare>; any: boolean } {
  const found = compare(t, drillHierarchy(q, g, t));
  const raids = found.report.raids as NonNullable<typeof found.report.raids>;
  // The admin sent no detail for these (a malformed answer): repair the whole raid.
  for (const raidName of found.drill) raids[raidName] = { raidLevel: true, encounters: {} };
  let any = (found.report.global as string[]).length > 0;
  for (const _ in raids) any = true;
  return { found, any };
}

/**
 * One part of the admin's validation answer (a few raids each): collected until every raid of the
 * admin's plan is in; the parts of one answer carry the admin's structure checksum.
 */
function collectPart(c: SyncContext, sender: string, m: DrillResMsg): void {
  const S = c.S;
  const s = typeof m.s === "string" ? m.s : "";
  let got = S.validateGot;
  if (got === undefined || got.s !== s) {
    got = { s, q: {}, n: typeof m.n === "number" ? m.n : 0, have: 0 };
    S.validateGot = got;
  }
  for (const raidName in m.q) {
    const a = m.q[raidName];
    if (got.q[raidName] !== undefined || a === undefined) continue;
    got.q[raidName] = a;
    if (!(isTable(a) && a.none === true)) got.have++;
  }
  if (got.have < got.n) return;
  const whole: DrillResMsg = { q: got.q as Named<DrillRaid>, g: m.g, all: true };
  const t = c.store.tree();
  const r = readAnswer(t, whole.q, whole.g);
  if (finishValidation(c, sender, whole, t, r.found, r.any)) queueReport(c, r.found.report, "validation");
}

/** A member hears the admin's drill-down answer (its own request's or another member's). */
export function onDrillRes(c: SyncContext, sender: string, payload: string, tick?: Tick): void {
  const raw = receive(c, sender, payload, undefined, tick);
  if (raw === undefined || !isTable(raw.q)) return;
  if (sender !== c.perms.admin()) return;
  const m = raw as unknown as DrillResMsg;
  for (const raidName in m.q) {
    c.S.drillWait[raidName] = undefined;
    c.S.drillTry[raidName] = undefined;
  }
  const all = m.all === true && isTable(m.g);
  if (all && c.S.validateCb !== undefined) return collectPart(c, sender, m);
  const r = readAnswer(c.store.tree(), m.q, all ? m.g : undefined);
  if (r.any) queueReport(c, r.found.report, "drill-down");
}

/** The pending validation ends without an answer; `other`: because the admin runs the other mode (the sentence). */
function noAnswer(c: SyncContext, admin: string, why: string, other?: string): void {
  const S = c.S;
  const pending = S.validateCb;
  S.validateCb = undefined;
  S.validateGot = undefined;
  if (pending === undefined) return;
  if (other !== undefined) return otherMode(c, other, pending);
  c.app.say("Validation: no answer from " + admin + " (" + why + ").");
  note(c, "validate", "no answer from " + admin + ": " + why);
  pending({ valid: false, error: "no answer" });
}

/** A validation that cannot be asked: the admin runs the other mode. */
function otherMode(c: SyncContext, reason: string, cb: ValidateCallback | undefined): void {
  const message = "Validation is not possible: " + reason + ".";
  c.app.say(message);
  note(c, "validate", reason);
  if (cb !== undefined) cb({ valid: false, error: "other mode", message });
}

/** Sends (or sends again, for the raids still missing) the full validation request. */
function askValidation(c: SyncContext, admin: string): void {
  const S = c.S;
  if (S.validateCb === undefined) return;
  if (!adminOnline(c) || c.perms.admin() !== admin) return noAnswer(c, admin, "the raid admin left or changed");
  const other = otherModeReason(c, admin);
  if (other !== undefined) return noAnswer(c, admin, other, other);
  S.validateTry++;
  const t = c.store.tree();
  const got = S.validateGot;
  const q: Named<DrillQuery> = {};
  for (const raidName in t.raids) if (got === undefined || got.q[raidName] === undefined) q[raidName] = query(t, raidName) as DrillQuery;
  const msg: DrillReqMsg = { q, all: true };
  if (got !== undefined) {
    const hv: Seq<string> = {};
    let k = 0;
    for (const raidName in got.q) {
      k++;
      hv[k] = raidName;
    }
    msg.hv = hv;
  }
  send(c, MSG.DRILL_REQ, msg, "NORMAL", admin);
  c.stats.drillRequests++;
  if (S.validateTry > 1) note(c, "validate", "asked " + admin + " again (attempt " + S.validateTry + ")" + (got !== undefined ? ", " + got.have + " of " + got.n + " raids received" : ""));
  S.validateTimer = c.platform.after(askWait(c.cfg.drillBatch + c.cfg.drillTimeout, S.validateTry), () => {
    S.validateTimer = undefined;
    if (S.validateCb === undefined) return;
    if (S.validateTry >= c.cfg.askAttempts) return noAnswer(c, admin, "silent through " + S.validateTry + " attempts");
    askValidation(c, admin);
  });
}

/**
 * Full structure validation against the admin (every raid); cb(answer) when the answer came.
 * repairAfter false: differences are reported, not repaired (the caller lets the player choose).
 * Both sides compare their data, not a cache that may predate a write behind the store: the
 * checksums are recomputed over frames first.
 */
export function validateFull(c: SyncContext, cb: ValidateCallback | undefined, repairAfter = true): boolean {
  const S = c.S;
  if (isAdmin(c)) {
    refreshInBackground(c.app.jobs, c.store, (changed) => {
      c.app.say("You are the raid admin: your plan is the reference. Checksum cache " + (changed === 0 ? "verified." : "was stale and has been rebuilt."));
      if (cb !== undefined) cb({ valid: true, self: true });
    });
    return true;
  }
  const admin = c.perms.admin();
  if (!adminOnline(c) || admin === undefined) {
    c.app.say("No raid admin is online to validate against.");
    return false;
  }
  const other = otherModeReason(c, admin);
  if (other !== undefined) {
    otherMode(c, other, cb);
    return false;
  }
  S.validateCb = cb ?? (() => undefined);
  S.validateRepair = repairAfter;
  S.validateTry = 0;
  S.validateGot = undefined;
  if (S.validateTimer !== undefined) c.platform.cancel(S.validateTimer);
  S.validateTimer = undefined;
  c.app.say("Validating the full structure against " + admin + "...");
  note(c, "validate", "full structure validation requested from " + admin);
  refreshInBackground(c.app.jobs, c.store, () => askValidation(c, admin));
  return true;
}

// ----- admin -------------------------------------------------------------------------------------

/** Raids per part of a full validation answer: a lost frame costs one part, asked again alone. */
export const VALIDATE_PART_RAIDS = 2;

/** One answer for every drill-down request of the batch (a full validation: in parts). */
function answerDrill(c: SyncContext): void {
  const S = c.S;
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
      let differs = entry.n >= MAX_LISTS;
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
  const all = S.drillAll;
  const have = S.drillHave;
  const allCount = S.drillAllCount;
  S.drill = {};
  S.drillAll = false;
  S.drillHave = {};
  S.drillAllCount = 0;
  c.stats.drillAnswers++;
  if (!all) {
    const bytes = send(c, MSG.DRILL_RES, { q } as DrillResMsg, "NORMAL", undefined);
    note(c, "drill", "drill-down answer for " + count + " raid(s) (" + bytes + " bytes)");
    return;
  }
  // A full validation: also the raids nobody asked about (but those every asker already has), and
  // the global components; in parts of a few raids, each naming the admin's raid count.
  let n = 0;
  for (const raidName in t.raids) {
    n++;
    if (q[raidName] === undefined && (have[raidName] ?? 0) < allCount) q[raidName] = { u: t.raids[raidName].rollup, m: t.raids[raidName].raid };
  }
  const g: Named<string> = {};
  for (const name of GLOBAL_COMPONENTS) g[name] = t.global[name];
  let part: Named<DrillRaid> = {};
  let inPart = 0;
  let parts = 0;
  let bytes = 0;
  const flush = () => {
    bytes += send(c, MSG.DRILL_RES, { q: part, g, all: true, n, s: t.structure } as DrillResMsg, "NORMAL", undefined);
    parts++;
    part = {};
    inPart = 0;
  };
  for (const raidName in q) {
    part[raidName] = q[raidName];
    inPart++;
    if (inPart >= VALIDATE_PART_RAIDS) flush();
  }
  if (inPart > 0 || parts === 0) flush();
  note(c, "drill", "validation answer for " + count + " raid(s) asked, " + n + " in the plan, in " + parts + " part(s) (" + bytes + " bytes)");
}

/** The batch is over: answer (a full validation first re-checks the admin's data over frames). */
function flushDrill(c: SyncContext): void {
  c.S.drillTimer = undefined;
  if (!c.S.drillAll) return answerDrill(c);
  // Requests that arrive meanwhile join this answer (they are read when it is built).
  c.S.drillTimer = -1;
  refreshInBackground(c.app.jobs, c.store, () => {
    c.S.drillTimer = undefined;
    answerDrill(c);
  });
}

/**
 * The admin collects a drill-down request; a member notes that someone asked (and stays silent).
 * Raid names neither side has are ignored (a name the admin lacks is not answered: a full
 * validation finds such raids by their absence from the answer).
 */
export function onDrillReq(c: SyncContext, sender: string, payload: string, tick?: Tick): void {
  const S = c.S;
  const m = receive(c, sender, payload, undefined, tick);
  if (m === undefined || !isTable(m.q)) return;
  const q = m.q as Named<unknown>;
  if (!isAdmin(c)) {
    // Only a raid this client is about to ask about matters.
    for (const raidName in q) if (S.drillWait[raidName] !== undefined) noteHeard(c, true, raidName);
    return;
  }
  if (c.perms.permissionOf(sender) === undefined) return;
  const t = c.store.tree();
  let known = 0;
  for (const raidName in q) {
    if (typeof raidName !== "string" || t.raids[raidName] === undefined) continue;
    known++;
    let entry = S.drill[raidName];
    if (entry === undefined) {
      entry = { lists: [], n: 0 };
      S.drill[raidName] = entry;
    }
    if (entry.n < MAX_LISTS) entry.lists[entry.n] = q[raidName];
    entry.n++;
  }
  if (m.all === true) {
    S.drillAll = true;
    S.drillAllCount++;
    // Only names of this plan count: the table is keyed by what a peer sends.
    if (isTable(m.hv)) for (const name of m.hv as unknown[]) if (typeof name === "string" && t.raids[name] !== undefined) S.drillHave[name] = (S.drillHave[name] ?? 0) + 1;
  } else if (known === 0) {
    note(c, "drop", "drill-down request from " + sender + " names no raid of this plan", { peer: sender });
    return;
  }
  note(c, "drill", "drill-down request from " + sender);
  if (S.drillTimer === undefined) S.drillTimer = c.platform.after(c.cfg.drillBatch, () => flushDrill(c));
}
