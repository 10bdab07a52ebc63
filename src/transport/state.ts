// The transport's state, one explicit table that the sending and receiving modules take as their
// first argument (instead of one closure over everything: Lua 5.0 allows 32 upvalues per function),
// and the drop log every module reports to.
import type { JobRunner } from "../core/jobs";
import type { Platform } from "../core/platform";
import type { Envelope } from "./wire";
import type { Handler, PartialListener, TransportConfig, TypePolicy } from "./types";
import type { OutMessage } from "./throttle";

/** A payload arriving in several frames, keyed by its message id per sender. */
export interface Reassembly {
  id: number;
  /** 0 until the first frame (F) arrived. */
  count: number;
  env: Envelope | undefined;
  bodies: { [index: number]: string };
  have: number;
  bytes: number;
  last: number;
  distribution: string;
  /** Its type's policy calls the sender urgent (known from the first frame on): outside the shared pool. */
  urgent: boolean;
  /** Lost frames asked for (resend.ts), and whether a stall check is scheduled. */
  nacks?: number;
  askedAt?: number;
  watching?: boolean;
}

/** What the sender keeps of one multi-frame payload, to send lost frames again (resend.ts). */
export interface SentPayload {
  frames: string[];
  count: number;
  msg: OutMessage;
  t: number;
  resentAt: { [index: number]: number };
}

/** What the receiver holds for one sender. */
export interface SenderState {
  partials: { [id: number]: Reassembly };
  npartials: number;
  /** Recently completed (check value) or rejected (-1) ids, with the time they were noted. */
  recent: { [id: number]: number };
  recentAt: { [id: number]: number };
  last: number;
  /** Bytes of this sender's incomplete payloads. */
  bytes: number;
}

export interface TransportState {
  platform: Platform;
  jobs: JobRunner;
  config: TransportConfig;
  /** Room for a frame's text: 254 bytes minus the prefix. */
  maxText: number;
  handlers: { [type: string]: Handler[] };
  policies: { [type: string]: TypePolicy };
  /** Names on the raid roster (rebuilt after RAID_ROSTER_UPDATE), undefined until needed. */
  roster: { [name: string]: boolean } | undefined;
  rosterAt: number;
  partialListeners: PartialListener[];
  nextId: number;
  /** Frames of this client's recent multi-frame payloads, kept to send lost ones again (resend.ts). */
  sent: { [id: number]: SentPayload | undefined };
  sentOrder: number[];
  resentFrames: number;
  // Reassembly, all senders together.
  senders: { [name: string]: SenderState };
  bufferedBytes: number;
  /** Bytes of the incomplete payloads that are not urgent (limited by config.maxBuffered). */
  sharedBytes: number;
  partialCount: number;
  sweepScheduled: boolean;
  /** When each sender's "newer version" warning was shown (at most MAX_WARNED senders). */
  warnedNewer: { [sender: string]: number };
  warnedCount: number;
  // Diagnostics: drop counts, the last DEBUG_LINES lines, counters for stats().
  dropped: { [reason: string]: number };
  log: string[];
  logNext: number;
  debug: boolean;
  sentPayloads: number;
  receivedFrames: number;
  delivered: number;
}

export const DEBUG_LINES = 50;

export function newState(platform: Platform, jobs: JobRunner, config: TransportConfig, maxText: number, firstId: number): TransportState {
  return {
    platform,
    jobs,
    config,
    maxText,
    handlers: {},
    policies: {},
    roster: undefined,
    rosterAt: 0,
    partialListeners: [],
    nextId: firstId,
    sent: {},
    sentOrder: [],
    resentFrames: 0,
    senders: {},
    bufferedBytes: 0,
    sharedBytes: 0,
    partialCount: 0,
    sweepScheduled: false,
    warnedNewer: {},
    warnedCount: 0,
    dropped: {},
    log: [],
    logNext: 0,
    debug: false,
    sentPayloads: 0,
    receivedFrames: 0,
    delivered: 0,
  };
}

/** Counts a drop (or another event worth a debug line) and keeps its line for debugLog(). */
export function note(st: TransportState, reason: string, detail: string): void {
  st.dropped[reason] = (st.dropped[reason] ?? 0) + 1;
  const line = "transport: " + reason + (detail === "" ? "" : " (" + detail + ")");
  st.log[st.logNext % DEBUG_LINES] = line;
  st.logNext++;
  if (st.debug) st.platform.print("|cff888888OGRH debug|r " + line);
}

/** The last DEBUG_LINES lines, oldest first. */
export function debugLines(st: TransportState): string[] {
  const out: string[] = [];
  const first = st.logNext > DEBUG_LINES ? st.logNext - DEBUG_LINES : 0;
  for (let k = first; k < st.logNext; k++) out.push(st.log[k % DEBUG_LINES]);
  return out;
}
