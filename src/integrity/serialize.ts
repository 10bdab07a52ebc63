// Canonical serialisation of Lua values (grammar in canonical.ts): a serialiser and a strict
// parser. The text is the canonical form, so HashString(text) is the value's checksum; it is used
// for wire payloads and backups. Neither function raises an error: failures come back as a reason.
import type { Tick } from "../core/jobs";
import { LuaKey, newTable, setField } from "../core/luatable";
import { byteAt, sub } from "../transport/bytes";
import { MAX_DEPTH, MAX_EXP, MIN_EXP, canonicalEntries, keyLess, numberToken, pow2 } from "./canonical";

export interface SerializeResult {
  text?: string;
  error?: string;
}

export interface ParseResult {
  ok: boolean;
  value?: unknown;
  error?: string;
}

let out: string[] = [];
let no = 0;
let failure: string | undefined;

// Pacing (a job's tick, see core/jobs): the serialiser ticks every PIECES pieces of text and the
// parser every BYTES bytes. Around the tick the module state is saved and the pacer cleared: the
// tick may suspend the job for a frame, and other code may serialise or parse meanwhile.
const PIECES = 600;
const BYTES = 2000;
/** Units (about 1,000 VM instructions) per piece written and per byte parsed (bench:frames). */
export const SERIALIZE_UNITS = 0.06;
export const PARSE_UNITS = 0.028;
let space: Tick | undefined;
let snext = 0;

function pauseSerialize(): void {
  const o = out;
  const n = no;
  const f = failure;
  const p = space as Tick;
  space = undefined;
  p(PIECES * SERIALIZE_UNITS);
  out = o;
  no = n;
  failure = f;
  space = p;
  snext = n + PIECES;
}

function emit(v: unknown, depth: number): void {
  if (failure !== undefined) return;
  if (typeof v === "string") {
    out[no] = v.length + ":";
    out[no + 1] = v;
    no += 2;
  } else if (typeof v === "number") {
    out[no] = numberToken(v);
    no++;
  } else if (v === true) {
    out[no] = "t";
    no++;
  } else if (v === false) {
    out[no] = "f";
    no++;
  } else if (typeof v === "object" && v !== null) {
    if (depth >= MAX_DEPTH) {
      failure = "nested deeper than " + MAX_DEPTH + " (or a cycle)";
      return;
    }
    const keys: LuaKey[] = [];
    const vals: unknown[] = [];
    const r = canonicalEntries(v, keys, vals);
    if (r > 0) {
      out[no] = "[";
      no++;
      for (let i = 0; i < r; i++) {
        emit(vals[i], depth + 1);
        if (space !== undefined && no >= snext) pauseSerialize();
      }
      out[no] = "]";
      no++;
    } else {
      out[no] = "{";
      no++;
      const n = -r;
      for (let i = 0; i < n; i++) {
        const k = keys[i];
        if (typeof k !== "string" && typeof k !== "number" && typeof k !== "boolean") {
          failure = "unsupported key type " + typeof k;
          return;
        }
        emit(k, depth + 1);
        emit(vals[i], depth + 1);
        if (space !== undefined && no >= snext) pauseSerialize();
      }
      out[no] = "}";
      no++;
    }
  } else {
    failure = "unsupported value type " + (v === undefined ? "nil" : typeof v);
  }
}

/**
 * Serialises a value (string, number, boolean or table of those) to its canonical text. With a
 * job's tick, the work is paced (the tick may suspend the job between pieces).
 */
export function serialize(v: unknown, tick?: Tick): SerializeResult {
  out = [];
  no = 0;
  failure = undefined;
  space = tick;
  snext = PIECES;
  emit(v, 0);
  space = undefined;
  const text = failure === undefined ? out.join("") : undefined;
  const error = failure;
  out = [];
  no = 0;
  failure = undefined;
  return error === undefined ? { text } : { error };
}

// The parser -------------------------------------------------------------------------------------

let src = "";
let pos = 0;
let len = 0;
let perr: string | undefined;
let ppace: Tick | undefined;
let pnext = 0;

function pauseParse(): void {
  const s = src;
  const at = pos;
  const n = len;
  const e = perr;
  const p = ppace as Tick;
  ppace = undefined;
  p(BYTES * PARSE_UNITS);
  src = s;
  pos = at;
  len = n;
  perr = e;
  ppace = p;
  pnext = at + BYTES;
}

function fail(message: string): undefined {
  if (perr === undefined) perr = message + " at byte " + (pos + 1);
  return undefined;
}

// The parser reads bytes as numbers (byteAt: string.byte in Lua, 1-based), not one-char strings.
const OPEN_ARRAY = 91; // [
const CLOSE_ARRAY = 93; // ]
const OPEN_MAP = 123; // {
const CLOSE_MAP = 125; // }

function isDigits(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  const byte = byteAt;
  for (let i = 1; i <= n; i++) {
    const c = byte(s, i) as number;
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Reads up to the next ';' and returns the token text including it. */
function readTerminated(): string | undefined {
  const stop = src.indexOf(";", pos);
  if (stop < 0 || stop - pos > 40) return fail("unterminated number");
  const token = src.substring(pos, stop + 1);
  pos = stop + 1;
  return token;
}

function parseNumber(): number | undefined {
  const start = pos;
  const token = readTerminated();
  if (token === undefined) return undefined;
  let value: number;
  if (token.charAt(0) === "#") {
    const body = token.substring(1, token.length - 1);
    const digits = body.charAt(0) === "-" ? body.substring(1) : body;
    if (!isDigits(digits) || digits.length > 16) {
      pos = start;
      return fail("bad integer");
    }
    value = Number(body);
  } else {
    const p = token.indexOf("p");
    if (p < 0) {
      pos = start;
      return fail("bad number");
    }
    const mant = token.substring(1, p);
    const exp = token.substring(p + 1, token.length - 1);
    const mdigits = mant.charAt(0) === "-" ? mant.substring(1) : mant;
    const edigits = exp.charAt(0) === "-" ? exp.substring(1) : exp;
    if (!isDigits(mdigits) || mdigits.length > 16 || !isDigits(edigits) || edigits.length > 4) {
      pos = start;
      return fail("bad number");
    }
    const e = Number(exp);
    if (e > 1100 || e < -1100) {
      pos = start;
      return fail("bad number");
    }
    // No odd mantissa times 2^e outside these exponents is a finite double: never canonical.
    if (e < MIN_EXP || e > MAX_EXP) {
      pos = start;
      return fail("non-canonical number");
    }
    // One multiplication: exact whenever the token names a double (the check below refuses others).
    value = Number(mdigits) * pow2(e);
    if (mant.charAt(0) === "-") value = -value;
  }
  if (numberToken(value) !== token) {
    pos = start;
    return fail("non-canonical number");
  }
  return value;
}

function parseString(): string | undefined {
  const colon = src.indexOf(":", pos);
  if (colon < 0 || colon - pos > 9) return fail("bad string length");
  // The length's digits are bytes pos+1..colon (1-based), read in place.
  const byte = byteAt;
  let n = 0;
  for (let i = pos + 1; i <= colon; i++) {
    const c = byte(src, i) as number;
    if (c < 48 || c > 57) return fail("bad string length");
    n = n * 10 + (c - 48);
  }
  if (colon === pos || (colon - pos > 1 && byte(src, pos + 1) === 48)) return fail("bad string length");
  if (colon + 1 + n > len) return fail("string runs past the end");
  const s = sub(src, colon + 2, colon + 1 + n);
  pos = colon + 1 + n;
  return s;
}

/** A scalar token (string, number, boolean) starting with byte c; `undefined` with perr set on failure. */
function parseScalar(c: number): unknown {
  if (c >= 48 && c <= 57) return parseString();
  if (c === 116 /* t */) {
    pos++;
    return true;
  }
  if (c === 102 /* f */) {
    pos++;
    return false;
  }
  if (c === 35 /* # */ || c === 100 /* d */) return parseNumber();
  if (c === 120 /* x */) {
    const w = byteAt(src, pos + 2);
    pos += 2;
    if (w === 110 /* n */) return 0 / 0;
    if (w === 105 /* i */) return 1 / 0;
    if (w === 106 /* j */) return -1 / 0;
    pos -= 2;
    return fail("bad number");
  }
  return fail("unexpected '" + sub(src, pos + 1, pos + 1) + "'");
}

function parseValue(depth: number): unknown {
  if (pos >= len) return fail("unexpected end");
  const c = byteAt(src, pos + 1) as number;
  if (c === OPEN_ARRAY) {
    if (depth >= MAX_DEPTH) return fail("nested too deep");
    pos++;
    const t = newTable();
    let n = 0;
    while (pos < len && byteAt(src, pos + 1) !== CLOSE_ARRAY) {
      const v = parseValue(depth + 1);
      if (perr !== undefined) return undefined;
      n++;
      setField(t, n, v);
      if (ppace !== undefined && pos >= pnext) pauseParse();
    }
    if (pos >= len) return fail("unterminated array");
    if (n === 0) return fail("empty array (the empty table is {})");
    pos++;
    return t;
  }
  if (c === OPEN_MAP) {
    if (depth >= MAX_DEPTH) return fail("nested too deep");
    pos++;
    const t = newTable();
    let n = 0;
    let prev: unknown = undefined;
    let sequence = true;
    while (pos < len && byteAt(src, pos + 1) !== CLOSE_MAP) {
      const k = parseScalar(byteAt(src, pos + 1) as number);
      if (perr !== undefined) return undefined;
      if (k !== k) return fail("NaN key");
      if (n > 0 && !keyLess(prev, k)) return fail("keys out of canonical order");
      const v = parseValue(depth + 1);
      if (perr !== undefined) return undefined;
      n++;
      if (k !== n) sequence = false;
      setField(t, k as LuaKey, v);
      prev = k;
      if (ppace !== undefined && pos >= pnext) pauseParse();
    }
    if (pos >= len) return fail("unterminated table");
    if (n > 0 && sequence) return fail("sequence written as a map");
    pos++;
    return t;
  }
  return parseScalar(c);
}

/** Parses canonical text back into a value; never raises an error. Paced with a job's tick. */
export function deserialize(text: unknown, tick?: Tick): ParseResult {
  if (typeof text !== "string") return { ok: false, error: "not a string" };
  src = text;
  pos = 0;
  len = text.length;
  perr = undefined;
  ppace = tick;
  pnext = BYTES;
  const value = parseValue(0);
  ppace = undefined;
  if (perr === undefined && pos !== len) fail("trailing data");
  const error = perr;
  src = "";
  perr = undefined;
  if (error !== undefined) return { ok: false, error };
  return { ok: true, value };
}
