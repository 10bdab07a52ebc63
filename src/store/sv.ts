// OGRH_SV: creation and repair on load. The saved variable is only ever replaced by a table of the
// right shape; anything unusable is kept aside under `quarantine` so no player data is lost.
import { Platform } from "../core/platform";
import { buildDefaults } from "./defaults";
import { migratePlan } from "./migrate";
import { isTable } from "../core/values";

/** The spec's name for the live plan: a runtime global in standalone mode (never saved under it). */
export const SPEC_SV_NAME = "OGRH_SV";
/** Our own SavedVariable: the plan and settings, in both modes. */
export const SAVED_SV_NAME = "OGRH_Sync_SV";
export const SCHEMA_VERSION = 1;

/**
 * The global the live plan is read from. Standalone: OGRH_SV (the spec's snippets may replace it
 * wholesale; the app copies it back to OGRH_Sync_SV before the client saves). Companion:
 * OGRH_Sync_SV itself, because OGRH_SV belongs to OG-RaidHelper. Set once by createApp.
 */
let planName = SPEC_SV_NAME;

export function planGlobal(): string {
  return planName;
}

export function setPlanGlobal(name: string): void {
  planName = name;
}

export type SVTable = { [key: string]: unknown };

/** Top-level keys and the Lua type each must have. */
const TOP_LEVEL: { [key: string]: "table" | "number" } = {
  schemaVersion: "number",
  encounterMgmt: "table",
  encounterAssignments: "table",
  encounterRaidMarks: "table",
  encounterAssignmentNumbers: "table",
  encounterAnnouncements: "table",
  tradeItems: "table",
  consumes: "table",
  rgo: "table",
};

export interface EnsureReport {
  created: boolean;
  repaired: string[];
}

export interface PlanReport {
  /** The shipping raids were added (a new or emptied plan). */
  seeded: boolean;
  /** Raids moved from the older array layout to name keys. */
  migrated: number;
}

function luaType(value: unknown): "table" | "number" | "other" {
  if (typeof value === "object") return "table";
  if (typeof value === "number") return "number";
  return "other";
}

/** Creates OGRH_SV when missing, repairs wrong-typed top-level keys; returns what it did. */
export function ensureSV(platform: Platform): EnsureReport {
  const report: EnsureReport = { created: false, repaired: [] };
  let sv = platform.getGlobal(planGlobal());
  if (luaType(sv) !== "table") {
    const fresh: SVTable = {};
    if (sv !== undefined) {
      fresh.quarantine = { [planGlobal()]: sv };
      report.repaired.push(planGlobal());
    } else {
      report.created = true;
    }
    platform.setGlobal(planGlobal(), fresh);
    sv = fresh;
  }
  const table = sv as SVTable;
  for (const key in TOP_LEVEL) {
    const want = TOP_LEVEL[key];
    const value = table[key];
    if (luaType(value) === want) continue;
    if (value !== undefined) {
      let quarantine = table.quarantine as SVTable;
      if (luaType(quarantine) !== "table") {
        quarantine = {};
        table.quarantine = quarantine;
      }
      quarantine[key] = value;
      report.repaired.push(key);
    }
    table[key] = want === "number" ? SCHEMA_VERSION : {};
  }
  return report;
}

/**
 * Brings the raid plan in an ensured OGRH_SV to the current layout: migrates the older array
 * layout of encounterMgmt.raids and seeds the shipping raids into a new plan. Runs after ensureSV.
 */
export function preparePlan(sv: unknown): PlanReport {
  const report: PlanReport = { seeded: false, migrated: 0 };
  if (!isTable(sv)) return report;
  const table = sv as SVTable;
  if (!isTable(table.encounterMgmt)) return report;
  report.migrated = migratePlan(table).moved;
  seedDefaults(table, report);
  return report;
}

/**
 * A plan without encounterMgmt.raids (a new OGRH_SV, or one whose encounterMgmt was reset) gets the
 * shipping raids. A plan that has raids, even none, is the player's and is never touched.
 */
function seedDefaults(table: SVTable, report: PlanReport): void {
  const mgmt = table.encounterMgmt as SVTable;
  if (isTable(mgmt.raids)) return;
  const defaults = buildDefaults();
  const dmgmt = defaults.encounterMgmt as SVTable;
  mgmt.raids = dmgmt.raids;
  if (!isTable(mgmt.roles)) mgmt.roles = {};
  const roles = mgmt.roles as SVTable;
  const droles = dmgmt.roles as SVTable;
  for (const raid in droles) if (roles[raid] === undefined) roles[raid] = droles[raid];
  for (const key of ["encounterRaidMarks", "encounterAnnouncements", "encounterAssignmentNumbers"]) {
    if (!isTable(table[key])) table[key] = {};
    const mine = table[key] as SVTable;
    const theirs = defaults[key] as SVTable;
    for (const raid in theirs) if (mine[raid] === undefined) mine[raid] = theirs[raid];
  }
  for (const key of ["consumes", "tradeItems", "rgo"]) {
    const mine = table[key] as SVTable;
    let empty = true;
    if (!isTable(mine)) continue;
    for (const _ in mine) empty = false;
    if (empty) table[key] = defaults[key];
  }
  report.seeded = true;
}
