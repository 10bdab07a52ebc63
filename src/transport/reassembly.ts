// Bookkeeping of the receive path: per-sender state, incomplete payloads and the bytes they hold,
// the limits on both (per sender, all senders together, timeouts) and the ids recently completed
// or rejected (so a repeated frame is a duplicate, not a new payload). A full pool makes room among
// the payloads of the sender holding the most: a flooding sender pushes out only its own. The
// payloads of urgent senders (the raid admin) are outside the pool all others share.
import { byteLen, joinN } from "./bytes";
import { note, Reassembly, SenderState, TransportState } from "./state";
import type { Envelope } from "./wire";

const RECENT_SECONDS = 300;
const SWEEP_SECONDS = 5;

export function senderState(st: TransportState, name: string): SenderState {
  let s = st.senders[name];
  if (s === undefined) {
    s = { partials: {}, npartials: 0, recent: {}, recentAt: {}, last: st.platform.now(), bytes: 0 };
    st.senders[name] = s;
  }
  return s;
}

/** Notes id as completed (its check value) or rejected (-1). */
export function remember(st: TransportState, s: SenderState, id: number, value: number): void {
  s.recent[id] = value;
  s.recentAt[id] = st.platform.now();
}

export function forget(s: SenderState, id: number): void {
  s.recent[id] = undefined as never;
  s.recentAt[id] = undefined as never;
}

/** True when the payload with this id and check value was completed or rejected lately. */
export function seenLately(s: SenderState, id: number, check: number): boolean {
  return s.recent[id] === check || s.recent[id] === -1;
}

/** A new incomplete payload; the sender's least recently active one goes when it has too many. */
export function openPartial(st: TransportState, s: SenderState, sender: string, id: number, distribution: string, now: number): Reassembly {
  if (s.npartials >= st.config.maxPartialsPerSender) {
    let oldest: Reassembly | undefined = undefined;
    for (const key in s.partials) {
      const q = s.partials[key as unknown as number];
      if (q !== undefined && (oldest === undefined || q.last < oldest.last)) oldest = q;
    }
    if (oldest !== undefined) {
      note(st, "too many incomplete payloads from one sender", sender + " #" + oldest.id);
      removePartial(st, s, oldest);
    }
  }
  const p: Reassembly = { id, count: 0, env: undefined, bodies: {}, have: 0, bytes: 0, last: now, distribution, urgent: false };
  s.partials[id] = p;
  s.npartials++;
  st.partialCount++;
  scheduleSweep(st);
  return p;
}

export function removePartial(st: TransportState, s: SenderState, p: Reassembly): void {
  s.partials[p.id] = undefined as never;
  s.npartials--;
  st.partialCount--;
  countBytes(st, s, p, -p.bytes);
}

/** Counts bytes of p in (or, negative, out of) the buffer totals: all, the shared pool unless urgent, the sender's. */
function countBytes(st: TransportState, s: SenderState, p: Reassembly, bytes: number): void {
  st.bufferedBytes += bytes;
  if (!p.urgent) st.sharedBytes += bytes;
  s.bytes += bytes;
}

/** The first frame told the payload's urgency: an urgent payload leaves the shared pool. */
export function setUrgent(st: TransportState, p: Reassembly, urgent: boolean): void {
  if (urgent && !p.urgent) st.sharedBytes -= p.bytes;
  else if (!urgent && p.urgent) st.sharedBytes += p.bytes;
  p.urgent = urgent;
}

/** Frames that arrived before the first one and lie beyond its count are garbage. */
export function dropBeyondCount(st: TransportState, s: SenderState, p: Reassembly): void {
  for (const key in p.bodies) {
    const k = key as unknown as number;
    if (p.bodies[k] !== undefined && k >= p.count) {
      const size = byteLen(p.bodies[k]);
      countBytes(st, s, p, -size);
      p.bytes -= size;
      p.bodies[k] = undefined as never;
      p.have--;
    }
  }
}

/**
 * Stores one frame's body. False when the buffer cannot take it even after dropping the sender's
 * other incomplete payloads: then this payload is dropped and its later frames are duplicates.
 */
export function storeBody(st: TransportState, s: SenderState, sender: string, p: Reassembly, index: number, body: string, now: number): boolean {
  const size = byteLen(body);
  if (!makeRoom(st, s, sender, size, p)) {
    note(st, "buffer full, dropped an incomplete payload", sender + " #" + p.id);
    removePartial(st, s, p);
    remember(st, s, p.id, -1);
    return false;
  }
  p.bodies[index] = body;
  p.have++;
  p.bytes += size;
  p.last = now;
  countBytes(st, s, p, size);
  return true;
}

/** The whole body of a complete payload; the payload leaves the buffer and is remembered as done. */
export function takeBody(st: TransportState, s: SenderState, p: Reassembly): string {
  const parts: string[] = [];
  for (let k = 0; k < p.count; k++) parts[k] = p.bodies[k];
  removePartial(st, s, p);
  remember(st, s, p.id, (p.env as Envelope).check);
  return joinN(parts, p.count);
}

/** Tells the progress listeners how much of a multi-frame payload is in. */
export function reportProgress(st: TransportState, sender: string, p: Reassembly): void {
  const env = p.env;
  if (env === undefined || p.count <= 1 || st.partialListeners.length === 0) return;
  // Until every frame is in, expect full frames after the first one.
  const first = p.bodies[0];
  let expected = p.bytes;
  if (p.have < p.count && first !== undefined) expected = byteLen(first) + (p.count - 1) * (st.maxText - 7);
  if (expected < p.bytes) expected = p.bytes;
  for (const fn of st.partialListeners) {
    try {
      fn(sender, env.type, env.target, p.bytes, expected, p.have, p.count);
    } catch (e) {
      note(st, "progress listener error", String(e));
    }
  }
}

// Makes room for `bytes` more buffered bytes of sender s: within its own limit by dropping its own
// least recently active other payloads; within the shared pool (unless the payload is urgent) by
// dropping payloads of the sender that holds the most, least recently active first. A sender that
// floods the pool loses its own payloads, never those of a sender holding less.
function makeRoom(st: TransportState, s: SenderState, sender: string, bytes: number, keep: Reassembly): boolean {
  while (s.bytes + bytes > st.config.maxBufferedPerSender) {
    if (!dropOldest(st, s, sender, keep)) return false;
  }
  if (keep.urgent) return true;
  while (st.sharedBytes + bytes > st.config.maxBuffered) {
    let heaviest: SenderState = s;
    let heaviestName = sender;
    for (const name in st.senders) {
      const o = st.senders[name];
      if (o !== undefined && o.bytes > heaviest.bytes) {
        heaviest = o;
        heaviestName = name;
      }
    }
    if (!dropOldest(st, heaviest, heaviestName, keep)) return false;
  }
  return true;
}

// Drops the least recently active non-urgent payload of one sender (not `keep`); false when none.
function dropOldest(st: TransportState, s: SenderState, sender: string, keep: Reassembly): boolean {
  let oldest: Reassembly | undefined = undefined;
  for (const key in s.partials) {
    const p = s.partials[key as unknown as number];
    if (p !== undefined && p !== keep && !p.urgent && (oldest === undefined || p.last < oldest.last)) oldest = p;
  }
  if (oldest === undefined) return false;
  note(st, "buffer full, dropped an incomplete payload", sender + " #" + oldest.id);
  removePartial(st, s, oldest);
  return true;
}

export function scheduleSweep(st: TransportState): void {
  if (st.sweepScheduled) return;
  st.sweepScheduled = true;
  st.platform.after(SWEEP_SECONDS, () => sweep(st));
}

// Discards incomplete payloads nobody sent a frame for in reassemblyTimeout seconds, and forgets
// old completed ids.
function sweep(st: TransportState): void {
  st.sweepScheduled = false;
  const now = st.platform.now();
  let keep = false;
  for (const name in st.senders) {
    const s = st.senders[name];
    if (s === undefined) continue;
    for (const key in s.partials) {
      const p = s.partials[key as unknown as number];
      if (p === undefined) continue; // (Node keeps keys set to undefined)
      if (now - p.last > st.config.reassemblyTimeout) {
        note(st, "incomplete payload timed out", name + " #" + p.id + " " + p.have + "/" + p.count);
        removePartial(st, s, p);
      }
    }
    let recentLeft = false;
    for (const key in s.recentAt) {
      const id = key as unknown as number;
      if (s.recentAt[id] === undefined) continue;
      if (now - s.recentAt[id] > RECENT_SECONDS) forget(s, id);
      else recentLeft = true;
    }
    if (s.npartials > 0 || recentLeft) keep = true;
    else st.senders[name] = undefined as never;
  }
  if (keep) scheduleSweep(st);
}
