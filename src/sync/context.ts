// The sync engine's shared state and the few helpers every part of it uses (who am I, who is the
// admin, send, receive, the timeline). The engine's parts (poll.ts, drill.ts, answer.ts,
// executor.ts, apply.ts, designation.ts) are functions over one SyncContext, which granular.ts
// creates and wires: no part keeps state of its own. Lua-only (store tables, timers).
import type { App } from "../app";
import type { Tick } from "../core/jobs";
import type { Platform } from "../core/platform";
import type { NodeRef, Store } from "../store/store";
import type { Transport } from "../transport/transport";
import { isComponent, isGlobalComponent } from "../core/schema";
import { Permissions } from "./permissions";
import { CorruptionReport, RepairOutcome, RepairQueue, Selection } from "./repair";
import type { Hierarchy } from "../integrity/tree";
import { Decoded, Envelope, MSG, RefFields, SubHashes, decode, encode, layoutWords } from "./protocol";
import type { Parts } from "./nodes";

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
  /** Attempts of a drill-down, validation or repair request before "no answer" (each wait 1.5x the last). */
  askAttempts: number;
  /** Seconds a repair request waits for the first frame of its answer before it is sent again. */
  askTimeout: number;
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
  drillTimeout: 6,
  askAttempts: 4,
  askTimeout: 5,
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

/** What an event is about, for tools and tests (the text is for people and may be reworded). */
export interface EventDetail {
  /** The node concerned. */
  ref?: NodeRef;
  /** The other player: who asked, who answered, who was asked. */
  peer?: string;
  /** A request for the whole node, or an answer that carries it. */
  whole?: boolean;
  /** A player's own repair (asked, and answered, at once). */
  own?: boolean;
  /** How many requests an answer serves. */
  requesters?: number;
  /** Why: "checksum" (the rebuilt node does not match), "data" (a bad answer), "store" (refused by the store), or the reason given. */
  cause?: string;
  /** Attempts a repair job took. */
  attempts?: number;
}

/** One line of the sync timeline (OGRH.SyncGranular.Log(); `npm run sim` prints them). */
export interface SyncEvent extends EventDetail {
  t: number;
  kind: string;
  text: string;
}

export type ProgressFn = (received: number, expected: number) => void;

/** What the admin's full validation found (ValidateFullStructure's callback). */
export interface ValidateAnswer {
  valid: boolean;
  /** The admin itself: its plan is the reference. */
  self?: boolean;
  error?: string;
  corrupted?: CorruptionReport;
  /** Raids only this client has. */
  remoteMissing?: string[];
  admin?: string;
  /** A sentence for the player when the validation could not be made (the admin runs the other mode). */
  message?: string;
  /** The admin's checksums, Hierarchy shape. */
  remote?: Hierarchy;
}
export type ValidateCallback = (answer: ValidateAnswer) => void;

/** A running repair job waiting for its answer. */
/** @noSelf */
export interface Wait {
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
  /** Requests sent for this wait, and whether a frame of an answer came since. */
  asks: number;
  heard: boolean;
}

/** Requests for one node the admin collects before answering them at once. */
export interface PendingRequests {
  ref: NodeRef;
  list: (SubHashes | undefined)[];
  n: number;
  first: string;
}

/** The engine's mutable state: the admin side, then the member side. */
export interface SyncState {
  selection: Selection;
  events: SyncEvent[];
  eventNext: number;
  // admin side
  pending: { [key: string]: PendingRequests | undefined };
  pendingKeys: string[];
  reqTimer: number | undefined;
  /** Answers sent per node: `t` is when the last frame left (undefined while still queued). */
  recent: { [key: string]: { x: string; t: number | undefined; parts: Parts } | undefined };
  /** Drill-down requests per raid, collected for one answer. */
  drill: { [raid: string]: { lists: unknown[]; n: number } | undefined };
  drillAll: boolean;
  /** Full validations asked in this batch, and per raid how many of them already have it (`hv`). */
  drillAllCount: number;
  drillHave: { [raid: string]: number | undefined };
  drillTimer: number | undefined;
  edits: { [key: string]: NodeRef };
  editCount: number;
  editTimer: number | undefined;
  announceTimer: number | undefined;
  // member side
  waits: { [key: string]: Wait | undefined };
  /** When another member asked for a node (or a raid's drill-down) this client waits for (heard.ts). */
  heardReq: { [key: string]: number | undefined };
  heardDrill: { [raid: string]: number | undefined };
  heardCount: number;
  drillWait: { [raid: string]: number | undefined };
  validateCb: ValidateCallback | undefined;
  validateTimer: number | undefined;
  /** Attempts of the pending full validation (it is asked again, with backoff, until the last). */
  validateTry: number;
  /** The parts of the admin's validation answer received so far (one structure checksum `s`). */
  validateGot: { s: string; q: { [raid: string]: unknown }; n: number; have: number } | undefined;
  /** The admin's last checksums (a poll): what a change the scrub finds is compared with at once. */
  lastPoll: { from: string; m: { [field: string]: unknown } } | undefined;
  /** Drill-down attempts per raid still waiting for an answer. */
  drillTry: { [raid: string]: number | undefined };
  /** The pending full validation queues repairs for what it finds (false: the caller decides). */
  validateRepair: boolean;
  /** When each sender's "other sync version" line was shown (WARN_AGAIN; at most MAX_KEYED senders). */
  warned: { [sender: string]: number | undefined };
  warnedCount: number;
  /**
   * Players heard running the other plan layout (their layout, "" = standalone): nothing is asked
   * of them or taken from them; forgotten when they are heard in this client's layout again.
   */
  other: { [sender: string]: string | undefined };
  otherCount: number;
  /** Other-mode senders whose chat line is still to come (one line per layout and MODE_BATCH). */
  modeQueue: { [layout: string]: string[] | undefined };
  modeTimer: number | undefined;
  /** The answers a single requester was given lately: its byte allowance and whether one is still queued. */
  requesters: { [sender: string]: Allowance | undefined };
  requesterCount: number;
  rejectedAt: { [sender: string]: number };
  /** Chat lines of the repair queue held back until the detection line is out. */
  held: string[] | undefined;
  drillQueue: string[];
  drillSendTimer: number | undefined;
  /** Progress callbacks of manual repairs, by node key. */
  progress: { [key: string]: ProgressFn | undefined };
  progressCount: number;
  /** Completion callbacks of manual repairs: called when the repair queue is idle. */
  completions: (() => void)[];
}

/** Answer bytes a single requester may still use (refilled over time), and whether one is queued. */
export interface Allowance {
  bytes: number;
  at: number;
  busy: boolean;
}

/** Most senders a per-sender table remembers; beyond it the table starts over. */
export const MAX_KEYED = 64;
/** Worst parse cost per byte over the parser's estimate (bench: "d3p-1;" tokens, 108 / 28 instructions a byte). */
const HOSTILE_PARSE_FACTOR = 4;
/** Seconds before the same sender's "other sync version" (or "other mode") line shows again. */
const WARN_AGAIN = 600;
/** Other-mode senders heard within this many seconds share one chat line. */
const MODE_BATCH = 2;
/** A member tells its other-mode admin within this many seconds (random). */
const MODE_JITTER = 1;

/** Everything the sync engine's parts share. */
export interface SyncContext {
  app: App;
  platform: Platform;
  transport: Transport;
  store: Store;
  perms: Permissions;
  cfg: SyncConfig;
  stats: SyncStats;
  S: SyncState;
  /** The repair queue (set by granular.ts once the executor exists). */
  repair: RepairQueue;
}

export const LOG_LINES = 300;

export function newStats(): SyncStats {
  return {
    pollsSent: 0, pollsHeard: 0, drillRequests: 0, drillSuppressed: 0, drillAnswers: 0, requests: 0, requestsSuppressed: 0,
    answers: 0, answersSkipped: 0, pushes: 0, applied: 0, discarded: 0, rejected: 0, detections: 0, bytesSent: 0,
  };
}

export function newState(): SyncState {
  return {
    selection: {},
    events: [],
    eventNext: 0,
    pending: {},
    pendingKeys: [],
    reqTimer: undefined,
    recent: {},
    drill: {},
    drillAll: false,
    drillAllCount: 0,
    drillHave: {},
    drillTimer: undefined,
    edits: {},
    editCount: 0,
    editTimer: undefined,
    announceTimer: undefined,
    waits: {},
    heardReq: {},
    heardDrill: {},
    heardCount: 0,
    drillWait: {},
    validateCb: undefined,
    validateTimer: undefined,
    validateTry: 0,
    validateGot: undefined,
    lastPoll: undefined,
    drillTry: {},
    validateRepair: true,
    warned: {},
    warnedCount: 0,
    other: {},
    otherCount: 0,
    modeQueue: {},
    modeTimer: undefined,
    requesters: {},
    requesterCount: 0,
    rejectedAt: {},
    held: undefined,
    drillQueue: [],
    drillSendTimer: undefined,
    progress: {},
    progressCount: 0,
    completions: [],
  };
}

export function me(c: SyncContext): string {
  return c.platform.playerName();
}

export function now(c: SyncContext): number {
  return c.platform.now();
}

export function inRaid(c: SyncContext): boolean {
  return c.platform.roster().length > 0;
}

/** This client is the raid admin (in a raid). */
export function isAdmin(c: SyncContext): boolean {
  return inRaid(c) && c.perms.admin() === me(c);
}

/** Another player is the admin and online: there is someone to ask. */
export function adminOnline(c: SyncContext): boolean {
  const a = c.perms.admin();
  return a !== undefined && a !== me(c) && inRaid(c);
}

/** Adds a line to the sync timeline. */
export function note(c: SyncContext, kind: string, text: string, detail?: EventDetail): void {
  const e: SyncEvent = { t: now(c), kind, text };
  if (detail !== undefined) {
    e.ref = detail.ref;
    e.peer = detail.peer;
    e.whole = detail.whole;
    e.own = detail.own;
    e.requesters = detail.requesters;
    e.cause = detail.cause;
    e.attempts = detail.attempts;
  }
  c.S.events[c.S.eventNext % LOG_LINES] = e;
  c.S.eventNext++;
}

/** The timeline, oldest first. */
export function timeline(c: SyncContext): SyncEvent[] {
  const out: SyncEvent[] = [];
  const first = c.S.eventNext > LOG_LINES ? c.S.eventNext - LOG_LINES : 0;
  for (let k = first; k < c.S.eventNext; k++) out.push(c.S.events[k % LOG_LINES]);
  return out;
}

/** Seconds to wait for an answer on attempt n (1-based): `base`, 1.5 times longer each time (cfg.askAttempts). */
export function askWait(base: number, n: number): number {
  let w = base;
  for (let k = 1; k < n; k++) w = w * 1.5;
  return w;
}

/** Sends a message; returns its payload bytes (0 when it could not be encoded). `text`: already encoded (over frames, answer.ts). */
export function send(c: SyncContext, type: string, msg: Envelope, priority: "ALERT" | "NORMAL" | "BULK", target: string | undefined, onDone?: (ok: boolean, cost: number) => void, encoded?: string): number {
  const text = encoded ?? encode(msg, c.app.layout);
  if (text === undefined) {
    note(c, "error", "could not encode " + type);
    return 0;
  }
  c.transport.send(type, text, { priority, target, onDone });
  c.stats.bytesSent += text.length;
  return text.length;
}

/** True (and the sender remembered) when the sender's "other version / other mode" line is due: once, again after WARN_AGAIN. */
function warnDue(c: SyncContext, sender: string): boolean {
  const S = c.S;
  const last = S.warned[sender];
  if (last !== undefined && now(c) - last <= WARN_AGAIN) return false;
  if (last === undefined && S.warnedCount >= MAX_KEYED) {
    S.warned = {};
    S.warnedCount = 0;
  }
  if (last === undefined) S.warnedCount++;
  S.warned[sender] = now(c);
  return true;
}

/**
 * The decoded message (fields unchecked), or undefined (with a "please update" line for another
 * version, or an "other mode" line for another plan layout: once per sender, again after
 * WARN_AGAIN). `decoded`: the payload already decoded over frames (apply.ts); else it is decoded
 * here, paced with the delivery's tick when given. `anyLayout`: a message that carries no plan
 * data (an admin designation) is returned whatever the sender's layout.
 */
export function receive(c: SyncContext, sender: string, payload: string, decoded?: Decoded, tick?: Tick, anyLayout?: boolean): { [field: string]: unknown } | undefined {
  let pace = tick;
  if (tick !== undefined && sender !== c.perms.admin()) {
    // The parser's units are for plan text (about 28 instructions a byte); text made to be costly
    // (short float tokens) takes up to about 108: what others send is paced as if all of it were.
    pace = (units) => tick(units * HOSTILE_PARSE_FACTOR);
  }
  const d = decoded ?? decode(payload, c.app.layout, pace);
  if (d.msg !== undefined) {
    // Heard in this client's layout again: they switched mode (and reloaded).
    if (c.S.otherCount > 0 && c.S.other[sender] !== undefined) {
      c.S.other[sender] = undefined;
      c.S.otherCount--;
    }
    return d.msg;
  }
  if (d.layout !== undefined) {
    otherLayout(c, sender, d.layout);
    return anyLayout === true ? d.foreign : undefined;
  }
  if (d.version !== undefined) {
    if (!warnDue(c, sender)) return undefined;
    if (d.version === "newer") {
      c.app.say(sender + " runs a newer OGRH Sync (sync version " + d.theirs + ", this client speaks version 1). Please update the addon to sync with them.");
    } else {
      c.app.say(sender + " runs an older OGRH Sync (sync version " + d.theirs + ", this client speaks version 1); their sync messages are ignored. Ask them to update the addon.");
    }
    return undefined;
  }
  note(c, "drop", "bad message from " + sender + ": " + (d.error ?? "?"));
  return undefined;
}

/**
 * A message of the other plan layout: dropped before anything reads it. The sender is remembered
 * (nothing is asked of them, their plan data is not counted as an attack) and the player is told,
 * senders heard within MODE_BATCH in one line.
 */
function otherLayout(c: SyncContext, sender: string, theirs: string): void {
  const S = c.S;
  if (S.other[sender] === undefined) {
    if (S.otherCount >= MAX_KEYED) {
      S.other = {};
      S.otherCount = 0;
    }
    S.otherCount++;
  }
  S.other[sender] = theirs;
  note(c, "drop", "message from " + sender + ", who runs OGRH Sync " + layoutWords(theirs), { peer: sender, cause: "mode" });
  if (!warnDue(c, sender)) return;
  if (sender === c.perms.admin() && sender !== me(c)) {
    // The admin never hears from a member it cannot sync (nothing is asked of it): tell it, once
    // (again with this line), after a moment so that a raid's members do not all send at once.
    c.platform.after(c.platform.random() * MODE_JITTER, () => send(c, MSG.MODE, {}, "NORMAL", sender));
  }
  const list = S.modeQueue[theirs] ?? [];
  S.modeQueue[theirs] = list;
  list.push(sender);
  if (S.modeTimer === undefined) S.modeTimer = c.platform.after(MODE_BATCH, () => sayModes(c));
}

function sayModes(c: SyncContext): void {
  const S = c.S;
  S.modeTimer = undefined;
  const queue = S.modeQueue;
  S.modeQueue = {};
  const admin = c.perms.admin();
  for (const theirs in queue) {
    const names = queue[theirs] as string[];
    names.sort();
    const n = names.length;
    const who = n === 1 ? names[0] : names.slice(0, n - 1).join(", ") + " and " + names[n - 1];
    let line = who + (n === 1 ? " runs" : " run") + " OGRH Sync " + layoutWords(theirs) + "; you run it " + layoutWords(c.app.layout) +
      ". The two modes keep different plans, so their sync messages are ignored and no plan data is exchanged. To sync, everyone must be in the same mode: install OG-RaidHelper where it is missing, or remove it everywhere.";
    for (const name of names) {
      if (name !== admin) continue;
      line = line + " " + name + " is your raid admin: your plan is not checked or repaired until the raid admin runs your mode" +
        (c.app.layout === undefined ? " (or the raid leader chooses one who does: " + c.app.slash + " admin <name>)." : " (or a player in your mode takes OG-RaidHelper's raid admin).");
    }
    c.app.say(line);
  }
}

/** Why `name` (the raid admin) cannot be asked: they run the other plan layout; undefined when they can. */
export function otherModeReason(c: SyncContext, name: string | undefined): string | undefined {
  const theirs = name === undefined ? undefined : c.S.other[name];
  if (theirs === undefined) return undefined;
  return "the raid admin " + name + " runs OGRH Sync " + layoutWords(theirs) + " and you run it " + layoutWords(c.app.layout) + "; the two modes never sync";
}

/** The node a request or answer names, when its fields name a valid one for that level. */
export function refOf(level: string, m: RefFields): NodeRef | undefined {
  if (level === "STRUCTURE") return { level: "STRUCTURE" };
  if (level === "GLOBAL") return isGlobalComponent(m.co) ? { level: "GLOBAL", component: m.co } : undefined;
  if (typeof m.ra !== "string") return undefined;
  if (level === "RAID") return { level: "RAID", raid: m.ra };
  if (typeof m.en !== "string") return undefined;
  if (level === "ENCOUNTER") return { level: "ENCOUNTER", raid: m.ra, encounter: m.en };
  return isComponent(m.co) ? { level: "COMPONENT", raid: m.ra, encounter: m.en, component: m.co } : undefined;
}

export function refFields(ref: NodeRef): RefFields {
  return { ra: ref.raid, en: ref.encounter, co: ref.component };
}
