// The frame format: what one addon message's text holds. Pure functions, no state; the layout is
// documented byte by byte in docs/protocol.md.
//
//   S (single):  V "S" id3 envelope body
//   F (first):   V "F" id3 count2 envelope body
//   M (more):    V "M" id3 index2 body
//   envelope:    flags1 rawLen4 check6 typeLen1 type [targetLen2 target]
//
// Numbers are radix-64 digits (encoding.ts ALPHABET), most significant first. The body of a
// payload is the concatenation of the frame bodies in index order (F is index 0).
import { byteAt, byteLen, sub } from "./bytes";
import { decodeNumber, encodeNumber, escapePrintable, unescapePrintable } from "./encoding";

/** The protocol version this build speaks, and its character on the wire. */
export const PROTOCOL_VERSION = 1;
export const VERSION_CHAR = "1";

export const FLAG_COMPRESSED = 4;
export const FLAG_TARGET = 8;

/** Limits that follow from the digit widths. */
export const MAX_FRAMES = 4095;
export const MAX_ID = 262144;
export const MAX_RAW_LEN = 16777215;
export const MAX_TYPE_LEN = 63;

export interface Envelope {
  /** Encoding (bits 0-1), FLAG_COMPRESSED, FLAG_TARGET. */
  flags: number;
  /** Length of the original payload. */
  rawLen: number;
  /** Adler-32 of the original payload. */
  check: number;
  type: string;
  target: string | undefined;
}

export type Frame =
  | { kind: "S"; id: number; env: Envelope; body: string }
  | { kind: "F"; id: number; count: number; env: Envelope; body: string }
  | { kind: "M"; id: number; index: number; body: string };

export type ParseResult = { ok: true; frame: Frame } | { ok: false; error: string; newerVersion: boolean };

/** A type name: 1..63 bytes from "!" to "}" without "|" (no space, no "~", no control byte). */
export function validType(type: string): boolean {
  const n = byteLen(type);
  if (n < 1 || n > MAX_TYPE_LEN) return false;
  for (let i = 1; i <= n; i++) {
    const b = byteAt(type, i) as number;
    if (b < 33 || b > 125 || b === 124) return false;
  }
  return true;
}

export function encodeEnvelope(env: Envelope): string {
  let s =
    encodeNumber(env.flags, 1) + encodeNumber(env.rawLen, 4) + encodeNumber(env.check, 6) + encodeNumber(byteLen(env.type), 1) + env.type;
  if (env.target !== undefined) {
    const t = escapePrintable(env.target)[0];
    s = s + encodeNumber(byteLen(t), 2) + t;
  }
  return s;
}

/**
 * The frame texts of one payload, or undefined when the body needs more than MAX_FRAMES frames.
 * `maxText` is the room for the text (254 minus the prefix length).
 */
export function buildFrames(id: number, env: Envelope, body: string, maxText: number): string[] | undefined {
  const envText = encodeEnvelope(env);
  const idText = encodeNumber(id, 3);
  const bodyLen = byteLen(body);
  const singleRoom = maxText - 5 - byteLen(envText);
  if (bodyLen <= singleRoom) return [VERSION_CHAR + "S" + idText + envText + body];
  const firstRoom = maxText - 7 - byteLen(envText);
  const moreRoom = maxText - 7;
  if (firstRoom < 1) return undefined;
  const count = 1 + Math.ceil((bodyLen - firstRoom) / moreRoom);
  if (count > MAX_FRAMES) return undefined;
  const frames: string[] = [];
  frames[0] = VERSION_CHAR + "F" + idText + encodeNumber(count, 2) + envText + sub(body, 1, firstRoom);
  let pos = firstRoom + 1;
  for (let k = 1; k < count; k++) {
    frames[k] = VERSION_CHAR + "M" + idText + encodeNumber(k, 2) + sub(body, pos, pos + moreRoom - 1);
    pos += moreRoom;
  }
  return frames;
}

function fail(error: string, newerVersion = false): ParseResult {
  return { ok: false, error, newerVersion };
}

/** Parses one frame text. Never throws; anything malformed is { ok: false, error }. */
export function parseFrame(text: string): ParseResult {
  const n = byteLen(text);
  if (n < 5) return fail("short frame");
  const v = byteAt(text, 1) as number;
  if (v !== 49) {
    // "2".."9": a later protocol version.
    if (v >= 50 && v <= 57) return fail("protocol version " + sub(text, 1, 1), true);
    return fail("not a frame");
  }
  const kind = sub(text, 2, 2);
  const id = decodeNumber(text, 3, 3);
  if (id === undefined) return fail("bad id");
  if (kind === "M") {
    const index = decodeNumber(text, 6, 2);
    if (index === undefined || index < 1 || index >= MAX_FRAMES) return fail("bad index");
    return { ok: true, frame: { kind: "M", id, index, body: sub(text, 8, n) } };
  }
  let pos = 6;
  let count = 1;
  if (kind === "F") {
    const c = decodeNumber(text, 6, 2);
    if (c === undefined || c < 2) return fail("bad count");
    count = c;
    pos = 8;
  } else if (kind !== "S") {
    return fail("unknown frame kind");
  }
  const flags = decodeNumber(text, pos, 1);
  const rawLen = decodeNumber(text, pos + 1, 4);
  const check = decodeNumber(text, pos + 5, 6);
  const typeLen = decodeNumber(text, pos + 11, 1);
  if (flags === undefined || rawLen === undefined || check === undefined || typeLen === undefined) return fail("bad envelope");
  if (flags >= 16 || flags % 4 === 3) return fail("bad flags");
  pos += 12;
  if (pos + typeLen - 1 > n) return fail("truncated envelope");
  const type = sub(text, pos, pos + typeLen - 1);
  if (!validType(type)) return fail("bad type");
  pos += typeLen;
  let target: string | undefined = undefined;
  if (flags >= FLAG_TARGET) {
    const tl = decodeNumber(text, pos, 2);
    if (tl === undefined || pos + 1 + tl > n) return fail("bad target");
    target = unescapePrintable(sub(text, pos + 2, pos + 1 + tl));
    if (target === undefined) return fail("bad target");
    pos += 2 + tl;
  }
  const env: Envelope = { flags, rawLen, check, type, target };
  const body = sub(text, pos, n);
  if (kind === "S") return { ok: true, frame: { kind: "S", id, env, body } };
  return { ok: true, frame: { kind: "F", id, count, env, body } };
}
