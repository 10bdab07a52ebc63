// A small cooperative job runner: long work (compression, hashing, backups) spread over frames so
// that no frame spends more than about 5 ms in our code. 1.12 has no precise CPU clock, so work is
// budgeted in units: the job calls tick(units) as it goes, and when the frame's budget is spent it
// is suspended (a Lua coroutine) and resumed on the next frame. One unit is about 1,000 Lua VM
// instructions; the default budget per frame comes from scripts/bench-transport.js (see
// docs/benchmarks.md). In Node (no coroutines) a job runs to completion at once.
import { Platform } from "./platform";

export type Tick = (units: number) => void;

/** @noSelf */
export interface JobRunner {
  /**
   * Queues a job; jobs run one after another in start order. `done` is called outside the job
   * with ok = false and the error message when the job raised an error.
   */
  start: <T>(label: string, work: (tick: Tick) => T, done: (ok: boolean, value: T | undefined, error: string | undefined) => void) => void;
  /** Jobs not finished yet. */
  pending: () => number;
  /** Units a frame may spend. */
  setBudget: (units: number) => void;
  budget: () => number;
  /** Frames that ran jobs, the most units one frame spent, jobs finished and jobs that raised an error. */
  stats: () => { frames: number; maxUnitsInFrame: number; jobsDone: number; jobsFailed: number };
}

/** @noSelf */
interface CoroutineLib {
  create: (f: () => void) => LuaThread;
  resume: (co: LuaThread) => LuaMultiReturn<[boolean, unknown]>;
  yield: () => void;
  status: (co: LuaThread) => string;
}

/** @noSelf */
interface Job {
  work: (tick: Tick) => unknown;
  done: (ok: boolean, value: never, error: string | undefined) => void;
  label: string;
  co: LuaThread | undefined;
  value: unknown;
}

/**
 * Units are thousands of VM instructions. 200 units plus the overshoot of one tick (a job yields
 * only when it ticks) stays under ~300k instructions per frame: about 5 ms at 60 M instructions/s
 * (docs/benchmarks.md "CPU per frame").
 */
export const DEFAULT_FRAME_BUDGET = 200;

export function createJobRunner(platform: Platform, budgetUnits = DEFAULT_FRAME_BUDGET): JobRunner {
  const co = (globalThis as unknown as { coroutine?: CoroutineLib }).coroutine;
  const queue: Job[] = [];
  let head = 0;
  let tail = 0;
  let budget = budgetUnits;
  let used = 0;
  let frameTime = -1;
  let scheduled = false;
  let inside = false;
  let stepping = false;
  let frames = 0;
  let maxUnits = 0;
  let jobsDone = 0;
  let jobsFailed = 0;

  const tick: Tick = (units) => {
    used += units;
    if (used > maxUnits) maxUnits = used;
    if (used >= budget && inside && co !== undefined) co.yield();
  };

  // Removes the head job and reports its outcome (outside any coroutine).
  const finish = (job: Job, ok: boolean, error: string | undefined) => {
    queue[head] = undefined as never;
    head++;
    if (ok) jobsDone++;
    else jobsFailed++;
    job.done(ok, (ok ? job.value : undefined) as never, error === undefined ? undefined : job.label + ": " + error);
  };

  const schedule = () => {
    if (scheduled || head === tail) return;
    scheduled = true;
    platform.after(0, () => {
      scheduled = false;
      step();
    });
  };

  // Runs queued jobs until the frame's budget is spent.
  const step = () => {
    if (stepping) return;
    stepping = true;
    const t = platform.now();
    if (t !== frameTime) {
      frameTime = t;
      used = 0;
      frames++;
    }
    while (head < tail && used < budget) {
      const job = queue[head];
      if (co === undefined) {
        job.value = job.work(tick);
        finish(job, true, undefined);
        continue;
      }
      if (job.co === undefined) {
        job.co = co.create(() => {
          job.value = job.work(tick);
        });
      }
      inside = true;
      const [ok, err] = co.resume(job.co);
      inside = false;
      if (!ok) finish(job, false, String(err));
      else if (co.status(job.co) === "dead") finish(job, true, undefined);
    }
    stepping = false;
    schedule();
  };

  return {
    start: (label, work, done) => {
      queue[tail] = { label, work, done: done as Job["done"], co: undefined, value: undefined };
      tail++;
      // Start at once when this frame still has budget: small jobs finish without a frame's delay.
      if (!inside && !stepping) step();
      else schedule();
    },
    pending: () => tail - head,
    setBudget: (units) => {
      budget = units;
    },
    budget: () => budget,
    stats: () => ({ frames, maxUnitsInFrame: maxUnits, jobsDone, jobsFailed }),
  };
}
