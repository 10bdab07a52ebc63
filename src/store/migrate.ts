// The older layout (the original addon's export, shared/data/ogrh-factory-defaults.json) keeps
// encounterMgmt.raids as an array of { name = ..., ... }. The current layout keys raids by name.
// migratePlan converts in place, on load and before an import, and keeps every bit: a raid that
// cannot take its name (none, or a duplicate) is kept under quarantine.migratedRaids.
// Lua-only (indexes tables directly).
import { isTable } from "../core/values";

type Table = any;

export interface MigrationReport {
  /** Raids moved from array positions to their names. */
  moved: number;
  /** Raids kept aside (no name or a duplicate name). */
  quarantined: number;
}

/** Converts a plan (OGRH_SV or an imported plan) to the current layout in place. */
export function migratePlan(plan: Table): MigrationReport {
  const report: MigrationReport = { moved: 0, quarantined: 0 };
  if (!isTable(plan)) return report;
  const mgmt = plan.encounterMgmt;
  if (!isTable(mgmt)) return report;
  const raids = mgmt.raids;
  if (!isTable(raids)) return report;
  // Collect the numeric keys first (a table must not gain keys while pairs walks it), in order.
  const positions: number[] = [];
  let n = 0;
  for (const k in raids) {
    const key = k as unknown;
    if (typeof key === "number") {
      positions[n] = key;
      n++;
    }
  }
  if (n === 0) return report;
  positions.sort((a, b) => a - b);
  for (let i = 0; i < n; i++) {
    const key = positions[i];
    const raid = raids[key];
    raids[key] = undefined;
    const name = isTable(raid) ? raid.name : undefined;
    if (typeof name === "string" && raids[name] === undefined) {
      raids[name] = raid;
      report.moved++;
    } else {
      let quarantine = plan.quarantine;
      if (!isTable(quarantine)) {
        quarantine = {};
        plan.quarantine = quarantine;
      }
      if (!isTable(quarantine.migratedRaids)) quarantine.migratedRaids = {};
      const list = quarantine.migratedRaids;
      let m = 1;
      while (list[m] !== undefined) m++;
      list[m] = raid;
      report.quarantined++;
    }
  }
  if (!isTable(mgmt.roles)) mgmt.roles = {};
  return report;
}
