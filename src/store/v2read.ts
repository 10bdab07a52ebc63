// v2 -> store in companion mode: finding OG-RaidHelper's edits in OGRH_SV.v2 and reading only what
// moved (docs/architecture.md "v2 -> store").
// - `seen` is a copy of what v2 held at the last read; one unit (the global parts, or one raid) is
//   compared with it per frame (findChange).
// - A unit that moved is read encounter by encounter: an encounter equal to its copy is not projected
//   again (the store already holds it); a moved one is projected and checksummed, and then only the
//   components that differ from the store's cached tree are applied (the raid as a whole when its own
//   fields or its encounter list moved).
// - A change of the raid list (a count, a name) reads every raid that way, each raid matched with its
//   copy by name, so unchanged raids cost a comparison only.
// Reads run as jobs (core/jobs), paced over frames, and are applied in one step at the end. A read is
// dropped (and started again) when we wrote v2 or applied another read meanwhile, or when v2's lists
// moved under it, so nothing read half-way is ever applied and no edit made meanwhile is lost: the
// copy keeps what was read, so a later edit still differs from it.
// Lua-only.
import type { JobRunner, Tick } from "../core/jobs";
import type { Platform } from "../core/platform";
import { COMPONENTS, COMPONENT_TABLES, GLOBAL_COMPONENTS } from "../core/schema";
import { isTable } from "../core/values";
import { checksumValue } from "../integrity/valuehash";
import * as T from "../integrity/tree";
import type { EncounterNode, RaidNode, TreeNode } from "../integrity/tree";
import type { Store } from "./store";
import { seqLength } from "../core/luatable";
import { emptyPlan, projectEncounter, RaidView, raidView, takeEncounter, V2_GLOBALS, v2Raids } from "./v2plan";

type Table = any;

/** The store source of changes read from OG-RaidHelper's tables. */
export const OGRH_SOURCE = "ogrh";

/** findChange's answers besides a raid unit k >= 1 (v2 index k + 1). */
export const NONE = -1;
/** The raid list moved (or there is no copy yet): read every raid. */
export const ALL = -2;
export const GLOBALS = 0;

/** Reads dropped in a row before the next one runs in one go (a stream of writes cannot starve it). */
const MAX_DROPS = 3;
/** Job units (about 1,000 VM instructions) per table entry compared or copied (bench-companion.js). */
const WALK_UNITS = 0.03;
/** Units per table entry of a moved encounter projected and checksummed. */
const READ_UNITS = 0.3;
/** Units the final step may take (the applies), reserved so it starts with room in its frame. */
const FINAL_UNITS = 60;

/** What v2 held at the last read. */
export interface Seen {
  /** [k]: a copy of v2's raids[k + 1]. */
  raids: Table;
  /** [k] true: a write of ours into that raid was refused, so its copy may not be what v2 holds. */
  bad: Table;
  count: number;
  globals: Table;
  badGlobals: boolean;
}

/** @noSelf */
export interface ReadState {
  platform: Platform;
  store: Store;
  jobs: JobRunner;
  say: (message: string) => void;
  seen: Seen | undefined;
  cursor: number;
  reading: boolean;
  /** A unit whose read was dropped: it is read again on the next frame. */
  retry: number;
  drops: number;
  /** Moves with every write of ours into v2 and every read applied; a read started before is dropped. */
  gen: number;
  /** True while a read is applied: the writer ignores those store changes. */
  busy: boolean;
  /** When the last check ran and its cost in units (charged to a read started in that frame). */
  checkedAt: number;
  checkUnits: number;
  stats: { reads: number; full: number; dropped: number };
}

/** One raid as read. */
interface RaidRead {
  /** v2 index and what was there (checked again before the apply). */
  index: number;
  ref: unknown;
  encs: unknown;
  encNames: Table;
  encCount: number;
  name: string;
  copy: unknown;
  /** The raid the view holds under its name (the first of that name after the Active Raid). */
  inView: boolean;
  /** Nothing was taken from the store: every encounter was projected. */
  fresh: boolean;
  /** The projection of the moved encounters (with the raid's own fields). */
  scratch: Table;
  view: RaidView | undefined;
  /** The view's encounter names, in v2's order. */
  names: string[];
  nameCount: number;
  /** Moved encounters: name -> index in the scratch list. */
  moved: { [name: string]: number };
  nodes: { [name: string]: EncounterNode };
}

interface GlobalsRead {
  copies: Table;
  values: Table;
  sums: { [name: string]: string };
  moved: { [name: string]: boolean };
}

interface ReadResult {
  unit: number;
  gen: number;
  list: unknown;
  count: number;
  all: boolean;
  raids: RaidRead[];
  nraids: number;
  globals: GlobalsRead | undefined;
}

export function createReadState(platform: Platform, store: Store, jobs: JobRunner, say: (message: string) => void): ReadState {
  return {
    platform,
    store,
    jobs,
    say,
    seen: undefined,
    cursor: 0,
    reading: false,
    retry: NONE,
    drops: 0,
    gen: 0,
    busy: false,
    checkedAt: -1,
    checkUnits: 0,
    stats: { reads: 0, full: 0, dropped: 0 },
  };
}

/** OGRH_SV.v2, or undefined when OG-RaidHelper's plan is not in the v2 layout. */
export function v2Of(platform: Platform): Table {
  const sv = platform.getGlobal("OGRH_SV") as Table;
  return isTable(sv) && sv.schemaVersion === "v2" && isTable(sv.v2) ? sv.v2 : undefined;
}

/** Raids after the Active Raid. */
export function raidCount(raids: Table): number {
  let n = 0;
  while (raids[n + 2] !== undefined) n++;
  return n;
}

// Comparing and copying, counting the table entries walked (the job's pacing) -------------------

let walked = 0;

/** Deep equality of plain data. */
export function same(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (!isTable(a) || !isTable(b) || depth > 64) return false;
  const x = a as Table;
  const y = b as Table;
  // (counted in a local: an upvalue per entry would cost a third more)
  let n = 0;
  for (const k in x) {
    n++;
    if (!same(x[k], y[k], depth + 1)) {
      walked += n;
      return false;
    }
  }
  walked += n;
  for (const k in y) if (x[k] === undefined) return false;
  return true;
}

/** A deep copy of plain data. */
export function copyOf(v: unknown, depth: number): unknown {
  if (!isTable(v) || depth > 64) return v;
  const out: Table = {};
  const t = v as Table;
  let n = 0;
  for (const k in t) {
    n++;
    out[k] = copyOf(t[k], depth + 1);
  }
  walked += n;
  return out;
}

// Finding a change ----------------------------------------------------------------------------------

/** Compares the next unit with its copy: NONE, ALL, GLOBALS or the raid unit that moved. */
export function findChange(s: ReadState): number {
  const d = v2Of(s.platform);
  const raids = v2Raids(d);
  if (raids === undefined) return NONE;
  const seen = s.seen;
  if (seen === undefined) return ALL;
  const n = raidCount(raids);
  if (n !== seen.count) return ALL;
  const unit = s.cursor % (n + 1);
  s.cursor = unit + 1;
  const w0 = walked;
  let moved = false;
  if (unit === GLOBALS) {
    moved = seen.badGlobals;
    for (const g of V2_GLOBALS) if (!moved && !same(d[g], seen.globals[g], 0)) moved = true;
  } else moved = seen.bad[unit] === true || !same(raids[unit + 1], seen.raids[unit], 0);
  s.checkedAt = s.platform.now();
  s.checkUnits = (walked - w0) * WALK_UNITS;
  return moved ? unit : NONE;
}

/** The copy is dropped: the next check reads all of v2 again. */
export function forget(s: ReadState): void {
  s.seen = undefined;
}

/** A copy of everything (at login: the view was just built from v2 in one go). */
export function snapshotAll(s: ReadState): void {
  const d = v2Of(s.platform);
  const raids = v2Raids(d);
  if (raids === undefined) {
    s.seen = undefined;
    return;
  }
  const n = raidCount(raids);
  const seen: Seen = { raids: {}, bad: {}, count: n, globals: {}, badGlobals: false };
  for (let k = 1; k <= n; k++) seen.raids[k] = copyOf(raids[k + 1], 0);
  for (const g of V2_GLOBALS) seen.globals[g] = copyOf(d[g], 0);
  s.seen = seen;
  s.gen++;
}

// Reading ---------------------------------------------------------------------------------------

/** Starts reading a unit (a job; in one go after MAX_DROPS dropped reads). */
export function startRead(s: ReadState, unit: number): void {
  s.stats.reads++;
  if (s.drops >= MAX_DROPS) {
    finish(s, readUnit(s, unit, undefined));
    return;
  }
  s.reading = true;
  const at = s.platform.now();
  s.jobs.start(
    "companion read",
    (tick, reserve) => {
      // The check that found the change ran in this frame: it counts against the frame's budget.
      if (s.platform.now() === s.checkedAt && at === s.checkedAt) tick(s.checkUnits);
      const r = readUnit(s, unit, tick);
      reserve(FINAL_UNITS);
      return r;
    },
    (ok, r, err) => {
      s.reading = false;
      if (!ok) {
        // Everything is read again from scratch next time.
        s.seen = undefined;
        s.say("Reading OG-RaidHelper's plan failed: " + String(err));
        return;
      }
      finish(s, r);
    },
    undefined,
    true,
  );
}

/** Reads a unit (ALL for every raid and the global parts); tick paces it inside a job. */
export function readUnit(s: ReadState, unit: number, tick: Tick | undefined): ReadResult | undefined {
  const d = v2Of(s.platform);
  const raids = v2Raids(d);
  if (raids === undefined) return undefined;
  const seen = s.seen;
  const n = raidCount(raids);
  const r: ReadResult = { unit, gen: s.gen, list: raids, count: n, all: false, raids: [], nraids: 0, globals: undefined };
  if (seen !== undefined && n === seen.count) {
    if (unit === GLOBALS) {
      r.globals = readGlobals(d, seen, tick);
      return r;
    }
    if (unit >= 1 && unit <= n) {
      const raid = raids[unit + 1];
      const old = seen.raids[unit] as Table;
      const name = nameOf(raid);
      // Same name as at the last read: only this raid is read. Whether it is the view's raid of
      // that name is what the copy says (the other raids' names as the store's view has them).
      if (name === nameOf(old)) {
        let inView = name !== undefined;
        for (let k = 1; k < unit; k++) if (inView && nameOf(seen.raids[k]) === name) inView = false;
        r.raids[0] = readRaid(s, unit + 1, raid, seen.bad[unit] === true ? undefined : old, inView, tick);
        r.nraids = 1;
        return r;
      }
    }
  }
  readAll(s, r, d, seen, tick);
  return r;
}

function nameOf(raid: unknown): string | undefined {
  const name = isTable(raid) ? (raid as Table).name : undefined;
  return typeof name === "string" ? name : undefined;
}

/** The key a raid or encounter is matched with its copy by: its name and which one of that name it is. */
function keyOf(t: unknown, index: number, occurrences: Table): string {
  const name = nameOf(t);
  if (name === undefined) return "#" + index;
  const o = (occurrences[name] ?? 0) + 1;
  occurrences[name] = o;
  return o + ":" + name;
}

function readAll(s: ReadState, r: ReadResult, d: Table, seen: Seen | undefined, tick: Tick | undefined): void {
  s.stats.full++;
  r.all = true;
  const raids = r.list as Table;
  const byKey: Table = {};
  if (seen !== undefined) {
    const occ: Table = {};
    for (let k = 1; k <= seen.count; k++) byKey[keyOf(seen.raids[k], k + 1, occ)] = k;
  }
  const occ: Table = {};
  for (let i = 2; i <= r.count + 1; i++) {
    const raid = raids[i];
    const key = keyOf(raid, i, occ);
    const k = byKey[key] as number | undefined;
    const old = seen === undefined || k === undefined || seen.bad[k] === true ? undefined : seen.raids[k];
    // The first of a name is the view's raid, as it was for the copy matched by the same key.
    r.raids[r.nraids] = readRaid(s, i, raid, old, key.indexOf("1:") === 0, tick);
    r.nraids++;
  }
  r.globals = readGlobals(d, seen, tick);
}

function readGlobals(d: Table, seen: Seen | undefined, tick: Tick | undefined): GlobalsRead {
  const g: GlobalsRead = { copies: {}, values: {}, sums: {}, moved: {} };
  const trusted = seen !== undefined && !seen.badGlobals;
  for (const name of V2_GLOBALS) {
    const w0 = walked;
    const v = d[name];
    if (trusted && same(v, (seen as Seen).globals[name], 1)) {
      g.copies[name] = (seen as Seen).globals[name];
    } else {
      g.copies[name] = copyOf(v, 1);
      g.values[name] = isTable(v) ? copyOf(v, 1) : {};
      g.sums[name] = T.checksumOrEmpty(g.values[name]);
      g.moved[name] = true;
    }
    if (tick !== undefined) tick((walked - w0) * (g.moved[name] ? READ_UNITS : WALK_UNITS));
  }
  return g;
}

/**
 * Reads one v2 raid: a fresh copy (unmoved encounters keep their old copy) and, for the view's
 * raid, the projection and checksums of the encounters that moved (of all when `old` is missing or
 * the store does not hold the raid).
 */
function readRaid(s: ReadState, index: number, raid: unknown, old: Table, inView: boolean, tick: Tick | undefined): RaidRead {
  const name = nameOf(raid) as string;
  const rr: RaidRead = {
    index,
    ref: raid,
    encs: undefined,
    encNames: {},
    encCount: 0,
    name,
    copy: raid,
    inView,
    fresh: old === undefined || (inView && s.store.tree().raids[name] === undefined),
    scratch: emptyPlan(),
    view: undefined,
    names: [],
    nameCount: 0,
    moved: {},
    nodes: {},
  };
  if (!isTable(raid)) return rr;
  const src = raid as Table;
  const w0 = walked;
  const copy: Table = {};
  rr.copy = copy;
  for (const k in src) if (k !== "encounters") copy[k] = copyOf(src[k], 1);
  if (inView) rr.view = raidView(rr.scratch, src);
  const encs = src.encounters;
  rr.encs = encs;
  if (tick !== undefined) tick((walked - w0) * WALK_UNITS);
  if (!isTable(encs)) {
    copy.encounters = encs;
    return rr;
  }
  const m = seqLength(encs);
  rr.encCount = m;
  const ce: Table = {};
  copy.encounters = ce;
  // Keys beyond the list (none in OG-RaidHelper's data) are copied as they are.
  for (const k in encs) {
    const j = k as unknown;
    if (typeof j !== "number" || j < 1 || j > m || j % 1 !== 0) ce[k] = copyOf(encs[k], 2);
  }
  const oldBy: Table = {};
  const oe = isTable(old) ? old.encounters : undefined;
  if (isTable(oe)) {
    const occ: Table = {};
    const om = seqLength(oe);
    for (let j = 1; j <= om; j++) oldBy[keyOf(oe[j], j, occ)] = oe[j];
  }
  const occ: Table = {};
  for (let j = 1; j <= m; j++) {
    const e = encs[j];
    const o = oldBy[keyOf(e, j, occ)];
    const w1 = walked;
    let moved = true;
    if (o !== undefined && same(e, o, 2)) {
      ce[j] = o;
      moved = false;
    } else ce[j] = copyOf(e, 2);
    rr.encNames[j] = nameOf(e) ?? false;
    let units = (walked - w1) * WALK_UNITS;
    if (rr.view !== undefined && takeEncounter(rr.view, e)) {
      const encName = (e as Table).name as string;
      rr.names[rr.nameCount] = encName;
      rr.nameCount++;
      if (moved || rr.fresh) {
        readEncounter(rr, e);
        units += (walked - w1) * READ_UNITS;
      }
    }
    if (tick !== undefined) tick(units);
  }
  return rr;
}

/** Projects one encounter of the view's raid and checksums it. */
function readEncounter(rr: RaidRead, e: Table): void {
  const view = rr.view as RaidView;
  projectEncounter(view, e);
  rr.moved[e.name] = view.count;
  rr.nodes[e.name] = T.computeEncounterNode(rr.scratch, rr.name, view.list[view.count]);
}

// Applying --------------------------------------------------------------------------------------

/** Applies a read when it is still current (else it is dropped and read again); true when the store moved. */
export function finish(s: ReadState, r: ReadResult | undefined): boolean {
  if (r === undefined) return false;
  if (r.gen !== s.gen || !current(s, r)) {
    s.stats.dropped++;
    s.drops++;
    s.retry = r.all ? ALL : r.unit;
    return false;
  }
  s.drops = 0;
  s.gen++;
  s.busy = true;
  let moved = false;
  try {
    moved = applyRead(s, r);
  } finally {
    s.busy = false;
  }
  updateSeen(s, r);
  return moved;
}

/** Whether v2 still has the lists the read walked (the same raids, encounter names, in the same places). */
function current(s: ReadState, r: ReadResult): boolean {
  const raids = v2Raids(v2Of(s.platform));
  if (raids === undefined || raids !== r.list || raidCount(raids) !== r.count) return false;
  for (let i = 0; i < r.nraids; i++) {
    const rr = r.raids[i];
    if (raids[rr.index] !== rr.ref) return false;
    if (!isTable(rr.ref)) continue;
    const raid = rr.ref as Table;
    if (nameOf(raid) !== rr.name || raid.encounters !== rr.encs) return false;
    if (!isTable(rr.encs)) continue;
    const encs = rr.encs as Table;
    if (seqLength(encs) !== rr.encCount) return false;
    for (let j = 1; j <= rr.encCount; j++) if ((nameOf(encs[j]) ?? false) !== rr.encNames[j]) return false;
  }
  return true;
}

function applyRead(s: ReadState, r: ReadResult): boolean {
  const store = s.store;
  let moved = false;
  const g = r.globals;
  if (g !== undefined) {
    for (const name of V2_GLOBALS) {
      if (g.moved[name] && g.sums[name] !== store.tree().global[name]) {
        store.apply({ level: "GLOBAL", component: name }, g.values[name], OGRH_SOURCE);
        moved = true;
      }
    }
  }
  if (r.all) {
    const inView: Table = {};
    for (let i = 0; i < r.nraids; i++) if (r.raids[i].inView) inView[r.raids[i].name] = true;
    const t = store.tree();
    for (const name in t.raids) {
      if (t.raids[name] !== undefined && !inView[name]) {
        replaceAll(s, r);
        return true;
      }
    }
  }
  for (let i = 0; i < r.nraids; i++) if (applyRaid(s, r.raids[i])) moved = true;
  return moved;
}

/** The raid checksum of the view's raid as read (its own fields and encounter names). */
function raidChecksumOf(rr: RaidRead): string {
  const meta = rr.scratch.encounterMgmt.raids[rr.name] as Table;
  const stub: Table = {};
  for (const k in meta) if (k !== "encounters") stub[k] = meta[k];
  const list: Table = {};
  for (let i = 0; i < rr.nameCount; i++) list[i + 1] = { name: rr.names[i] };
  stub.encounters = list;
  return checksumValue(T.raidMetadataValue(stub));
}

/** Applies one raid at the finest level that moved: components, else the raid. */
function applyRaid(s: ReadState, rr: RaidRead): boolean {
  if (!rr.inView) return false;
  const store = s.store;
  const node = store.tree().raids[rr.name];
  if (node !== undefined && node.raid === raidChecksumOf(rr)) {
    const todo: { enc: string; c: string; value: unknown }[] = [];
    let whole = false;
    for (let i = 0; i < rr.nameCount; i++) {
      const encName = rr.names[i];
      const fresh = rr.nodes[encName];
      const mine = node.encounters[encName];
      if (fresh === undefined || mine === undefined || mine.encounter === fresh.encounter) continue;
      for (const c of COMPONENTS) {
        if (mine.components[c] === fresh.components[c]) continue;
        const value = T.componentValue(rr.scratch, rr.name, encName, c);
        // (an absent component cannot be applied alone: the raid goes whole)
        if (value === undefined) whole = true;
        todo.push({ enc: encName, c, value });
      }
    }
    if (!whole) {
      for (const x of todo) store.apply({ level: "COMPONENT", raid: rr.name, encounter: x.enc, component: x.c }, x.value, OGRH_SOURCE);
      return todo.length > 0;
    }
  }
  const b = buildRaid(s, rr);
  store.apply({ level: "RAID", raid: rr.name }, b.payload, OGRH_SOURCE, undefined, b.node);
  return true;
}

function copyNode(e: EncounterNode): EncounterNode {
  const components: { [c: string]: string } = {};
  for (const c of COMPONENTS) components[c] = e.components[c];
  return { name: e.name, encounter: e.encounter, components };
}

/** The component tables of a plan-shaped table for one raid: the component's value of an encounter. */
function componentOf(plan: Table, raidName: string, encName: string, c: string): unknown {
  const t = T.componentTableOf(plan, c) as Table;
  const perRaid = t === undefined ? undefined : t[raidName];
  return isTable(perRaid) ? perRaid[encName] : undefined;
}

/**
 * The view's raid as a RAID payload and its tree node: moved encounters from the read, the others
 * as the store holds them (their tables and cached checksums), so nothing unmoved is hashed again.
 */
function buildRaid(s: ReadState, rr: RaidRead): { payload: Table; node: RaidNode } {
  const data = s.store.sv() as Table;
  const old = s.store.tree().raids[rr.name];
  const meta = rr.scratch.encounterMgmt.raids[rr.name] as Table;
  const raid: Table = {};
  for (const k in meta) if (k !== "encounters") raid[k] = meta[k];
  const list: Table = {};
  raid.encounters = list;
  const components: Table = {};
  for (const c in COMPONENT_TABLES) components[c] = {};
  const mgmt = isTable(data.encounterMgmt) ? data.encounterMgmt : {};
  const storeRaid = isTable(mgmt.raids) ? mgmt.raids[rr.name] : undefined;
  const nodes: EncounterNode[] = [];
  const byName: { [name: string]: EncounterNode } = {};
  for (let i = 0; i < rr.nameCount; i++) {
    const encName = rr.names[i];
    let fromStore = false;
    let at = rr.moved[encName];
    let node = rr.nodes[encName];
    if (at === undefined) {
      const index = T.encounterIndex(storeRaid, encName);
      const mine = old === undefined ? undefined : old.encounters[encName];
      if (index !== 0 && mine !== undefined) {
        fromStore = true;
        at = index;
        node = copyNode(mine);
      } else {
        at = readLate(rr, encName);
        node = rr.nodes[encName];
      }
    }
    list[i + 1] = fromStore ? storeRaid.encounters[at] : meta.encounters[at];
    for (const c in COMPONENT_TABLES) components[c][encName] = componentOf(fromStore ? data : rr.scratch, rr.name, encName, c);
    nodes[i] = node;
    byName[encName] = node;
  }
  const cs = checksumValue(T.raidMetadataValue(raid));
  return {
    payload: { raid, components },
    node: { raid: cs, rollup: T.combineRollup(cs, nodes, rr.nameCount), encounters: byName, list: nodes, count: rr.nameCount },
  };
}

/** An encounter the store should hold but does not: projected now (v2 still has it where it was read). */
function readLate(rr: RaidRead, encName: string): number {
  const encs = rr.encs as Table;
  for (let j = 1; j <= rr.encCount; j++) {
    if (nameOf(encs[j]) === encName) {
      readEncounter(rr, encs[j]);
      break;
    }
  }
  return rr.moved[encName];
}

/** A whole plan with the view's raids (a raid left the view): swapped in with its tree built aside. */
function replaceAll(s: ReadState, r: ReadResult): void {
  const store = s.store;
  const data = store.sv() as Table;
  const t = store.tree();
  const plan = emptyPlan();
  const raids: { [name: string]: RaidNode } = {};
  for (let i = 0; i < r.nraids; i++) {
    const rr = r.raids[i];
    if (!rr.inView) continue;
    const b = buildRaid(s, rr);
    plan.encounterMgmt.raids[rr.name] = b.payload.raid;
    for (const c in COMPONENT_TABLES) (T.componentTableOf(plan, c) as Table)[rr.name] = b.payload.components[c];
    raids[rr.name] = b.node;
  }
  const global: { [name: string]: string } = {};
  for (const g of GLOBAL_COMPONENTS) {
    plan[g] = isTable(data[g]) ? data[g] : {};
    global[g] = t.global[g];
  }
  const tree: TreeNode = { structure: T.combineStructure(global, raids), global, raids };
  store.apply({ level: "STRUCTURE" }, plan, OGRH_SOURCE, undefined, tree);
}

function updateSeen(s: ReadState, r: ReadResult): void {
  if (r.all) {
    const seen: Seen = { raids: {}, bad: {}, count: r.count, globals: {}, badGlobals: false };
    for (let i = 0; i < r.nraids; i++) seen.raids[r.raids[i].index - 1] = r.raids[i].copy;
    if (r.globals !== undefined) seen.globals = r.globals.copies;
    s.seen = seen;
    return;
  }
  const seen = s.seen;
  if (seen === undefined) return;
  if (r.globals !== undefined) {
    seen.globals = r.globals.copies;
    seen.badGlobals = false;
  }
  for (let i = 0; i < r.nraids; i++) {
    const k = r.raids[i].index - 1;
    seen.raids[k] = r.raids[i].copy;
    seen.bad[k] = undefined;
  }
}

// After our own writes into v2 (store -> v2): only the written units of the copy move --------------

/** A raid (v2 index) was written whole; ok false: the write was refused. */
export function wroteRaid(s: ReadState, index: number, ok: boolean): void {
  s.gen++;
  const seen = s.seen;
  const raids = v2Raids(v2Of(s.platform));
  if (seen === undefined || raids === undefined) return;
  if (ok) {
    seen.raids[index - 1] = copyOf(raids[index], 0);
    seen.bad[index - 1] = undefined;
  } else seen.bad[index - 1] = true;
}

/** One encounter of a raid was written. */
export function wroteEncounter(s: ReadState, index: number, j: number, ok: boolean): void {
  s.gen++;
  const seen = s.seen;
  const raids = v2Raids(v2Of(s.platform));
  if (seen === undefined || raids === undefined) return;
  const copy = seen.raids[index - 1];
  if (ok && isTable(copy) && isTable(copy.encounters) && isTable(raids[index]) && isTable(raids[index].encounters)) {
    copy.encounters[j] = copyOf(raids[index].encounters[j], 0);
  } else seen.bad[index - 1] = true;
}

/** A raid was inserted at `index` (added > 0) or removed from it (added < 0). */
export function wroteList(s: ReadState, index: number, added: number, ok: boolean): void {
  s.gen++;
  const seen = s.seen;
  const raids = v2Raids(v2Of(s.platform));
  if (seen === undefined || raids === undefined) return;
  const n = seen.count;
  const at = index - 1;
  if (added > 0) {
    for (let k = n; k >= at; k--) {
      seen.raids[k + 1] = seen.raids[k];
      seen.bad[k + 1] = seen.bad[k];
    }
    seen.raids[at] = copyOf(raids[index], 0);
    seen.bad[at] = undefined;
    seen.count = n + 1;
  } else {
    for (let k = at; k < n; k++) {
      seen.raids[k] = seen.raids[k + 1];
      seen.bad[k] = seen.bad[k + 1];
    }
    seen.raids[n] = undefined;
    seen.bad[n] = undefined;
    seen.count = n - 1;
  }
  // A refused write, or a list that already differed from the copy: everything is read again.
  if (!ok || seen.count !== raidCount(raids)) s.seen = undefined;
}

/** A global part was written. */
export function wroteGlobal(s: ReadState, name: string, ok: boolean): void {
  s.gen++;
  const seen = s.seen;
  const d = v2Of(s.platform);
  if (seen === undefined || d === undefined) return;
  if (ok) seen.globals[name] = copyOf(d[name], 0);
  else seen.badGlobals = true;
}
