// The canonical form of a Lua value, shared by the serialiser (serialize.ts) and the streamed
// hash (valuehash.ts). Grammar (every token is self-delimiting; no escaping is ever needed):
//
//   value  := string | number | "t" | "f" | array | map
//   string := <byte length in decimal> ":" <bytes>              e.g. 9:Razorgore
//   number := "#" <integer> ";"          integers with |x| < 2^53, e.g. #-12;
//           | "d" ["-"] <odd mantissa> "p" <exponent> ";"    any other finite x = m * 2^e, exact
//           | "xn" | "xi" | "xj"                             NaN, +inf, -inf
//   array  := "[" value+ "]"             a table whose keys are exactly 1..n, n >= 1
//   map    := "{" (key value)* "}"        any other table (the empty table is "{}")
//   key    := string | number | "t" | "f", in canonical order
//
// Canonical key order: numbers (ascending), then strings (byte order, never the locale's strcoll),
// then false, true. Numbers and strings are distinct (1 and "1" are different keys). No format
// call depends on the C library's float printing: integers below 2^53 print exactly with %.0f
// everywhere, and other numbers are split into mantissa and exponent by exact arithmetic.
import { LuaKey, newDict, readTable, getField } from "../core/luatable";

/** Tables nested deeper than this are refused (and a cycle ends here). */
export const MAX_DEPTH = 64;

const TWO53 = 9007199254740992;
const INF = 1 / 0;

/** Exponents of finite doubles written as m * 2^e with an odd m below 2^53. */
export const MIN_EXP = -1074;
export const MAX_EXP = 1023;

// POW2[e - MIN_EXP] = 2^e, exact (every one is a double). Numbers are built and split with these
// and a few comparisons, so a token like d1p-1074; costs what d3p-1; does (no loop per unit of
// exponent: issue 14).
const POW2: number[] = [];
{
  let p = 1;
  for (let e = 0; e <= MAX_EXP; e++) {
    POW2[e - MIN_EXP] = p;
    p = p * 2;
  }
  p = 1;
  for (let e = 0; e >= MIN_EXP; e--) {
    POW2[e - MIN_EXP] = p;
    p = p / 2;
  }
}

/** 2^e for MIN_EXP <= e <= MAX_EXP (an integer). */
export function pow2(e: number): number {
  return POW2[e - MIN_EXP];
}

// Trailing-zero strip steps: 2^32, 2^16, ..., 2^1 (a mantissa below 2^53 has at most 52).
const STRIP = [32, 16, 8, 4, 2, 1];

let intTokens = newDict<string>();
let intCount = 0;

/** The canonical token of a number. */
export function numberToken(x: number): string {
  if (x !== x) return "xn";
  if (x === INF) return "xi";
  if (x === -INF) return "xj";
  if (x === 0) return "#0;";
  if (x === Math.floor(x) && x < TWO53 && x > -TWO53) {
    // Integers repeat (slots, counts, positions): their tokens are remembered.
    let t = intTokens[x as unknown as string];
    if (t === undefined) {
      t = "#" + x.toFixed(0) + ";";
      if (intCount > 20000) {
        intTokens = newDict<string>();
        intCount = 0;
      }
      intTokens[x as unknown as string] = t;
      intCount++;
    }
    return t;
  }
  const a = x < 0 ? -x : x;
  // The binary exponent of a: the largest e with 2^e <= a (binary search over the table).
  let lo = MIN_EXP;
  let hi = MAX_EXP;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (POW2[mid - MIN_EXP] <= a) lo = mid;
    else hi = mid - 1;
  }
  // a = m * 2^e with m an integer below 2^53: e is 52 below the top bit (the smallest, for
  // subnormals). Dividing by a power of two that leaves an integer is exact.
  let e = lo - 52 < MIN_EXP ? MIN_EXP : lo - 52;
  let m = a / POW2[e - MIN_EXP];
  for (const s of STRIP) {
    const p = POW2[s - MIN_EXP];
    if (m % p === 0) {
      m = m / p;
      e = e + s;
    }
  }
  return "d" + (x < 0 ? "-" : "") + m.toFixed(0) + "p" + e.toFixed(0) + ";";
}

// Strings are ordered by their bytes. The first 6 bytes (each + 1, 0 past the end) make a number
// below 257^6 < 2^53, remembered per string, so most comparisons are one numeric `<`.
let prefixMemo = newDict<number>();
let prefixCount = 0;

/** Entries the key-prefix memo holds now (it starts over past 20,000). */
export function prefixMemoSize(): number {
  return prefixCount;
}

export function resetPrefixMemo(): void {
  prefixMemo = newDict<number>();
  prefixCount = 0;
}

function prefixKey(s: string): number {
  let v = prefixMemo[s];
  if (v === undefined) {
    v = 0;
    const n = s.length;
    for (let i = 0; i < 6; i++) {
      v = v * 257 + (i < n ? s.charCodeAt(i) + 1 : 0);
    }
    if (prefixCount > 20000) {
      prefixMemo = newDict<number>();
      prefixCount = 0;
    }
    prefixMemo[s] = v;
    prefixCount++;
  }
  return v;
}

/** Byte-order comparison of two strings (independent of the client's locale). */
export function stringLess(a: string, b: string): boolean {
  if (a === b) return false;
  const pa = prefixKey(a);
  const pb = prefixKey(b);
  if (pa !== pb) return pa < pb;
  const la = a.length;
  const lb = b.length;
  const n = la < lb ? la : lb;
  for (let i = 6; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) return ca < cb;
  }
  return la < lb;
}

function keyRank(k: unknown): number {
  if (typeof k === "number") return 0;
  if (typeof k === "string") return 1;
  if (typeof k === "boolean") return 2;
  return 3;
}

/** The canonical key order: numbers, then strings by bytes, then false, true. */
export function keyLess(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a < b;
  if (typeof a === "string" && typeof b === "string") return stringLess(a, b);
  const ra = keyRank(a);
  const rb = keyRank(b);
  if (ra !== rb) return ra < rb;
  if (ra === 2) return a === false && b === true;
  return false;
}

function compareKeys(a: LuaKey, b: LuaKey): number {
  if (a === b) return 0;
  return keyLess(a, b) ? -1 : 1;
}

/**
 * Reads t's entries in canonical order. Returns n > 0 when t is a sequence 1..n (vals[0..n-1]),
 * otherwise minus the entry count with keys/vals sorted canonically (0 for the empty table).
 */
export function canonicalEntries(t: unknown, keys: LuaKey[], vals: unknown[]): number {
  const r = readTable(t, keys, vals);
  if (r >= 0) return r;
  const n = -r;
  if (n <= 12) {
    // Insertion sort, moving keys and values together. Keys of one kind (nearly every table of a
    // plan) compare inline: numbers by value, strings by their remembered 6-byte prefix first.
    let allNumbers = true;
    let allStrings = true;
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      if (typeof k !== "number") allNumbers = false;
      if (typeof k !== "string") allStrings = false;
    }
    if (allNumbers) {
      for (let i = 1; i < n; i++) {
        const k = keys[i] as number;
        const v = vals[i];
        let j = i - 1;
        while (j >= 0 && k < (keys[j] as number)) {
          keys[j + 1] = keys[j];
          vals[j + 1] = vals[j];
          j--;
        }
        keys[j + 1] = k;
        vals[j + 1] = v;
      }
      return r;
    }
    if (allStrings) {
      const pk: number[] = [];
      for (let i = 0; i < n; i++) pk[i] = prefixKey(keys[i] as string);
      for (let i = 1; i < n; i++) {
        const k = keys[i] as string;
        const v = vals[i];
        const p = pk[i];
        let j = i - 1;
        while (j >= 0 && (p < pk[j] || (p === pk[j] && stringLess(k, keys[j] as string)))) {
          keys[j + 1] = keys[j];
          vals[j + 1] = vals[j];
          pk[j + 1] = pk[j];
          j--;
        }
        keys[j + 1] = k;
        vals[j + 1] = v;
        pk[j + 1] = p;
      }
      return r;
    }
    for (let i = 1; i < n; i++) {
      const k = keys[i];
      const v = vals[i];
      let j = i - 1;
      while (j >= 0 && keyLess(k, keys[j])) {
        keys[j + 1] = keys[j];
        vals[j + 1] = vals[j];
        j--;
      }
      keys[j + 1] = k;
      vals[j + 1] = v;
    }
  } else {
    // (an inline arrow: TSTL's sort helper passes a context argument first)
    keys.sort((a, b) => compareKeys(a, b));
    for (let i = 0; i < n; i++) vals[i] = getField(t, keys[i]);
  }
  return r;
}
