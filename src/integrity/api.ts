// Wires the integrity core and the store into the public OGRH table (spec 6.1 / 6.2 names), and
// exposes OGRH.SyncIntegrity and OGRH.Store. Every function is called with a dot from Lua.
// Lua-only.
import { installCompanion } from "../store/companion";
import type { App } from "../app";
import { LuaKey } from "../core/luatable";
import { buildDefaults } from "../store/defaults";
import { NodeRef, Store, StoreChange, createStore, deepCopy, serializeNode } from "../store/store";
import { planGlobal, preparePlan } from "../store/sv";
import { Done, applyInBackground, rebuildInBackground, serializeInBackground } from "../store/background";
import { createScrub } from "../store/scrub";
import { canonicalEntries } from "./canonical";
import { hashString, hashStringToNumber } from "./hash";
import { deserialize, serialize } from "./serialize";
import * as tree from "./tree";
import type { Hierarchy } from "./tree";
import { checksumValue, resetMemo } from "./valuehash";
import { formatResult, validateTree } from "./validate";
import { nilOr, valueOr } from "../core/values";

type Table = any;

/** Checksums of each top-level entry of a table (for deltas): key -> checksum. */
export function entryChecksums(value: unknown): Table {
  const out: Table = {};
  if (typeof value !== "object" || value === null) return out;
  const keys: LuaKey[] = [];
  const vals: unknown[] = [];
  const r = canonicalEntries(value, keys, vals);
  if (r > 0) for (let i = 0; i < r; i++) out[i + 1] = checksumValue(vals[i]);
  else for (let i = 0; i < -r; i++) out[keys[i] as string] = checksumValue(vals[i]);
  return out;
}

export interface Integrity {
  store: Store;
}

export function installIntegrity(app: App): Integrity {
  const { api, platform, jobs } = app;
  // Lua callers may leave the callback out.
  const orNothing = <T>(fn: unknown): Done<T> => (typeof fn === "function" ? (fn as Done<T>) : () => undefined);
  const store = createStore(platform, (message) => app.say(message));
  const data = (): Table => platform.getGlobal(planGlobal());
  // Writes behind the store (OG-RaidHelper, /script, bugs) reach the cache through the scrub.
  const scrub = createScrub(platform, store, jobs);

  // Spec 6.1: fresh from the data, so direct edits of OGRH_SV tables show at once.
  api.ComputeGlobalComponentChecksum = (name: unknown) => tree.globalChecksum(data(), name);
  api.GetGlobalComponentChecksums = () => tree.globalChecksums(data());
  api.ComputeRaidChecksum = (raidName: unknown) => tree.raidChecksum(data(), raidName);
  api.GetRaidChecksums = () => {
    const out: Table = {};
    for (const name of tree.raidNames(data())) out[name] = tree.raidChecksum(data(), name);
    return out;
  };
  api.ComputeEncounterChecksum = (raidName: unknown, encName: unknown) => tree.encounterChecksum(data(), raidName, encName);
  api.GetEncounterChecksums = (raidName: unknown) => {
    const out: Table = {};
    if (typeof raidName !== "string") return out;
    const node = tree.computeRaidNode(data(), raidName);
    if (node === undefined) return out;
    for (const name in node.encounters) out[name] = node.encounters[name].encounter;
    return out;
  };
  api.ComputeComponentChecksum = (raidName: unknown, encName: unknown, component: unknown) =>
    tree.componentChecksum(data(), raidName, encName, component);
  api.GetComponentChecksums = (raidName: unknown, encName: unknown) => {
    const out: Table = {};
    const raid = tree.raidOf(data(), raidName);
    const index = tree.encounterIndex(raid, encName);
    if (index === 0) return out;
    const node = tree.computeEncounterNode(data(), raidName as string, (tree.encountersOf(raid) as Table)[index]);
    for (const c of tree.COMPONENTS) out[c] = node.components[c];
    return out;
  };
  api.GetAllHierarchicalChecksums = () => tree.hierarchyOf(tree.computeTree(data()), true);
  api.HashString = (s: unknown) => hashString(typeof s === "string" ? s : String(s));
  api.HashStringToNumber = (s: unknown) => hashStringToNumber(typeof s === "string" ? s : String(s));
  // Spec 6.2.1
  api.ValidateStructureHierarchy = (remote: unknown) => validateTree(tree.computeTree(data()), remote);
  api.FormatValidationResult = (result: unknown) => formatResult(result);
  api.FindRaidByName = (raidName: unknown) => tree.raidOf(data(), raidName);
  api.FindEncounterByName = (raidName: unknown, encName: unknown) => {
    const raid = tree.raidOf(data(), raidName);
    const index = tree.encounterIndex(raid, encName);
    return index === 0 ? undefined : (tree.encountersOf(raid) as Table)[index];
  };

  api.SyncIntegrity = {
    GLOBAL_COMPONENTS: tree.GLOBAL_COMPONENTS,
    COMPONENTS: tree.COMPONENTS,
    UNKNOWN: tree.UNKNOWN,
    /** Canonical text of a value, or nil + reason. */
    Serialize: (value: unknown) => {
      const r = serialize(value);
      return valueOr(r.text, r.error);
    },
    /** The value of canonical text, or nil + reason (strict: only canonical text parses). */
    Deserialize: (text: unknown) => {
      const r = deserialize(text);
      return valueOr(r.value, r.ok ? undefined : r.error);
    },
    /** Checksum of any value: equals HashString(Serialize(value)). */
    ChecksumValue: (value: unknown) => checksumValue(value),
    EntryChecksums: (value: unknown) => entryChecksums(value),
    HashString: (s: string) => hashString(s),
    HashStringToNumber: (s: string) => hashStringToNumber(s),
    /** The cached tree, kept current by OGRH.Store writes (full: every level). */
    GetCachedHierarchy: () => tree.hierarchyOf(store.tree(), true),
    /** What the poll broadcasts: structure, global and raid level (raid + rollup) only. */
    GetLightweightChecksums: () => tree.hierarchyOf(store.tree(), false),
    /** One raid with its encounter and component checksums, from the cache (nil when unknown). */
    GetRaidDrillDown: (raidName: string) => {
      const node = store.tree().raids[raidName];
      return node === undefined ? undefined : tree.raidSums(node, true);
    },
    /** Validation against the cached tree (the polling path). */
    ValidateAgainstCache: (remote: unknown) => validateTree(store.tree(), remote),
    /** Recomputes the cache from the data; returns true when it was already current. */
    VerifyCache: () => store.rebuild(),
    /** VerifyCache over frames (a job): onDone(wasCurrent) or onDone(nil, reason). */
    VerifyCacheInBackground: (onDone?: unknown) => rebuildInBackground(jobs, store, orNothing<boolean>(onDone)),
    GetStructureChecksum: () => store.tree().structure,
    /** The scrub (store/scrub.ts): passes, units checked, direct changes found, paced rebuilds. */
    ScrubStats: () => scrub.stats(),
    /** Starts a scrub pass now (unless one runs). */
    Scrub: () => scrub.kick(),
    /** Forgets the remembered token hashes (benchmarks measure a cold start with it). */
    ResetMemo: () => resetMemo(),
    /** The checksum a node payload would have once applied (verify before applying). */
    NodeChecksum: (ref: NodeRef, payload: unknown) => store.nodeChecksum(ref, payload),
  };

  api.Store = {
    Get: (path: LuaKey[]) => store.get(path),
    /** Sets OGRH_SV[path...] = value (intermediate tables created). true, or nil + reason. */
    Set: (path: LuaKey[], value: unknown, source?: string) => nilOr(store.set(path, value, source)),
    /** Calls fn(table at path) to edit it in place, then updates checksums. true, or nil + reason. */
    Edit: (path: LuaKey[], fn: (t: Table) => void, source?: string) => nilOr(store.edit(path, fn, source)),
    /** The live payload of a node ({level=, raid=, encounter=, component=}); read-only. */
    ExtractNode: (ref: NodeRef) => store.extract(ref),
    SerializeNode: (ref: NodeRef) => {
      const r = serializeNode(store, ref);
      return valueOr(r.text, r.error);
    },
    /** Replaces a node with a payload (table or canonical text), atomically. true, or nil + reason. */
    ApplyNode: (ref: NodeRef, payload: unknown, source?: string, expected?: string) => nilOr(store.apply(ref, payload, source, expected)),
    /**
     * ApplyNode over frames: parsed and checksummed aside in a job, swapped in at the end (all or
     * nothing). onDone(true) or onDone(nil, reason).
     */
    ApplyNodeInBackground: (ref: NodeRef, payload: unknown, source?: string, expected?: string, onDone?: unknown) =>
      applyInBackground(jobs, store, ref, payload, source, expected, orNothing<true>(onDone)),
    /** SerializeNode over frames: onDone(text) or onDone(nil, reason). */
    SerializeNodeInBackground: (ref: NodeRef, onDone?: unknown) => serializeInBackground(jobs, store, ref, orNothing<string>(onDone)),
    ApplyNodeDelta: (ref: NodeRef, set: Table, remove: Table, source?: string) => nilOr(store.applyDelta(ref, set, remove, source)),
    ReplacePlan: (plan: Table, source?: string) => nilOr(store.replacePlan(plan, source)),
    MergePlan: (plan: Table, source?: string) => nilOr(store.mergePlan(plan, source)),
    /** Subscribes to changes: fn({source, path, node, changes = {{level, raid, encounter, component, old, new}}}). */
    OnChange: (fn: (change: StoreChange) => void) => store.on(fn),
    RemoveListener: (id: number) => store.off(id),
    DeepCopy: (v: unknown) => deepCopy(v),
    BuildDefaults: () => buildDefaults(),
    RunOnScratch: (scratch: Table, fn: () => void) => store.withScratch(scratch, fn),
  };

  // EnsureSV (run on ADDON_LOADED through api.EnsureSV) also migrates and seeds the plan, then
  // rebuilds the cached tree from the data.
  const ensure = api.EnsureSV;
  api.EnsureSV = () => {
    const sv = ensure();
    preparePlan(sv);
    store.rebuild();
    return sv;
  };
  // Companion: the store is a view of OG-RaidHelper's v2 plan, read and written by the bridge. Its
  // PLAYER_LOGIN handler (the view built from v2) runs before the login check below starts, so the
  // check reads the view as built, not half the saved one.
  if (app.mode === "companion") api.Companion = installCompanion(app, store);
  // The login check of the cache (other addons may have written OGRH_SV since ADDON_LOADED) runs
  // over frames: the cache is already whole from EnsureSV meanwhile.
  platform.on("PLAYER_LOGIN", () => {
    rebuildInBackground(jobs, store, () => undefined);
  });

  return { store };
}

export type { Hierarchy };
