// What the channel can carry: escaping, the printable-only encodings, header numbers and the
// payload check. Byte layouts are in docs/protocol.md.
import { byteAt, byteLen, CHARS, joinN, replaceBytes, unescapeBytes } from "./bytes";
import { Tick, TICK_UNITS } from "./deflate";

/** Estimated cost in units (thousands of VM instructions) per byte. */
const RADIX_COST = 0.03;
const ADLER_COST = 0.009;

/** The escape byte. Every "~" in an encoded body starts a sequence; no sequence contains "~" after it. */
export const ESC = "~";

/** Body encodings (2 bits of the envelope flags). */
export const ENC_BINARY = 0;
export const ENC_PRINTABLE = 1;
export const ENC_RADIX64 = 2;

// Binary mode: only what the channel itself breaks on. "\0" truncates, "\n" disconnects, "\r"
// and "|" are mangled by chat code; "~" is the escape byte itself.
const BINARY_CLASS = "[%z\n\r|~]";
const BINARY_MAP: { [c: string]: string } = { "\0": "~0", "\n": "~n", "\r": "~r", "|": "~p", "~": "~t" };
const BINARY_UNMAP: { [c: string]: string } = { "0": "\0", n: "\n", r: "\r", p: "|", t: "~" };

// Printable mode: every byte outside " ".."}" except "|", i.e. control bytes, "|", "~", DEL and
// every byte >= 128, becomes "~" + two upper-case hex digits.
const PRINTABLE_CLASS = "[^ -{}]";
const PRINTABLE_MAP: { [c: string]: string } = {};
const HEX = "0123456789ABCDEF";
const PRINTABLE_UNMAP: { [hh: string]: string } = {};
for (let b = 0; b < 256; b++) {
  const hh = HEX.charAt(Math.floor(b / 16)) + HEX.charAt(b % 16);
  PRINTABLE_UNMAP[hh] = CHARS[b];
  if (b < 32 || b === 124 || b >= 126) PRINTABLE_MAP[CHARS[b]] = "~" + hh;
}

/** The radix-64 alphabet (printable, no "|" or "~"); also used for header numbers. */
export const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT: string[] = [];
const DIGIT_VALUE: { [c: string]: number } = {};
for (let v = 0; v < 64; v++) {
  DIGIT[v] = ALPHABET.charAt(v);
  DIGIT_VALUE[ALPHABET.charAt(v)] = v;
}

export function escapeBinary(s: string): string {
  return replaceBytes(s, BINARY_CLASS, BINARY_MAP)[0];
}

export function unescapeBinary(s: string): string | undefined {
  return unescapeBytes(s, ESC, 1, "~(.)", (m) => BINARY_UNMAP[m]);
}

/** Printable escaping and how many bytes it escaped. */
export function escapePrintable(s: string): [string, number] {
  return replaceBytes(s, PRINTABLE_CLASS, PRINTABLE_MAP);
}

export function unescapePrintable(s: string): string | undefined {
  return unescapeBytes(s, ESC, 2, "~(..)", (m) => PRINTABLE_UNMAP[m]);
}

/** Radix-64: 3 bytes -> 4 digits, a tail of 1 or 2 bytes -> 2 or 3 digits (no padding). */
export function toRadix64(s: string, tick?: Tick): string {
  const n = byteLen(s);
  const out: string[] = [];
  let on = 0;
  let i = 1;
  let nextTick = TICK_UNITS;
  while (i + 2 <= n) {
    const v = (byteAt(s, i) as number) * 65536 + (byteAt(s, i + 1) as number) * 256 + (byteAt(s, i + 2) as number);
    const d3 = v % 64;
    const r2 = (v - d3) / 64;
    const d2 = r2 % 64;
    const r1 = (r2 - d2) / 64;
    const d1 = r1 % 64;
    out[on] = DIGIT[(r1 - d1) / 64] + DIGIT[d1] + DIGIT[d2] + DIGIT[d3];
    on++;
    i += 3;
    if (i > nextTick) {
      if (tick !== undefined) tick(TICK_UNITS * RADIX_COST);
      nextTick += TICK_UNITS;
    }
  }
  const left = n - i + 1;
  if (left === 1) {
    const v = byteAt(s, i) as number;
    out[on] = DIGIT[Math.floor(v / 64)] + DIGIT[v % 64];
    on++;
  } else if (left === 2) {
    const v = (byteAt(s, i) as number) * 256 + (byteAt(s, i + 1) as number);
    out[on] = DIGIT[Math.floor(v / 4096)] + DIGIT[Math.floor(v / 64) % 64] + DIGIT[v % 64];
    on++;
  }
  return joinN(out, on);
}

/** Inverse of toRadix64; undefined for a digit outside the alphabet or an impossible length. */
export function fromRadix64(s: string, tick?: Tick): string | undefined {
  const n = byteLen(s);
  if (n % 4 === 1) return undefined;
  const out: string[] = [];
  let on = 0;
  let i = 1;
  let nextTick = TICK_UNITS;
  while (i + 3 <= n) {
    const a = DIGIT_VALUE[charAt(s, i)];
    const b = DIGIT_VALUE[charAt(s, i + 1)];
    const c = DIGIT_VALUE[charAt(s, i + 2)];
    const d = DIGIT_VALUE[charAt(s, i + 3)];
    if (a === undefined || b === undefined || c === undefined || d === undefined) return undefined;
    const v = ((a * 64 + b) * 64 + c) * 64 + d;
    const b3 = v % 256;
    const r = (v - b3) / 256;
    const b2 = r % 256;
    out[on] = CHARS[(r - b2) / 256] + CHARS[b2] + CHARS[b3];
    on++;
    i += 4;
    if (i > nextTick) {
      if (tick !== undefined) tick(TICK_UNITS * RADIX_COST);
      nextTick += TICK_UNITS;
    }
  }
  const left = n - i + 1;
  if (left === 2) {
    const a = DIGIT_VALUE[charAt(s, i)];
    const b = DIGIT_VALUE[charAt(s, i + 1)];
    if (a === undefined || b === undefined || a >= 4) return undefined;
    out[on] = CHARS[a * 64 + b];
    on++;
  } else if (left === 3) {
    const a = DIGIT_VALUE[charAt(s, i)];
    const b = DIGIT_VALUE[charAt(s, i + 1)];
    const c = DIGIT_VALUE[charAt(s, i + 2)];
    if (a === undefined || b === undefined || c === undefined || a >= 16) return undefined;
    const v = (a * 64 + b) * 64 + c;
    out[on] = CHARS[Math.floor(v / 256)] + CHARS[v % 256];
    on++;
  }
  return joinN(out, on);
}

function charAt(s: string, i: number): string {
  return CHARS[byteAt(s, i) as number];
}

/** A non-negative integer as exactly `width` radix-64 digits (most significant first). */
export function encodeNumber(v: number, width: number): string {
  const parts: string[] = [];
  for (let k = width - 1; k >= 0; k--) {
    const d = v % 64;
    parts[k] = DIGIT[d];
    v = (v - d) / 64;
  }
  return parts.join("");
}

/** Reads `width` radix-64 digits at 1-based position `pos`; undefined if any is not a digit. */
export function decodeNumber(s: string, pos: number, width: number): number | undefined {
  let v = 0;
  for (let k = 0; k < width; k++) {
    const b = byteAt(s, pos + k);
    if (b === undefined) return undefined;
    const d = DIGIT_VALUE[CHARS[b]];
    if (d === undefined) return undefined;
    v = v * 64 + d;
  }
  return v;
}

/**
 * Adler-32 (RFC 1950) of a byte string: the payload check. Sums are reduced every 5552 bytes,
 * as zlib does, so every intermediate value stays far below 2^53.
 */
export function adler32(s: string, tick?: Tick): number {
  const n = byteLen(s);
  let a = 1;
  let b = 0;
  let i = 1;
  while (i <= n) {
    let stop = i + 5551;
    if (stop > n) stop = n;
    for (let k = i; k <= stop; k++) {
      a += byteAt(s, k) as number;
      b += a;
    }
    a = a % 65521;
    b = b % 65521;
    if (tick !== undefined) tick((stop - i + 1) * ADLER_COST);
    i = stop + 1;
  }
  return b * 65536 + a;
}
