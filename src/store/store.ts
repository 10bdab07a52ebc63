// The write API: every edit of the raid plan inside the addon goes through here. It keeps the
// cached checksum tree current incrementally (only the nodes on the edited path are recomputed)
// and tells listeners which nodes changed. It also extracts, serialises and applies whole nodes
// (global component, component, encounter, raid, structure) atomically for sync and rollback.
// Lua-only. Reachable in game as OGRH.Store.
import { Platform } from "../core/platform";
import { LuaKey } from "../core/luatable";
import { deserialize, serialize } from "../integrity/serialize";
import { checksumValue } from "../integrity/valuehash";
import * as T from "../integrity/tree";
import type { EncounterNode, RaidNode, TreeNode } from "../integrity/tree";

const { COMPONENTS, COMPONENT_TABLES, GLOBAL_COMPONENTS, UNKNOWN } = T;
import { createEmitter } from "./events";
import { migratePlan } from "./migrate";
import { planGlobal } from "./sv";
import { isTable } from "../core/values";

type Table = any;

import type { NodeLevel } from "../core/schema";
export type { NodeLevel };

/** Names one node of the tree. */
export interface NodeRef {
  level: NodeLevel;
  /** GLOBAL: the global component; COMPONENT: the encounter component. */
  component?: string;
  raid?: string;
  encounter?: string;
}

export interface ChangedNode {
  level: NodeLevel;
  /** For RAID: "metadata" (the raid checksum) or "rollup" (the raid's subtree). */
  what?: string;
  raid?: string;
  encounter?: string;
  component?: string;
  old: string;
  new: string;
}

/** What listeners receive after every write. */
export interface StoreChange {
  /** Who wrote: "local" for the player's edits, or what the caller passed ("sync", "restore"). */
  source: string;
  /** The path written (from OGRH_SV). A whole-node apply (`node` set) gives [component] for a global component, else an empty list. */
  path: LuaKey[];
  /** The node applied, for ApplyNode. */
  node?: NodeRef;
  /** Every checksum that changed, leaves first; the last one is the structure when it changed. */
  changes: ChangedNode[];
}

import { PLAN_KEYS } from "../core/schema";
export { PLAN_KEYS };

function isStorable(v: unknown): boolean {
  return v === undefined || typeof v === "string" || typeof v === "number" || typeof v === "boolean" || isTable(v);
}

/** A deep copy of plain data (strings, numbers, booleans, tables). */
export function deepCopy(v: unknown, depth = 0): unknown {
  if (!isTable(v) || depth > 64) return v;
  const out: Table = {};
  const t = v as Table;
  for (const k in t) out[k] = deepCopy(t[k], depth + 1);
  return out;
}

function tableFor(sv: Table, component: string, create: boolean): Table {
  const where = COMPONENT_TABLES[component];
  let parent = sv;
  let key = where;
  if (where === "encounterMgmt.roles") {
    if (!isTable(sv.encounterMgmt)) {
      if (!create) return undefined;
      sv.encounterMgmt = {};
    }
    parent = sv.encounterMgmt;
    key = "roles";
  }
  if (!isTable(parent[key])) {
    if (!create) return undefined;
    parent[key] = {};
  }
  return parent[key];
}

/** @noSelf */
export interface Store {
  /** The live OGRH_SV. */
  sv: () => Table;
  /** The cached tree (built on first use, rebuilt on login). */
  tree: () => TreeNode;
  /** Recomputes the whole cached tree from the data; returns true when the cache was current. */
  rebuild: () => boolean;
  /** Counts writes (every change notified): a job working aside restarts when it moved. */
  writes: () => number;
  /** Takes a tree computed aside (jobs.ts) as the cache when no write came since `at` (writes()). */
  adoptTree: (fresh: TreeNode, at: number) => boolean;
  /**
   * The data at `path` changed behind the write API (found by the scrub): brings the cache up to
   * date for those paths and tells the listeners once (source `direct`); an empty path means the
   * whole tree, `fresh` a tree computed aside from the data since `at`. Returns the changes heard
   * (0: the cache was right, or a write came meanwhile and the fresh tree was not taken).
   */
  refresh: (paths: LuaKey[][], fresh?: TreeNode, at?: number) => number;
  get: (path: LuaKey[]) => unknown;
  set: (path: LuaKey[], value: unknown, source?: string) => string | undefined;
  edit: (path: LuaKey[], fn: (t: Table) => void, source?: string) => string | undefined;
  extract: (ref: NodeRef) => unknown;
  nodeChecksum: (ref: NodeRef, payload: unknown) => string;
  /** `prepared`: the node's tree computed aside from this payload (background.ts), so the swap is cheap. */
  apply: (ref: NodeRef, payload: unknown, source?: string, expected?: string, prepared?: TreeNode | RaidNode) => string | undefined;
  applyDelta: (ref: NodeRef, set: Table, remove: Table, source?: string) => string | undefined;
  replacePlan: (plan: Table, source?: string) => string | undefined;
  mergePlan: (plan: Table, source?: string) => string | undefined;
  on: (listener: (change: StoreChange) => void) => number;
  off: (id: number) => void;
  /** Runs fn with OGRH_SV replaced by scratch; listeners hear nothing; everything is restored. */
  withScratch: (scratch: Table, fn: () => void) => void;
}

export function createStore(platform: Platform, onError: (message: string) => void): Store {
  let cache: TreeNode | undefined;
  let muted = false;
  let writeCount = 0;
  const emitter = createEmitter<StoreChange>(onError);

  const sv = (): Table => platform.getGlobal(planGlobal());

  const tree = (): TreeNode => {
    if (cache === undefined) cache = T.computeTree(sv());
    return cache;
  };

  const notify = (change: StoreChange) => {
    writeCount++;
    if (!muted) emitter.emit(change);
  };

  // Incremental updates ------------------------------------------------------------------------

  const updateStructure = (t: TreeNode, changes: ChangedNode[]) => {
    const old = t.structure;
    t.structure = T.combineStructure(t.global, t.raids);
    if (old !== t.structure) changes.push({ level: "STRUCTURE", old, new: t.structure });
  };

  const updateRollup = (raidName: string, node: RaidNode, changes: ChangedNode[]) => {
    const old = node.rollup;
    node.rollup = T.combineRollup(node.raid, node.list, node.count);
    if (old !== node.rollup) changes.push({ level: "RAID", what: "rollup", raid: raidName, old, new: node.rollup });
  };

  const updateEncounter = (data: Table, raidName: string, enc: EncounterNode, component: string, entry: unknown, changes: ChangedNode[]) => {
    const oldComp = enc.components[component];
    let value: unknown;
    if (component === "encounterMetadata") value = entry;
    else {
      const t = tableFor(data, component, false);
      const perRaid = t === undefined ? undefined : t[raidName];
      value = isTable(perRaid) ? perRaid[enc.name] : undefined;
    }
    enc.components[component] = T.checksumOrEmpty(value);
    if (enc.components[component] === oldComp) return false;
    changes.push({ level: "COMPONENT", raid: raidName, encounter: enc.name, component, old: oldComp, new: enc.components[component] });
    const oldEnc = enc.encounter;
    enc.encounter = T.combineEncounter(enc.components);
    changes.push({ level: "ENCOUNTER", raid: raidName, encounter: enc.name, old: oldEnc, new: enc.encounter });
    return true;
  };

  /** Recomputes one component for every encounter of that name in a raid (or all, when encName is undefined). */
  const updateComponent = (t: TreeNode, data: Table, raidName: string, encName: string | undefined, component: string, changes: ChangedNode[]) => {
    const node = t.raids[raidName];
    if (node === undefined) return;
    const list = data.encounterMgmt.raids[raidName].encounters;
    let any = false;
    for (let i = 0; i < node.count; i++) {
      const enc = node.list[i];
      if (encName !== undefined && enc.name !== encName) continue;
      if (updateEncounter(data, raidName, enc, component, isTable(list) ? list[i + 1] : undefined, changes)) any = true;
    }
    if (any) updateRollup(raidName, node, changes);
  };

  const rebuildRaid = (t: TreeNode, data: Table, raidName: string, changes: ChangedNode[], prepared?: RaidNode) => {
    const old = t.raids[raidName];
    const fresh = prepared ?? T.computeRaidNode(data, raidName);
    if (fresh === undefined) {
      if (old !== undefined) {
        t.raids[raidName] = undefined as unknown as RaidNode;
        changes.push({ level: "RAID", what: "metadata", raid: raidName, old: old.raid, new: UNKNOWN });
        changes.push({ level: "RAID", what: "rollup", raid: raidName, old: old.rollup, new: UNKNOWN });
      }
      return;
    }
    t.raids[raidName] = fresh;
    if (old === undefined || old.rollup !== fresh.rollup) {
      // Report the encounters and components that changed, by name.
      for (let i = 0; i < fresh.count; i++) {
        const e = fresh.list[i];
        const before = old === undefined ? undefined : old.encounters[e.name];
        if (before !== undefined && before.encounter === e.encounter) continue;
        for (const c of COMPONENTS) {
          const was = before === undefined ? UNKNOWN : before.components[c];
          if (was !== e.components[c]) changes.push({ level: "COMPONENT", raid: raidName, encounter: e.name, component: c, old: was, new: e.components[c] });
        }
        changes.push({ level: "ENCOUNTER", raid: raidName, encounter: e.name, old: before === undefined ? UNKNOWN : before.encounter, new: e.encounter });
      }
      if (old === undefined || old.raid !== fresh.raid) changes.push({ level: "RAID", what: "metadata", raid: raidName, old: old === undefined ? UNKNOWN : old.raid, new: fresh.raid });
      changes.push({ level: "RAID", what: "rollup", raid: raidName, old: old === undefined ? UNKNOWN : old.rollup, new: fresh.rollup });
    }
  };

  const rebuildAll = (changes: ChangedNode[], prepared?: TreeNode) => {
    const t = tree();
    const data = sv();
    const fresh = prepared ?? T.computeTree(data);
    for (const name of GLOBAL_COMPONENTS) {
      if (t.global[name] !== fresh.global[name]) changes.push({ level: "GLOBAL", component: name, old: t.global[name], new: fresh.global[name] });
    }
    for (const name in fresh.raids) {
      const before = t.raids[name];
      if (before === undefined || before.rollup !== fresh.raids[name].rollup) changes.push({ level: "RAID", what: "rollup", raid: name, old: before === undefined ? UNKNOWN : before.rollup, new: fresh.raids[name].rollup });
    }
    for (const name in t.raids) {
      if (fresh.raids[name] === undefined) changes.push({ level: "RAID", what: "rollup", raid: name, old: t.raids[name].rollup, new: UNKNOWN });
    }
    if (t.structure !== fresh.structure) changes.push({ level: "STRUCTURE", old: t.structure, new: fresh.structure });
    cache = fresh;
  };

  /** Brings the cached tree up to date after a write at path. */
  const afterWrite = (path: LuaKey[], changes: ChangedNode[]) => {
    const t = tree();
    const data = sv();
    const n = path.length;
    const top = path[0];
    if (n === 0) return rebuildAll(changes);
    if (T.isGlobalComponent(top)) {
      const name = top as string;
      const old = t.global[name];
      t.global[name] = T.checksumOrEmpty(data[name]);
      if (old !== t.global[name]) changes.push({ level: "GLOBAL", component: name, old, new: t.global[name] });
      return updateStructure(t, changes);
    }
    let component: string | undefined;
    let rest = 1;
    if (top === "encounterMgmt") {
      if (n < 2) return rebuildAll(changes);
      if (path[1] === "roles") {
        component = "roles";
        rest = 2;
      } else if (path[1] === "raids") {
        if (n < 3) return rebuildAll(changes);
        const raidName = path[2];
        if (typeof raidName !== "string") return;
        // raids[R].encounters[i].<field other than name>: that encounter's metadata only
        if (n >= 6 && path[3] === "encounters" && typeof path[4] === "number" && path[5] !== "name" && t.raids[raidName] !== undefined) {
          const index = path[4] as number;
          const node = t.raids[raidName];
          const enc = node.list[index - 1];
          if (enc !== undefined) {
            if (updateEncounter(data, raidName, enc, "encounterMetadata", data.encounterMgmt.raids[raidName].encounters[index], changes)) updateRollup(raidName, node, changes);
            return updateStructure(t, changes);
          }
        }
        // raids[R].<metadata>: the raid checksum only
        if (n >= 4 && path[3] !== "encounters" && path[3] !== "name" && t.raids[raidName] !== undefined) {
          const node = t.raids[raidName];
          const old = node.raid;
          node.raid = checksumValue(T.raidMetadataValue(data.encounterMgmt.raids[raidName]));
          if (old !== node.raid) {
            changes.push({ level: "RAID", what: "metadata", raid: raidName, old, new: node.raid });
            updateRollup(raidName, node, changes);
          }
          return updateStructure(t, changes);
        }
        rebuildRaid(t, data, raidName, changes);
        return updateStructure(t, changes);
      } else {
        return; // other encounterMgmt fields are not part of the plan's checksums
      }
    } else {
      for (const c in COMPONENT_TABLES) {
        if (COMPONENT_TABLES[c] === top) component = c;
      }
    }
    if (component === undefined) return; // not checksummed (schemaVersion, quarantine, ...)
    const raidName = path[rest];
    const encName = path[rest + 1];
    if (n <= rest) {
      for (const name in t.raids) updateComponent(t, data, name, undefined, component, changes);
    } else if (typeof raidName === "string") {
      updateComponent(t, data, raidName, n > rest + 1 && typeof encName === "string" ? encName : undefined, component, changes);
      if (n > rest + 1 && typeof encName !== "string") return;
    }
    updateStructure(t, changes);
  };

  // Paths ----------------------------------------------------------------------------------------

  const get = (path: LuaKey[]): unknown => {
    let t: Table = sv();
    for (const k of path) {
      if (!isTable(t)) return undefined;
      t = t[k as string];
    }
    return t;
  };

  /** The table at path, created when missing; undefined + reason when a non-table blocks it. */
  const tableAt = (path: LuaKey[], count: number): { t?: Table; reason?: string } => {
    let t: Table = sv();
    if (!isTable(t)) return { reason: "OGRH_SV is not a table" };
    for (let i = 0; i < count; i++) {
      const k = path[i];
      if (typeof k !== "string" && typeof k !== "number") return { reason: "bad key at position " + (i + 1) };
      let next = t[k as string];
      if (next === undefined) {
        next = {};
        t[k as string] = next;
      } else if (!isTable(next)) {
        return { reason: "not a table at position " + (i + 1) };
      }
      t = next;
    }
    return { t };
  };

  const set = (path: LuaKey[], value: unknown, source?: string): string | undefined => {
    if (!isTable(path) || path.length === 0) return "empty path";
    if (!isStorable(value)) return "cannot store a " + typeof value;
    const n = path.length;
    const last = path[n - 1];
    if (typeof last !== "string" && typeof last !== "number") return "bad key at position " + n;
    if (last !== last) return "NaN key";
    const at = tableAt(path, n - 1);
    if (at.reason !== undefined) return at.reason;
    at.t[last as string] = value;
    const changes: ChangedNode[] = [];
    afterWrite(path, changes);
    notify({ source: source ?? "local", path, changes });
    return undefined;
  };

  const edit = (path: LuaKey[], fn: (t: Table) => void, source?: string): string | undefined => {
    if (!isTable(path)) return "bad path";
    const at = tableAt(path, path.length);
    if (at.reason !== undefined) return at.reason;
    let failure: string | undefined;
    try {
      fn(at.t);
    } catch (err) {
      failure = "edit failed: " + String(err);
    }
    // Even a failed edit may have changed the table: keep the checksums true to the data.
    const changes: ChangedNode[] = [];
    afterWrite(path, changes);
    notify({ source: source ?? "local", path, changes });
    return failure;
  };

  // Nodes ----------------------------------------------------------------------------------------

  const checkRef = (ref: NodeRef): string | undefined => {
    if (!isTable(ref)) return "node reference is not a table";
    const level = ref.level;
    if (level === "STRUCTURE") return undefined;
    if (level === "GLOBAL") return T.isGlobalComponent(ref.component) ? undefined : "unknown global component";
    if (typeof ref.raid !== "string") return "raid name missing";
    if (level === "RAID") return undefined;
    if (typeof ref.encounter !== "string") return "encounter name missing";
    if (level === "ENCOUNTER") return undefined;
    if (level === "COMPONENT") return T.isComponent(ref.component) ? undefined : "unknown component";
    return "unknown level";
  };

  const planOf = (data: Table): Table => {
    const mgmt = isTable(data.encounterMgmt) ? data.encounterMgmt : {};
    const plan: Table = { encounterMgmt: { raids: mgmt.raids, roles: mgmt.roles } };
    for (const k of PLAN_KEYS) plan[k] = data[k];
    return plan;
  };

  const extractFrom = (data: Table, ref: NodeRef): unknown => {
    if (checkRef(ref) !== undefined || !isTable(data)) return undefined;
    if (ref.level === "STRUCTURE") return planOf(data);
    if (ref.level === "GLOBAL") {
      const v = data[ref.component as string];
      return v === undefined ? {} : v;
    }
    const raidName = ref.raid as string;
    const raids = isTable(data.encounterMgmt) ? data.encounterMgmt.raids : undefined;
    const raid = isTable(raids) ? raids[raidName] : undefined;
    if (!isTable(raid)) return undefined;
    if (ref.level === "RAID") {
      const components: Table = {};
      for (const c in COMPONENT_TABLES) {
        const t = tableFor(data, c, false);
        if (t !== undefined) components[c] = t[raidName];
      }
      return { raid, components };
    }
    const encName = ref.encounter as string;
    const index = T.encounterIndex(raid, encName);
    if (index === 0) return undefined;
    const valueOf = (c: string): unknown => {
      if (c === "encounterMetadata") return raid.encounters[index];
      const t = tableFor(data, c, false);
      const perRaid = t === undefined ? undefined : t[raidName];
      return isTable(perRaid) ? perRaid[encName] : undefined;
    };
    if (ref.level === "COMPONENT") {
      const v = valueOf(ref.component as string);
      return v === undefined ? {} : v;
    }
    const payload: Table = {};
    for (const c of COMPONENTS) payload[c] = valueOf(c);
    return payload;
  };

  const extract = (ref: NodeRef): unknown => extractFrom(sv(), ref);

  const nodeChecksum = (ref: NodeRef, payload: unknown): string => {
    if (checkRef(ref) !== undefined) return UNKNOWN;
    const p = payload as Table;
    if (ref.level === "GLOBAL" || ref.level === "COMPONENT") return T.checksumOrEmpty(p);
    if (!isTable(p)) return UNKNOWN;
    if (ref.level === "STRUCTURE") return T.computeTree(p).structure;
    if (ref.level === "RAID") {
      const node = T.computeRaidNode(scratchPlanFor(ref, p), ref.raid as string);
      return node === undefined ? UNKNOWN : node.rollup;
    }
    const components: { [c: string]: string } = {};
    for (const c of COMPONENTS) components[c] = T.checksumOrEmpty(p[c]);
    return T.combineEncounter(components);
  };

  const validatePayload = (ref: NodeRef, p: Table): string | undefined => {
    if (!isTable(p)) return "payload is not a table";
    if (ref.level === "COMPONENT" && ref.component === "encounterMetadata" && p.name !== ref.encounter) return "encounter metadata names another encounter";
    if (ref.level === "ENCOUNTER") {
      if (!isTable(p.encounterMetadata) || p.encounterMetadata.name !== ref.encounter) return "encounter metadata missing or names another encounter";
      for (const c of COMPONENTS) if (p[c] !== undefined && !isTable(p[c])) return "component " + c + " is not a table";
    }
    if (ref.level === "RAID") {
      if (!isTable(p.raid)) return "raid table missing";
      if (p.raid.encounters !== undefined && !isTable(p.raid.encounters)) return "raid encounters is not a table";
      if (p.components !== undefined && !isTable(p.components)) return "raid components is not a table";
      if (isTable(p.components)) {
        for (const c in COMPONENT_TABLES) if (p.components[c] !== undefined && !isTable(p.components[c])) return "component " + c + " is not a table";
      }
    }
    if (ref.level === "STRUCTURE") {
      if (!isTable(p.encounterMgmt) || !isTable(p.encounterMgmt.raids)) return "plan has no encounterMgmt.raids";
    }
    return undefined;
  };

  const apply = (ref: NodeRef, payload: unknown, source?: string, expected?: string, prepared?: TreeNode | RaidNode): string | undefined => {
    const bad = checkRef(ref);
    if (bad !== undefined) return bad;
    let p = payload as Table;
    if (typeof payload === "string") {
      const parsed = deserialize(payload);
      if (!parsed.ok) return "payload does not parse: " + parsed.error;
      p = parsed.value;
    }
    if (ref.level === "STRUCTURE") {
      if (isTable(p)) migratePlan(p);
    }
    const invalid = validatePayload(ref, p);
    if (invalid !== undefined) return invalid;
    if (expected !== undefined && nodeChecksum(ref, p) !== expected) return "payload checksum does not match";
    const data = sv();
    if (!isTable(data)) return "OGRH_SV is not a table";
    const raidName = ref.raid as string;
    const encName = ref.encounter as string;
    let mgmt = data.encounterMgmt;
    if (ref.level !== "GLOBAL" && !isTable(mgmt)) {
      mgmt = {};
      data.encounterMgmt = mgmt;
    }
    if (ref.level !== "GLOBAL" && !isTable(mgmt.raids)) mgmt.raids = {};
    // Check that the target exists before changing anything.
    let index = 0;
    if (ref.level === "ENCOUNTER" || ref.level === "COMPONENT") {
      index = T.encounterIndex(mgmt.raids[raidName], encName);
      if (index === 0) return "unknown encounter " + raidName + " > " + encName + " (sync the raid)";
    }
    const setComponent = (c: string, value: unknown) => {
      if (c === "encounterMetadata") {
        mgmt.raids[raidName].encounters[index] = value;
        return;
      }
      const t = tableFor(data, c, true);
      if (!isTable(t[raidName])) t[raidName] = {};
      t[raidName][encName] = value;
    };
    let path: LuaKey[] = [];
    if (ref.level === "GLOBAL") {
      data[ref.component as string] = p;
      path = [ref.component as string];
    } else if (ref.level === "COMPONENT") {
      setComponent(ref.component as string, p);
    } else if (ref.level === "ENCOUNTER") {
      for (const c of COMPONENTS) setComponent(c, p[c]);
    } else if (ref.level === "RAID") {
      mgmt.raids[raidName] = p.raid;
      for (const c in COMPONENT_TABLES) {
        const t = tableFor(data, c, true);
        t[raidName] = isTable(p.components) ? p.components[c] : undefined;
      }
    } else {
      mgmt.raids = p.encounterMgmt.raids;
      mgmt.roles = isTable(p.encounterMgmt.roles) ? p.encounterMgmt.roles : {};
      for (const k of PLAN_KEYS) data[k] = isTable(p[k]) ? p[k] : {};
    }
    const changes: ChangedNode[] = [];
    if (ref.level === "GLOBAL") afterWrite(path, changes);
    else if (ref.level === "STRUCTURE") rebuildAll(changes, prepared as TreeNode | undefined);
    else {
      const t = tree();
      if (ref.level === "RAID" || t.raids[raidName] === undefined) rebuildRaid(t, data, raidName, changes, ref.level === "RAID" ? (prepared as RaidNode | undefined) : undefined);
      else {
        const node = t.raids[raidName];
        const comps = ref.level === "COMPONENT" ? [ref.component as string] : COMPONENTS;
        if (ref.level === "COMPONENT" && ref.component === "encounterMetadata") {
          const enc = node.list[index - 1];
          if (enc !== undefined && updateEncounter(data, raidName, enc, "encounterMetadata", mgmt.raids[raidName].encounters[index], changes)) updateRollup(raidName, node, changes);
        } else if (ref.level === "ENCOUNTER") {
          // metadata of the applied position, the other components for every encounter of that name
          const enc = node.list[index - 1];
          let any = false;
          if (enc !== undefined && updateEncounter(data, raidName, enc, "encounterMetadata", mgmt.raids[raidName].encounters[index], changes)) any = true;
          if (any) updateRollup(raidName, node, changes);
          for (const c of comps) if (c !== "encounterMetadata") updateComponent(t, data, raidName, encName, c, changes);
        } else {
          updateComponent(t, data, raidName, encName, comps[0], changes);
        }
      }
      updateStructure(t, changes);
    }
    notify({ source: source ?? "local", path, node: ref, changes });
    return undefined;
  };

  const applyDelta = (ref: NodeRef, setEntries: Table, remove: Table, source?: string): string | undefined => {
    const bad = checkRef(ref);
    if (bad !== undefined) return bad;
    if (ref.level !== "GLOBAL" && ref.level !== "COMPONENT") return "deltas apply to global components and components only";
    if (setEntries !== undefined && !isTable(setEntries)) return "delta entries are not a table";
    if (remove !== undefined && !isTable(remove)) return "delta removals are not a table";
    const current = extract(ref);
    if (current === undefined) return "unknown node";
    const next: Table = {};
    const cur = current as Table;
    if (isTable(cur)) for (const k in cur) next[k] = cur[k];
    if (isTable(remove)) for (const k of remove as LuaKey[]) next[k as string] = undefined;
    if (isTable(setEntries)) for (const k in setEntries) next[k] = setEntries[k];
    return apply(ref, next, source);
  };

  const replacePlan = (plan: Table, source?: string): string | undefined => apply({ level: "STRUCTURE" }, plan, source ?? "import");

  const mergePlan = (planIn: Table, source?: string): string | undefined => {
    let plan = planIn;
    if (typeof planIn === "string") {
      const parsed = deserialize(planIn);
      if (!parsed.ok) return "plan does not parse: " + parsed.error;
      plan = parsed.value;
    }
    if (!isTable(plan)) return "plan is not a table";
    migratePlan(plan);
    const invalid = validatePayload({ level: "STRUCTURE" }, plan);
    if (invalid !== undefined) return invalid;
    const data = sv();
    const next = deepCopy(planOf(data)) as Table;
    if (!isTable(next.encounterMgmt.raids)) next.encounterMgmt.raids = {};
    if (!isTable(next.encounterMgmt.roles)) next.encounterMgmt.roles = {};
    for (const name in plan.encounterMgmt.raids) next.encounterMgmt.raids[name] = plan.encounterMgmt.raids[name];
    if (isTable(plan.encounterMgmt.roles)) for (const name in plan.encounterMgmt.roles) next.encounterMgmt.roles[name] = plan.encounterMgmt.roles[name];
    for (const k of PLAN_KEYS) {
      if (!isTable(plan[k])) continue;
      if (T.isGlobalComponent(k)) next[k] = plan[k];
      else {
        if (!isTable(next[k])) next[k] = {};
        for (const name in plan[k]) next[k][name] = plan[k][name];
      }
    }
    return apply({ level: "STRUCTURE" }, next, source ?? "import");
  };

  const rebuild = (): boolean => {
    const before = cache;
    cache = T.computeTree(sv());
    return before !== undefined && before.structure === cache.structure;
  };

  const adoptTree = (fresh: TreeNode, at: number): boolean => {
    if (at !== writeCount) return false;
    cache = fresh;
    return true;
  };

  const refresh = (paths: LuaKey[][], fresh?: TreeNode, at?: number): number => {
    if (fresh !== undefined && at !== writeCount) return 0;
    const changes: ChangedNode[] = [];
    if (fresh !== undefined) rebuildAll(changes, fresh);
    else for (const path of paths) afterWrite(path, changes);
    if (changes.length > 0) notify({ source: "direct", path: paths.length === 1 ? paths[0] : [], changes });
    return changes.length;
  };

  const withScratch = (scratch: Table, fn: () => void) => {
    const saved = platform.getGlobal(planGlobal());
    const savedCache = cache;
    const wasMuted = muted;
    platform.setGlobal(planGlobal(), scratch);
    cache = undefined;
    muted = true;
    try {
      fn();
    } finally {
      platform.setGlobal(planGlobal(), saved);
      cache = savedCache;
      muted = wasMuted;
    }
  };

  return {
    sv,
    tree,
    rebuild,
    writes: () => writeCount,
    adoptTree,
    refresh,
    get,
    set,
    edit,
    extract,
    nodeChecksum,
    apply,
    applyDelta,
    replacePlan,
    mergePlan,
    on: (fn) => emitter.on(fn),
    off: (id) => emitter.off(id),
    withScratch,
  };
}

/** A plan-shaped table holding only the node's payload, so the tree code can checksum it. */
export function scratchPlanFor(ref: NodeRef, payload: Table): Table {
  const raidName = ref.raid as string;
  const data: Table = { encounterMgmt: { raids: {}, roles: {} } };
  if (ref.level === "RAID") {
    data.encounterMgmt.raids[raidName] = payload.raid;
    for (const c in COMPONENT_TABLES) {
      const t = tableFor(data, c, true);
      t[raidName] = isTable(payload.components) ? payload.components[c] : undefined;
    }
  }
  return data;
}

/** The canonical text of a node's payload (nil + reason when it cannot be serialised). */
export function serializeNode(store: Store, ref: NodeRef): { text?: string; error?: string } {
  const payload = store.extract(ref);
  if (payload === undefined) return { error: "unknown node" };
  return serialize(payload);
}

export { GLOBAL_COMPONENTS, COMPONENTS };
