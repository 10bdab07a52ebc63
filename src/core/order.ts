// Locale-independent ordering for names shown or processed in a fixed order (raids, encounters):
// byte order, never the client's strcoll, so every client lists and repairs in the same order.
// Runs in Lua 5.0 and in Node.

/** True when a sorts before b by bytes. */
export function byteLess(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d < 0;
  }
  return a.length < b.length;
}

/** The string keys of a table in byte order (other keys and non-tables give nothing). */
export function sortedStringKeys(t: unknown): string[] {
  const keys: string[] = [];
  if (t === undefined || t === null || typeof t !== "object") return keys;
  let n = 0;
  for (const k in t as { [k: string]: unknown }) {
    if (typeof k === "string") {
      keys[n] = k;
      n++;
    }
  }
  keys.sort((a, b) => (a === b ? 0 : byteLess(a, b) ? -1 : 1));
  return keys;
}
