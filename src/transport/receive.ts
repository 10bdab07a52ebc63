// The receive path, in the order a frame travels through it:
//   0. only frames on the raid's channel from players on the raid roster go on (any frame: one
//      from outside the raid costs a table lookup, never a buffer or a parse);
//   1. parse the frame text (wire.ts);
//   2. admit the payload at its first frame (S or F): the one gate every payload passes (its
//      type's policy: who may send it, how large it may be; the sender's queued jobs);
//   3. reassemble a payload sent in several frames (bookkeeping and limits in reassembly.ts);
//   4. decode it as a job of the sender (the job queue takes senders in turns): unescape, inflate
//      (never beyond the admitted size), check length and Adler-32;
//   5. deliver it to every handler registered for its type.
// A frame that fails a step is counted under a reason (stats().dropped, /ogrh debug) and goes no
// further; nothing here raises an error to the caller.
import { byteLen } from "./bytes";
import { inflate } from "./deflate";
import { adler32, ENC_BINARY, ENC_PRINTABLE, fromRadix64, unescapeBinary, unescapePrintable } from "./encoding";
import type { Tick } from "../core/jobs";
import {
  dropBeyondCount,
  forget,
  openPartial,
  remember,
  removePartial,
  reportProgress,
  scheduleSweep,
  seenLately,
  setUrgent,
  senderState,
  storeBody,
  takeBody,
} from "./reassembly";
import { note, SenderState, TransportState } from "./state";
import { watchPartial } from "./resend";
import type { Throttle } from "./throttle";
import type { DeliveryMeta, TypePolicy } from "./types";
import { Envelope, FLAG_COMPRESSED, parseFrame, PROTOCOL_VERSION } from "./wire";

/** One addon message of our prefix from another player. */
export function receiveFrame(st: TransportState, throttle: Throttle, text: string, distribution: string, sender: string): void {
  st.receivedFrames++;
  // 0. From the raid.
  if (!fromRaid(st, distribution, sender)) {
    note(st, "not from the raid", sender + " on " + distribution);
    return;
  }
  // 1. Parse.
  const parsed = parseFrame(text);
  if (!parsed.ok) {
    badFrame(st, sender, parsed.error, parsed.newerVersion);
    return;
  }
  const frame = parsed.frame;
  const s = senderState(st, sender);
  const now = st.platform.now();
  s.last = now;
  const id = frame.id;

  // 2. Admit. A single-frame payload is complete at once.
  if (frame.kind === "S") {
    if (seenLately(s, id, frame.env.check)) {
      note(st, "duplicate", sender + " #" + id);
      return;
    }
    if (!admit(st, s, sender, distribution, id, frame.env, 1)) return;
    remember(st, s, id, frame.env.check);
    scheduleSweep(st);
    deliver(st, sender, frame.env, id, frame.body, 1, distribution);
    return;
  }
  if (frame.kind === "F") {
    if (!startPayload(st, s, sender, distribution, frame)) return;
  } else if (s.partials[id] === undefined && s.recent[id] !== undefined) {
    note(st, "duplicate", sender + " #" + id + " frame " + frame.index);
    return;
  }

  // 3. Reassemble. Frames may arrive in any order; the first one (F) brings the envelope.
  const p = s.partials[id] ?? openPartial(st, s, sender, id, distribution, now);
  let index = 0;
  if (frame.kind === "F") {
    p.env = frame.env;
    p.count = frame.count;
    setUrgent(st, p, isUrgent(st, frame.env.type, sender));
    dropBeyondCount(st, s, p);
  } else {
    index = frame.index;
    if (p.count > 0 && index >= p.count) {
      note(st, "bad index", sender + " #" + id + " frame " + index + " of " + p.count);
      return;
    }
  }
  if (p.bodies[index] !== undefined) {
    note(st, "duplicate", sender + " #" + id + " frame " + index);
    return;
  }
  if (!storeBody(st, s, sender, p, index, frame.body, now)) return;
  reportProgress(st, sender, p);
  if (p.count === 0 || p.have < p.count) return watchPartial(st, throttle, sender, p);

  // 4 and 5. Decode and deliver.
  deliver(st, sender, p.env as Envelope, id, takeBody(st, s, p), p.count, p.distribution);
}

/** Seconds before the same sender's "newer version" warning shows again. */
const WARN_AGAIN = 600;
/** Senders remembered for that warning; beyond this the memory starts over. */
const MAX_WARNED = 64;
/** The roster is read again after this many seconds even without RAID_ROSTER_UPDATE. */
const ROSTER_SECONDS = 2;

/** The frame came on the channel the raid uses, from a player on the raid roster. */
function fromRaid(st: TransportState, distribution: string, sender: string): boolean {
  if (distribution !== st.config.distribution) return false;
  const now = st.platform.now();
  let names = st.roster;
  if (names === undefined || now - st.rosterAt > ROSTER_SECONDS) {
    names = {};
    for (const m of st.platform.roster()) names[m.name] = true;
    st.roster = names;
    st.rosterAt = now;
  }
  return names[sender] === true;
}

function badFrame(st: TransportState, sender: string, error: string, newerVersion: boolean): void {
  if (!newerVersion) {
    note(st, "bad frame", sender + ": " + error);
    return;
  }
  // Once per sender (and again after a while): one player cannot use up the warning for others.
  const now = st.platform.now();
  const last = st.warnedNewer[sender];
  if (last === undefined || now - last > WARN_AGAIN) {
    if (last === undefined) {
      if (st.warnedCount >= MAX_WARNED) {
        st.warnedNewer = {};
        st.warnedCount = 0;
      }
      st.warnedCount++;
    }
    st.warnedNewer[sender] = now;
    st.platform.print(
      "|cff66ccffOGRH|r: " + sender + " runs a newer OGRH Sync (" + error + ", this client speaks version " + PROTOCOL_VERSION +
        "). Please update the addon to sync with them.",
    );
  }
  note(st, "newer protocol", sender + ": " + error);
}

/** The type's policy calls this sender's payloads urgent (decoded first, outside the shared pool). */
function isUrgent(st: TransportState, type: string, sender: string): boolean {
  const urgent = st.policies[type]?.urgent;
  return urgent !== undefined && urgent(sender);
}

/** Frames a payload of `size` bytes may take: its body escaped at worst (2 bytes a byte), and the envelope. */
export function framesFor(st: TransportState, size: number): number {
  return 1 + Math.ceil((2 * size + 64) / (st.maxText - 7));
}

/**
 * The gate at a payload's first frame (S or F), before any of its body is buffered: what is known
 * here is the sender (on the raid roster, on the raid's channel), the type, the declared size and
 * the frame count. The type's policy says who may send it and how large it may be. A rejected id
 * is remembered, so the payload's later frames are dropped as duplicates.
 */
function admit(st: TransportState, s: SenderState, sender: string, _distribution: string, id: number, env: Envelope, count: number): boolean {
  const policy: TypePolicy = st.policies[env.type] ?? {};
  const max = policy.maxSize ?? st.config.maxPayload;
  if (st.handlers[env.type] === undefined) note(st, "unknown type", sender + ": " + env.type);
  else if (policy.from !== undefined && !policy.from(sender)) {
    note(st, "sender may not send this type", sender + ": " + env.type);
    if (policy.refused !== undefined) policy.refused(sender, env.type);
  }
  else if (env.rawLen > max) note(st, "absurd size", sender + " #" + id + " " + env.type + ": " + env.rawLen + " bytes");
  else if (count > framesFor(st, max) || count * st.maxText > st.config.maxBufferedPerSender) {
    note(st, "absurd size", sender + " #" + id + " " + env.type + ": " + count + " frames");
  } else if (st.jobs.pending(sender) >= st.config.maxQueuedPerSender) note(st, "too many payloads queued from one sender", sender + " #" + id);
  else return true;
  remember(st, s, id, -1);
  return false;
}

/**
 * The first frame (F) of a multi-frame payload: a repeat is a duplicate; a different payload under
 * an id still being reassembled replaces it; then the gate. False when the frame goes no further.
 */
function startPayload(st: TransportState, s: SenderState, sender: string, distribution: string, frame: { id: number; count: number; env: Envelope }): boolean {
  const id = frame.id;
  if (seenLately(s, id, frame.env.check)) {
    note(st, "duplicate", sender + " #" + id);
    return false;
  }
  const p = s.partials[id];
  if (p !== undefined && p.env !== undefined) {
    if (p.env.check === frame.env.check && p.count === frame.count) {
      note(st, "duplicate", sender + " #" + id + " frame 0");
      return false;
    }
    // Same id, other payload: the sender reloaded and reused the id. Start over.
    note(st, "replaced incomplete payload", sender + " #" + id);
    removePartial(st, s, p);
  }
  forget(s, id);
  if (admit(st, s, sender, distribution, id, frame.env, frame.count)) return true;
  // Frames that came before this one were buffered for a payload that is refused.
  const early = s.partials[id];
  if (early !== undefined) removePartial(st, s, early);
  return false;
}

/**
 * Units reserved before a handler runs, per payload byte: parsing canonical text costs about 27 k
 * VM instructions per KB (docs/benchmarks.md), and a handler's parse cannot be suspended halfway.
 */
const HANDLER_UNITS_PER_BYTE = 0.04;

/**
 * Decodes the body and calls every handler of its type, all inside one job of the sender (never in
 * the CHAT_MSG_ADDON handler): each handler starts with room in the frame's budget for parsing the
 * payload, and may pass meta.tick to work that can be spread over frames. An error in a handler
 * ends the job (and is noted): the type's later handlers do not run for this payload.
 */
function deliver(st: TransportState, sender: string, env: Envelope, msgId: number, body: string, frames: number, distribution: string): void {
  const urgent = isUrgent(st, env.type, sender);
  let stage = "decode";
  st.jobs.start(
    "transport " + env.type,
    (tick, reserve) => {
      const payload = decodeBody(env, body, tick);
      if (payload === undefined) return false;
      const list = st.handlers[env.type];
      if (list === undefined) return true;
      const meta: DeliveryMeta = {
        type: env.type,
        target: env.target,
        forMe: env.target === undefined || env.target === st.platform.playerName(),
        msgId,
        compressed: env.flags % 8 >= FLAG_COMPRESSED,
        wireBytes: byteLen(body),
        frames,
        distribution,
        tick,
      };
      st.delivered++;
      stage = "handler";
      const units = byteLen(payload) * HANDLER_UNITS_PER_BYTE;
      for (const handler of list) {
        reserve(units);
        handler(sender, payload, meta);
      }
      return true;
    },
    (ok, decoded, error) => {
      if (ok && decoded === true) return;
      if (!ok && stage === "handler") note(st, "handler error", env.type + ": " + (error ?? "?"));
      else note(st, "payload failed its check", sender + " #" + msgId + " " + env.type + (error === undefined ? "" : ": " + error));
    },
    sender,
    urgent,
  );
}

/** The payload, or undefined when the body does not decode to the length and check it announced. */
function decodeBody(env: Envelope, body: string, tick: Tick): string | undefined {
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
}
