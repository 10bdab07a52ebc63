// OGRH_SV: creation and repair on load. The saved variable is only ever replaced by a table of the
// right shape; anything unusable is kept aside under `quarantine` so no player data is lost.
import { Platform } from "../core/platform";

export const SV_NAME = "OGRH_SV";
export const SCHEMA_VERSION = 1;

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

function luaType(value: unknown): "table" | "number" | "other" {
  if (typeof value === "object") return "table";
  if (typeof value === "number") return "number";
  return "other";
}

/** Creates OGRH_SV when missing, repairs wrong-typed top-level keys; returns what it did. */
export function ensureSV(platform: Platform): EnsureReport {
  const report: EnsureReport = { created: false, repaired: [] };
  let sv = platform.getGlobal(SV_NAME);
  if (luaType(sv) !== "table") {
    const fresh: SVTable = {};
    if (sv !== undefined) {
      fresh.quarantine = { [SV_NAME]: sv };
      report.repaired.push(SV_NAME);
    } else {
      report.created = true;
    }
    platform.setGlobal(SV_NAME, fresh);
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
