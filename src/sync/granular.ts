// The granular sync engine (spec 6.2.2, 6.3, 6.4.1), wired together. Three roles in one client:
//
// admin    broadcasts lightweight checksums (poll.ts) every 30 s and soon after its own edits (the
//          edited components go out first, so members are healed without asking); answers
//          drill-down requests batched for 2 s (drill.ts) and node requests batched for a moment,
//          once per node for every requester, with only what differs (answer.ts).
// member   compares each poll with its cached tree (detect.ts); asks for a drill-down of a
//          differing raid (after a short random delay, and not at all when another member already
//          asked); turns the answer into repair jobs (repair.ts: smart level, priority, one at a
//          time, retries) that executor.ts runs.
// anyone   applies node data only from the raid admin or an officer, only when the rebuilt node
//          has exactly the checksum the sender advertised (apply.ts), and uses any answer it
//          overhears that fixes its own copy: one broadcast heals every member that needs it.
//
// Every part is functions over one SyncContext (context.ts); this file creates it, registers the
// message handlers and returns the engine's handle. Lua-only. docs/protocol.md "Sync" lists every
// message.
import type { App } from "../app";
import type { NodeRef, Store } from "../store/store";
import { Permissions } from "./permissions";
import { CorruptionReport, RepairJob, RepairOutcome, RepairQueue, Selection, createRepairQueue } from "./repair";
import { LEVELS, MSG, REQ_TYPE, RES_TYPE } from "./protocol";
import { syncPolicies } from "./policy";
import type { Handler } from "../transport/transport";
import { DEFAULT_SYNC_CONFIG, ProgressFn, SyncConfig, SyncContext, SyncEvent, SyncStats, ValidateAnswer, ValidateCallback } from "./context";
// Namespaces, not single functions: each is one upvalue of the closures below (Lua 5.0: 32 at most).
import * as Context from "./context";
import * as Poll from "./poll";
import * as Drill from "./drill";
import * as Answer from "./answer";
import * as Apply from "./apply";
import * as Executor from "./executor";
import * as Designation from "./designation";
import * as Detect from "./detect";

export { DEFAULT_SYNC_CONFIG };
export type { ProgressFn, SyncConfig, SyncEvent, SyncStats, ValidateAnswer, ValidateCallback };

/** @noSelf */
export interface Granular {
  cfg: SyncConfig;
  stats: SyncStats;
  repair: RepairQueue;
  isAdmin: () => boolean;
  /** The raid admin now (permissions.ts), or undefined. */
  admin: () => string | undefined;
  selection: () => Selection;
  setSelection: (raid: string | undefined, encounter: string | undefined) => void;
  /** Sends this client's copy of a node to target (or everyone): spec SyncComponent & co. */
  push: (ref: NodeRef, target: string | undefined) => string | undefined;
  queueReport: (report: CorruptionReport, origin: string) => RepairJob[];
  /**
   * Queues the player's own repair of ref; onProgress(received, expected) follows the bytes of the
   * admin's answer as its frames arrive (transport's reassembly), and onDone is called once the
   * repair queue has nothing left to do (the repair succeeded or was given up).
   */
  requestRepair: (ref: NodeRef, onProgress?: ProgressFn, onDone?: () => void) => RepairJob[];
  broadcastChecksums: (priority: "ALERT" | "NORMAL") => boolean;
  validateFull: (cb: ValidateCallback | undefined, repairAfter?: boolean) => boolean;
  designate: (name: string) => boolean;
  log: () => SyncEvent[];
  /** Why the raid admin cannot be asked (they run the other mode), or undefined. */
  adminOtherMode: () => string | undefined;
  /** Players heard running the other plan layout -> their layout ("" = standalone). */
  otherModes: () => { [name: string]: string | undefined };
}

export function createGranular(app: App, store: Store, perms: Permissions): Granular {
  const c: SyncContext = {
    app,
    platform: app.platform,
    transport: app.transport,
    store,
    perms,
    cfg: { ...DEFAULT_SYNC_CONFIG, timeouts: { ...DEFAULT_SYNC_CONFIG.timeouts } },
    stats: Context.newStats(),
    S: Context.newState(),
    repair: undefined as unknown as RepairQueue,
  };
  const executor = { run: (job: RepairJob, done: (o: RepairOutcome) => void) => Executor.run(c, job, done), adminOnline: () => Context.adminOnline(c), settled: (job: RepairJob, attempts: number, reason: string | undefined) => Executor.settled(c, job, attempts, reason), hurry: (job: RepairJob) => Executor.hurry(c, job), withdraw: (job: RepairJob) => Executor.withdraw(c, job) };
  c.repair = createRepairQueue(c.platform, executor, (line) => {
    if (c.S.held !== undefined) c.S.held.push(line);
    else app.say(line);
  });

  const { transport, platform } = c;
  // Handlers run in the transport's delivery job: meta.tick spreads their parse and checks over frames.
  // The policies (policy.ts) say who may send each type and how large it may be.
  const policies = syncPolicies(perms, (sender, type) => Apply.refusedData(c, sender, type));
  transport.register(MSG.POLL, (sender, payload, meta) => Poll.onPoll(c, sender, payload, meta.tick), policies[MSG.POLL]);
  transport.register(MSG.DRILL_REQ, (sender, payload, meta) => Drill.onDrillReq(c, sender, payload, meta.tick), policies[MSG.DRILL_REQ]);
  transport.register(MSG.DRILL_RES, (sender, payload, meta) => Drill.onDrillRes(c, sender, payload, meta.tick), policies[MSG.DRILL_RES]);
  transport.register(MSG.ADMIN, (sender, payload, meta) => Designation.onAdmin(c, sender, payload, meta.tick), policies[MSG.ADMIN]);
  transport.register(MSG.MODE, (sender, payload, meta) => Designation.onMode(c, sender, payload, meta.tick), policies[MSG.MODE]);
  // A function per level binds `level` (Lua 5.0's loop closures would share the loop variable).
  const onRequest = (level: string): Handler => (sender, payload, meta) => Answer.onRequest(c, level, sender, payload, meta.tick);
  // (an answer is decoded, rebuilt and checked in a job of its own, apply.ts)
  const onAnswer = (level: string): Handler => (sender, payload) => Apply.onAnswer(c, level, sender, payload);
  for (const level of LEVELS) {
    transport.register(REQ_TYPE[level], onRequest(level), policies[REQ_TYPE[level]]);
    transport.register(RES_TYPE[level], onAnswer(level), policies[RES_TYPE[level]]);
  }
  store.on((change) => Answer.onStoreChange(c, change));
  store.on((change) => Poll.onDirectChange(c, change));
  transport.onPartial((sender, type, _target, received, expected) => Executor.onPartial(c, sender, type, received, expected));
  platform.on("RAID_ROSTER_UPDATE", () => Designation.onRosterUpdate(c));
  Poll.startPolling(c);

  return {
    cfg: c.cfg,
    stats: c.stats,
    repair: c.repair,
    isAdmin: () => Context.isAdmin(c),
    admin: () => perms.admin(),
    selection: () => c.S.selection,
    setSelection: (raid, encounter) => {
      c.S.selection = { raid, encounter };
    },
    push: (ref, target) => Answer.push(c, ref, target),
    queueReport: (report, origin) => Detect.queueReport(c, report, origin),
    requestRepair: (ref, onProgress, onDone) => Executor.requestRepair(c, ref, onProgress, onDone),
    broadcastChecksums: (priority) => Poll.broadcastChecksums(c, priority),
    validateFull: (cb, repairAfter) => Drill.validateFull(c, cb, repairAfter),
    designate: (name) => Designation.designate(c, name),
    log: () => Context.timeline(c),
    adminOtherMode: () => Context.otherModeReason(c, perms.admin()),
    otherModes: () => c.S.other,
  };
}
