// The 4-level checksum tree over an OGRH_SV-shaped table (spec 6.1):
//
//   structure  = checksum { global = {name = cs}, raids = {raidName = rollup} }
//   global     = checksum of OGRH_SV[name] for tradeItems, consumes, rgo
//   rollup     = checksum { raid = raidChecksum, encounters = [encounter cs, in list order] }
//   raid       = checksum of the raid's metadata: the raid table with `encounters` replaced by the
//                list of encounter names (names and order, not their contents)   (6.1.2)
//   encounter  = checksum { componentName = component cs } over the 6 components    (6.1.3)
//   component  = checksum of the component's value ({} when absent)                  (6.1.4)
//
// Every checksum is hashString(serialize(x)) of the x shown, so any node can be checked from its
// children or from a received payload. A raid's rollup is what the lightweight poll compares: it
// changes when anything in the raid changes, while the raid checksum itself does not see encounter
// contents. Unknown raids, encounters and components give "0".
// Runs in Lua 5.0 and in Node (through core/luatable).
import { LuaKey, getField, newDict, newTable, readTable, seqLength, setField } from "../core/luatable";
import { checksumValue } from "./valuehash";
import { isTable } from "../core/values";
import { COMPONENTS, COMPONENT_TABLES, GLOBAL_COMPONENTS, isComponent, isGlobalComponent } from "../core/schema";
export { COMPONENTS, COMPONENT_TABLES, GLOBAL_COMPONENTS, isComponent, isGlobalComponent };

export const UNKNOWN = "0";

export interface EncounterNode {
  name: string;
  encounter: string;
  components: { [component: string]: string };
}

export interface RaidNode {
  raid: string;
  rollup: string;
  /** By name (the first encounter of that name). */
  encounters: { [name: string]: EncounterNode };
  /** In list order. */
  list: EncounterNode[];
  count: number;
}

export interface TreeNode {
  structure: string;
  global: { [name: string]: string };
  raids: { [name: string]: RaidNode };
}

const EMPTY = newTable();

/** The checksum of a node value; nil counts as the empty table. */
export function checksumOrEmpty(v: unknown): string {
  return checksumValue(v === undefined || v === null ? EMPTY : v);
}

export function raidsOf(sv: unknown): unknown {
  if (!isTable(sv)) return undefined;
  const mgmt = getField(sv, "encounterMgmt");
  if (!isTable(mgmt)) return undefined;
  const raids = getField(mgmt, "raids");
  return isTable(raids) ? raids : undefined;
}

export function raidOf(sv: unknown, raidName: unknown): unknown {
  if (typeof raidName !== "string") return undefined;
  const raids = raidsOf(sv);
  if (raids === undefined) return undefined;
  const raid = getField(raids, raidName);
  return isTable(raid) ? raid : undefined;
}

/** The raid names (string keys of encounterMgmt.raids whose value is a table). */
export function raidNames(sv: unknown): string[] {
  const raids = raidsOf(sv);
  const names: string[] = [];
  if (raids === undefined) return names;
  const keys: LuaKey[] = [];
  const vals: unknown[] = [];
  const r = readTable(raids, keys, vals);
  let n = 0;
  for (let i = 0; i < -r; i++) {
    const k = keys[i];
    if (typeof k === "string" && isTable(vals[i])) {
      names[n] = k;
      n++;
    }
  }
  return names;
}

export function encountersOf(raid: unknown): unknown {
  if (!isTable(raid)) return undefined;
  const list = getField(raid, "encounters");
  return isTable(list) ? list : undefined;
}

/** The name of an encounter entry, or undefined when it has none. */
export function encounterName(entry: unknown): string | undefined {
  if (!isTable(entry)) return undefined;
  const name = getField(entry, "name");
  return typeof name === "string" ? name : undefined;
}

/** 1-based position of the first encounter named encName in the raid's list, 0 when absent. */
export function encounterIndex(raid: unknown, encName: unknown): number {
  const list = encountersOf(raid);
  if (list === undefined || typeof encName !== "string") return 0;
  const n = seqLength(list);
  for (let i = 1; i <= n; i++) {
    if (encounterName(getField(list, i)) === encName) return i;
  }
  return 0;
}

/** The table holding a component for every raid: OGRH_SV.encounterAssignments etc. */
export function componentTableOf(sv: unknown, component: string): unknown {
  if (!isTable(sv)) return undefined;
  const where = COMPONENT_TABLES[component];
  if (where === undefined) return undefined;
  let t: unknown;
  if (where === "encounterMgmt.roles") {
    const mgmt = getField(sv, "encounterMgmt");
    t = isTable(mgmt) ? getField(mgmt, "roles") : undefined;
  } else {
    t = getField(sv, where);
  }
  return isTable(t) ? t : undefined;
}

/** The value of one component of an encounter that exists in the raid's list (nil when unset). */
export function componentValue(sv: unknown, raidName: string, encName: string, component: string): unknown {
  const raid = raidOf(sv, raidName);
  const index = encounterIndex(raid, encName);
  if (index === 0) return undefined;
  if (component === "encounterMetadata") return getField(encountersOf(raid), index);
  const t = componentTableOf(sv, component);
  if (t === undefined) return undefined;
  const perRaid = getField(t, raidName);
  if (!isTable(perRaid)) return undefined;
  return getField(perRaid, encName);
}

function componentAt(sv: unknown, raidName: string, encName: string, entry: unknown, component: string): unknown {
  if (component === "encounterMetadata") return entry;
  const t = componentTableOf(sv, component);
  if (t === undefined) return undefined;
  const perRaid = getField(t, raidName);
  if (!isTable(perRaid)) return undefined;
  return getField(perRaid, encName);
}

// Node checksums ---------------------------------------------------------------------------------

export function globalChecksum(sv: unknown, name: unknown): string {
  if (!isGlobalComponent(name) || !isTable(sv)) return UNKNOWN;
  return checksumOrEmpty(getField(sv, name as string));
}

export function globalChecksums(sv: unknown): { [name: string]: string } {
  const out: { [name: string]: string } = {};
  for (const name of GLOBAL_COMPONENTS) out[name] = globalChecksum(sv, name);
  return out;
}

/** The raid's metadata as hashed at raid level: the raid table, encounters replaced by names. */
export function raidMetadataValue(raid: unknown): unknown {
  const meta = newTable();
  const keys: LuaKey[] = [];
  const vals: unknown[] = [];
  const r = readTable(raid, keys, vals);
  if (r > 0) {
    for (let i = 0; i < r; i++) setField(meta, i + 1, vals[i]);
  } else {
    for (let i = 0; i < -r; i++) {
      if (keys[i] !== "encounters") setField(meta, keys[i], vals[i]);
    }
  }
  const names = newTable();
  const list = encountersOf(raid);
  if (list !== undefined) {
    const n = seqLength(list);
    for (let i = 1; i <= n; i++) {
      const name = encounterName(getField(list, i));
      setField(names, i, name === undefined ? false : name);
    }
  }
  setField(meta, "encounters", names);
  return meta;
}

export function raidChecksum(sv: unknown, raidName: unknown): string {
  const raid = raidOf(sv, raidName);
  if (raid === undefined) return UNKNOWN;
  return checksumValue(raidMetadataValue(raid));
}

export function componentChecksum(sv: unknown, raidName: unknown, encName: unknown, component: unknown): string {
  if (typeof raidName !== "string" || typeof encName !== "string" || !isComponent(component)) return UNKNOWN;
  const raid = raidOf(sv, raidName);
  const index = encounterIndex(raid, encName);
  if (index === 0) return UNKNOWN;
  return checksumOrEmpty(componentValue(sv, raidName, encName, component as string));
}

/** The encounter checksum from its component checksums. */
export function combineEncounter(components: { [component: string]: string }): string {
  const t = newTable();
  for (const c of COMPONENTS) setField(t, c, components[c]);
  return checksumValue(t);
}

export function computeEncounterNode(sv: unknown, raidName: string, entry: unknown): EncounterNode {
  const name = encounterName(entry);
  const components: { [component: string]: string } = {};
  for (const c of COMPONENTS) {
    components[c] = checksumOrEmpty(name === undefined && c !== "encounterMetadata" ? undefined : componentAt(sv, raidName, name as string, entry, c));
  }
  return { name: name === undefined ? "" : name, encounter: combineEncounter(components), components };
}

export function encounterChecksum(sv: unknown, raidName: unknown, encName: unknown): string {
  if (typeof raidName !== "string") return UNKNOWN;
  const raid = raidOf(sv, raidName);
  const index = encounterIndex(raid, encName);
  if (index === 0) return UNKNOWN;
  return computeEncounterNode(sv, raidName, getField(encountersOf(raid), index)).encounter;
}

/** The raid rollup from the raid checksum and the encounter checksums in list order. */
export function combineRollup(raidCs: string, list: EncounterNode[], count: number): string {
  const t = newTable();
  setField(t, "raid", raidCs);
  const encs = newTable();
  for (let i = 0; i < count; i++) setField(encs, i + 1, list[i].encounter);
  setField(t, "encounters", encs);
  return checksumValue(t);
}

export function computeRaidNode(sv: unknown, raidName: string): RaidNode | undefined {
  const raid = raidOf(sv, raidName);
  if (raid === undefined) return undefined;
  const list: EncounterNode[] = [];
  const encounters = newDict<EncounterNode>();
  let count = 0;
  const entries = encountersOf(raid);
  if (entries !== undefined) {
    const n = seqLength(entries);
    for (let i = 1; i <= n; i++) {
      const node = computeEncounterNode(sv, raidName, getField(entries, i));
      list[count] = node;
      count++;
      if (encounters[node.name] === undefined) encounters[node.name] = node;
    }
  }
  const raidCs = checksumValue(raidMetadataValue(raid));
  return { raid: raidCs, rollup: combineRollup(raidCs, list, count), encounters, list, count };
}

/** The structure checksum from the global checksums and the raid rollups. */
export function combineStructure(global: { [name: string]: string }, raids: { [name: string]: RaidNode }): string {
  const t = newTable();
  const g = newTable();
  for (const name of GLOBAL_COMPONENTS) setField(g, name, global[name]);
  setField(t, "global", g);
  const r = newTable();
  for (const name in raids) setField(r, name, raids[name].rollup);
  setField(t, "raids", r);
  return checksumValue(t);
}

/** The whole tree, computed from the data. */
export function computeTree(sv: unknown): TreeNode {
  const global = globalChecksums(sv);
  const raids = newDict<RaidNode>();
  for (const name of raidNames(sv)) {
    const node = computeRaidNode(sv, name);
    if (node !== undefined) raids[name] = node;
  }
  return { structure: combineStructure(global, raids), global, raids };
}

// The public shape (what GetAllHierarchicalChecksums returns and ValidateStructureHierarchy takes)

export interface EncounterSums {
  encounter: string;
  components?: { [component: string]: string };
}

export interface RaidSums {
  raid?: string;
  rollup?: string;
  encounters?: { [name: string]: EncounterSums };
}

export interface Hierarchy {
  /** Only some raids are listed (a drill-down answer): absent raids are not compared. */
  partial?: boolean;
  structure?: string;
  global?: { [name: string]: string };
  raids?: { [name: string]: RaidSums };
}

function copyMap(m: { [k: string]: string }): { [k: string]: string } {
  const out = newDict<string>();
  for (const k in m) out[k] = m[k];
  return out;
}

/** The public copy of a raid node; withEncounters false gives the lightweight form. */
export function raidSums(node: RaidNode, withEncounters: boolean): RaidSums {
  if (!withEncounters) return { raid: node.raid, rollup: node.rollup };
  const encounters = newDict<EncounterSums>();
  for (const name in node.encounters) {
    const e = node.encounters[name];
    encounters[name] = { encounter: e.encounter, components: copyMap(e.components) };
  }
  return { raid: node.raid, rollup: node.rollup, encounters };
}

/** The public copy of a tree: full (every level) or lightweight (global + raid level). */
export function hierarchyOf(tree: TreeNode, full: boolean): Hierarchy {
  const raids = newDict<RaidSums>();
  for (const name in tree.raids) raids[name] = raidSums(tree.raids[name], full);
  return { structure: tree.structure, global: copyMap(tree.global), raids };
}
