// The checksum scrub (issue 12): the cached tree learns of writes made through the store only, but
// OG-RaidHelper, /script lines and bugs write OGRH_SV directly. The scrub re-checks the cache against
// the data one small unit per frame, as a storage scrub does: the raid list, then each global
// component, each raid's metadata and each encounter (its six components). A unit that differs is
// brought up to date through store.refresh (listeners hear a change with source "direct"): a
// component or global component at once (one node's hash), a raid list or raid metadata over frames
// (a paced full rebuild, background.ts), since a raid is too big to hash in one frame.
// A pass starts every `interval` seconds; it skips frames in which the job runner has work, so the
// frame budget is the job runner's alone. Cost per frame and per pass: docs/architecture.md.
// Lua-only.
import type { Platform } from "../core/platform";
import type { JobRunner } from "../core/jobs";
import type { LuaKey } from "../core/luatable";
import * as T from "../integrity/tree";
import { COMPONENTS, COMPONENT_TABLES, GLOBAL_COMPONENTS } from "../core/schema";
import { refreshInBackground } from "./background";
import type { Store } from "./store";

/** Seconds from the start of one pass to the start of the next. */
export const SCRUB_INTERVAL = 10;

export interface ScrubStats {
  passes: number;
  /** Units checked. */
  units: number;
  /** Units found to differ from the cache (direct changes). */
  found: number;
  /** Paced rebuilds started for raid-level differences. */
  rebuilds: number;
}

/** @noSelf */
export interface Scrub {
  stats: () => ScrubStats;
  /** Starts a pass now unless one is running (tests, /ogrh validate). */
  kick: () => void;
  running: () => boolean;
}

/** One unit of a pass: "list" (raid names), "g" (global component), "r" (raid metadata), "e" (encounter). */
interface Unit {
  k: string;
  name: string;
  index: number;
}

function unitsOf(t: T.TreeNode): Unit[] {
  const out: Unit[] = [{ k: "list", name: "", index: 0 }];
  for (const g of GLOBAL_COMPONENTS) out.push({ k: "g", name: g, index: 0 });
  for (const raid in t.raids) {
    out.push({ k: "r", name: raid, index: 0 });
    for (let i = 1; i <= t.raids[raid].count; i++) out.push({ k: "e", name: raid, index: i });
  }
  return out;
}

/** The raid names of the data and of the cache differ. */
function listDiffers(sv: unknown, t: T.TreeNode): boolean {
  let n = 0;
  for (const name of T.raidNames(sv)) {
    if (t.raids[name] === undefined) return true;
    n++;
  }
  for (const _ in t.raids) n--;
  return n !== 0;
}

/** The store path of one component of the encounter at `index` (store.refresh recomputes just that). */
function componentPath(raid: string, encName: string, index: number, component: string): LuaKey[] {
  if (component === "encounterMetadata") return ["encounterMgmt", "raids", raid, "encounters", index, "*"];
  if (component === "roles") return ["encounterMgmt", "roles", raid, encName];
  return [COMPONENT_TABLES[component], raid, encName];
}

export function createScrub(platform: Platform, store: Store, jobs: JobRunner, interval = SCRUB_INTERVAL): Scrub {
  const stats: ScrubStats = { passes: 0, units: 0, found: 0, rebuilds: 0 };
  let units: Unit[] = [];
  let next = 0;
  let active = false;
  let rebuilding = false;
  let startedAt = -interval;
  let restTimer: number | undefined;

  // A raid-level difference: the whole tree over frames, then one refresh with the changes.
  const rebuild = () => {
    stats.rebuilds++;
    rebuilding = true;
    refreshInBackground(jobs, store, () => {
      rebuilding = false;
    });
  };

  /** Checks one unit; true when it differed. */
  const check = (u: Unit): boolean => {
    const sv = store.sv();
    const t = store.tree();
    if (u.k === "list") {
      if (!listDiffers(sv, t)) return false;
      rebuild();
      return true;
    }
    if (u.k === "g") {
      if (T.globalChecksum(sv, u.name) === t.global[u.name]) return false;
      store.refresh([[u.name]]);
      return true;
    }
    const node = t.raids[u.name];
    // The raid left the cache since the pass began (a refresh): nothing to check.
    if (node === undefined) return false;
    if (u.k === "r") {
      if (T.raidChecksum(sv, u.name) === node.raid) return false;
      rebuild();
      return true;
    }
    const mine = node.list[u.index - 1];
    const list = T.encountersOf(T.raidOf(sv, u.name));
    if (mine === undefined || list === undefined) return false;
    const entry = (list as { [i: number]: unknown })[u.index];
    if (T.encounterName(entry) !== (mine.name === "" ? undefined : mine.name)) {
      // The encounter list changed: the raid metadata unit finds it (names are raid metadata).
      return false;
    }
    const fresh = T.computeEncounterNode(sv, u.name, entry);
    if (fresh.encounter === mine.encounter) return false;
    const paths: LuaKey[][] = [];
    for (const c of COMPONENTS) if (fresh.components[c] !== mine.components[c]) paths.push(componentPath(u.name, mine.name, u.index, c));
    store.refresh(paths);
    return true;
  };

  const startPass = () => {
    restTimer = undefined;
    if (active) return;
    active = true;
    startedAt = platform.now();
    units = unitsOf(store.tree());
    next = 0;
    stats.passes++;
    platform.after(0, step);
  };

  const endPass = () => {
    active = false;
    const wait = startedAt + interval - platform.now();
    restTimer = platform.after(wait > 0 ? wait : 0, startPass);
  };

  // One unit per frame, in frames the job runner leaves alone.
  const step = () => {
    if (rebuilding || jobs.pending() > 0) {
      platform.after(0, step);
      return;
    }
    if (next >= units.length) return endPass();
    const u = units[next];
    next++;
    stats.units++;
    if (check(u)) stats.found++;
    platform.after(0, step);
  };

  restTimer = platform.after(interval, startPass);

  return {
    stats: () => stats,
    kick: () => {
      if (active) return;
      if (restTimer !== undefined) platform.cancel(restTimer);
      startPass();
    },
    running: () => active,
  };
}
