// OG-RaidHelper's v2 plan (OGRH_SV.v2) seen as the spec's layout, and back (docs/architecture.md
// "Companion mode: the v2 mapping"). project() reads v2 into a spec-shaped plan the store, checksum
// tree, sync and backups work on unchanged; composeRaid() rebuilds a v2 raid from that plan so a
// round trip v2 -> plan -> v2 gives the same tables. Pure data, no OG-RaidHelper calls (companion.ts
// writes). Lua-only.
import { GLOBAL_COMPONENTS } from "../core/schema";
import { seqLength } from "../core/luatable";
import { isTable } from "../core/values";
import { deepCopy } from "./store";

type Table = any;

/** The role fields that are per-slot data: each becomes its own component. */
export const SLOT_FIELDS: { [component: string]: string } = {
  playerAssignments: "assignedPlayers",
  raidMarks: "raidMarks",
  assignmentNumbers: "assignmentNumbers",
};

/** v2 global parts that are plan data (the others are settings, UI state or history of one client). */
export const V2_GLOBALS = ["tradeItems", "consumes"];

/** Raid fields that are not plan data: boss GUIDs each client detects for itself. */
const RAID_LOCAL = "bossMobs";

/** The spec table each per-encounter component lives in. */
const SPEC_TABLE: { [component: string]: string } = {
  playerAssignments: "encounterAssignments",
  raidMarks: "encounterRaidMarks",
  assignmentNumbers: "encounterAssignmentNumbers",
  announcements: "encounterAnnouncements",
};

/** v2.encounterMgmt.raids, or undefined. */
export function v2Raids(v2: Table): Table {
  if (!isTable(v2) || !isTable(v2.encounterMgmt) || !isTable(v2.encounterMgmt.raids)) return undefined;
  return v2.encounterMgmt.raids;
}

/**
 * The v2 index of the raid we sync under a name: the first raid of that name after the Active Raid
 * (raids[1] is OG-RaidHelper's own to sync). 0 when there is none.
 */
export function raidIndex(v2: Table, name: string): number {
  const raids = v2Raids(v2);
  if (raids === undefined) return 0;
  const n = seqLength(raids);
  for (let i = 2; i <= n; i++) {
    const r = raids[i];
    if (isTable(r) && r.name === name) return i;
  }
  return 0;
}

/** A copy of t without the listed keys. */
function without(t: Table, drop: { [k: string]: boolean }): Table {
  const out: Table = {};
  for (const k in t) if (!drop[k]) out[k] = deepCopy(t[k]);
  return out;
}

const ENC_DROP: { [k: string]: boolean } = { roles: true, announcements: true };
const ROLE_DROP: { [k: string]: boolean } = { assignedPlayers: true, raidMarks: true, assignmentNumbers: true };
export const RAID_DROP: { [k: string]: boolean } = { encounters: true, bossMobs: true };

/**
 * The spec-layout plan of v2: every named raid but the Active Raid (first of a name wins), its
 * encounters (first of a name wins), each split into the six components; tradeItems and consumes.
 * rgo has no v2 counterpart (OG-RaidHelper retired it) and stays empty.
 */
export function project(v2: Table): Table {
  const plan = emptyPlan();
  if (!isTable(v2)) return plan;
  for (const g of V2_GLOBALS) if (isTable(v2[g])) plan[g] = deepCopy(v2[g]);
  const raids = v2Raids(v2);
  if (raids === undefined) return plan;
  const n = seqLength(raids);
  for (let i = 2; i <= n; i++) {
    const raid = raids[i];
    if (!isTable(raid) || typeof raid.name !== "string" || plan.encounterMgmt.raids[raid.name] !== undefined) continue;
    projectRaid(plan, raid);
  }
  return plan;
}

/** Where one raid's projection goes: the plan's tables for that raid (raidView). */
export interface RaidView {
  name: string;
  list: Table;
  roles: Table;
  perRaid: { [component: string]: Table };
  count: number;
  /** Encounter names already taken (the first encounter of a name wins). */
  taken: { [name: string]: boolean };
}

/** A plan-shaped table with nothing in it (the tables project() and the tree code expect). */
export function emptyPlan(): Table {
  const plan: Table = { encounterMgmt: { raids: {}, roles: {} } };
  for (const c in SPEC_TABLE) plan[SPEC_TABLE[c]] = {};
  for (const g of GLOBAL_COMPONENTS) plan[g] = {};
  return plan;
}

/** The raid's own fields in the view (no encounters, no bossMobs), with an empty encounter list. */
export function raidMeta(raid: Table): Table {
  const meta = without(raid, RAID_DROP);
  meta.encounters = {};
  return meta;
}

/** Puts the raid's metadata into plan and returns where its encounters go (projectEncounter). */
export function raidView(plan: Table, raid: Table): RaidView {
  const name = raid.name as string;
  const meta = raidMeta(raid);
  plan.encounterMgmt.raids[name] = meta;
  const roles: Table = {};
  plan.encounterMgmt.roles[name] = roles;
  const perRaid: Table = {};
  for (const c in SPEC_TABLE) {
    perRaid[c] = {};
    plan[SPEC_TABLE[c]][name] = perRaid[c];
  }
  return { name, list: meta.encounters, roles, perRaid, count: 0, taken: {} };
}

/** Whether a v2 encounter is in the view: named, and the first of its name in its raid (marks it taken). */
export function takeEncounter(view: RaidView, enc: unknown): boolean {
  if (!isTable(enc)) return false;
  const name = (enc as Table).name;
  if (typeof name !== "string" || view.taken[name]) return false;
  view.taken[name] = true;
  return true;
}

/** Projects one v2 encounter (one takeEncounter accepted) as the next entry of the view's list. */
export function projectEncounter(view: RaidView, enc: Table): void {
  view.count++;
  view.list[view.count] = without(enc, ENC_DROP);
  const defs: Table = {};
  const slots: Table = { playerAssignments: {}, raidMarks: {}, assignmentNumbers: {} };
  const encRoles = isTable(enc.roles) ? enc.roles : {};
  for (const k in encRoles) {
    const role = encRoles[k];
    defs[k] = isTable(role) ? without(role, ROLE_DROP) : deepCopy(role);
    if (!isTable(role)) continue;
    for (const c in SLOT_FIELDS) if (role[SLOT_FIELDS[c]] !== undefined) slots[c][k] = deepCopy(role[SLOT_FIELDS[c]]);
  }
  // An encounter without a roles table keeps none (roles = {} would add one on the way back).
  if (enc.roles !== undefined) view.roles[enc.name] = defs;
  for (const c in SLOT_FIELDS) view.perRaid[c][enc.name] = slots[c];
  view.perRaid.announcements[enc.name] = deepCopy(enc.announcements);
}

function projectRaid(plan: Table, raid: Table): void {
  const view = raidView(plan, raid);
  const encs = isTable(raid.encounters) ? raid.encounters : {};
  const m = seqLength(encs);
  for (let j = 1; j <= m; j++) if (takeEncounter(view, encs[j])) projectEncounter(view, encs[j]);
}

/** The v2 encounter from the plan's components (a fresh table, nothing shared with the plan). */
export function composeEncounter(plan: Table, raidName: string, entry: Table): Table {
  const enc: Table = deepCopy(entry);
  const encName = entry.name as string;
  const comp = (table: string): unknown => {
    const perRaid = isTable(plan[table]) ? plan[table][raidName] : undefined;
    return isTable(perRaid) ? perRaid[encName] : undefined;
  };
  const rolesByRaid = isTable(plan.encounterMgmt.roles) ? plan.encounterMgmt.roles[raidName] : undefined;
  const defs = isTable(rolesByRaid) ? rolesByRaid[encName] : undefined;
  if (isTable(defs)) {
    const roles: Table = {};
    for (const k in defs) {
      const role = deepCopy(defs[k]) as Table;
      if (isTable(role)) {
        for (const c in SLOT_FIELDS) {
          const slots = comp(SPEC_TABLE[c]) as Table;
          if (isTable(slots) && slots[k] !== undefined) role[SLOT_FIELDS[c]] = deepCopy(slots[k]);
        }
      }
      roles[k] = role;
    }
    enc.roles = roles;
  }
  const ann = comp(SPEC_TABLE.announcements);
  if (ann !== undefined) enc.announcements = deepCopy(ann);
  return enc;
}

/**
 * The v2 raid from the plan: metadata and encounters composed; `current` (the v2 raid it replaces)
 * keeps what is not plan data (bossMobs) and its later encounters of a repeated name.
 */
export function composeRaid(plan: Table, raidName: string, current: Table): Table {
  const meta = plan.encounterMgmt.raids[raidName] as Table;
  const raid: Table = without(meta, RAID_DROP);
  const encs: Table = {};
  raid.encounters = encs;
  const list = isTable(meta.encounters) ? meta.encounters : {};
  const m = seqLength(list);
  for (let j = 1; j <= m; j++) encs[j] = composeEncounter(plan, raidName, list[j]);
  if (isTable(current)) {
    if (current[RAID_LOCAL] !== undefined) raid[RAID_LOCAL] = current[RAID_LOCAL];
    const old = isTable(current.encounters) ? current.encounters : {};
    const k = seqLength(old);
    let n = m;
    const kept: Table = {};
    for (let j = 1; j <= k; j++) {
      const e = old[j];
      const name = isTable(e) ? e.name : undefined;
      if (typeof name === "string" && kept[name] === undefined) {
        kept[name] = true;
        continue;
      }
      // A later encounter of a repeated name (or an unnamed one) is not synced: it stays as it was.
      n++;
      encs[n] = e;
    }
  }
  return raid;
}

