// The transport's public types: what other modules (and the benchmarks) see of it. Kept apart
// from transport.ts so the transport's own modules can name them without importing the wiring.
import type { Distribution, ThrottlePriority } from "../core/platform";
import type { Tick } from "../core/jobs";
import type { InflateResult } from "./deflate";

export interface TransportConfig {
  prefix: string;
  distribution: Distribution;
  /** Printable-only encoding (no byte >= 128 or control byte on the wire). */
  printable: boolean;
  /** Payloads shorter than this are never compressed (the measured crossover). */
  compressMin: number;
  /** An incomplete payload is discarded this many seconds after its last frame. */
  reassemblyTimeout: number;
  /**
   * Most bytes of incomplete payloads held, all senders together except urgent ones (their type's
   * policy says so: the raid admin), which have only the limit per sender.
   */
  maxBuffered: number;
  /** Largest payload accepted (sent or received). */
  maxPayload: number;
  /** Incomplete payloads held per sender. */
  maxPartialsPerSender: number;
  /** Most bytes of incomplete payloads held for one sender. */
  maxBufferedPerSender: number;
  /** Payloads of one sender waiting for (or in) their decode job; more are dropped. */
  maxQueuedPerSender: number;
}

/**
 * What the receiver accepts of one message type, checked at a payload's first frame, before any
 * of its body is buffered or decoded. Every sender has already passed the channel and roster check.
 */
/** @noSelf */
export interface TypePolicy {
  /** Who may send it (default: anyone in the raid). */
  from?: (sender: string) => boolean;
  /** Largest payload (decoded bytes; the wire size follows), default config.maxPayload. */
  maxSize?: number;
  /**
   * Its decode jobs go before every other sender's (the raid admin's edits and polls). Should
   * depend on the sender only: one sender's payloads are delivered in order only within one class.
   */
  urgent?: (sender: string) => boolean;
  /** Told when `from` refused a payload of this type (at its first frame; nothing of it was read). */
  refused?: (sender: string, type: string) => void;
}

export interface SendOptions {
  priority?: ThrottlePriority;
  /** The player the payload is meant for; everyone still receives it. */
  target?: string;
  /** false: never compress this payload. */
  compress?: boolean;
  distribution?: Distribution;
  /**
   * Called when the last frame went to the channel (ok) or the payload could not be sent, with the
   * throttle budget its frames used (bytes of prefix, tab and text plus 40 per message).
   */
  onDone?: (ok: boolean, cost: number) => void;
}

export interface DeliveryMeta {
  type: string;
  /** The player the sender meant it for, undefined for everyone. */
  target: string | undefined;
  /** True when target is undefined or this player. */
  forMe: boolean;
  msgId: number;
  compressed: boolean;
  /** Bytes of the encoded body on the wire (without frame headers). */
  wireBytes: number;
  frames: number;
  distribution: string;
  /** The delivery job's tick, for work spread over frames; valid only during the handler call. */
  tick: Tick;
}

export type Handler = (sender: string, payload: string, meta: DeliveryMeta) => void;

/**
 * Progress of a payload arriving in several frames (from the first frame's envelope on): body bytes
 * received so far and the expected body bytes (exact once every frame is in; before that an upper
 * bound: the first frame's body plus full frames for the rest).
 */
export type PartialListener = (sender: string, type: string, target: string | undefined, received: number, expected: number, frames: number, count: number) => void;

export interface TransportStats {
  sentPayloads: number;
  sentFrames: number;
  sentCost: number;
  viaCTL: number;
  queuedFrames: number;
  queuedPayloads: number;
  receivedFrames: number;
  /** Frames sent again because a receiver asked for them (resend.ts). */
  resentFrames: number;
  delivered: number;
  /** Dropped frames or payloads by reason. */
  dropped: { [reason: string]: number };
  bufferedBytes: number;
  partials: number;
  jobsPending: number;
}

/** The codec, for modules that store or export compressed data (and for the benchmarks). */
/** @noSelf */
export interface Codec {
  deflate: (data: string, tick?: Tick) => string;
  inflate: (data: string, maxOut: number, tick?: Tick) => InflateResult;
  adler32: (data: string, tick?: Tick) => number;
  escapeBinary: (data: string) => string;
  unescapeBinary: (data: string) => string | undefined;
  escapePrintable: (data: string) => string;
  unescapePrintable: (data: string) => string | undefined;
  toRadix64: (data: string, tick?: Tick) => string;
  fromRadix64: (data: string, tick?: Tick) => string | undefined;
}

/** @noSelf */
export interface Transport {
  /**
   * Handles every payload of `type` (1..63 printable bytes); several handlers may share a type.
   * A policy given here replaces the type's earlier one.
   */
  register: (type: string, handler: Handler, policy?: TypePolicy) => void;
  /** Calls fn for every frame stored of a multi-frame payload whose type has a handler. */
  onPartial: (fn: PartialListener) => void;
  /** Queues a payload; false (and nothing sent) for a bad type or a payload over maxPayload. */
  send: (type: string, payload: string, options?: SendOptions) => boolean;
  setPrintable: (on: boolean) => void;
  setDebug: (on: boolean) => void;
  debugEnabled: () => boolean;
  /** The last debug lines (kept even when debug output is off). */
  debugLog: () => string[];
  stats: () => TransportStats;
  config: TransportConfig;
  protocolVersion: number;
  codec: Codec;
}
