// Small value helpers shared by every module (runs in Node and in Lua).

/** A Lua table (a JS object or array under Node). */
export function isTable(v: unknown): boolean {
  return typeof v === "object" && v !== null;
}

/** The public API's convention for a call that can fail: true, or nil and the reason. */
export function nilOr(reason: string | undefined): LuaMultiReturn<[true] | [undefined, string]> {
  if (reason === undefined) return $multi(true);
  return $multi(undefined, reason);
}

/** value, or nil and the reason. */
export function valueOr(value: unknown, reason: string | undefined): LuaMultiReturn<[unknown, string | undefined]> {
  if (reason === undefined) return $multi(value, undefined);
  return $multi(undefined, reason);
}
