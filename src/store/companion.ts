// Companion mode: our plan is a view of OG-RaidHelper's (OGRH_SV.v2, mapped by v2plan.ts), so the
// checksum tree, sync, rollback and window protect the plan its users edit. Two directions:
// - v2 -> store: one raid (or the global parts) of v2 is compared with a copy of the last read every
//   frame; when one moved the view is rebuilt from v2 and what moved is applied to the store as
//   source "ogrh" (OG-RaidHelper's edits, through SetPath or direct).
// - store -> v2: every other write (sync repair, restore, import) is written into v2 through
//   OGRH.SVM.SetPath without sync metadata, as OG-RaidHelper applies a received delta, and its open
//   windows are refreshed the way it refreshes them then.
// The Active Raid (raids[1]) is never read or written: OG-RaidHelper syncs it itself.
// Lua-only.
import type { App } from "../app";
import { COMPONENT_TABLES, COMPONENTS, GLOBAL_COMPONENTS, PLAN_KEYS } from "../core/schema";
import { isTable } from "../core/values";
import { checksumValue } from "../integrity/valuehash";
import * as T from "../integrity/tree";
import type { Store, StoreChange } from "./store";
import { deepCopy } from "./store";
import { composeRaid, project, raidIndex, V2_GLOBALS, v2Raids } from "./v2plan";

type Table = any;

/** The store source of changes read from OG-RaidHelper's tables. */
export const OGRH_SOURCE = "ogrh";
/** Seconds a member waits after OG-RaidHelper changed its plan before checking with the admin. */

/** @noSelf */
interface Svm {
  SetPath: (path: string, value: unknown, meta?: unknown) => boolean;
}

/** @noSelf */
export interface Companion {
  /** Reads v2 now; returns true when something moved. */
  refresh: () => boolean;
  /** Compares one unit of v2 (global parts or one raid) with the last read: true when it moved. */
  check: () => boolean;
  /** How many SetPath writes we made (tests, benchmarks). */
  writes: () => number;
}

export function installCompanion(app: App, store: Store): Companion {
  const { platform } = app;
  let writeCount = 0;
  let busy = false;
  const v2 = (): Table => {
    const sv = platform.getGlobal("OGRH_SV") as Table;
    return isTable(sv) && sv.schemaVersion === "v2" && isTable(sv.v2) ? sv.v2 : undefined;
  };
  const svm = (): Svm | undefined => {
    const ogrh = platform.getGlobal("OGRH") as Table;
    return isTable(ogrh) && isTable(ogrh.SVM) && typeof ogrh.SVM.SetPath === "function" ? (ogrh.SVM as Svm) : undefined;
  };

  /** The whole view replaced silently (login): nothing to sync, nothing to write back. */
  const adopt = () => {
    const data = store.sv() as Table;
    if (!isTable(data) || v2() === undefined) return;
    const plan = project(v2());
    data.encounterMgmt = plan.encounterMgmt;
    for (const k of PLAN_KEYS) data[k] = plan[k];
    store.rebuild();
  };

  const raidPayload = (plan: Table, name: string): Table => ({
    raid: plan.encounterMgmt.raids[name],
    components: {
      roles: plan.encounterMgmt.roles[name],
      playerAssignments: plan.encounterAssignments[name],
      raidMarks: plan.encounterRaidMarks[name],
      assignmentNumbers: plan.encounterAssignmentNumbers[name],
      announcements: plan.encounterAnnouncements[name],
    },
  });

  /** Applies the components that differ, raid by raid; false (nothing applied) when one is absent from v2. */
  const applyComponents = (plan: Table, name: string, mine: T.RaidNode, fresh: T.RaidNode): boolean => {
    const todo: { enc: string; c: string; value: unknown }[] = [];
    for (let i = 0; i < fresh.count; i++) {
      const e = fresh.list[i];
      const m = mine.list[i];
      if (m === undefined || m.name !== e.name) return false;
      if (m.encounter === e.encounter) continue;
      for (const c of COMPONENTS) {
        if (m.components[c] === e.components[c]) continue;
        const value = componentOf(plan, name, e.name, i + 1, c);
        if (value === undefined) return false;
        todo.push({ enc: e.name, c, value });
      }
    }
    for (const x of todo) store.apply({ level: "COMPONENT", raid: name, encounter: x.enc, component: x.c }, x.value, OGRH_SOURCE);
    return true;
  };

  const refresh = (): boolean => {
    const data = v2();
    if (data === undefined) return false;
    const plan = project(data);
    const fresh = T.computeTree(plan);
    const t = store.tree();
    snapshot();
    if (fresh.structure === t.structure) return false;
    busy = true;
    for (const g of GLOBAL_COMPONENTS) {
      if (fresh.global[g] !== t.global[g]) store.apply({ level: "GLOBAL", component: g }, plan[g], OGRH_SOURCE);
    }
    let gone = false;
    for (const name in t.raids) if (t.raids[name] !== undefined && fresh.raids[name] === undefined) gone = true;
    if (gone) store.replacePlan(plan, OGRH_SOURCE);
    else {
      for (const name in fresh.raids) {
        const mine = t.raids[name];
        if (mine !== undefined && mine.rollup === fresh.raids[name].rollup) continue;
        // The finest node that moved, so the sync pushes or repairs just that (usually one component).
        if (mine === undefined || mine.raid !== fresh.raids[name].raid || !applyComponents(plan, name, mine, fresh.raids[name])) {
          store.apply({ level: "RAID", raid: name }, raidPayload(plan, name), OGRH_SOURCE);
        }
      }
    }
    busy = false;
    return true;
  };

  const setPath = (path: string, value: unknown) => {
    const s = svm();
    if (s === undefined) return;
    writeCount++;
    s.SetPath(path, value);
  };

  /** Writes one raid of the view into v2: only the encounters that differ when the raid's shape did not change. */
  const writeRaid = (data: Table, name: string) => {
    const raids = v2Raids(v2());
    if (raids === undefined) return;
    let n = 0;
    while (raids[n + 1] !== undefined) n++;
    const idx = raidIndex(v2(), name);
    const mine = isTable(data.encounterMgmt) && isTable(data.encounterMgmt.raids) ? data.encounterMgmt.raids[name] : undefined;
    if (!isTable(mine)) {
      if (idx === 0) return;
      // Removed with table.remove, as OG-RaidHelper's raid setup does (it keeps table.getn right),
      // then the array is set through SetPath so the write goes through its manager.
      table.remove(raids, idx);
      setPath("encounterMgmt.raids", raids);
      return;
    }
    const current = idx === 0 ? undefined : raids[idx];
    const next = composeRaid(data, name, current);
    if (current === undefined) {
      // A new raid goes where its sortOrder puts it (a restored raid returns to its place), else last.
      let at = n + 1;
      if (typeof next.sortOrder === "number") {
        for (let j = n; j >= 2; j--) if (isTable(raids[j]) && typeof raids[j].sortOrder === "number" && raids[j].sortOrder > next.sortOrder) at = j;
      }
      table.insert(raids, at, next);
      setPath("encounterMgmt.raids", raids);
      return;
    }
    if (checksumValue(next) === checksumValue(current)) return;
    const oldEncs = isTable(current.encounters) ? current.encounters : {};
    const shapeKept = sameShape(next, current);
    if (!shapeKept) {
      setPath("encounterMgmt.raids." + idx, next);
      return;
    }
    for (const j in next.encounters) {
      if (T.checksumOrEmpty(next.encounters[j]) !== T.checksumOrEmpty(oldEncs[j])) setPath("encounterMgmt.raids." + idx + ".encounters." + j, next.encounters[j]);
    }
  };

  const refreshWindows = () => {
    const ogrh = platform.getGlobal("OGRH") as Table;
    const rolesFrame = isTable(ogrh) ? ogrh.rolesFrame : undefined;
    if (isTable(rolesFrame) && typeof rolesFrame.UpdatePlayerLists === "function") (rolesFrame.UpdatePlayerLists as (this: void, a: boolean) => void)(false);
    const enc = platform.getGlobal("OGRH_EncounterFrame") as Table;
    if (isTable(enc) && typeof enc.RefreshRoleContainers === "function") (enc.RefreshRoleContainers as (this: void) => void)();
    if (isTable(enc) && typeof enc.RefreshRaidsList === "function") (enc.RefreshRaidsList as (this: void) => void)();
  };

  store.on((change: StoreChange) => {
    if (busy || change.source === OGRH_SOURCE || v2() === undefined) return;
    const data = store.sv() as Table;
    const before = writeCount;
    const raids: { [name: string]: boolean } = {};
    let all = change.node !== undefined && change.node.level === "STRUCTURE";
    for (const ch of change.changes) {
      if (ch.level === "GLOBAL" && ch.component !== undefined) {
        for (const g of V2_GLOBALS) if (g === ch.component) setPath(g, deepCopy(data[g]));
      } else if (ch.level === "STRUCTURE") all = true;
      else if (ch.raid !== undefined) raids[ch.raid] = true;
    }
    if (all) {
      if (isTable(data.encounterMgmt) && isTable(data.encounterMgmt.raids)) for (const name in data.encounterMgmt.raids) raids[name] = true;
      const list = v2Raids(v2());
      if (list !== undefined) for (let i = 2; list[i] !== undefined; i++) if (typeof list[i].name === "string") raids[list[i].name] = true;
      for (const g of V2_GLOBALS) if (T.checksumOrEmpty(data[g]) !== T.checksumOrEmpty(v2()[g])) setPath(g, deepCopy(data[g]));
    }
    for (const name in raids) writeRaid(data, name);
    if (writeCount !== before) {
      snapshot();
      refreshWindows();
    }
  });

  // Finding OG-RaidHelper's edits cheaply: a copy of what v2 held at the last read, compared one
  // unit (the global parts, or one raid) per frame; only a difference pays for a full read.
  let seen: Table | undefined;
  let cursor = 0;
  const snapshot = () => {
    const d = v2();
    const raids = v2Raids(d);
    if (d === undefined || raids === undefined) {
      seen = undefined;
      return;
    }
    const copy: Table = {};
    let n = 0;
    while (raids[n + 2] !== undefined) {
      n++;
      copy[n] = deepCopy(raids[n + 1]);
    }
    const globals: Table = {};
    for (const g of V2_GLOBALS) globals[g] = deepCopy(d[g]);
    seen = { raids: copy, count: n, globals };
  };
  const check = (): boolean => {
    const d = v2();
    const raids = v2Raids(d);
    if (d === undefined || raids === undefined) return false;
    if (seen === undefined) return true;
    let n = 0;
    while (raids[n + 2] !== undefined) n++;
    if (n !== seen.count) return true;
    const unit = cursor % (n + 1);
    cursor = unit + 1;
    if (unit === 0) {
      for (const g of V2_GLOBALS) if (!same(d[g], seen.globals[g], 0)) return true;
      return false;
    }
    return !same(raids[unit + 1], seen.raids[unit], 0);
  };

  platform.on("PLAYER_LOGIN", () => {
    adopt();
    snapshot();
    const tick = () => {
      if (check()) refresh();
      platform.after(0, tick);
    };
    platform.after(0, tick);
  });

  return { refresh, check, writes: () => writeCount };
}

/** One component of the view (index: the encounter's place in the raid's list). */
function componentOf(plan: Table, raid: string, enc: string, index: number, c: string): unknown {
  if (c === "encounterMetadata") return plan.encounterMgmt.raids[raid].encounters[index];
  const where = COMPONENT_TABLES[c];
  const t = where === "encounterMgmt.roles" ? plan.encounterMgmt.roles : plan[where];
  const perRaid = isTable(t) ? t[raid] : undefined;
  return isTable(perRaid) ? perRaid[enc] : undefined;
}

/** Deep equality of plain data. */
function same(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (!isTable(a) || !isTable(b) || depth > 64) return false;
  const x = a as Table;
  const y = b as Table;
  for (const k in x) if (!same(x[k], y[k], depth + 1)) return false;
  for (const k in y) if (x[k] === undefined) return false;
  return true;
}

/** Same raid metadata and the same encounter names in the same order. */
function sameShape(a: Table, b: Table): boolean {
  const meta = (r: Table): string => {
    const m: Table = {};
    for (const k in r) if (k !== "encounters") m[k] = r[k];
    const names: Table = {};
    const encs = isTable(r.encounters) ? r.encounters : {};
    for (const j in encs) names[j] = isTable(encs[j]) ? encs[j].name : false;
    m.encounters = names;
    return checksumValue(m);
  };
  return meta(a) === meta(b);
}
