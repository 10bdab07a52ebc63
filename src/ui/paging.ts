// Pure paging for lists drawn with a fixed pool of row frames: which slice of the data the pool
// shows for a scroll offset. Works in Node and Lua 5.0; cost is independent of the list length.

export interface Page {
  /** The clamped offset (index of the first shown item, 0-based). */
  offset: number;
  /** How many pool rows hold an item (the rest are hidden). */
  count: number;
  /** The largest useful offset. */
  maxOffset: number;
}

export function maxOffset(total: number, visible: number): number {
  return Math.max(0, total - visible);
}

export function clampOffset(offset: number, total: number, visible: number): number {
  const max = maxOffset(total, visible);
  const o = Math.floor(offset);
  if (!(o > 0)) return 0;
  return o > max ? max : o;
}

export function pageOf(total: number, visible: number, offset: number): Page {
  const o = clampOffset(offset, total, visible);
  return { offset: o, count: Math.max(0, Math.min(visible, total - o)), maxOffset: maxOffset(total, visible) };
}

/** Mouse wheel: delta 1 is up (earlier items), -1 down; `step` rows per notch. */
export function wheel(offset: number, delta: number, total: number, visible: number, step = 3): number {
  return clampOffset(offset - delta * step, total, visible);
}

/** The offset that brings item `index` into view (unchanged when it is already shown). */
export function reveal(offset: number, index: number, total: number, visible: number): number {
  if (index < offset) return clampOffset(index, total, visible);
  if (index >= offset + visible) return clampOffset(index - visible + 1, total, visible);
  return clampOffset(offset, total, visible);
}
