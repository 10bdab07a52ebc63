// The receive path, in the order a frame travels through it:
//   1. parse the frame text (wire.ts);
//   2. admit the payload at its first frame (S or F): the one gate every payload passes;
//   3. reassemble a payload sent in several frames (bookkeeping and limits in reassembly.ts);
//   4. decode it as a job: unescape, inflate, check length and Adler-32;
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
  senderState,
  storeBody,
  takeBody,
} from "./reassembly";
import { note, SenderState, TransportState } from "./state";
import { watchPartial } from "./resend";
import type { Throttle } from "./throttle";
import type { DeliveryMeta } from "./types";
import { Envelope, FLAG_COMPRESSED, parseFrame, PROTOCOL_VERSION } from "./wire";

/** One addon message of our prefix from another player. */
export function receiveFrame(st: TransportState, throttle: Throttle, text: string, distribution: string, sender: string): void {
  st.receivedFrames++;
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
    dropBeyondCount(st, p);
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

function badFrame(st: TransportState, sender: string, error: string, newerVersion: boolean): void {
  if (!newerVersion) {
    note(st, "bad frame", sender + ": " + error);
    return;
  }
  if (!st.warnedNewer) {
    st.warnedNewer = true;
    st.platform.print(
      "|cff66ccffOGRH|r: " + sender + " runs a newer OGRH Sync (" + error + ", this client speaks version " + PROTOCOL_VERSION +
        "). Please update the addon to sync with them.",
    );
  }
  note(st, "newer protocol", sender + ": " + error);
}

/**
 * The gate at a payload's first frame (S or F), before any of its body is buffered: what is known
 * here is the sender, the channel, the type, the declared size and the frame count. Checks of who
 * may send what on which channel belong here. A rejected id is remembered, so the payload's later
 * frames are dropped as duplicates.
 */
function admit(st: TransportState, s: SenderState, sender: string, _distribution: string, id: number, env: Envelope, count: number): boolean {
  if (st.handlers[env.type] === undefined) note(st, "unknown type", sender + ": " + env.type);
  else if (env.rawLen > st.config.maxPayload) note(st, "absurd size", sender + " #" + id + ": " + env.rawLen + " bytes");
  else if (count * st.maxText > st.config.maxBuffered) note(st, "absurd size", sender + " #" + id + ": " + count + " frames");
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

/** Decodes the body as a job, then calls every handler of its type (an error in one is noted). */
function deliver(st: TransportState, sender: string, env: Envelope, msgId: number, body: string, frames: number, distribution: string): void {
  st.jobs.start(
    "transport decode " + env.type,
    (tick) => decodeBody(env, body, tick),
    (ok, payload, error) => {
      if (!ok || payload === undefined) {
        note(st, "payload failed its check", sender + " #" + msgId + " " + env.type + (error === undefined ? "" : ": " + error));
        return;
      }
      const list = st.handlers[env.type];
      if (list === undefined) return;
      const meta: DeliveryMeta = {
        type: env.type,
        target: env.target,
        forMe: env.target === undefined || env.target === st.platform.playerName(),
        msgId,
        compressed: env.flags % 8 >= FLAG_COMPRESSED,
        wireBytes: byteLen(body),
        frames,
        distribution,
      };
      st.delivered++;
      for (const handler of list) {
        try {
          handler(sender, payload, meta);
        } catch (e) {
          note(st, "handler error", env.type + ": " + String(e));
        }
      }
    },
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
