// The hash: two polynomial lanes modulo primes below 2^26, so every product stays below 2^53 and
// the arithmetic is exact in doubles on every client (Lua 5.0 has no integers and TSTL refuses
// bitwise operators). Together the lanes give a 52-bit value.
//
// Lane hash of bytes c1..cn: G = sum (ci + 1) * B^(n-i) mod P. It composes:
//   G(a .. b) = G(a) * B^len(b) + G(b)  (mod P)
// so a value's checksum can be streamed token by token (each distinct string token hashed once
// per session, see canonical.ts) and still equal HashString(serialize(value)).

import { fmod } from "../core/fast";

export const P1 = 67108859; // 2^26 - 5, prime
export const P2 = 67108837; // 2^26 - 27, prime
export const B1 = 31415821;
export const B2 = 16180339;

/** Lane hashes of a byte string and the shifts B^len: [g1, g2, shift1, shift2]. */
export type TokenHash = [number, number, number, number];

/** Hashes the bytes of s (one char per byte) with their shifts. */
export function hashBytes(s: string): TokenHash {
  let g1 = 0;
  let g2 = 0;
  let p1 = 1;
  let p2 = 1;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) + 1;
    g1 = (g1 * B1 + c) % P1;
    g2 = (g2 * B2 + c) % P2;
    p1 = (p1 * B1) % P1;
    p2 = (p2 * B2) % P2;
  }
  return [g1, g2, p1, p2];
}

/** The hash of a .. b from the hashes of a and b. */
export function concatHash(a: TokenHash, b: TokenHash): TokenHash {
  return [(a[0] * b[2] + b[0]) % P1, (a[1] * b[3] + b[1]) % P2, (a[2] * b[2]) % P1, (a[3] * b[3]) % P2];
}

/** The 52-bit value of two lanes: g1 * P2 + g2 (below 2^52, exact). */
export function lanesToNumber(g1: number, g2: number): number {
  return g1 * P2 + g2;
}

const HEX = "0123456789abcdef";
// Hex of one digit and of one byte ("00".."ff"), so a checksum is 6 byte steps and one concatenation.
const DIGIT: string[] = [];
const PAIR: string[] = [];
for (let i = 0; i < 16; i++) DIGIT[i] = HEX.charAt(i);
for (let i = 0; i < 256; i++) PAIR[i] = DIGIT[(i - (i % 16)) / 16] + DIGIT[i % 16];

/** @noSelf */
interface LuaFormat {
  format: (f: string, ...args: number[]) => string;
}
// Lua's string.format: %x prints an unsigned int exactly, so 7 + 6 digits take one C call.
const LSTR = (globalThis as unknown as { string?: LuaFormat }).string;
const TWO24 = 16777216;

/** A checksum string: the 52-bit value as 13 lower-case hex digits. */
export function lanesToChecksum(g1: number, g2: number): string {
  let x = g1 * P2 + g2;
  if (LSTR !== undefined) {
    const lo = fmod(x, TWO24);
    return LSTR.format("%07x%06x", (x - lo) / TWO24, lo);
  }
  let out = "";
  for (let i = 0; i < 6; i++) {
    const b = x % 256;
    out = PAIR[b] + out;
    x = (x - b) / 256;
  }
  return DIGIT[x] + out;
}

/** The two lanes of the bytes of s (hashBytes without the shifts, for whole strings). */
function lanes(s: string): [number, number] {
  let g1 = 0;
  let g2 = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) + 1;
    g1 = (g1 * B1 + c) % P1;
    g2 = (g2 * B2 + c) % P2;
  }
  return [g1, g2];
}

/** HashStringToNumber: the 52-bit hash of the bytes of s as a number. */
export function hashStringToNumber(s: string): number {
  const [g1, g2] = lanes(s);
  return lanesToNumber(g1, g2);
}

/** HashString: the hash of the bytes of s as a 13-digit hex checksum. */
export function hashString(s: string): string {
  const [g1, g2] = lanes(s);
  return lanesToChecksum(g1, g2);
}
