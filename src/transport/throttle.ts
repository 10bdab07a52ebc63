// The outgoing side of the channel: priority queues of frames and the budget that paces them.
// The budget is the ChatThrottleLib model (shared/docs/platform.md "The throttle"): a message
// costs strlen(prefix) + 1 + strlen(text) + 40; 800 per second refill, burst 4000; 10% refill for
// 5 s after login or a loading screen (PLAYER_ENTERING_WORLD); half below 20 FPS. Like the
// emulator's replay (W:budgetViolations) the refill between two sends uses one rate for the
// whole interval, the clamped one if the interval touches the clamp window, so our pacing is
// never more generous than the model. When a global ChatThrottleLib with a readable budget exists
// (v13, or OG-RaidHelper's Turtle v14), its budget is the one bucket for every addon in the
// client: a frame goes only when the library has room and no queue, so it sends at once and no
// callback of its is needed (v14 drops them). An old copy without a readable budget gets our
// frames under our own pacing.
import { Distribution, Platform, ThrottlePriority } from "../core/platform";

export const MSG_OVERHEAD = 40;
export const MAX_CPS = 800;
export const BURST = 4000;
export const CLAMP_SECONDS = 5;
export const CLAMP_FACTOR = 0.1;
/** Headroom kept below the model so rounding of clock values can never overdraw it. */
const SAFETY = 2;
/** Shortest wait for room in a shared ChatThrottleLib (its own OnUpdate runs every 0.08 s). */
const SHARED_POLL = 0.1;

export const PRIORITIES: ThrottlePriority[] = ["ALERT", "NORMAL", "BULK"];

/** @noSelf */
export interface OutMessage {
  prio: ThrottlePriority;
  /** Undefined while the payload is still being encoded. */
  frames: string[] | undefined;
  nframes: number;
  next: number;
  failed: boolean;
  distribution: Distribution;
  onFrameSent: (() => void) | undefined;
  /** Called when the last frame went out (ok) or the message failed, with the budget its frames cost. */
  onDone: ((ok: boolean, cost: number) => void) | undefined;
  cost: number;
}

/** @noSelf */
export interface Throttle {
  enqueue: (msg: OutMessage) => void;
  /** A queued message finished encoding: its frames may go (pumps). */
  ready: (msg: OutMessage, frames: string[], nframes: number) => void;
  /** A queued message could not be encoded: it leaves the queue (pumps). */
  fail: (msg: OutMessage) => void;
  /** Sends what the budget allows now; call after a queued message became ready. */
  pump: () => void;
  /** Frames and messages waiting. */
  queuedFrames: () => number;
  queuedMessages: () => number;
  /** The budget the model allows right now. */
  available: () => number;
  stats: () => { frames: number; cost: number; viaCTL: number };
}

export function createThrottle(platform: Platform, prefix: string): Throttle {
  const queues: { [prio: string]: { items: OutMessage[]; head: number; tail: number } } = {};
  for (const p of PRIORITIES) queues[p] = { items: [], head: 0, tail: 0 };
  const prefixCost = prefix.length + 1 + MSG_OVERHEAD;
  let availAtLast = 0;
  let lastSend = platform.now();
  let clampStart = lastSend;
  let clampEnd = lastSend + CLAMP_SECONDS;
  let wakeAt = -1;
  let queuedFrames = 0;
  let queuedMessages = 0;
  let sentFrames = 0;
  let sentCost = 0;
  let viaCTL = 0;

  platform.on("PLAYER_ENTERING_WORLD", () => {
    // The clamp runs from the start of the loading screen, which the client does not announce:
    // nothing was sent during it, so start the clamp at the last send (conservative).
    const now = platform.now();
    clampStart = lastSend < now ? lastSend : now;
    clampEnd = now + CLAMP_SECONDS;
  });

  const rateFor = (t: number): number => {
    let rate = MAX_CPS;
    if (platform.framerate() < 20) rate = rate * 0.5;
    if (lastSend < clampEnd && t > clampStart) rate = rate * CLAMP_FACTOR;
    return rate;
  };

  const availableAt = (t: number): number => {
    const a = availAtLast + (t - lastSend) * rateFor(t);
    return a > BURST ? BURST : a;
  };

  const wake = (delay: number) => {
    const at = platform.now() + delay;
    if (wakeAt >= 0 && wakeAt <= at) return;
    wakeAt = at;
    platform.after(delay, () => {
      if (wakeAt === at) wakeAt = -1;
      pump();
    });
  };

  const headOf = (): OutMessage | undefined => {
    for (const p of PRIORITIES) {
      const q = queues[p];
      while (q.head < q.tail) {
        const m = q.items[q.head];
        if (m.failed) {
          q.items[q.head] = undefined as never;
          q.head++;
          queuedMessages--;
          if (m.onDone !== undefined) m.onDone(false, m.cost);
          continue;
        }
        if (m.frames !== undefined) return m;
        break; // still encoding: this priority waits, lower ones may go
      }
    }
    return undefined;
  };

  const pump = () => {
    for (;;) {
      const m = headOf();
      if (m === undefined) return;
      const frames = m.frames as string[];
      const text = frames[m.next];
      const cost = prefixCost + text.length;
      const now = platform.now();
      const ctl = platform.throttleLib();
      const shared = ctl !== undefined ? ctl.budget() : undefined;
      if (shared !== undefined) {
        if (shared < cost + SAFETY) {
          const short = cost + SAFETY - (shared > 0 ? shared : 0);
          wake(short / MAX_CPS > SHARED_POLL ? short / MAX_CPS : SHARED_POLL);
          return;
        }
      } else {
        const avail = availableAt(now);
        if (avail < cost + SAFETY) {
          wake((cost + SAFETY - avail) / rateFor(now) + 0.001);
          return;
        }
        availAtLast = avail - cost;
      }
      lastSend = now;
      if (ctl !== undefined) {
        ctl.sendAddonMessage(m.prio, prefix, text, m.distribution);
        viaCTL++;
      } else {
        platform.sendAddonMessage(prefix, text, m.distribution);
      }
      sentFrames++;
      sentCost += cost;
      m.cost += cost;
      queuedFrames--;
      frames[m.next] = undefined as never;
      m.next++;
      if (m.onFrameSent !== undefined) m.onFrameSent();
      if (m.next >= m.nframes) {
        const q = queues[m.prio];
        q.items[q.head] = undefined as never;
        q.head++;
        queuedMessages--;
        if (m.onDone !== undefined) m.onDone(true, m.cost);
      }
    }
  };

  return {
    enqueue: (msg) => {
      const q = queues[msg.prio];
      q.items[q.tail] = msg;
      q.tail++;
      queuedMessages++;
    },
    pump,
    queuedFrames: () => queuedFrames,
    queuedMessages: () => queuedMessages,
    available: () => availableAt(platform.now()),
    ready: (msg, frames, nframes) => {
      msg.frames = frames;
      msg.nframes = nframes;
      queuedFrames += nframes;
      pump();
    },
    fail: (msg) => {
      msg.failed = true;
      pump();
    },
    stats: () => ({ frames: sentFrames, cost: sentCost, viaCTL }),
  };
}
