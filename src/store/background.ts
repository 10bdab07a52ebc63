// Heavy store work spread over frames with the job runner (core/jobs, issue 13): applying a whole
// plan or a raid, rebuilding the checksum tree and serialising a node. The sync calls these.
//
// An apply is all-or-nothing: the payload is parsed, migrated and checksummed aside (paced, over
// many frames), then swapped in by store.apply in one cheap step with the tree computed aside, so
// the cache never holds a half-applied plan. The result aside depends only on the payload, so
// edits that arrive meanwhile simply land before the swap (as if they came first). A tree rebuild
// does read the live plan: when a write comes while it runs, it starts again (after MAX_RESTARTS it
// finishes in one go, so a stream of edits cannot starve it).
// Lua-only.
import { JobRunner, Tick } from "../core/jobs";
import { deserialize, serialize } from "../integrity/serialize";
import * as T from "../integrity/tree";
import type { RaidNode, TreeNode } from "../integrity/tree";
import { setHashPace } from "../integrity/valuehash";
import { migratePlan } from "./migrate";
import { isTable } from "../core/values";
import { NodeRef, PLAN_KEYS, Store, scratchPlanFor } from "./store";

type Table = any;

export const MAX_RESTARTS = 3;

/** Called outside the job: ok, or nil + reason. */
export type Done<T> = (value: T | undefined, error: string | undefined) => void;

/** The whole tree of a plan-shaped table, paced (inside a job). */
export function computeTreePaced(sv: unknown, tick: Tick): TreeNode {
  setHashPace(tick);
  const global = T.globalChecksums(sv);
  const raids: { [name: string]: RaidNode } = {};
  for (const name of T.raidNames(sv)) {
    const node = T.computeRaidNode(sv, name);
    if (node !== undefined) raids[name] = node;
  }
  const structure = T.combineStructure(global, raids);
  setHashPace(undefined);
  return { structure, global, raids };
}

export interface Prepared {
  payload?: Table;
  tree?: TreeNode | RaidNode;
  error?: string;
}

/**
 * Inside a job: parses (when text), migrates and checksums a STRUCTURE or RAID payload aside.
 * Other levels are small and are only parsed. The payload is the caller's own: it is not copied.
 */
export function preparePayload(ref: NodeRef, payload: unknown, expected: string | undefined, tick: Tick): Prepared {
  let p = payload as Table;
  if (typeof payload === "string") {
    const parsed = deserialize(payload, tick);
    if (!parsed.ok) return { error: "payload does not parse: " + parsed.error };
    p = parsed.value;
  }
  if (!isTable(p) || !isTable(ref)) return { payload: p };
  let tree: TreeNode | RaidNode | undefined;
  let sum: string | undefined;
  if (ref.level === "STRUCTURE") {
    migratePlan(p);
    if (!isTable(p.encounterMgmt) || !isTable(p.encounterMgmt.raids)) return { payload: p };
    // The tables store.apply puts in place of missing ones, so the tree aside is the swapped-in one.
    if (!isTable(p.encounterMgmt.roles)) p.encounterMgmt.roles = {};
    for (const k of PLAN_KEYS) if (!isTable(p[k])) p[k] = {};
    const t = computeTreePaced(p, tick);
    tree = t;
    sum = t.structure;
  } else if (ref.level === "RAID" && typeof ref.raid === "string" && isTable(p.raid)) {
    setHashPace(tick);
    const node = T.computeRaidNode(scratchPlanFor(ref, p), ref.raid);
    setHashPace(undefined);
    tree = node;
    sum = node === undefined ? T.UNKNOWN : node.rollup;
  }
  if (expected !== undefined && sum !== undefined && sum !== expected) return { error: "payload checksum does not match" };
  // Levels without a tree aside keep the store's own check.
  return { payload: p, tree };
}

/**
 * Applies a node payload (table or canonical text) over frames: prepared aside in a job, swapped
 * in at the end (store.apply). done(true) or done(undefined, reason); nothing changes on failure.
 */
export function applyInBackground(jobs: JobRunner, store: Store, ref: NodeRef, payload: unknown, source: string | undefined, expected: string | undefined, done: Done<true>): void {
  jobs.start(
    "apply",
    (tick) => preparePayload(ref, payload, expected, tick),
    (ok, r, err) => {
      setHashPace(undefined);
      const failure = !ok ? err : r === undefined ? "no result" : r.error;
      if (failure !== undefined || r === undefined) return done(undefined, failure);
      // (a local: TSTL spreads a conditional argument through a table, which drops what follows a nil in Lua 5.0)
      const check = r.tree === undefined ? expected : undefined;
      const bad = store.apply(ref, r.payload, source, check, r.tree);
      if (bad !== undefined) return done(undefined, bad);
      done(true, undefined);
    },
  );
}

/**
 * Inside a job: runs read(tick) over the live plan again until no write came while it ran (a tick
 * may suspend the job for a frame, and the plan may change meanwhile). When writes keep coming,
 * the last attempt runs in one go (tick undefined: no write can interleave), so edits cannot starve it.
 */
export function readStable<T>(store: Store, tick: Tick, read: (tick: Tick | undefined) => T): T {
  for (let attempt = 0; attempt < MAX_RESTARTS; attempt++) {
    const at = store.writes();
    const r = read(tick);
    if (store.writes() === at) return r;
  }
  return read(undefined);
}

/** The whole tree from the live data, paced, in a job; restarts when a write comes meanwhile. then(fresh, at) runs outside the job. */
function freshTreeJob<R>(jobs: JobRunner, store: Store, done: Done<R>, then: (fresh: TreeNode, at: number) => void): void {
  jobs.start(
    "checksums",
    (tick) => readStable(store, tick, (t) => ({ fresh: t === undefined ? T.computeTree(store.sv()) : computeTreePaced(store.sv(), t), at: store.writes() })),
    (ok, r, err) => {
      setHashPace(undefined);
      if (!ok || r === undefined) return done(undefined, err);
      then(r.fresh, r.at);
    },
  );
}

/**
 * Recomputes the cached tree over frames and tells the store's listeners what differed (a change
 * with source "direct": the data was written behind the store). done(number of changed checksums).
 */
export function refreshInBackground(jobs: JobRunner, store: Store, done: Done<number>): void {
  freshTreeJob(jobs, store, done, (fresh, at) => {
    let n = store.refresh([[]], fresh, at);
    // A write came between the job's end and now: the synchronous path (rare).
    if (n === 0 && store.writes() !== at) n = store.refresh([[]]);
    done(n, undefined);
  });
}

/** Recomputes the cached tree over frames; done(true when it was already current). */
export function rebuildInBackground(jobs: JobRunner, store: Store, done: Done<boolean>): void {
  freshTreeJob(jobs, store, done, (fresh, at) => {
    const before = store.tree().structure;
    if (!store.adoptTree(fresh, at)) return done(store.rebuild(), undefined);
    done(before === fresh.structure, undefined);
  });
}

/** The canonical text of a node's payload, serialised over frames (the text of an answer). */
export function serializeInBackground(jobs: JobRunner, store: Store, ref: NodeRef, done: Done<string>): void {
  if (store.extract(ref) === undefined) return done(undefined, "unknown node");
  jobs.start(
    "serialize",
    // The payload is the live tables: a write meanwhile may change them, so start again.
    (tick) =>
      readStable(store, tick, (t) => {
        const payload = store.extract(ref);
        return payload === undefined ? { error: "unknown node" } : serialize(payload, t);
      }),
    (ok, r, err) => {
      if (!ok || r === undefined) return done(undefined, err);
      done(r.text, r.error);
    },
  );
}
