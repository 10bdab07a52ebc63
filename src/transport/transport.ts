// The transport: the only caller of SendAddonMessage. Payloads (byte strings of any size) go out
// as typed, integrity-checked, optionally compressed messages, framed into addon messages of at
// most 254 bytes and paced by the throttle; incoming frames are reassembled per sender, checked
// and delivered to the handler registered for their type. docs/protocol.md has the wire format,
// and what is (and is not) guaranteed.
import { Distribution, Platform, ThrottlePriority } from "../core/platform";
import { JobRunner, Tick } from "../core/jobs";
import { byteLen, joinN } from "./bytes";
import { deflate, inflate, InflateResult } from "./deflate";
import {
  adler32,
  ENC_BINARY,
  ENC_PRINTABLE,
  ENC_RADIX64,
  escapeBinary,
  escapePrintable,
  fromRadix64,
  toRadix64,
  unescapeBinary,
  unescapePrintable,
} from "./encoding";
import { createThrottle, OutMessage } from "./throttle";
import { buildFrames, Envelope, FLAG_COMPRESSED, FLAG_TARGET, MAX_FRAMES, MAX_ID, parseFrame, PROTOCOL_VERSION, validType } from "./wire";

// Our own addon-message prefix: OG-RaidHelper compares prefixes exactly ("OGRH", "OGAM", "TWT",
// "BigWigs"), so any other string reaches none of its handlers; four bytes like the old "OGRH".
export const PREFIX = "OGSY";


export interface TransportConfig {
  prefix: string;
  distribution: Distribution;
  /** Printable-only encoding (no byte >= 128 or control byte on the wire). */
  printable: boolean;
  /** Payloads shorter than this are never compressed (the measured crossover). */
  compressMin: number;
  /** An incomplete payload is discarded this many seconds after its last frame. */
  reassemblyTimeout: number;
  /** Most bytes of incomplete payloads held, all senders together. */
  maxBuffered: number;
  /** Largest payload accepted (sent or received). */
  maxPayload: number;
  /** Incomplete payloads held per sender. */
  maxPartialsPerSender: number;
}

export const DEFAULT_CONFIG: TransportConfig = {
  prefix: PREFIX,
  distribution: "RAID",
  printable: false,
  compressMin: 128,
  reassemblyTimeout: 30,
  maxBuffered: 1572864,
  maxPayload: 524288,
  maxPartialsPerSender: 8,
};

export interface SendOptions {
  priority?: ThrottlePriority;
  /** The player the payload is meant for; everyone still receives it. */
  target?: string;
  /** false: never compress this payload. */
  compress?: boolean;
  distribution?: Distribution;
  /** Called when the last frame went to the channel (ok) or the payload could not be sent. */
  onDone?: (ok: boolean) => void;
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

export const CODEC: Codec = {
  deflate,
  inflate,
  adler32,
  escapeBinary,
  unescapeBinary,
  escapePrintable: (data) => escapePrintable(data)[0],
  unescapePrintable,
  toRadix64,
  fromRadix64,
};

/** @noSelf */
export interface Transport {
  /** Handles every payload of `type` (1..63 printable bytes); several handlers may share a type. */
  register: (type: string, handler: Handler) => void;
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

interface Reassembly {
  id: number;
  /** 0 until the first frame (F) arrived. */
  count: number;
  env: Envelope | undefined;
  bodies: { [index: number]: string };
  have: number;
  bytes: number;
  last: number;
  distribution: string;
}

interface SenderState {
  partials: { [id: number]: Reassembly };
  npartials: number;
  /** Recently completed (check value) or rejected (-1) ids, with the time they were noted. */
  recent: { [id: number]: number };
  recentAt: { [id: number]: number };
  last: number;
}

const DEBUG_LINES = 50;
const RECENT_SECONDS = 300;
const SWEEP_SECONDS = 5;

export function createTransport(platform: Platform, jobs: JobRunner, overrides?: Partial<TransportConfig>): Transport {
  const config: TransportConfig = { ...DEFAULT_CONFIG, ...(overrides ?? {}) };
  const maxText = 254 - byteLen(config.prefix);
  const throttle = createThrottle(platform, config.prefix);
  const handlers: { [type: string]: Handler[] } = {};
  const senders: { [name: string]: SenderState } = {};
  const dropped: { [reason: string]: number } = {};
  const log: string[] = [];
  let logNext = 0;
  let debug = false;
  let warnedNewer = false;
  let nextId = Math.floor(platform.random() * MAX_ID);
  let bufferedBytes = 0;
  let partialCount = 0;
  const partialListeners: PartialListener[] = [];
  let sweepScheduled = false;
  let sentPayloads = 0;
  let receivedFrames = 0;
  let delivered = 0;

  const note = (reason: string, detail: string) => {
    dropped[reason] = (dropped[reason] ?? 0) + 1;
    const line = "transport: " + reason + (detail === "" ? "" : " (" + detail + ")");
    log[logNext % DEBUG_LINES] = line;
    logNext++;
    if (debug) platform.print("|cff888888OGRH debug|r " + line);
  };

  // ----- sending -----------------------------------------------------------------------------

  const encodePayload = (payload: string, msgId: number, type: string, target: string | undefined, compress: boolean, tick: Tick) => {
    const rawLen = byteLen(payload);
    const check = adler32(payload, tick);
    let data = payload;
    let flags = 0;
    if (compress && rawLen >= config.compressMin) {
      const packed = deflate(payload, tick);
      const packedLen = byteLen(packed);
      if (config.printable) {
        // Compressed data needs radix-64; plain text usually needs almost no escaping.
        const plainLen = rawLen + 2 * escapePrintable(payload)[1];
        if (Math.ceil((packedLen * 4) / 3) < plainLen) {
          data = packed;
          flags = FLAG_COMPRESSED;
        }
      } else if (packedLen < rawLen) {
        data = packed;
        flags = FLAG_COMPRESSED;
      }
    }
    // Escaping and framing below are not ticked inside; account for them here so a job that
    // already spent its frame yields first.
    tick(byteLen(data) * 0.0006);
    let body: string;
    if (config.printable) {
      const [escaped, count] = escapePrintable(data);
      const dataLen = byteLen(data);
      if (dataLen + 2 * count <= Math.ceil((dataLen * 4) / 3)) {
        body = escaped;
        flags += ENC_PRINTABLE;
      } else {
        body = toRadix64(data, tick);
        flags += ENC_RADIX64;
      }
    } else {
      body = escapeBinary(data);
      flags += ENC_BINARY;
    }
    if (target !== undefined) flags += FLAG_TARGET;
    tick(byteLen(body) * 0.0006);
    return buildFrames(msgId, { flags, rawLen, check, type, target }, body, maxText);
  };

  const send = (type: string, payload: string, options?: SendOptions): boolean => {
    const opts = options ?? {};
    if (!validType(type)) {
      note("bad type to send", String(type));
      return false;
    }
    if (typeof payload !== "string" || byteLen(payload) > config.maxPayload) {
      note("payload too large to send", type);
      return false;
    }
    const msgId = nextId;
    nextId = (nextId + 1) % MAX_ID;
    const onDone = opts.onDone;
    const msg: OutMessage = {
      prio: opts.priority ?? "NORMAL",
      frames: undefined,
      nframes: 0,
      next: 0,
      failed: false,
      distribution: opts.distribution ?? config.distribution,
      onFrameSent: undefined,
      onDone,
    };
    throttle.enqueue(msg);
    sentPayloads++;
    const compress = opts.compress !== false;
    const target = opts.target;
    jobs.start(
      "transport encode " + type,
      (tick) => encodePayload(payload, msgId, type, target, compress, tick),
      (ok, frames, error) => {
        if (!ok || frames === undefined) {
          note("could not send", type + ": " + (error ?? "more than " + MAX_FRAMES + " frames"));
          throttle.fail(msg);
          return;
        }
        throttle.ready(msg, frames, frames.length);
      },
    );
    return true;
  };

  // ----- receiving ---------------------------------------------------------------------------

  const senderState = (name: string): SenderState => {
    let s = senders[name];
    if (s === undefined) {
      s = { partials: {}, npartials: 0, recent: {}, recentAt: {}, last: platform.now() };
      senders[name] = s;
    }
    return s;
  };

  const removePartial = (s: SenderState, p: Reassembly) => {
    s.partials[p.id] = undefined as never;
    s.npartials--;
    partialCount--;
    bufferedBytes -= p.bytes;
  };

  const remember = (s: SenderState, id: number, value: number) => {
    s.recent[id] = value;
    s.recentAt[id] = platform.now();
  };

  // Discards incomplete payloads nobody sent a frame for in reassemblyTimeout seconds, and forgets
  // old completed ids.
  const sweep = () => {
    sweepScheduled = false;
    const now = platform.now();
    let keep = false;
    for (const name in senders) {
      const s = senders[name];
      if (s === undefined) continue;
      for (const key in s.partials) {
        const p = s.partials[key as unknown as number];
        if (p === undefined) continue; // (Node keeps keys set to undefined)
        if (now - p.last > config.reassemblyTimeout) {
          note("incomplete payload timed out", name + " #" + p.id + " " + p.have + "/" + p.count);
          removePartial(s, p);
        }
      }
      let recentLeft = false;
      for (const key in s.recentAt) {
        const id = key as unknown as number;
        if (s.recentAt[id] === undefined) continue;
        if (now - s.recentAt[id] > RECENT_SECONDS) {
          s.recentAt[id] = undefined as never;
          s.recent[id] = undefined as never;
        } else recentLeft = true;
      }
      if (s.npartials > 0 || recentLeft) keep = true;
      else senders[name] = undefined as never;
    }
    if (keep) scheduleSweep();
  };

  const scheduleSweep = () => {
    if (sweepScheduled) return;
    sweepScheduled = true;
    platform.after(SWEEP_SECONDS, sweep);
  };

  // Makes room for `bytes` more buffered bytes by discarding the least recently active partials.
  const makeRoom = (bytes: number, keep: Reassembly | undefined): boolean => {
    while (bufferedBytes + bytes > config.maxBuffered) {
      let oldest: Reassembly | undefined = undefined;
      let oldestSender: SenderState | undefined = undefined;
      for (const name in senders) {
        const s = senders[name];
        if (s === undefined) continue;
        for (const key in s.partials) {
          const p = s.partials[key as unknown as number];
          if (p !== undefined && p !== keep && (oldest === undefined || p.last < oldest.last)) {
            oldest = p;
            oldestSender = s;
          }
        }
      }
      if (oldest === undefined || oldestSender === undefined) return false;
      note("buffer full, dropped an incomplete payload", "#" + oldest.id);
      removePartial(oldestSender, oldest);
    }
    return true;
  };

  const decodeBody = (env: Envelope, body: string, tick: Tick): string | undefined => {
    const enc = env.flags % 4;
    let data: string | undefined;
    if (enc === ENC_BINARY) data = unescapeBinary(body);
    else if (enc === ENC_PRINTABLE) data = unescapePrintable(body);
    else data = fromRadix64(body, tick);
    if (data === undefined) return undefined;
    if (env.flags % 8 >= FLAG_COMPRESSED) {
      const r = inflate(data, env.rawLen, tick);
      if (!r.ok) return undefined;
      data = r.data;
    }
    if (byteLen(data) !== env.rawLen) return undefined;
    if (adler32(data, tick) !== env.check) return undefined;
    return data;
  };

  const deliver = (sender: string, env: Envelope, msgId: number, body: string, frames: number, distribution: string) => {
    jobs.start(
      "transport decode " + env.type,
      (tick) => decodeBody(env, body, tick),
      (ok, payload, error) => {
        if (!ok || payload === undefined) {
          note("payload failed its check", sender + " #" + msgId + " " + env.type + (error === undefined ? "" : ": " + error));
          return;
        }
        const list = handlers[env.type];
        if (list === undefined) return;
        const me = platform.playerName();
        const meta: DeliveryMeta = {
          type: env.type,
          target: env.target,
          forMe: env.target === undefined || env.target === me,
          msgId,
          compressed: env.flags % 8 >= FLAG_COMPRESSED,
          wireBytes: byteLen(body),
          frames,
          distribution,
        };
        delivered++;
        for (const handler of list) {
          try {
            handler(sender, payload, meta);
          } catch (e) {
            note("handler error", env.type + ": " + String(e));
          }
        }
      },
    );
  };

  const acceptEnvelope = (s: SenderState, sender: string, id: number, env: Envelope, count: number): boolean => {
    if (handlers[env.type] === undefined) {
      note("unknown type", sender + ": " + env.type);
      remember(s, id, -1);
      return false;
    }
    if (env.rawLen > config.maxPayload) {
      note("absurd size", sender + " #" + id + ": " + env.rawLen + " bytes");
      remember(s, id, -1);
      return false;
    }
    if (count * maxText > config.maxBuffered) {
      note("absurd size", sender + " #" + id + ": " + count + " frames");
      remember(s, id, -1);
      return false;
    }
    return true;
  };

  const complete = (s: SenderState, sender: string, p: Reassembly) => {
    const env = p.env as Envelope;
    const parts: string[] = [];
    for (let k = 0; k < p.count; k++) parts[k] = p.bodies[k];
    const body = joinN(parts, p.count);
    removePartial(s, p);
    remember(s, p.id, env.check);
    deliver(sender, env, p.id, body, p.count, p.distribution);
  };

  const receive = (text: string, distribution: string, sender: string) => {
    receivedFrames++;
    const parsed = parseFrame(text);
    if (!parsed.ok) {
      if (parsed.newerVersion) {
        if (!warnedNewer) {
          warnedNewer = true;
          platform.print(
            "|cff66ccffOGRH|r: " + sender + " runs a newer OGRH Sync (" + parsed.error + ", this client speaks version " +
              PROTOCOL_VERSION + "). Please update the addon to sync with them.",
          );
        }
        note("newer protocol", sender + ": " + parsed.error);
      } else {
        note("bad frame", sender + ": " + parsed.error);
      }
      return;
    }
    const frame = parsed.frame;
    const s = senderState(sender);
    const now = platform.now();
    s.last = now;
    const id = frame.id;
    if (frame.kind === "S") {
      if (s.recent[id] === frame.env.check || s.recent[id] === -1) {
        note("duplicate", sender + " #" + id);
        return;
      }
      if (!acceptEnvelope(s, sender, id, frame.env, 1)) return;
      remember(s, id, frame.env.check);
      scheduleSweep();
      deliver(sender, frame.env, id, frame.body, 1, distribution);
      return;
    }
    let p: Reassembly | undefined = s.partials[id];
    if (frame.kind === "F") {
      if (s.recent[id] !== undefined && (s.recent[id] === frame.env.check || s.recent[id] === -1)) {
        note("duplicate", sender + " #" + id);
        return;
      }
      if (p !== undefined && p.env !== undefined) {
        if (p.env.check === frame.env.check && p.count === frame.count) {
          note("duplicate", sender + " #" + id + " frame 0");
          return;
        }
        // Same id, other payload: the sender reloaded and reused the id. Start over.
        note("replaced incomplete payload", sender + " #" + id);
        removePartial(s, p);
        p = undefined;
      }
      s.recent[id] = undefined as never;
      s.recentAt[id] = undefined as never;
      if (!acceptEnvelope(s, sender, id, frame.env, frame.count)) {
        if (p !== undefined) removePartial(s, p);
        return;
      }
    } else if (p === undefined && s.recent[id] !== undefined) {
      note("duplicate", sender + " #" + id + " frame " + frame.index);
      return;
    }
    const index = frame.kind === "F" ? 0 : frame.index;
    if (p === undefined) {
      if (s.npartials >= config.maxPartialsPerSender) {
        let oldest: Reassembly | undefined = undefined;
        for (const key in s.partials) {
          const q = s.partials[key as unknown as number];
          if (q !== undefined && (oldest === undefined || q.last < oldest.last)) oldest = q;
        }
        if (oldest !== undefined) {
          note("too many incomplete payloads from one sender", sender + " #" + oldest.id);
          removePartial(s, oldest);
        }
      }
      p = { id, count: 0, env: undefined, bodies: {}, have: 0, bytes: 0, last: now, distribution };
      s.partials[id] = p;
      s.npartials++;
      partialCount++;
      scheduleSweep();
    }
    if (frame.kind === "F") {
      p.env = frame.env;
      p.count = frame.count;
      // Frames that arrived before the first one and lie beyond the count are garbage.
      for (const key in p.bodies) {
        const k = key as unknown as number;
        if (p.bodies[k] !== undefined && k >= p.count) {
          bufferedBytes -= byteLen(p.bodies[k]);
          p.bytes -= byteLen(p.bodies[k]);
          p.bodies[k] = undefined as never;
          p.have--;
        }
      }
    } else if (p.count > 0 && index >= p.count) {
      note("bad index", sender + " #" + id + " frame " + index + " of " + p.count);
      return;
    }
    if (p.bodies[index] !== undefined) {
      note("duplicate", sender + " #" + id + " frame " + index);
      return;
    }
    const size = byteLen(frame.body);
    if (!makeRoom(size, p)) {
      // Larger than the whole buffer: it can never complete here. Drop it and its later frames.
      note("buffer full, dropped an incomplete payload", sender + " #" + id);
      removePartial(s, p);
      remember(s, id, -1);
      return;
    }
    if (s.partials[id] !== p) return;
    p.bodies[index] = frame.body;
    p.have++;
    p.bytes += size;
    p.last = now;
    bufferedBytes += size;
    if (p.env !== undefined && p.count > 1 && partialListeners.length > 0) {
      const first = p.bodies[0];
      let expected = p.bytes;
      if (p.have < p.count && first !== undefined) expected = byteLen(first) + (p.count - 1) * (maxText - 7);
      if (expected < p.bytes) expected = p.bytes;
      for (const fn of partialListeners) {
        try {
          fn(sender, p.env.type, p.env.target, p.bytes, expected, p.have, p.count);
        } catch (e) {
          note("progress listener error", String(e));
        }
      }
    }
    if (p.count > 0 && p.have === p.count) complete(s, sender, p);
  };

  platform.on("CHAT_MSG_ADDON", (prefix, text, distribution, sender) => {
    if (prefix !== config.prefix) return;
    if (typeof text !== "string" || typeof sender !== "string") return;
    // Our own frames come back from the server: they only tell that the frame went out.
    if (sender === platform.playerName()) return;
    try {
      receive(text, String(distribution), sender);
    } catch (e) {
      note("receive error", String(e));
    }
  });

  const transport: Transport = {
    register: (type, handler) => {
      // A plain string error: TypeScriptToLua's Error class needs the debug library the client lacks.
      if (!validType(type)) throw "transport.register: bad type name '" + String(type) + "'";
      const list = handlers[type];
      if (list === undefined) handlers[type] = [handler];
      else list.push(handler);
    },
    onPartial: (fn) => {
      partialListeners.push(fn);
    },
    send,
    setPrintable: (on) => {
      config.printable = on;
    },
    setDebug: (on) => {
      debug = on;
    },
    debugEnabled: () => debug,
    debugLog: () => {
      const out: string[] = [];
      const first = logNext > DEBUG_LINES ? logNext - DEBUG_LINES : 0;
      for (let k = first; k < logNext; k++) out.push(log[k % DEBUG_LINES]);
      return out;
    },
    stats: () => {
      const t = throttle.stats();
      const copy: { [reason: string]: number } = {};
      for (const k in dropped) copy[k] = dropped[k];
      return {
        sentPayloads,
        sentFrames: t.frames,
        sentCost: t.cost,
        viaCTL: t.viaCTL,
        queuedFrames: throttle.queuedFrames(),
        queuedPayloads: throttle.queuedMessages(),
        receivedFrames,
        delivered,
        dropped: copy,
        bufferedBytes,
        partials: partialCount,
        jobsPending: jobs.pending(),
      };
    },
    config,
    protocolVersion: PROTOCOL_VERSION,
    codec: CODEC,
  };
  return transport;
}
