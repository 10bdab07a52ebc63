// Polling (spec 6.2.2). The admin broadcasts lightweight checksums (CK.POLL) every 30 s and soon
// after its own edits; a member compares them with its cached tree, queues repairs for what it can
// name at once (global components, raids it lacks, the admin's selected raid when its metadata
// differs) and asks for a drill-down of the other raids that differ. Lua-only.
import { GLOBAL_COMPONENTS } from "../core/schema";
import { FULL_SYNC_RAIDS } from "./repair";
import { MSG, Named, PollMsg, Seq } from "./protocol";
import { SyncContext, isAdmin, note, receive, send } from "./context";
import { compare, pollHierarchy, queueReport } from "./detect";
import { requestDrill } from "./drill";
import { pruneHeard, trimMemos } from "./heard";
import type { Tick } from "../core/jobs";

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
 * The 30 s timer (it keeps running; it broadcasts only while this client is the admin). Every
 * client also forgets there what others asked for long ago and trims the memos others filled.
 */
export function startPolling(c: SyncContext): void {
  const tick = () => {
    pruneHeard(c);
    trimMemos();
    if (c.cfg.polling) broadcastChecksums(c, "ALERT");
    c.platform.after(c.cfg.pollInterval, tick);
  };
  c.platform.after(c.cfg.firstPoll, tick);
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
  const t = c.store.tree();
  if (m.s === t.structure) return;
  const found = compare(t, pollHierarchy(m));
  const report = found.report;
  const raids = report.raids as NonNullable<typeof report.raids>;
  const drills = found.drill;
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
  note(c, "poll", "checksums from " + sender + " differ" + (any ? "" : " (raids: " + drills.join(", ") + ")"));
  if (any) queueReport(c, report, "poll");
  if (!full) for (const raidName of drills) requestDrill(c, raidName);
}
