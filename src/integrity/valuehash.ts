// The checksum of a value without building its serialisation: the canonical tokens are hashed one
// by one and combined (hash.ts), each distinct string and number token hashed once and remembered.
// checksumValue(v) === hashString(serialize(v)) for every value serialize accepts (tested in Node
// and in Lua 5.0). Values serialize refuses (functions, table keys, nesting deeper than MAX_DEPTH)
// still hash deterministically here, through marker tokens, so a checksum never raises an error.
import { LuaKey, newDict } from "../core/luatable";
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
  while (powCount <= n) {
    pow1[powCount] = (pow1[powCount - 1] * B1) % P1;
    pow2[powCount] = (pow2[powCount - 1] * B2) % P2;
    powCount++;
  }
  let g1 = 0;
  let g2 = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) + 1;
    g1 = (g1 * B1 + c) % P1;
    g2 = (g2 * B2 + c) % P2;
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
  h1 = (h1 * t[2] + t[0]) % P1;
  h2 = (h2 * t[3] + t[1]) % P2;
}

function marker(what: string): void {
  mix(hashBytes("?" + what));
}

function walk(v: unknown, depth: number): void {
  let t: TokenHash;
  if (typeof v === "string") {
    t = strMemo[v];
    if (t === undefined) t = stringTokenHash(v);
  } else if (typeof v === "number") {
    t = numberTokenHash(v);
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
    }
    return;
  } else {
    marker(typeof v);
    return;
  }
  h1 = (h1 * t[2] + t[0]) % P1;
  h2 = (h2 * t[3] + t[1]) % P2;
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
export function resetMemo(): void {
  strMemo = newDict<TokenHash>();
  numMemo = newDict<TokenHash>();
  memoCount = 0;
}
