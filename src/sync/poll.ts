// Polling (spec 6.2.2). The admin broadcasts lightweight checksums (CK.POLL) every 30 s and soon
// after its own edits; a member compares them with its cached tree, queues repairs for what it can
// name at once (global components, raids it lacks, the admin's selected raid when its metadata
// differs) and asks for a drill-down of the other raids that differ. Lua-only.
import { GLOBAL_COMPONENTS } from "../core/schema";
import type { StoreChange } from "../store/store";
import { refreshInBackground } from "../store/background";
import { isTable } from "../core/values";
import { CorruptionReport, FULL_SYNC_RAIDS } from "./repair";
import { MSG, Named, PollMsg, Seq } from "./protocol";
import { SyncContext, isAdmin, note, receive, send } from "./context";
import { compare, pollHierarchy, queueReport } from "./detect";
import { requestDrill } from "./drill";
import { pruneHeard, trimMemos } from "./heard";
import type { Tick } from "../core/jobs";
import { OGRH_SOURCE } from "../store/companion";

function buildPoll(c: SyncContext): PollMsg {
  const t = c.store.tree();
  const r: Named<string> = {};
  for (const name in t.raids) r[name] = t.raids[name].rollup;
  const g: Named<string> = {};
  for (const name of GLOBAL_COMPONENTS) g[name] = t.global[name];
  const msg: PollMsg = { s: t.structure, g, r };
  const sel = c.S.selection.raid;
  if (sel !== undefined && t.raids[sel] !== undefined) {
    const node = t.raids[sel];
    const e: Seq<string> = {};
    for (let i = 0; i < node.count; i++) e[i + 1] = node.list[i].encounter;
    msg.sel = sel;
    msg.sd = { m: node.raid, e };
  }
  return msg;
}

/** The admin broadcasts its checksums now; false when this client is not the admin. */
export function broadcastChecksums(c: SyncContext, priority: "ALERT" | "NORMAL"): boolean {
  if (!isAdmin(c)) return false;
  const bytes = send(c, MSG.POLL, buildPoll(c), priority, undefined);
  c.stats.pollsSent++;
  note(c, "poll", "checksums broadcast (" + bytes + " bytes)");
  return true;
}

/**
 * The 30 s timer (it keeps running; it broadcasts only while this client is the admin). The admin
 * first re-checks its cache against its data over frames: a change behind the store goes out in
 * this poll (when the check finds one, the edit path answers.ts already broadcasts it). Every
 * client also forgets there what others asked for long ago and trims the memos others filled.
 */
export function startPolling(c: SyncContext): void {
  const tick = () => {
    c.platform.after(c.cfg.pollInterval, tick);
    pruneHeard(c);
    trimMemos();
    if (!c.cfg.polling || !isAdmin(c)) return;
    refreshInBackground(c.app.jobs, c.store, (changed) => {
      if (changed === undefined || changed === 0) broadcastChecksums(c, "ALERT");
    });
  };
  c.platform.after(c.cfg.firstPoll, tick);
}

/**
 * Compares the admin's checksums `m` with this client's tree and queues what differs. `direct`:
 * the store change that just made this client's tree differ (found by the scrub); a raid that was
 * in step with `m` before it differs exactly in the components that change names, so no
 * drill-down is needed for it.
 */
function react(c: SyncContext, sender: string, m: { [field: string]: unknown }, origin: string, direct?: StoreChange): void {
  const t = c.store.tree();
  if (m.s === t.structure) return;
  const found = compare(t, pollHierarchy(m));
  const report = found.report;
  const raids = report.raids as NonNullable<typeof report.raids>;
  let drills = found.drill;
  if (direct !== undefined && drills.length > 0) drills = knownFromChange(direct, m, drills, raids);
  let any = (report.global as string[]).length > 0;
  let raidCount = drills.length;
  for (const _ in raids) {
    raidCount++;
    any = true;
  }
  const full = raidCount >= FULL_SYNC_RAIDS;
  if (full) {
    // So many raids differ that one full sync is cheaper than drilling into each.
    for (const raidName of drills) raids[raidName] = { raidLevel: true, encounters: {} };
    any = true;
  }
  note(c, "poll", "checksums from " + sender + " differ" + (any ? "" : " (raids: " + drills.join(", ") + ")") + " (" + origin + ")");
  if (any) queueReport(c, report, origin);
  if (!full) for (const raidName of drills) requestDrill(c, raidName);
}

/** Of the raids to drill into: those a direct change put out of step go into `raids` with the changed components; the rest stay. */
function knownFromChange(change: StoreChange, m: { [field: string]: unknown }, drills: string[], raids: NonNullable<CorruptionReport["raids"]>): string[] {
  const r = isTable(m.r) ? (m.r as Named<unknown>) : {};
  const comps: Named<Named<string[]>> = {};
  const inStep: Named<boolean> = {};
  for (const ch of change.changes) {
    if (ch.level === "RAID" && ch.what === "rollup" && ch.raid !== undefined && ch.old === r[ch.raid]) inStep[ch.raid] = true;
    if (ch.level === "RAID" && ch.what === "metadata" && ch.raid !== undefined) inStep[ch.raid] = false;
    if (ch.level === "COMPONENT" && ch.raid !== undefined && ch.encounter !== undefined && ch.component !== undefined) {
      const perRaid = comps[ch.raid] ?? {};
      comps[ch.raid] = perRaid;
      const list = perRaid[ch.encounter] ?? [];
      perRaid[ch.encounter] = list;
      list.push(ch.component);
    }
  }
  const rest: string[] = [];
  for (const raidName of drills) {
    if (inStep[raidName] === true && comps[raidName] !== undefined) raids[raidName] = { raidLevel: false, encounters: comps[raidName] };
    else rest.push(raidName);
  }
  return rest;
}

/** A member hears the admin's checksums. */
export function onPoll(c: SyncContext, sender: string, payload: string, tick?: Tick): void {
  const m = receive(c, sender, payload, undefined, tick);
  if (m === undefined) return;
  if (sender !== c.perms.admin()) {
    note(c, "drop", "checksums from " + sender + ", who is not the raid admin");
    return;
  }
  c.stats.pollsHeard++;
  c.repair.adminAvailable();
  c.S.lastPoll = { from: sender, m };
  react(c, sender, m, "poll");
}

/**
 * This member's data changed behind the sync: the scrub found a direct write ("direct"), or
 * OG-RaidHelper changed its plan ("ogrh", companion mode). Compare with the admin's last checksums
 * at once rather than at the next poll. No full validation: in a 40-player raid every member would
 * ask the admin at the same moment.
 */
export function onDirectChange(c: SyncContext, change: StoreChange): void {
  const last = c.S.lastPoll;
  if ((change.source !== "direct" && change.source !== OGRH_SOURCE) || isAdmin(c) || last === undefined || last.from !== c.perms.admin()) return;
  react(c, last.from, last.m, "data check", change);
}
