// The repair queue (spec 6.3 design note, 6.4.1): turns a validation result into repair jobs at
// the cheapest sufficient level, orders them by relevance to what the player is looking at, and
// runs them one at a time with retries and backoff. Without an admin online it says so once and
// waits for one, instead of retrying in a loop.
import type { Platform } from "../core/platform";
import { sortedStringKeys } from "../core/order";
import type { NodeLevel } from "../core/schema";

export type RepairPriority = "CRITICAL" | "HIGH" | "NORMAL" | "LOW";

/** The spec's ValidationResult.corrupted (only the parts the planner reads). */
export interface CorruptionReport {
  global?: string[];
  raids?: { [raid: string]: { raidLevel?: boolean; encounters?: { [encounter: string]: string[] } } };
}

export interface RepairJob {
  level: NodeLevel;
  priority: RepairPriority;
  raid?: string;
  encounter?: string;
  component?: string;
  /** "BWL > Razorgore > playerAssignments", as the chat lines name places. */
  label: string;
  /**
   * Asked for by this player alone (a repair by name: the window's Repair, RequestRepair), not found
   * through a broadcast every member heard: no random delay, and the admin answers without batching.
   */
  own?: boolean;
}

export interface Selection {
  raid?: string;
  encounter?: string;
}

const PRIORITY_ORDER: { [p: string]: number } = { CRITICAL: 1, HIGH: 2, NORMAL: 3, LOW: 4 };
/** Global components that matter least during a raid (spec 6.2.2 refinement). */
const LOW_PRIORITY_GLOBALS: { [name: string]: boolean } = { tradeItems: true };


/** From this many raids to repair, one full-structure sync (one payload, compressed as a whole). */
export const FULL_SYNC_RAIDS = 3;

/**
 * Smart selection (spec 6.4.1): 1-2 components of one encounter: component syncs; 3 or more:
 * an encounter sync; several encounters of a raid, or its metadata: a raid sync; several raids
 * (FULL_SYNC_RAIDS or more): one full-structure sync.
 */
export function planRepairs(report: CorruptionReport, selection: Selection): RepairJob[] {
  const jobs: RepairJob[] = [];
  for (const name of report.global ?? []) {
    jobs.push({ level: "GLOBAL", component: name, priority: LOW_PRIORITY_GLOBALS[name] ? "LOW" : "NORMAL", label: "Global component '" + name + "'" });
  }
  const raids = report.raids ?? {};
  for (const raid of sortedStringKeys(raids)) {
    const info = raids[raid];
    const encounters = sortedStringKeys(info.encounters);
    const inSelectedRaid = raid === selection.raid;
    if (info.raidLevel === true || encounters.length >= 2) {
      jobs.push({ level: "RAID", raid, priority: inSelectedRaid ? "CRITICAL" : "NORMAL", label: raid });
      continue;
    }
    for (const encounter of encounters) {
      const components = (info.encounters ?? {})[encounter] ?? [];
      let priority: RepairPriority = "NORMAL";
      if (inSelectedRaid) priority = encounter === selection.encounter ? "CRITICAL" : "HIGH";
      if (components.length >= 3 || components.length === 0) {
        jobs.push({ level: "ENCOUNTER", raid, encounter, priority, label: raid + " > " + encounter });
      } else {
        for (const component of components) {
          jobs.push({ level: "COMPONENT", raid, encounter, component, priority, label: raid + " > " + encounter + " > " + component });
        }
      }
    }
  }
  let raidJobs = 0;
  let selectedRaid = false;
  for (const job of jobs) {
    if (job.level === "RAID") {
      raidJobs++;
      if (job.raid === selection.raid) selectedRaid = true;
    }
  }
  if (raidJobs >= FULL_SYNC_RAIDS) return [{ level: "STRUCTURE", priority: selectedRaid ? "CRITICAL" : "NORMAL", label: "Full structure" }];
  // Stable sort by priority (jobs were built in a deterministic order).
  const indexed = jobs.map((job, i) => ({ job, i }));
  indexed.sort((a, b) => {
    const d = PRIORITY_ORDER[a.job.priority] - PRIORITY_ORDER[b.job.priority];
    return d !== 0 ? d : a.i - b.i;
  });
  return indexed.map((e) => e.job);
}

/** True when `outer` repairs everything `inner` would. */
function covers(outer: RepairJob, inner: RepairJob): boolean {
  if (outer.level === "STRUCTURE") return true;
  if (inner.level === "STRUCTURE") return false;
  if (outer.level === "GLOBAL" || inner.level === "GLOBAL") {
    return outer.level === inner.level && outer.component === inner.component;
  }
  if (outer.raid !== inner.raid) return false;
  if (outer.level === "RAID") return true;
  if (inner.level === "RAID") return false;
  if (outer.encounter !== inner.encounter) return false;
  if (outer.level === "ENCOUNTER") return true;
  return inner.level === "COMPONENT" && outer.component === inner.component;
}

/** noAdmin: wait for an admin (no attempt used); fatal: retrying cannot help (unknown node). */
export type RepairOutcome = { ok: true } | { ok: false; reason: string; noAdmin?: boolean; fatal?: boolean };

/** @noSelf */
export interface RepairExecutor {
  /** Requests one repair and calls done once with the outcome. */
  run: (job: RepairJob, done: (outcome: RepairOutcome) => void) => void;
  /** Is an admin online to answer? */
  adminOnline: () => boolean;
  /** A job is done for good: repaired (reason undefined) or given up after `attempts`. */
  settled?: (job: RepairJob, attempts: number, reason: string | undefined) => void;
  /** The player asked for what the running job covers: ask now rather than after its random wait. */
  hurry?: (job: RepairJob) => void;
  /** The player asked for a node holding the running job's, which has not asked yet: end it quietly (true) so the player's goes first. */
  withdraw?: (job: RepairJob) => boolean;
}

/** @noSelf */
export interface RepairQueue {
  /** Queues repairs for a validation result (QueueRepair); returns the jobs added. */
  queue: (report: CorruptionReport, selection: Selection) => RepairJob[];
  /** Queues jobs as given (a repair asked for by name); returns the jobs added. */
  queueJobs: (jobs: RepairJob[]) => RepairJob[];
  /** Call when an admin becomes reachable (a poll arrived): resumes a waiting queue. */
  adminAvailable: () => void;
  pending: () => RepairJob[];
  busy: () => boolean;
  /** Nothing running, queued or waiting to retry. */
  idle: () => boolean;
  clear: () => void;
}

export const MAX_ATTEMPTS = 3;
/** Backoff before attempt 2 and 3, in seconds. */
export const RETRY_DELAYS = [2, 5];

export function createRepairQueue(platform: Platform, executor: RepairExecutor, say: (line: string) => void): RepairQueue {
  let jobs: RepairJob[] = [];
  let running: RepairJob | undefined;
  let waitingForAdmin = false;
  let timer: number | undefined;
  /** The running job being withdrawn: its outcome is not a failure and starts nothing. */
  let dropped: RepairJob | undefined;

  const sortJobs = () => {
    const indexed = jobs.map((job, i) => ({ job, i }));
    indexed.sort((a, b) => {
      const d = PRIORITY_ORDER[a.job.priority] - PRIORITY_ORDER[b.job.priority];
      return d !== 0 ? d : a.i - b.i;
    });
    jobs = indexed.map((e) => e.job);
  };

  const next = (): void => {
    if (running !== undefined || timer !== undefined || jobs.length === 0) return;
    if (!executor.adminOnline()) {
      if (!waitingForAdmin) {
        waitingForAdmin = true;
        say("No raid admin is online to repair from; the repair will run when one is.");
      }
      return;
    }
    waitingForAdmin = false;
    const job = jobs.shift() as RepairJob;
    attempt(job, 1);
  };

  const attempt = (job: RepairJob, n: number): void => {
    running = job;
    if (n === 1) say("Requesting repair from raid admin... (" + job.label + ")");
    let finished = false;
    executor.run(job, (outcome) => {
      if (finished) return;
      finished = true;
      running = undefined;
      if (job === dropped) {
        dropped = undefined;
        return;
      }
      if (outcome.ok) {
        say("Repair completed successfully (" + job.label + ")");
        if (executor.settled !== undefined) executor.settled(job, n, undefined);
        next();
        return;
      }
      if (outcome.noAdmin === true) {
        jobs.unshift(job);
        next();
        return;
      }
      if (n >= MAX_ATTEMPTS || outcome.fatal === true) {
        say("Repair failed after " + n + (n === 1 ? " attempt" : " attempts") + " (" + job.label + "): " + outcome.reason);
        if (executor.settled !== undefined) executor.settled(job, n, outcome.reason);
        next();
        return;
      }
      timer = platform.after(RETRY_DELAYS[n - 1], () => {
        timer = undefined;
        if (!executor.adminOnline()) {
          jobs.unshift(job);
          next();
          return;
        }
        attempt(job, n + 1);
      });
    });
  };

  const addJobs = (planned: RepairJob[]): RepairJob[] => {
    const added: RepairJob[] = [];
    for (const job of planned) {
      if (running !== undefined && covers(running, job)) {
        if (job.own === true && running.own !== true && executor.hurry !== undefined) executor.hurry(running);
        continue;
      }
      const covering = jobs.find((queued) => covers(queued, job));
      if (covering !== undefined) {
        // The player's own request: the covering job asks at once when its turn comes.
        if (job.own === true) covering.own = true;
        continue;
      }
      jobs = jobs.filter((queued) => !covers(job, queued));
      jobs.push(job);
      added.push(job);
      // Queued first, so the queue is never idle in between (that would end manual repairs early).
      if (job.own === true && running !== undefined && running.own !== true && covers(job, running) && executor.withdraw !== undefined) {
        dropped = running;
        if (!executor.withdraw(running)) dropped = undefined;
      }
    }
    sortJobs();
    next();
    return added;
  };

  return {
    queue: (report, selection) => addJobs(planRepairs(report, selection)),
    queueJobs: (list) => addJobs(list),
    adminAvailable: () => {
      if (waitingForAdmin) next();
    },
    pending: () => jobs.slice(),
    busy: () => running !== undefined,
    idle: () => running === undefined && timer === undefined && jobs.length === 0,
    clear: () => {
      jobs = [];
      if (timer !== undefined) platform.cancel(timer);
      timer = undefined;
    },
  };
}
