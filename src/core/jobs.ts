// A small cooperative job runner: long work (compression, hashing, backups) spread over frames so
// that no frame spends more than about 5 ms in our code. 1.12 has no precise CPU clock, so work is
// budgeted in units: the job calls tick(units) as it goes, and when the frame's budget is spent it
// is suspended (a Lua coroutine) and resumed on the next frame. One unit is about 1,000 Lua VM
// instructions; the default budget per frame comes from scripts/bench-transport.js (see
// docs/benchmarks.md). In Node (no coroutines) a job runs to completion at once.
//
// Jobs are queued per owner (the player whose message a job decodes; the client's own work has no
// owner) and owners take turns, one job each, so one sender flooding the queue delays only its own
// jobs. Urgent jobs (the raid admin's edits and polls) go before every turn.
import { Platform } from "./platform";

export type Tick = (units: number) => void;
/**
 * The second argument of a job's work: reserve(units) before a step that cannot tick (a parse, a
 * handler) makes sure the step starts with that much budget left, waiting for the next frame if
 * this one has less (a step larger than the budget starts on a fresh frame).
 */
export type Reserve = (units: number) => void;

/** @noSelf */
export interface JobRunner {
  /**
   * Queues a job; one job runs at a time, and one owner's jobs run in start order. `done` is called
   * outside the job with ok = false and the error message when the job raised an error.
   */
  start: <T>(
    label: string,
    work: (tick: Tick, reserve: Reserve) => T,
    done: (ok: boolean, value: T | undefined, error: string | undefined) => void,
    owner?: string,
    urgent?: boolean,
  ) => void;
  /** Jobs not finished yet (of one owner when given). */
  pending: (owner?: string) => number;
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
  work: (tick: Tick, reserve: Reserve) => unknown;
  done: (ok: boolean, value: never, error: string | undefined) => void;
  label: string;
  owner: string;
  co: LuaThread | undefined;
  value: unknown;
}

/** One owner's jobs, first in first out. */
interface Lane {
  jobs: Job[];
  head: number;
  tail: number;
}

const LOCAL = "";
const URGENT = "*urgent*"; // (no player name has a "*")

/**
 * Units are thousands of VM instructions. 200 units plus the overshoot of one tick (a job yields
 * only when it ticks) stays under ~300k instructions per frame: about 5 ms at 60 M instructions/s
 * (docs/benchmarks.md "CPU per frame").
 */
export const DEFAULT_FRAME_BUDGET = 200;

export function createJobRunner(platform: Platform, budgetUnits = DEFAULT_FRAME_BUDGET): JobRunner {
  const co = (globalThis as unknown as { coroutine?: CoroutineLib }).coroutine;
  // Lanes by owner; `turns` lists the owners with queued jobs, served round-robin from `turn`.
  const lanes: { [owner: string]: Lane } = {};
  const turns: string[] = [];
  const counts: { [owner: string]: number } = {};
  let turn = 0;
  let current: Job | undefined = undefined;
  let total = 0;
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

  const reserve: Reserve = (units) => {
    if (used > 0 && used + units > budget && inside && co !== undefined) {
      // The rest of this frame is given up: the step loop then moves on to the next frame.
      used = budget;
      co.yield();
    }
    used += units;
    if (used > maxUnits) maxUnits = used;
  };

  // The job to run: the one started, else the next urgent one, else the next owner's turn.
  const pick = (): Job | undefined => {
    if (current !== undefined) return current;
    let key: string | undefined = undefined;
    const urgent = lanes[URGENT];
    if (urgent !== undefined) key = URGENT;
    else if (turns.length > 0) {
      if (turn >= turns.length) turn = 0;
      key = turns[turn];
      turn++;
    }
    if (key === undefined) return undefined;
    const lane = lanes[key];
    current = lane.jobs[lane.head];
    lane.jobs[lane.head] = undefined as never;
    lane.head++;
    if (lane.head === lane.tail) {
      // An empty lane goes, so the tables hold only owners with work.
      lanes[key] = undefined as never;
      if (key !== URGENT) {
        turn--;
        turns.splice(turn, 1);
      }
    }
    return current;
  };

  // Reports the outcome of the job that ran (outside any coroutine).
  const finish = (job: Job, ok: boolean, error: string | undefined) => {
    current = undefined;
    total--;
    const left = counts[job.owner] - 1;
    counts[job.owner] = left > 0 ? left : (undefined as never);
    if (ok) jobsDone++;
    else jobsFailed++;
    job.done(ok, (ok ? job.value : undefined) as never, error === undefined ? undefined : job.label + ": " + error);
  };

  const schedule = () => {
    if (scheduled || total === 0) return;
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
    while (used < budget) {
      const job = pick();
      if (job === undefined) break;
      if (co === undefined) {
        job.value = job.work(tick, reserve);
        finish(job, true, undefined);
        continue;
      }
      if (job.co === undefined) {
        job.co = co.create(() => {
          job.value = job.work(tick, reserve);
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
    start: (label, work, done, owner, urgent) => {
      const who = owner ?? LOCAL;
      const key = urgent === true ? URGENT : who;
      let lane = lanes[key];
      if (lane === undefined) {
        lane = { jobs: [], head: 0, tail: 0 };
        lanes[key] = lane;
        if (key !== URGENT) turns.push(key);
      }
      lane.jobs[lane.tail] = { label, work, done: done as Job["done"], owner: who, co: undefined, value: undefined };
      lane.tail++;
      counts[who] = (counts[who] ?? 0) + 1;
      total++;
      // Start at once when this frame still has budget: small jobs finish without a frame's delay.
      if (!inside && !stepping) step();
      else schedule();
    },
    pending: (owner) => (owner === undefined ? total : (counts[owner] ?? 0)),
    setBudget: (units) => {
      budget = units;
    },
    budget: () => budget,
    stats: () => ({ frames, maxUnitsInFrame: maxUnits, jobsDone, jobsFailed }),
  };
}
