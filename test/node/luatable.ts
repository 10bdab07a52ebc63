// Node stand-in for src/core/luatable.ts (jest moduleNameMapper): Lua tables in the fixture
// convention of shared/data/README.md. A 1-based sequence is a JS array; any other table is an
// object whose numeric keys are written "#N". Strings are byte strings (one char per byte).
export type LuaKey = string | number | boolean;

type AnyTable = any;

const hasOwn = Object.prototype.hasOwnProperty;

function decodeKey(k: string): LuaKey {
  if (k.length > 1 && k.charCodeAt(0) === 35 /* # */) {
    const n = Number(k.substring(1));
    if (!Number.isNaN(n)) return n;
  }
  return k;
}

function encodeKey(k: LuaKey): string {
  if (typeof k === "number") return "#" + (Number.isInteger(k) ? k.toFixed(0) : String(k));
  if (typeof k === "boolean") return "<" + String(k) + ">"; // not representable in the fixture convention
  return k;
}

export function readTable(t: AnyTable, keys: LuaKey[], vals: unknown[]): number {
  if (Array.isArray(t)) {
    for (let i = 0; i < t.length; i++) vals[i] = t[i];
    return t.length;
  }
  let n = 0;
  for (const k of Object.keys(t)) {
    if (t[k] === undefined || t[k] === null) continue;
    keys[n] = decodeKey(k);
    vals[n] = t[k];
    n++;
  }
  if (n === 0) return 0;
  for (let i = 1; i <= n; i++) {
    if (!hasOwn.call(t, "#" + i)) return -n;
  }
  for (let i = 1; i <= n; i++) vals[i - 1] = t["#" + i];
  return n;
}

export function getField(t: AnyTable, k: LuaKey): unknown {
  if (Array.isArray(t)) {
    if (typeof k === "number") return t[k - 1] ?? undefined;
    return undefined;
  }
  const key = encodeKey(k);
  return hasOwn.call(t, key) ? (t[key] ?? undefined) : undefined;
}

export function seqLength(t: AnyTable): number {
  if (Array.isArray(t)) return t.length;
  let n = 0;
  while (hasOwn.call(t, "#" + (n + 1))) n++;
  return n;
}

export function newDict<T>(): { [key: string]: T } {
  return Object.create(null) as { [key: string]: T };
}

export function newTable(): AnyTable {
  return {};
}

/** t[k] = v; numeric keys become "#N"; a table that is only "#1".."#n" reads as a sequence. */
export function setField(t: AnyTable, k: LuaKey, v: unknown): void {
  if (Array.isArray(t)) throw new Error("setField on a JS array");
  const key = encodeKey(k);
  if (v === undefined) delete t[key];
  else t[key] = v;
}
