// Reading Lua tables from code that also runs in Node. In Lua these are plain table operations;
// under jest (Node) test/node/luatable.ts replaces this module (jest moduleNameMapper) and reads the
// fixture convention of shared/data/README.md instead: a 1-based sequence is a JS array, any other
// table an object whose numeric keys are written "#N". Only the integrity core goes through here;
// Lua-only modules (store, app) index tables directly.

export type LuaKey = string | number | boolean;

type AnyTable = any;

/**
 * Reads every entry of table t. When t is a non-empty sequence (keys exactly 1..n) the values are
 * written to vals[0..n-1] in order and n is returned; otherwise keys and values are written to
 * keys/vals in no particular order and minus the entry count is returned (0 for an empty table).
 */
export function readTable(t: AnyTable, keys: LuaKey[], vals: unknown[]): number {
  let n = 0;
  for (const k in t) {
    keys[n] = k;
    vals[n] = t[k];
    n++;
  }
  if (n === 0) return 0;
  for (let i = 1; i <= n; i++) {
    if (t[i] === undefined) return -n;
  }
  for (let i = 1; i <= n; i++) {
    vals[i - 1] = t[i];
  }
  return n;
}

/** t[k] for a string or number key (Lua semantics: 1 and "1" are different keys). */
export function getField(t: AnyTable, k: LuaKey): unknown {
  return t[k as string];
}

/** Length of the sequence part 1..n of t (stops at the first nil; ignores a field `n`). */
export function seqLength(t: AnyTable): number {
  let n = 0;
  while (t[n + 1] !== undefined) n++;
  return n;
}

/** A fresh table for use as a string- or number-keyed dictionary. */
export function newDict<T>(): { [key: string]: T } {
  return {};
}

/** A fresh empty table. */
export function newTable(): AnyTable {
  return {};
}

/** t[k] = v (Lua semantics). */
export function setField(t: AnyTable, k: LuaKey, v: unknown): void {
  t[k as string] = v;
}
