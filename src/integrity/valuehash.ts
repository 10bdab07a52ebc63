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

// B^n mod P and ONE[n] = (B^(n-1) + ... + B + 1) mod P for n up to POW_LIMIT, grown on demand: a
// string's shift costs no extra work, and the "+ 1" of every byte is added once per string as ONE[n].
const POW_LIMIT = 4096;
const pow1: number[] = [1];
const pow2: number[] = [1];
const one1: number[] = [0];
const one2: number[] = [0];
let powCount = 1;

function growPowers(n: number): void {
  while (powCount <= n) {
    pow1[powCount] = (pow1[powCount - 1] * B1) % P1;
    pow2[powCount] = (pow2[powCount - 1] * B2) % P2;
    one1[powCount] = (one1[powCount - 1] * B1 + 1) % P1;
    one2[powCount] = (one2[powCount - 1] * B2 + 1) % P2;
    powCount++;
  }
}
growPowers(4);
// B^2..B^4 mod P for the byte loop (upvalues: one step each to load)
const SQ1 = pow1[2];
const SQ2 = pow2[2];
const CU1 = pow1[3];
const CU2 = pow2[3];
const QU1 = pow1[4];
const QU2 = pow2[4];

// Lanes of the length prefix "<n>:" of a string token, and its byte count, per length n.
const lenLane1: number[] = [];
const lenLane2: number[] = [];
const lenBytes: number[] = [];

/** The token hash of "<len>:<bytes>" of s (below POW_LIMIT bytes), streamed from the prefix. */
function stringBytesHash(s: string): TokenHash {
  const n = s.length;
  let g1 = lenLane1[n];
  let g2: number;
  let pl: number;
  if (g1 === undefined) {
    const pre = hashBytes(n + ":");
    g1 = pre[0];
    lenLane1[n] = g1;
    lenLane2[n] = pre[1];
    lenBytes[n] = (n + ":").length;
  }
  g2 = lenLane2[n];
  pl = lenBytes[n];
  if (powCount <= n + pl) growPowers(n + pl);
  // Raw bytes (the "+ 1" comes in through ONE[n]), four per step and one mod per lane per step:
  // g * (B^4 mod P) < 2^52 and each c * (B^k mod P) < 2^34, so the sum stays exact below 2^53.
  // (a called function costs the same from an upvalue; numbers are cheaper as locals)
  const byte = byteAt;
  const mod = fmod;
  const p1 = P1;
  const p2 = P2;
  const a1 = B1;
  const a2 = B2;
  const b1 = SQ1;
  const b2 = SQ2;
  const c1 = CU1;
  const c2 = CU2;
  const d1 = QU1;
  const d2 = QU2;
  let i = 1;
  while (i + 3 <= n) {
    const w = byte(s, i) as number;
    const x = byte(s, i + 1) as number;
    const y = byte(s, i + 2) as number;
    const z = byte(s, i + 3) as number;
    g1 = mod(g1 * d1 + w * c1 + x * b1 + y * a1 + z, p1);
    g2 = mod(g2 * d2 + w * c2 + x * b2 + y * a2 + z, p2);
    i += 4;
  }
  while (i <= n) {
    const w = byte(s, i) as number;
    g1 = mod(g1 * a1 + w, p1);
    g2 = mod(g2 * a2 + w, p2);
    i++;
  }
  return [mod(g1 + one1[n], p1), mod(g2 + one2[n], p2), pow1[n + pl], pow2[n + pl]];
}

/** The token hash of a string value: "<len>:<bytes>". */
export function stringTokenHash(s: string): TokenHash {
  let t = strMemo[s];
  if (t !== undefined) return t;
  t = s.length + 12 < POW_LIMIT ? stringBytesHash(s) : concatHash(hashBytes(s.length + ":"), hashBytes(s));
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
    // One loop for both: an array mixes "[" values "]", a map "{" (key value)* "}". String and
    // number leaves (most of a plan) are mixed here, without a call.
    let n = r;
    let open = 92; // "[" + 1 (a one-byte token's shift is B)
    let close = 94; // "]" + 1
    const isMap = r <= 0;
    if (isMap) {
      n = -r;
      open = 124; // "{" + 1
      close = 126; // "}" + 1
    }
    h1 = fmod(h1 * B1 + open, P1);
    h2 = fmod(h2 * B2 + open, P2);
    const d = depth + 1;
    for (let i = 0; i < n; i++) {
      if (isMap) {
        const k = keys[i];
        if (typeof k === "string") {
          let u = strMemo[k];
          if (u === undefined) u = stringTokenHash(k);
          h1 = fmod(h1 * u[2] + u[0], P1);
          h2 = fmod(h2 * u[3] + u[1], P2);
        } else if (typeof k === "number" || typeof k === "boolean") walk(k, d);
        else marker("key");
      }
      const x = vals[i];
      if (typeof x === "string") {
        let u = strMemo[x];
        if (u === undefined) u = stringTokenHash(x);
        h1 = fmod(h1 * u[2] + u[0], P1);
        h2 = fmod(h2 * u[3] + u[1], P2);
      } else if (typeof x === "number") {
        // (reading a memo at NaN finds nothing; numberTokenHash answers NaN)
        let u = numMemo[x as unknown as string];
        if (u === undefined) u = numberTokenHash(x);
        h1 = fmod(h1 * u[2] + u[0], P1);
        h2 = fmod(h2 * u[3] + u[1], P2);
      } else walk(x, d);
    }
    h1 = fmod(h1 * B1 + close, P1);
    h2 = fmod(h2 * B2 + close, P2);
    if (hpace !== undefined) {
      hsteps += isMap ? n + 1 : n; // (rare: only while paced)
      if (hsteps >= ENTRIES) pauseHash();
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

/** Entries the hash memos hold now (they start over past MEMO_LIMIT). */
export function memoSize(): number {
  return memoCount;
}

/** Forgets the remembered token hashes (tests and benchmarks measure a cold start with it). */
export function resetMemo(): void {
  strMemo = newDict<TokenHash>();
  numMemo = newDict<TokenHash>();
  memoCount = 0;
}
