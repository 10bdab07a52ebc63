// Byte-string primitives that run in both runtimes: in Lua 5.0 they are the string library's own
// C functions (found through _G at load time, so hot loops make one C call per byte), in Node a
// small equivalent over one-char-per-byte strings. Positions are 1-based and inclusive, as in Lua.
/** @noSelf */
interface LuaStringLib {
  byte: (s: string, i: number) => number | undefined;
  char: (this: void, ...bytes: number[]) => string;
  sub: (s: string, i: number, j: number) => string;
  len: (s: string) => number;
  rep: (s: string, n: number) => string;
  gsub: (s: string, pattern: string, repl: (m: string) => string) => LuaMultiReturn<[string, number]>;
}

/** @noSelf */
interface LuaTableLib {
  concat: (t: string[], sep: string, i: number, j: number) => string;
}

const G = globalThis as unknown as { string?: LuaStringLib; table?: LuaTableLib };
const LS = G.string;
const LT = G.table;

/** The byte at 1-based position i, or undefined past the end. */
export const byteAt: (s: string, i: number) => number | undefined =
  LS !== undefined
    ? LS.byte
    : (s: string, i: number) => {
        const c = s.charCodeAt(i - 1);
        return c === c ? c : undefined;
      };

/** Bytes i..j (1-based, inclusive; clamped like string.sub). */
export const sub: (s: string, i: number, j: number) => string =
  LS !== undefined ? LS.sub : (s: string, i: number, j: number) => s.substring(i - 1, j);

export const byteLen: (s: string) => number = LS !== undefined ? LS.len : (s: string) => s.length;

/** parts[1..n] joined (n given so Lua never counts the table). */
export const joinN: (parts: string[], n: number) => string =
  LT !== undefined
    ? (parts: string[], n: number) => (n === 0 ? "" : LT.concat(parts, "", 1, n))
    : (parts: string[], n: number) => parts.slice(0, n).join("");

/** One-byte strings by byte value: CHARS[b]. */
export const CHARS: { [b: number]: string } = {};
/** Byte value by one-byte string: CODES[c]. */
export const CODES: { [c: string]: number } = {};
for (let b = 0; b < 256; b++) {
  const c = String.fromCharCode(b);
  CHARS[b] = c;
  CODES[c] = b;
}

/** Powers of two 2^0..2^52. */
export const POW2: { [n: number]: number } = {};
{
  let p = 1;
  for (let i = 0; i <= 52; i++) {
    POW2[i] = p;
    p = p * 2;
  }
}

/**
 * Replaces every byte of `s` that is a key of `map` (a one-byte string) by map's value.
 * Lua: one string.gsub over a character class (`luaClass`, e.g. "[%z\n|]"), C speed.
 * Returns the new string and the number of replacements.
 */
export function replaceBytes(s: string, luaClass: string, map: { [c: string]: string }): [string, number] {
  if (LS !== undefined) {
    const [out, count] = LS.gsub(s, luaClass, (m) => map[m]);
    return [out, count];
  }
  let count = 0;
  let start = 0;
  const n = s.length;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = map[s.charAt(i)];
    if (r !== undefined) {
      if (i > start) parts.push(s.substring(start, i));
      parts.push(r);
      start = i + 1;
      count++;
    }
  }
  if (start === 0) return [s, 0];
  if (start < n) parts.push(s.substring(start));
  return [parts.join(""), count];
}

/**
 * Replaces every occurrence of `esc` followed by `width` bytes by fn(those bytes); `luaPattern`
 * is the same thing as a Lua pattern ("~(.)" or "~(..)"). fn returns undefined for an invalid
 * sequence: the result is then undefined.
 */
export function unescapeBytes(
  s: string,
  esc: string,
  width: number,
  luaPattern: string,
  fn: (m: string) => string | undefined,
): string | undefined {
  let bad = false;
  if (LS !== undefined) {
    const [out] = LS.gsub(s, luaPattern, (m) => {
      const r = fn(m);
      if (r === undefined) {
        bad = true;
        return "";
      }
      return r;
    });
    if (bad) return undefined;
    // A lone escape at the very end (no `width` bytes after it) is not matched by gsub.
    if (endsInsideEscape(s, esc, width)) return undefined;
    return out;
  }
  const parts: string[] = [];
  let start = 0;
  let i = s.indexOf(esc);
  while (i >= 0) {
    if (i + 1 + width > s.length) return undefined;
    const r = fn(s.substring(i + 1, i + 1 + width));
    if (r === undefined) return undefined;
    parts.push(s.substring(start, i), r);
    start = i + 1 + width;
    i = s.indexOf(esc, start);
  }
  if (start === 0) return s;
  parts.push(s.substring(start));
  return parts.join("");
}

/** True when `s` ends inside an escape sequence (an escape byte with fewer than width bytes after it). */
function endsInsideEscape(s: string, esc: string, width: number): boolean {
  const n = byteLen(s);
  // Walk back over the last width+1 bytes: an escape there that the scan from the left would treat
  // as a sequence start and that lacks bytes means truncation. Sequences never contain esc inside,
  // so any esc in the last `width` bytes is a sequence start.
  for (let k = 0; k < width; k++) {
    const pos = n - k;
    if (pos >= 1 && sub(s, pos, pos) === esc) return true;
  }
  return false;
}
