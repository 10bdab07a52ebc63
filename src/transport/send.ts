// The send path: check the payload, queue it in the throttle at once (so its place in the queue is
// kept), encode it as a job (checksum, compress when it pays, escape, frame), then hand the frames
// to the throttle.
import type { Tick } from "../core/jobs";
import { byteLen } from "./bytes";
import { deflate } from "./deflate";
import { adler32, ENC_BINARY, ENC_PRINTABLE, ENC_RADIX64, escapeBinary, escapePrintable, toRadix64 } from "./encoding";
import { note, TransportState } from "./state";
import type { OutMessage, Throttle } from "./throttle";
import type { SendOptions, TransportConfig } from "./types";
import { buildFrames, FLAG_COMPRESSED, FLAG_TARGET, MAX_FRAMES, MAX_ID, validType } from "./wire";

/** Queues a payload; false (and nothing sent) for a bad type or a payload over maxPayload. */
export function sendPayload(st: TransportState, throttle: Throttle, type: string, payload: string, options?: SendOptions): boolean {
  const opts = options ?? {};
  if (!validType(type)) {
    note(st, "bad type to send", String(type));
    return false;
  }
  if (typeof payload !== "string" || byteLen(payload) > st.config.maxPayload) {
    note(st, "payload too large to send", type);
    return false;
  }
  const msgId = st.nextId;
  st.nextId = (st.nextId + 1) % MAX_ID;
  const msg: OutMessage = {
    prio: opts.priority ?? "NORMAL",
    frames: undefined,
    nframes: 0,
    next: 0,
    failed: false,
    distribution: opts.distribution ?? st.config.distribution,
    onFrameSent: undefined,
    onDone: opts.onDone,
    cost: 0,
  };
  throttle.enqueue(msg);
  st.sentPayloads++;
  const compress = opts.compress !== false;
  const target = opts.target;
  const config = st.config;
  const maxText = st.maxText;
  st.jobs.start(
    "transport encode " + type,
    (tick) => encodePayload(config, maxText, payload, msgId, type, target, compress, tick),
    (ok, frames, error) => {
      if (!ok || frames === undefined) {
        note(st, "could not send", type + ": " + (error ?? "more than " + MAX_FRAMES + " frames"));
        throttle.fail(msg);
        return;
      }
      keepSent(st, msgId, msg, frames, frames.length);
      throttle.ready(msg, frames, frames.length);
    },
  );
  return true;
}

/** Recent multi-frame payloads whose frames the sender keeps (resend.ts sends lost ones again). */
const KEEP_PAYLOADS = 8;

/** Keeps a copy of a multi-frame payload's frames (the throttle drops them as they leave). */
function keepSent(st: TransportState, id: number, msg: OutMessage, frames: string[], count: number): void {
  if (count < 2) return;
  const copy: string[] = [];
  for (let k = 0; k < count; k++) copy[k] = frames[k];
  st.sent[id] = { frames: copy, count, msg, t: st.platform.now(), resentAt: {} };
  st.sentOrder.push(id);
  while (st.sentOrder.length > KEEP_PAYLOADS) {
    const old = st.sentOrder.shift() as number;
    if (old !== id) st.sent[old] = undefined;
  }
}

/** The frame texts of one payload, or undefined when it needs more than MAX_FRAMES frames. */
function encodePayload(config: TransportConfig, maxText: number, payload: string, msgId: number, type: string, target: string | undefined, compress: boolean, tick: Tick): string[] | undefined {
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
}
