// The checksum of a value without building its serialisation: the canonical tokens are hashed one
// by one and combined (hash.ts), each distinct string and number token hashed once and remembered.
// checksumValue(v) === hashString(serialize(v)) for every value serialize accepts (tested in Node
// and in Lua 5.0). Values serialize refuses (functions, table keys, nesting deeper than MAX_DEPTH)
// still hash deterministically here, through marker tokens, so a checksum never raises an error.
import type { Tick } from "../core/jobs";
import { fmod } from "../core/fast";
import { LuaKey, newDict } from "../core/luatable";
import { byteAt } from "../transport/bytes";
import { MAX_DEPTH, canonicalEntries, numberToken } from "./canonical";
import { B1, B2, P1, P2, TokenHash, concatHash, hashBytes, lanesToChecksum } from "./hash";

const MEMO_LIMIT = 50000;
const MEMO_MAX_STRING = 256;

let strMemo = newDict<TokenHash>();
let numMemo = newDict<TokenHash>();
let memoCount = 0;

const OPEN_ARRAY = hashBytes("[");
const CLOSE_ARRAY = hashBytes("]");
const OPEN_MAP = hashBytes("{");
const CLOSE_MAP = hashBytes("}");
const TRUE = hashBytes("t");
const FALSE = hashBytes("f");
const NAN = hashBytes("xn");

function remembered(): void {
  memoCount++;
  if (memoCount > MEMO_LIMIT) {
    strMemo = newDict<TokenHash>();
    numMemo = newDict<TokenHash>();
    memoCount = 0;
  }
}

// B^n mod P for n up to POW_LIMIT, grown on demand, so a string's shift costs no extra work.
const POW_LIMIT = 4096;
const pow1: number[] = [1];
const pow2: number[] = [1];
let powCount = 1;

/** Hashes the bytes of s; the shifts come from the power table. */
function hashStringBytes(s: string): TokenHash {
  const n = s.length;
  if (n >= POW_LIMIT) return hashBytes(s);
  while (powCount <= n || powCount <= 2) {
    pow1[powCount] = (pow1[powCount - 1] * B1) % P1;
    pow2[powCount] = (pow2[powCount - 1] * B2) % P2;
    powCount++;
  }
  let g1 = 0;
  let g2 = 0;
  // Locals for the loop (no table or global lookups), and two bytes per step: g * (B^2 mod P) +
  // c1 * B + c2 stays below 2^53, so each lane needs one mod per two bytes.
  const byte = byteAt;
  const mod = fmod;
  const b1 = B1;
  const b2 = B2;
  const p1 = P1;
  const p2 = P2;
  const bb1 = pow1[2];
  const bb2 = pow2[2];
  for (let i = 1; i < n; i += 2) {
    const c = (byte(s, i) as number) + 1;
    const d = (byte(s, i + 1) as number) + 1;
    g1 = mod(g1 * bb1 + c * b1 + d, p1);
    g2 = mod(g2 * bb2 + c * b2 + d, p2);
  }
  if (n % 2 === 1) {
    const c = (byte(s, n) as number) + 1;
    g1 = mod(g1 * b1 + c, p1);
    g2 = mod(g2 * b2 + c, p2);
  }
  return [g1, g2, pow1[n], pow2[n]];
}

/** The token hash of a string value: "<len>:<bytes>". */
export function stringTokenHash(s: string): TokenHash {
  let t = strMemo[s];
  if (t !== undefined) return t;
  t = concatHash(hashStringBytes(s.length + ":"), hashStringBytes(s));
  if (s.length <= MEMO_MAX_STRING) {
    remembered();
    strMemo[s] = t;
  }
  return t;
}

/** The token hash of a number. */
export function numberTokenHash(x: number): TokenHash {
  if (x !== x) return NAN;
  const key = x as unknown as string;
  let t = numMemo[key];
  if (t !== undefined) return t;
  t = hashBytes(numberToken(x));
  remembered();
  numMemo[key] = t;
  return t;
}

// The running lanes of the value being hashed.
let h1 = 0;
let h2 = 0;

function mix(t: TokenHash): void {
  h1 = fmod(h1 * t[2] + t[0], P1);
  h2 = fmod(h2 * t[3] + t[1], P2);
}

function marker(what: string): void {
  mix(hashBytes("?" + what));
}

// Pacing (a job's tick, see core/jobs): set with setHashPace around paced work; every ENTRIES
// table entries walked, the running lanes are saved, the pacer cleared and the tick called (it may
// suspend the job for a frame while other code hashes), then everything is put back.
const ENTRIES = 250;
/** Units (about 1,000 VM instructions) per table entry walked (bench:frames). */
export const HASH_UNITS = 0.25;
let hpace: Tick | undefined;
let hsteps = 0;

function pauseHash(): void {
  const a = h1;
  const b = h2;
  const p = hpace as Tick;
  hpace = undefined;
  p(hsteps * HASH_UNITS);
  h1 = a;
  h2 = b;
  hpace = p;
  hsteps = 0;
}

/** Paces every checksum computed until it is cleared (undefined); only inside a job. */
export function setHashPace(tick: Tick | undefined): void {
  hpace = tick;
  hsteps = 0;
}

function walk(v: unknown, depth: number): void {
  let t: TokenHash;
  if (typeof v === "string") {
    t = strMemo[v];
    if (t === undefined) t = stringTokenHash(v);
  } else if (typeof v === "number") {
    const m: TokenHash | undefined = v === v ? numMemo[v as unknown as string] : undefined;
    t = m === undefined ? numberTokenHash(v) : m;
  } else if (v === true) {
    t = TRUE;
  } else if (v === false) {
    t = FALSE;
  } else if (typeof v === "object" && v !== null) {
    if (depth >= MAX_DEPTH) {
      marker("deep");
      return;
    }
    const keys: LuaKey[] = [];
    const vals: unknown[] = [];
    const r = canonicalEntries(v, keys, vals);
    if (r > 0) {
      mix(OPEN_ARRAY);
      for (let i = 0; i < r; i++) walk(vals[i], depth + 1);
      mix(CLOSE_ARRAY);
      if (hpace !== undefined) {
        hsteps += r;
        if (hsteps >= ENTRIES) pauseHash();
      }
    } else {
      mix(OPEN_MAP);
      const n = -r;
      for (let i = 0; i < n; i++) {
        const k = keys[i];
        if (typeof k === "string" || typeof k === "number" || typeof k === "boolean") walk(k, depth + 1);
        else marker("key");
        walk(vals[i], depth + 1);
      }
      mix(CLOSE_MAP);
      if (hpace !== undefined) {
        hsteps += n + 1;
        if (hsteps >= ENTRIES) pauseHash();
      }
    }
    return;
  } else {
    marker(typeof v);
    return;
  }
  h1 = fmod(h1 * t[2] + t[0], P1);
  h2 = fmod(h2 * t[3] + t[1], P2);
}

function hashInto(v: unknown): void {
  h1 = 0;
  h2 = 0;
  walk(v, 0);
}

/** The checksum (13 hex digits) of a value: equal to hashString(serialize(v)). */
export function checksumValue(v: unknown): string {
  hashInto(v);
  return lanesToChecksum(h1, h2);
}

/** Forgets the remembered token hashes (tests and benchmarks measure a cold start with it). */
/** Entries the hash memos hold now (they start over past MEMO_LIMIT). */
export function memoSize(): number {
  return memoCount;
}

export function resetMemo(): void {
  strMemo = newDict<TokenHash>();
  numMemo = newDict<TokenHash>();
  memoCount = 0;
}
