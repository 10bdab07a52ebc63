// The granular sync engine (spec 6.2.2, 6.3, 6.4.1). Three roles in one client:
//
// admin    broadcasts lightweight checksums (CK.POLL) every 30 s and soon after its own edits (the
//          edited components go out first, so members are healed without asking); answers
//          drill-down requests batched for 2 s (CK.DRILL_RES) and node requests batched for a
//          moment (SY.*_RES), once per node for every requester, with only what differs.
// member   compares each poll with its cached tree; asks for a drill-down of a differing raid
//          (after a short random delay, and not at all when another member already asked); turns
//          the answer into repair jobs (repair.ts: smart level, priority, one at a time, retries).
// anyone   applies node data only from the raid admin or an officer, only when the rebuilt node
//          has exactly the checksum the sender advertised (all or nothing), and uses any answer it
//          overhears that fixes its own copy: one broadcast heals every member that needs it.
//
// Lua-only (store tables, timers). docs/protocol.md "Sync" lists every message.
import type { App } from "../app";
import type { NodeRef, Store, StoreChange } from "../store/store";
import { COMPONENTS, GLOBAL_COMPONENTS, isComponent, isGlobalComponent } from "../integrity/tree";
import { Permissions } from "./permissions";
import { CorruptionReport, FULL_SYNC_RAIDS, RepairJob, RepairOutcome, RepairQueue, Selection, createRepairQueue } from "./repair";
import { LEVELS, MSG, REQ_TYPE, RES_TYPE, decode, encode } from "./protocol";
import { Parts, buildAnswer, composeNode, covers, currentChecksum, isTable, nodeKey, nodeLabel, short, subHashes } from "./nodes";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Table = any;

export interface SyncConfig {
  /** false: no periodic broadcast (tests and benchmarks that drive repairs by hand). */
  polling: boolean;
  /** Seconds between the admin's checksum broadcasts. */
  pollInterval: number;
  /** First broadcast after the addon loads. */
  firstPoll: number;
  /** An admin edit is broadcast this long after the last edit of a burst. */
  editDebounce: number;
  /** The admin collects drill-down requests this long and answers once (spec: 2 s). */
  drillBatch: number;
  /** The admin collects requests for one node this long after the first and answers once. */
  requestBatch: number;
  /** A member waits up to this long (random) before asking, and stays silent if someone else asked. */
  requestJitter: number;
  /**
   * A request arriving this soon after the last frame of an answer that covers it left (or while
   * that answer is still queued) crossed it on the way and is not answered again.
   */
  recentAnswer: number;
  /** Edited nodes larger than this (canonical bytes) are not pushed; members ask instead. */
  pushMax: number;
  /** Seconds to wait for an answer, per level. */
  timeouts: { [level: string]: number };
  drillTimeout: number;
}

export const DEFAULT_SYNC_CONFIG: SyncConfig = {
  polling: true,
  pollInterval: 30,
  firstPoll: 5,
  editDebounce: 0.5,
  drillBatch: 2,
  requestBatch: 0.25,
  requestJitter: 0.4,
  recentAnswer: 1,
  pushMax: 4096,
  timeouts: { COMPONENT: 8, GLOBAL: 8, ENCOUNTER: 10, RAID: 25, STRUCTURE: 120 },
  drillTimeout: 8,
};

export interface SyncStats {
  pollsSent: number;
  pollsHeard: number;
  drillRequests: number;
  drillSuppressed: number;
  drillAnswers: number;
  requests: number;
  requestsSuppressed: number;
  answers: number;
  answersSkipped: number;
  pushes: number;
  applied: number;
  discarded: number;
  rejected: number;
  detections: number;
  bytesSent: number;
}

/** One line of the sync timeline (OGRH.SyncGranular.Log(); `npm run sim` prints them). */
export interface SyncEvent {
  t: number;
  kind: string;
  text: string;
}

/** A running repair job waiting for its answer. */
/** @noSelf */
interface Wait {
  ref: NodeRef;
  key: string;
  done: (o: RepairOutcome) => void;
  since: number;
  full: boolean;
  /** The request went out (false while waiting silently for someone else's answer). */
  sent: boolean;
  /** This player's own repair (RepairJob.own): asked at once, marked `o` for the admin. */
  own: boolean;
  finished: boolean;
  timer: number | undefined;
}

interface PendingRequests {
  ref: NodeRef;
  list: (Table | undefined)[];
  n: number;
  first: string;
}

/** @noSelf */
export interface Granular {
  cfg: SyncConfig;
  stats: SyncStats;
  repair: RepairQueue;
  isAdmin: () => boolean;
  selection: () => Selection;
  setSelection: (raid: string | undefined, encounter: string | undefined) => void;
  /** Sends this client's copy of a node to target (or everyone): spec SyncComponent & co. */
  push: (ref: NodeRef, target: string | undefined) => string | undefined;
  queueReport: (report: CorruptionReport, origin: string) => RepairJob[];
  /**
   * Queues a repair of ref; onProgress(received, expected) follows the bytes of the admin's answer
   * as its frames arrive (transport's reassembly), until that repair is settled.
   */
  requestRepair: (ref: NodeRef, onProgress?: ProgressFn) => RepairJob[];
  broadcastChecksums: (priority: "ALERT" | "NORMAL") => boolean;
  validateFull: (cb: ((result: Table) => void) | undefined, repairAfter?: boolean) => boolean;
  designate: (name: string) => boolean;
  log: () => SyncEvent[];
}

export type ProgressFn = (received: number, expected: number) => void;

const LOG_LINES = 300;

/** Writes that sync itself made (applied answers and pushes): never pushed on. */
function isSyncSource(source: unknown): boolean {
  return typeof source === "string" && source.substring(0, 4) === "sync";
}

export function createGranular(app: App, store: Store, perms: Permissions): Granular {
  const { platform, transport } = app;
  const cfg: SyncConfig = { ...DEFAULT_SYNC_CONFIG, timeouts: { ...DEFAULT_SYNC_CONFIG.timeouts } };
  const stats: SyncStats = {
    pollsSent: 0, pollsHeard: 0, drillRequests: 0, drillSuppressed: 0, drillAnswers: 0, requests: 0, requestsSuppressed: 0,
    answers: 0, answersSkipped: 0, pushes: 0, applied: 0, discarded: 0, rejected: 0, detections: 0, bytesSent: 0,
  };
  // Mutable state in one table: keeps every function below the 32-upvalue limit of Lua 5.0.
  const S = {
    selection: {} as Selection,
    events: [] as SyncEvent[],
    eventNext: 0,
    // admin side
    pending: {} as { [key: string]: PendingRequests },
    pendingKeys: [] as string[],
    reqTimer: undefined as number | undefined,
    /** Answers sent per node: `t` is when the last frame left (undefined while still queued). */
    recent: {} as { [key: string]: { x: string; t: number | undefined; parts: Parts } },
    drill: {} as { [raid: string]: { lists: Table[]; n: number } },
    drillAll: false,
    drillTimer: undefined as number | undefined,
    edits: {} as { [key: string]: NodeRef },
    editCount: 0,
    editTimer: undefined as number | undefined,
    announceTimer: undefined as number | undefined,
    // member side
    waits: {} as { [key: string]: Wait },
    heardReq: {} as { [key: string]: number },
    heardDrill: {} as { [raid: string]: number },
    drillWait: {} as { [raid: string]: number },
    validateCb: undefined as ((result: Table) => void) | undefined,
    validateTimer: undefined as number | undefined,
    /** The pending full validation queues repairs for what it finds (false: the caller decides). */
    validateRepair: true,
    warned: {} as { [sender: string]: boolean },
    rejectedAt: {} as { [sender: string]: number },
    held: undefined as string[] | undefined,
    drillQueue: [] as string[],
    drillSendTimer: undefined as number | undefined,
    /** Progress callbacks of manual repairs, by node key. */
    progress: {} as { [key: string]: ProgressFn },
    progressCount: 0,
  };

  const me = () => platform.playerName();
  const now = () => platform.now();
  const inRaid = () => platform.roster().length > 0;
  const isAdmin = () => inRaid() && perms.admin() === me();
  const adminOnline = () => {
    const a = perms.admin();
    return a !== undefined && a !== me() && inRaid();
  };

  const note = (kind: string, text: string) => {
    S.events[S.eventNext % LOG_LINES] = { t: now(), kind, text };
    S.eventNext++;
  };

  const send = (type: string, msg: Table, priority: "ALERT" | "NORMAL" | "BULK", target: string | undefined, onDone?: (ok: boolean) => void): number => {
    const text = encode(msg);
    if (text === undefined) {
      note("error", "could not encode " + type);
      return 0;
    }
    transport.send(type, text, { priority, target, onDone });
    stats.bytesSent += text.length;
    return text.length;
  };

  /** The decoded message, or undefined (with one "please update" line per sender for another version). */
  const receive = (sender: string, payload: string): Table | undefined => {
    const d = decode(payload);
    if (d.msg !== undefined) return d.msg;
    if (d.version !== undefined) {
      if (S.warned[sender] !== true) {
        S.warned[sender] = true;
        if (d.version === "newer") {
          app.say(sender + " runs a newer OGRH Sync (sync version " + d.theirs + ", this client speaks version 1). Please update the addon to sync with them.");
        } else {
          app.say(sender + " runs an older OGRH Sync (sync version " + d.theirs + ", this client speaks version 1); their sync messages are ignored. Ask them to update the addon.");
        }
      }
      return undefined;
    }
    note("drop", "bad message from " + sender + ": " + (d.error ?? "?"));
    return undefined;
  };

  const refOf = (level: string, m: Table): NodeRef | undefined => {
    if (level === "STRUCTURE") return { level: "STRUCTURE" };
    if (level === "GLOBAL") return isGlobalComponent(m.co) ? { level: "GLOBAL", component: m.co } : undefined;
    if (typeof m.ra !== "string") return undefined;
    if (level === "RAID") return { level: "RAID", raid: m.ra };
    if (typeof m.en !== "string") return undefined;
    if (level === "ENCOUNTER") return { level: "ENCOUNTER", raid: m.ra, encounter: m.en };
    return isComponent(m.co) ? { level: "COMPONENT", raid: m.ra, encounter: m.en, component: m.co } : undefined;
  };

  const refMsg = (ref: NodeRef): Table => ({ ra: ref.raid, en: ref.encounter, co: ref.component });

  // ----- admin: polls -------------------------------------------------------------------------

  const buildPoll = (): Table => {
    const t = store.tree();
    const r: Table = {};
    for (const name in t.raids) r[name] = t.raids[name].rollup;
    const g: Table = {};
    for (const name of GLOBAL_COMPONENTS) g[name] = t.global[name];
    const msg: Table = { s: t.structure, g, r };
    const sel = S.selection.raid;
    if (sel !== undefined && t.raids[sel] !== undefined) {
      const node = t.raids[sel];
      const e: Table = {};
      for (let i = 0; i < node.count; i++) e[i + 1] = node.list[i].encounter;
      msg.sel = sel;
      msg.sd = { m: node.raid, e };
    }
    return msg;
  };

  const broadcastChecksums = (priority: "ALERT" | "NORMAL"): boolean => {
    if (!isAdmin()) return false;
    const bytes = send(MSG.POLL, buildPoll(), priority, undefined);
    stats.pollsSent++;
    note("poll", "checksums broadcast (" + bytes + " bytes)");
    return true;
  };

  const pollTick = () => {
    if (cfg.polling) broadcastChecksums("ALERT");
    platform.after(cfg.pollInterval, pollTick);
  };

  // ----- admin: answers ----------------------------------------------------------------------

  const answerMsg = (ref: NodeRef, requests: (Table | undefined)[], n: number): { msg: Table; parts: Parts; x: string | undefined } => {
    const built = buildAnswer(store, ref, requests, n);
    const msg = refMsg(ref);
    const a = built.answer as Table;
    for (const k in a) msg[k] = a[k];
    return { msg, parts: built.parts, x: built.answer.x };
  };

  /** Records an answer for `key` as queued; its onDone notes when the last frame went out. */
  const remember = (key: string, x: string | undefined, parts: Parts): ((ok: boolean) => void) | undefined => {
    if (x === undefined) return undefined;
    const rec = { x, t: undefined as number | undefined, parts };
    S.recent[key] = rec;
    return (ok: boolean) => {
      if (ok) rec.t = now();
      else if (S.recent[key] === rec) S.recent[key] = undefined as never;
    };
  };

  const answerPending = (key: string, p: PendingRequests) => {
    const level = p.ref.level;
    const built = answerMsg(p.ref, p.list, p.n);
    const prio = level === "RAID" || level === "STRUCTURE" ? "BULK" : "NORMAL";
    const bytes = send(RES_TYPE[level], built.msg, prio, p.first, remember(key, built.x, built.parts));
    stats.answers++;
    const what = built.msg.err !== undefined ? "error: " + built.msg.err : built.msg.p !== undefined || built.parts["*"] === true ? "whole node" : "differences only";
    note("answer", nodeLabel(p.ref) + " for " + p.n + " requester(s), " + what + " (" + bytes + " bytes)");
  };

  const flushRequests = () => {
    S.reqTimer = undefined;
    const keys = S.pendingKeys;
    S.pendingKeys = [];
    for (const key of keys) {
      const p = S.pending[key];
      S.pending[key] = undefined as never;
      if (p !== undefined) answerPending(key, p);
    }
  };

  const onRequest = (level: string) => (sender: string, payload: string) => {
    const m = receive(sender, payload);
    if (m === undefined) return;
    const ref = refOf(level, m);
    if (ref === undefined) return;
    const key = nodeKey(ref);
    if (!isAdmin()) {
      S.heardReq[key] = now();
      return;
    }
    if (perms.permissionOf(sender) === undefined) {
      note("drop", "request from " + sender + ", who is not in the raid");
      return;
    }
    const hashes = m.f === true || !isTable(m.h) ? undefined : m.h;
    const rec = S.recent[key];
    // An answer still queued, or sent so recently that this request crossed it, covers the
    // request when it carries everything the requester lacks. Later requests missed it: answer.
    if (rec !== undefined && (rec.t === undefined || now() - rec.t < cfg.recentAnswer) && rec.x === currentChecksum(store, ref)) {
      const need = buildAnswer(store, ref, [hashes], 1).parts;
      if (covers(rec.parts, need)) {
        stats.answersSkipped++;
        note("skip", nodeLabel(ref) + " from " + sender + ": the answer just sent covers it");
        return;
      }
    }
    let p = S.pending[key];
    if (p === undefined && m.o === true) {
      // One player's own repair (not a detection every member made at once): nobody else is
      // expected to ask, so it is answered now; a request that crosses it is covered (above).
      note("request", nodeLabel(ref) + " from " + sender + (hashes === undefined ? " (whole)" : "") + ", own repair: answered at once");
      answerPending(key, { ref, list: [hashes], n: 1, first: sender });
      return;
    }
    if (p === undefined) {
      p = { ref, list: [], n: 0, first: sender };
      S.pending[key] = p;
      S.pendingKeys.push(key);
    }
    p.list[p.n] = hashes;
    p.n++;
    note("request", nodeLabel(ref) + " from " + sender + (hashes === undefined ? " (whole)" : ""));
    if (S.reqTimer === undefined) S.reqTimer = platform.after(cfg.requestBatch, flushRequests);
  };

  // ----- admin: drill-down ------------------------------------------------------------------

  const flushDrill = () => {
    S.drillTimer = undefined;
    const t = store.tree();
    const q: Table = {};
    let count = 0;
    for (const raidName in S.drill) {
      const entry = S.drill[raidName];
      if (entry === undefined) continue;
      count++;
      const node = t.raids[raidName];
      if (node === undefined) {
        q[raidName] = { x: true };
        continue;
      }
      const e: Table = {};
      const d: Table = {};
      for (let i = 0; i < node.count; i++) {
        const enc = node.list[i];
        e[i + 1] = enc.encounter;
        let differs = false;
        for (let k = 0; k < entry.n && !differs; k++) {
          const l = entry.lists[k];
          if (!isTable(l) || !isTable(l.e) || l.e[i + 1] !== short(enc.encounter)) differs = true;
        }
        if (differs) {
          const comps: Table = {};
          for (const c of COMPONENTS) comps[c] = enc.components[c];
          d[i + 1] = comps;
        }
      }
      q[raidName] = { m: node.raid, u: node.rollup, e, d };
    }
    const msg: Table = { q };
    if (S.drillAll) {
      // A full validation: also the raids nobody asked about, and the global components.
      for (const raidName in t.raids) {
        if (q[raidName] === undefined) q[raidName] = { u: t.raids[raidName].rollup, m: t.raids[raidName].raid };
      }
      const g: Table = {};
      for (const name of GLOBAL_COMPONENTS) g[name] = t.global[name];
      msg.g = g;
      msg.all = true;
    }
    S.drill = {};
    S.drillAll = false;
    const bytes = send(MSG.DRILL_RES, msg, "NORMAL", undefined);
    stats.drillAnswers++;
    note("drill", "drill-down answer for " + count + " raid(s) (" + bytes + " bytes)");
  };

  const onDrillReq = (sender: string, payload: string) => {
    const m = receive(sender, payload);
    if (m === undefined || !isTable(m.q)) return;
    if (!isAdmin()) {
      for (const raidName in m.q) S.heardDrill[raidName] = now();
      return;
    }
    if (perms.permissionOf(sender) === undefined) return;
    for (const raidName in m.q) {
      if (typeof raidName !== "string") continue;
      let entry = S.drill[raidName];
      if (entry === undefined) {
        entry = { lists: [], n: 0 };
        S.drill[raidName] = entry;
      }
      entry.lists[entry.n] = m.q[raidName];
      entry.n++;
    }
    if (m.all === true) S.drillAll = true;
    note("drill", "drill-down request from " + sender);
    if (S.drillTimer === undefined) S.drillTimer = platform.after(cfg.drillBatch, flushDrill);
  };

  // ----- admin (and officers): edits go out at once ----------------------------------------------

  const flushEdits = () => {
    S.editTimer = undefined;
    const edits = S.edits;
    const many = S.editCount > 12;
    S.edits = {};
    S.editCount = 0;
    if (!inRaid()) return;
    if (!many) {
      for (const key in edits) {
        const ref = edits[key];
        if (currentChecksum(store, ref) === "") continue;
        const built = answerMsg(ref, [], 0);
        if (built.msg.err !== undefined) continue;
        built.msg.push = true;
        const text = encode(built.msg);
        if (text === undefined || text.length > cfg.pushMax) continue;
        const bytes = send(RES_TYPE[ref.level], built.msg, "NORMAL", undefined, remember(key, built.x, built.parts));
        stats.pushes++;
        note("push", "edit of " + nodeLabel(ref) + " sent to the raid (" + bytes + " bytes)");
      }
    }
    // Same priority as the pushes: the checksums arrive after the data they describe.
    broadcastChecksums("NORMAL");
  };

  const onStoreChange = (change: StoreChange) => {
    // Every write of the admin (or an officer) is authored, whatever its source ("local", "restore",
    // "defaults", "import", ...), except data this client applied from sync: the raid converges to
    // a restored backup or reloaded defaults as it does to an edit.
    if (isSyncSource(change.source) || !inRaid() || !perms.canAuthor(me())) return;
    for (const c of change.changes) {
      let ref: NodeRef | undefined;
      if (c.level === "COMPONENT") ref = { level: "COMPONENT", raid: c.raid, encounter: c.encounter, component: c.component };
      else if (c.level === "GLOBAL") ref = { level: "GLOBAL", component: c.component };
      if (ref === undefined) continue;
      const key = nodeKey(ref);
      if (S.edits[key] === undefined) S.editCount++;
      S.edits[key] = ref;
    }
    if (S.editTimer !== undefined) platform.cancel(S.editTimer);
    S.editTimer = platform.after(cfg.editDebounce, flushEdits);
  };

  // ----- member: the repair queue's executor ------------------------------------------------------

  const finish = (w: Wait, outcome: RepairOutcome) => {
    if (w.finished) return;
    w.finished = true;
    if (w.timer !== undefined) platform.cancel(w.timer);
    w.timer = undefined;
    if (S.waits[w.key] === w) S.waits[w.key] = undefined as never;
    if (outcome.ok) endProgress(w.key);
    w.done(outcome);
    // The queue is idle: nothing more will arrive for any manual repair.
    if (S.progressCount > 0 && !repair.busy() && repair.pending().length === 0) {
      for (const key in S.progress) endProgress(key);
    }
  };

  const endProgress = (key: string) => {
    const fn = S.progress[key];
    if (fn === undefined) return;
    S.progress[key] = undefined as never;
    S.progressCount--;
  };

  /** A frame of a node answer from the admin arrived: tell the manual repairs waiting. */
  const onPartial = (sender: string, type: string, _target: string | undefined, received: number, expected: number) => {
    if (S.progressCount === 0 || type.substring(0, 3) !== "SY." || type.substring(type.length - 4) !== "_RES") return;
    if (sender !== perms.admin()) return;
    for (const key in S.progress) {
      const fn = S.progress[key];
      if (fn !== undefined) fn(received, expected);
    }
  };

  const armTimeout = (w: Wait) => {
    if (w.timer !== undefined) platform.cancel(w.timer);
    w.timer = platform.after(cfg.timeouts[w.ref.level] ?? 20, () => {
      w.timer = undefined;
      finish(w, { ok: false, reason: "no answer from the raid admin" });
    });
  };

  const sendRequest = (w: Wait) => {
    const admin = perms.admin();
    if (admin === undefined || admin === me()) {
      finish(w, { ok: false, reason: "no admin", noAdmin: true });
      return;
    }
    w.sent = true;
    const msg = refMsg(w.ref);
    if (w.own) msg.o = true;
    if (w.full) msg.f = true;
    else msg.h = subHashes(store, w.ref);
    const bytes = send(REQ_TYPE[w.ref.level], msg, "NORMAL", admin);
    stats.requests++;
    note("request", "asked " + admin + " for " + nodeLabel(w.ref) + (w.full ? " (whole)" : "") + " (" + bytes + " bytes)");
    armTimeout(w);
  };

  const refOfJob = (job: RepairJob): NodeRef => ({ level: job.level, raid: job.raid, encounter: job.encounter, component: job.component });

  const run = (job: RepairJob, done: (o: RepairOutcome) => void) => {
    if (!adminOnline()) {
      done({ ok: false, reason: "no admin", noAdmin: true });
      return;
    }
    const ref = refOfJob(job);
    const key = nodeKey(ref);
    const old = S.waits[key];
    if (old !== undefined) finish(old, { ok: false, reason: "replaced" });
    const w: Wait = { ref, key, done, since: now(), full: false, sent: false, own: job.own === true, finished: false, timer: undefined };
    S.waits[key] = w;
    if (w.own) {
      // Nobody else found this at the same moment: no reason to wait and listen first.
      sendRequest(w);
      return;
    }
    w.timer = platform.after(platform.random() * cfg.requestJitter, () => {
      w.timer = undefined;
      if (w.finished) return;
      const heard = S.heardReq[key];
      if (heard !== undefined && heard >= w.since) {
        stats.requestsSuppressed++;
        note("suppress", nodeLabel(ref) + ": another member asked already; waiting for that answer");
        armTimeout(w);
        return;
      }
      sendRequest(w);
    });
  };

  const repair = createRepairQueue(platform, { run, adminOnline }, (line) => {
    if (S.held !== undefined) S.held.push(line);
    else app.say(line);
  });

  /** True when applying `outer` also settles `inner`. */
  const within = (outer: NodeRef, inner: NodeRef): boolean => {
    if (outer.level === "STRUCTURE") return true;
    if (outer.level === "GLOBAL" || inner.level === "GLOBAL" || inner.level === "STRUCTURE") return outer.level === inner.level && outer.component === inner.component;
    if (outer.raid !== inner.raid) return false;
    if (outer.level === "RAID") return true;
    if (inner.level === "RAID" || outer.encounter !== inner.encounter) return false;
    if (outer.level === "ENCOUNTER") return true;
    return inner.level === "COMPONENT" && outer.component === inner.component;
  };

  const settleWaits = (applied: NodeRef) => {
    for (const key in S.waits) {
      const w = S.waits[key];
      if (w !== undefined && within(applied, w.ref)) finish(w, { ok: true });
    }
  };

  // ----- everyone: answers and pushes ------------------------------------------------------------

  const reject = (sender: string, what: string) => {
    stats.rejected++;
    note("reject", what + " from " + sender + ": not the raid admin or an officer");
    const last = S.rejectedAt[sender];
    if (last !== undefined && now() - last < 60) return;
    S.rejectedAt[sender] = now();
    app.say("Ignored " + what + " data from " + sender + ": only the raid admin or an officer may send plan data. Nothing was changed.");
  };

  const onAnswer = (level: string) => (sender: string, payload: string) => {
    const m = receive(sender, payload);
    if (m === undefined) return;
    const ref = refOf(level, m);
    if (ref === undefined) return;
    const key = nodeKey(ref);
    const label = nodeLabel(ref);
    if (!perms.canAuthor(sender)) {
      reject(sender, label);
      return;
    }
    const w = S.waits[key];
    if (typeof m.err === "string") {
      note("error", label + ": " + sender + " says " + m.err);
      if (w !== undefined) finish(w, { ok: false, reason: m.err, fatal: true });
      return;
    }
    if (typeof m.x !== "string") return;
    if (currentChecksum(store, ref) === m.x) {
      if (w !== undefined) finish(w, { ok: true });
      return;
    }
    const composed = composeNode(store, ref, m);
    let problem = composed.error;
    if (problem === undefined && store.nodeChecksum(ref, composed.payload) !== m.x) problem = "rebuilt data does not match the checksum " + sender + " sent";
    if (problem === undefined) {
      if (level === "RAID" || level === "STRUCTURE") {
        note("bulk", "before replacing " + label + ": backup hook");
        app.beforeBulkApply(label, "sync from " + sender);
      }
      problem = store.apply(ref, composed.payload, "sync", m.x);
    }
    if (problem !== undefined) {
      stats.discarded++;
      note("discard", label + " from " + sender + ": " + problem + "; nothing changed");
      if (w !== undefined && !w.finished) {
        if (!w.sent) {
          // We stayed silent for someone else's answer, and it does not fix our copy: ask now.
          sendRequest(w);
        } else if (!w.full) {
          w.full = true;
          sendRequest(w);
        } else {
          finish(w, { ok: false, reason: problem });
        }
      }
      return;
    }
    stats.applied++;
    note("apply", label + " from " + sender + (m.push === true ? " (edit)" : w !== undefined ? "" : " (overheard)"));
    settleWaits(ref);
  };

  // ----- member: detection --------------------------------------------------------------------

  const detectionLabels = (report: CorruptionReport): string[] => {
    const out: string[] = [];
    for (const name of report.global ?? []) out.push("Global component '" + name + "'");
    const raids = report.raids ?? {};
    for (const raidName in raids) {
      const r = raids[raidName];
      if (r.raidLevel === true) out.push(raidName + " (raid)");
      const encs = r.encounters ?? {};
      for (const encName in encs) {
        const comps = encs[encName];
        if (comps.length === 0) out.push(raidName + " > " + encName);
        for (const c of comps) out.push(raidName + " > " + encName + " > " + c);
      }
    }
    return out;
  };

  const queueReport = (report: CorruptionReport, origin: string): RepairJob[] => {
    // The queue starts the first job at once and says so: hold its lines until the detection line is out.
    S.held = [];
    let added: RepairJob[] = [];
    try {
      added = repair.queue(report, S.selection);
    } finally {
      const held = S.held;
      S.held = undefined;
      if (added.length > 0) {
        stats.detections++;
        const labels = detectionLabels(report);
        labels.sort();
        let line = labels.slice(0, 3).join(", ");
        if (labels.length > 3) line = line + " (+" + (labels.length - 3) + " more)";
        app.say("Detected structure mismatch: " + line);
        note("detect", line + " (" + origin + ")");
      }
      for (const l of held as string[]) app.say(l);
    }
    return added;
  };

  /** Sends one drill-down request for every raid collected during the random delay. */
  const sendDrills = () => {
    S.drillSendTimer = undefined;
    const raids = S.drillQueue;
    S.drillQueue = [];
    const t = store.tree();
    const admin = perms.admin();
    if (admin === undefined || admin === me()) return;
    const q: Table = {};
    const names: string[] = [];
    for (const raidName of raids) {
      const heard = S.heardDrill[raidName];
      if (heard !== undefined && heard >= S.drillWait[raidName]) {
        stats.drillSuppressed++;
        note("suppress", "drill-down of " + raidName + ": another member asked already");
        continue;
      }
      const node = t.raids[raidName];
      if (node === undefined) continue;
      const e: Table = {};
      for (let i = 0; i < node.count; i++) e[i + 1] = short(node.list[i].encounter);
      q[raidName] = { m: short(node.raid), e };
      names.push(raidName);
    }
    if (names.length === 0) return;
    const bytes = send(MSG.DRILL_REQ, { q }, "ALERT", admin);
    stats.drillRequests++;
    note("drill", "asked " + admin + " for the drill-down of " + names.join(", ") + " (" + bytes + " bytes)");
  };

  const requestDrill = (raidName: string) => {
    const waiting = S.drillWait[raidName];
    if (waiting !== undefined && now() - waiting < cfg.drillTimeout) return;
    S.drillWait[raidName] = now();
    S.drillQueue.push(raidName);
    if (S.drillSendTimer === undefined) S.drillSendTimer = platform.after(platform.random() * cfg.requestJitter, sendDrills);
  };

  const onPoll = (sender: string, payload: string) => {
    const m = receive(sender, payload);
    if (m === undefined) return;
    if (sender !== perms.admin()) {
      note("drop", "checksums from " + sender + ", who is not the raid admin");
      return;
    }
    stats.pollsHeard++;
    repair.adminAvailable();
    const t = store.tree();
    if (m.s === t.structure) return;
    const report: CorruptionReport = { global: [], raids: {} };
    let any = false;
    if (isTable(m.g)) {
      for (const name of GLOBAL_COMPONENTS) {
        if (m.g[name] !== t.global[name]) {
          (report.global as string[]).push(name);
          any = true;
        }
      }
    }
    const drills: string[] = [];
    if (isTable(m.r)) {
      for (const raidName in m.r) {
        if (typeof raidName !== "string") continue;
        const mine = t.raids[raidName];
        const raids = report.raids as Table;
        if (mine === undefined) {
          raids[raidName] = { raidLevel: true, encounters: {} };
          any = true;
        } else if (m.r[raidName] !== mine.rollup) {
          if (m.sel === raidName && isTable(m.sd) && m.sd.m !== mine.raid) {
            raids[raidName] = { raidLevel: true, encounters: {} };
            any = true;
          } else drills.push(raidName);
        }
      }
    }
    let raidCount = drills.length;
    for (const _ in report.raids as Table) raidCount++;
    const full = raidCount >= FULL_SYNC_RAIDS;
    if (full) {
      // So many raids differ that one full sync is cheaper than drilling into each.
      for (const raidName of drills) (report.raids as Table)[raidName] = { raidLevel: true, encounters: {} };
      any = true;
    }
    note("poll", "checksums from " + sender + " differ" + (any ? "" : " (raids: " + drills.join(", ") + ")"));
    if (any) queueReport(report, "poll");
    if (!full) for (const raidName of drills) requestDrill(raidName);
  };

  const onDrillRes = (sender: string, payload: string) => {
    const m = receive(sender, payload);
    if (m === undefined || !isTable(m.q)) return;
    if (sender !== perms.admin()) return;
    const t = store.tree();
    const report: CorruptionReport = { global: [], raids: {} };
    const raids = report.raids as Table;
    let any = false;
    let remoteMissing: string[] = [];
    for (const raidName in m.q) {
      S.drillWait[raidName] = undefined as never;
      const a = m.q[raidName];
      const mine = t.raids[raidName];
      if (!isTable(a)) continue;
      if (a.x === true) {
        remoteMissing.push(raidName);
        continue;
      }
      if (mine === undefined) {
        raids[raidName] = { raidLevel: true, encounters: {} };
        any = true;
        continue;
      }
      if (a.u === mine.rollup) continue;
      if (a.m !== mine.raid || !isTable(a.e)) {
        raids[raidName] = { raidLevel: true, encounters: {} };
        any = true;
        continue;
      }
      const encounters: Table = {};
      let found = false;
      for (let i = 0; i < mine.count; i++) {
        const enc = mine.list[i];
        if (a.e[i + 1] === enc.encounter) continue;
        const comps: string[] = [];
        const theirs = isTable(a.d) ? a.d[i + 1] : undefined;
        if (isTable(theirs)) for (const c of COMPONENTS) if (theirs[c] !== enc.components[c]) comps.push(c);
        encounters[enc.name] = comps;
        found = true;
      }
      if (found) {
        raids[raidName] = { raidLevel: false, encounters };
        any = true;
      }
    }
    if (m.all === true && isTable(m.g)) {
      for (const name of GLOBAL_COMPONENTS) {
        if (m.g[name] !== t.global[name]) {
          (report.global as string[]).push(name);
          any = true;
        }
      }
      if (S.validateCb !== undefined) {
        const cb = S.validateCb;
        S.validateCb = undefined;
        if (S.validateTimer !== undefined) platform.cancel(S.validateTimer);
        S.validateTimer = undefined;
        // Raids only this client has: the admin's plan lacks them (not repaired by sync).
        remoteMissing = [];
        for (const raidName in t.raids) if (m.q[raidName] === undefined) remoteMissing.push(raidName);
        const lines = detectionLabels(report);
        for (const r of remoteMissing) lines.push(r + " (only in your plan, not the admin's)");
        if (lines.length === 0) app.say("Validation passed: your plan matches " + sender + "'s.");
        else for (const l of lines) app.say("Structure mismatch detected: " + l);
        if (!S.validateRepair) {
          // The caller shows the result and lets the player choose the repair.
          if (any) note("validate", "differences found; no automatic repair (the caller repairs)");
          any = false;
        }
        cb({ valid: lines.length === 0, corrupted: report, remoteMissing, admin: sender, remote: remoteHierarchy(m, t) });
      }
    }
    if (any) queueReport(report, "drill-down");
  };

  /**
   * The admin's checksums from a full drill-down answer, in the Hierarchy shape: global
   * components, and per raid its metadata and rollup, its encounters' checksums (named after this
   * client's list when the raid metadata, which holds the encounter names, matches) and the
   * component checksums of the encounters the admin detailed (those that differ).
   */
  const remoteHierarchy = (m: Table, t: ReturnType<Store["tree"]>): Table => {
    const global: Table = {};
    if (isTable(m.g)) for (const name of GLOBAL_COMPONENTS) if (typeof m.g[name] === "string") global[name] = m.g[name];
    const raids: Table = {};
    for (const raidName in m.q) {
      const a = m.q[raidName];
      if (!isTable(a) || a.x === true) continue;
      const entry: Table = { raid: a.m, rollup: a.u, encounters: {} };
      raids[raidName] = entry;
      const mine = t.raids[raidName];
      if (mine === undefined || a.m !== mine.raid || !isTable(a.e)) continue;
      for (let i = 0; i < mine.count; i++) {
        const sum = a.e[i + 1];
        if (typeof sum !== "string") continue;
        const comps: Table = {};
        const detail = isTable(a.d) ? a.d[i + 1] : undefined;
        if (isTable(detail)) for (const c of COMPONENTS) if (typeof detail[c] === "string") comps[c] = detail[c];
        entry.encounters[mine.list[i].name] = { encounter: sum, components: comps };
      }
    }
    return { partial: false, structure: undefined, global, raids };
  };

  const validateFull = (cb: ((result: Table) => void) | undefined, repairAfter = true): boolean => {
    if (isAdmin()) {
      const current = store.rebuild();
      app.say("You are the raid admin: your plan is the reference. Checksum cache " + (current ? "verified." : "was stale and has been rebuilt."));
      if (cb !== undefined) cb({ valid: true, self: true });
      return true;
    }
    const admin = perms.admin();
    if (!adminOnline() || admin === undefined) {
      app.say("No raid admin is online to validate against.");
      return false;
    }
    const t = store.tree();
    const q: Table = {};
    for (const raidName in t.raids) {
      const node = t.raids[raidName];
      const e: Table = {};
      for (let i = 0; i < node.count; i++) e[i + 1] = short(node.list[i].encounter);
      q[raidName] = { m: short(node.raid), e };
    }
    S.validateCb = cb ?? (() => undefined);
    S.validateRepair = repairAfter;
    if (S.validateTimer !== undefined) platform.cancel(S.validateTimer);
    S.validateTimer = platform.after(cfg.drillBatch + cfg.drillTimeout + 10, () => {
      S.validateTimer = undefined;
      if (S.validateCb === undefined) return;
      const pending = S.validateCb;
      S.validateCb = undefined;
      app.say("Validation: no answer from " + admin + ".");
      pending({ valid: false, error: "no answer" });
    });
    send(MSG.DRILL_REQ, { q, all: true }, "NORMAL", admin);
    stats.drillRequests++;
    app.say("Validating the full structure against " + admin + "...");
    note("validate", "full structure validation requested from " + admin);
    return true;
  };

  // ----- admin designation ---------------------------------------------------------------------

  const onAdmin = (sender: string, payload: string) => {
    const m = receive(sender, payload);
    if (m === undefined || typeof m.a !== "string") return;
    const before = perms.designated();
    if (!perms.designate(sender, m.a)) {
      note("drop", "admin designation from " + sender + ", who is not the raid leader");
      return;
    }
    if (before !== m.a) app.say("Raid admin: " + m.a + " (chosen by " + sender + ").");
  };

  const designate = (name: string): boolean => {
    let leader: string | undefined;
    let found = false;
    for (const m of platform.roster()) {
      if (m.rank === 2) leader = m.name;
      if (m.name === name) found = true;
    }
    if (leader !== me()) {
      app.say("Only the raid leader can choose the raid admin" + (leader === undefined ? "." : " (the leader is " + leader + ")."));
      return false;
    }
    if (!found) {
      app.say(name + " is not in the raid.");
      return false;
    }
    perms.designate(me(), name);
    send(MSG.ADMIN, { a: name }, "ALERT", undefined);
    app.say("Raid admin: " + name + ".");
    return true;
  };

  platform.on("RAID_ROSTER_UPDATE", () => {
    // The leader repeats the designation for players who joined or reloaded.
    const d = perms.designated();
    if (d === undefined || S.announceTimer !== undefined) return;
    S.announceTimer = platform.after(5, () => {
      S.announceTimer = undefined;
      let leader: string | undefined;
      for (const m of platform.roster()) if (m.rank === 2) leader = m.name;
      if (leader === me() && perms.designated() !== undefined) send(MSG.ADMIN, { a: perms.designated() }, "NORMAL", undefined);
    });
  });

  // ----- pushes (spec SyncComponent & co.) -------------------------------------------------------

  const push = (ref: NodeRef, target: string | undefined): string | undefined => {
    if (currentChecksum(store, ref) === "") {
      const reason = "Cannot sync " + nodeLabel(ref) + ": " + (ref.level === "RAID" ? "unknown raid" : "unknown raid or encounter") + " in your plan.";
      app.say(reason);
      return reason;
    }
    if (!perms.canAuthor(me()) && inRaid()) {
      app.say("You are not the raid admin or an officer: other players will ignore this data.");
    }
    const built = answerMsg(ref, [], 0);
    built.msg.push = true;
    const prio = ref.level === "RAID" || ref.level === "STRUCTURE" ? "BULK" : "NORMAL";
    const bytes = send(RES_TYPE[ref.level], built.msg, prio, target);
    stats.pushes++;
    note("push", nodeLabel(ref) + " sent to " + (target ?? "the raid") + " (" + bytes + " bytes)");
    return undefined;
  };

  const requestRepair = (ref: NodeRef, onProgress?: ProgressFn): RepairJob[] => {
    if (onProgress !== undefined) {
      const key = nodeKey(ref);
      if (S.progress[key] === undefined) S.progressCount++;
      S.progress[key] = onProgress;
    }
    const sel = S.selection;
    let priority: RepairJob["priority"] = "NORMAL";
    if (ref.raid !== undefined && ref.raid === sel.raid) priority = ref.encounter !== undefined && ref.encounter === sel.encounter ? "CRITICAL" : "HIGH";
    const job: RepairJob = { level: ref.level as RepairJob["level"], raid: ref.raid, encounter: ref.encounter, component: ref.component, priority, label: nodeLabel(ref), own: true };
    const added = repair.queueJobs([job]);
    if (S.progressCount > 0 && !repair.busy() && repair.pending().length === 0) {
      for (const key in S.progress) endProgress(key);
    }
    return added;
  };

  // ----- wiring -------------------------------------------------------------------------------

  transport.register(MSG.POLL, onPoll);
  transport.register(MSG.DRILL_REQ, onDrillReq);
  transport.register(MSG.DRILL_RES, onDrillRes);
  transport.register(MSG.ADMIN, onAdmin);
  for (const level of LEVELS) {
    transport.register(REQ_TYPE[level], onRequest(level));
    transport.register(RES_TYPE[level], onAnswer(level));
  }
  store.on(onStoreChange);
  transport.onPartial(onPartial);
  platform.after(cfg.firstPoll, pollTick);

  return {
    cfg,
    stats,
    repair,
    isAdmin,
    selection: () => S.selection,
    setSelection: (raid, encounter) => {
      S.selection = { raid, encounter };
    },
    push,
    queueReport,
    requestRepair,
    broadcastChecksums,
    validateFull,
    designate,
    log: () => {
      const out: SyncEvent[] = [];
      const first = S.eventNext > LOG_LINES ? S.eventNext - LOG_LINES : 0;
      for (let k = first; k < S.eventNext; k++) out.push(S.events[k % LOG_LINES]);
      return out;
    },
  };
}
