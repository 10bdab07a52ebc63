// Hierarchical validation (spec 6.2.1): compares a remote hierarchy against ours and reports where
// they differ, level by level. The remote may be full, lightweight (global + raid level only, as
// the poll sends), partial, or malformed: each gives a clear result, never an error.
import { getField, newDict } from "../core/luatable";
import { stringLess } from "./canonical";
import { COMPONENTS, GLOBAL_COMPONENTS, TreeNode } from "./tree";
import { isTable } from "../core/values";
import type { NodeLevel } from "../core/schema";

export interface RaidCorruption {
  /** The raid's own metadata (or its encounter list) differs. */
  raidLevel: boolean;
  /** Encounter name -> differing component names (empty: the encounter differs, no detail). */
  encounters: { [name: string]: string[] };
  /** "local": we lack the raid; "remote": the remote lacks it. */
  missing?: string;
  /** The raid differs but the remote sent no encounter checksums: ask for a drill-down. */
  drillDown?: boolean;
  /** Encounter name -> "local" | "remote" for encounters one side lacks. */
  missingEncounters?: { [name: string]: string };
}

export interface ValidationResult {
  valid: boolean;
  /** The deepest level at which a difference was found. */
  level: NodeLevel;
  corrupted: {
    global: string[];
    raids: { [name: string]: RaidCorruption };
  };
  /** Problems with the remote data itself (malformed parts). */
  errors: string[];
}

const LEVEL_RANK: { [level: string]: number } = { STRUCTURE: 0, GLOBAL: 1, RAID: 2, ENCOUNTER: 3, COMPONENT: 4 };

function field(t: unknown, k: string): unknown {
  return isTable(t) ? getField(t, k) : undefined;
}

function sortedNames(names: string[]): string[] {
  const out = names.slice();
  out.sort((a, b) => (a === b ? 0 : stringLess(a, b) ? -1 : 1));
  return out;
}

/** The string keys of a remote map (anything else is ignored). */
function remoteNames(t: unknown): string[] {
  const names: string[] = [];
  if (!isTable(t)) return names;
  let n = 0;
  for (const k in t as { [k: string]: unknown }) {
    if (typeof k === "string") {
      names[n] = k;
      n++;
    }
  }
  return names;
}

/** Compares our tree with a remote hierarchy. */
export function validateTree(local: TreeNode, remote: unknown): ValidationResult {
  const result: ValidationResult = { valid: true, level: "STRUCTURE", corrupted: { global: [], raids: newDict<RaidCorruption>() }, errors: [] };
  let level = 0;
  const deepen = (l: NodeLevel) => {
    if (LEVEL_RANK[l] > level) level = LEVEL_RANK[l];
  };
  if (!isTable(remote)) {
    result.valid = false;
    result.errors.push("remote checksums are not a table");
    return result;
  }
  const remoteStructure = field(remote, "structure");
  if (remoteStructure === undefined && field(remote, "global") === undefined && field(remote, "raids") === undefined) {
    result.valid = false;
    result.errors.push("remote checksums are empty");
    return result;
  }
  if (remoteStructure !== undefined && typeof remoteStructure !== "string") result.errors.push("structure checksum is not a string");
  if (remoteStructure === local.structure) return result;

  // Global components
  const rGlobal = field(remote, "global");
  if (rGlobal !== undefined) {
    if (!isTable(rGlobal)) {
      result.errors.push("global checksums are not a table");
    } else {
      for (const name of GLOBAL_COMPONENTS) {
        const theirs = field(rGlobal, name);
        if (theirs !== local.global[name]) {
          if (theirs !== undefined && typeof theirs !== "string") result.errors.push("global checksum '" + name + "' is not a string");
          result.corrupted.global.push(name);
          deepen("GLOBAL");
        }
      }
    }
  }

  // Raids. A remote marked `partial` (a drill-down answer) lists only some raids: the others are
  // not compared rather than reported missing.
  const partial = field(remote, "partial") === true;
  const rRaids = field(remote, "raids");
  if (rRaids !== undefined && !isTable(rRaids)) result.errors.push("raid checksums are not a table");
  if (isTable(rRaids)) {
    for (const raidName in local.raids) {
      const mine = local.raids[raidName];
      const theirs = field(rRaids, raidName);
      if (theirs === undefined && partial) continue;
      if (theirs === undefined) {
        result.corrupted.raids[raidName] = { raidLevel: true, encounters: newDict<string[]>(), missing: "remote" };
        deepen("RAID");
        continue;
      }
      if (!isTable(theirs)) {
        result.errors.push("checksums of raid '" + raidName + "' are not a table");
        result.corrupted.raids[raidName] = { raidLevel: true, encounters: newDict<string[]>() };
        deepen("RAID");
        continue;
      }
      const rRollup = field(theirs, "rollup");
      if (rRollup === mine.rollup) continue;
      const rRaid = field(theirs, "raid");
      const entry: RaidCorruption = { raidLevel: rRaid !== undefined && rRaid !== mine.raid, encounters: newDict<string[]>() };
      if (rRaid !== undefined && typeof rRaid !== "string") result.errors.push("raid checksum of '" + raidName + "' is not a string");
      const rEncounters = field(theirs, "encounters");
      let found = entry.raidLevel;
      if (isTable(rEncounters)) {
        for (const encName in mine.encounters) {
          const me = mine.encounters[encName];
          const re = field(rEncounters, encName);
          if (re === undefined) {
            if (entry.missingEncounters === undefined) entry.missingEncounters = newDict<string>();
            entry.missingEncounters[encName] = "remote";
            entry.encounters[encName] = [];
            found = true;
            deepen("ENCOUNTER");
            continue;
          }
          const reSum = field(re, "encounter");
          if (reSum === me.encounter) continue;
          if (!isTable(re)) result.errors.push("checksums of encounter '" + raidName + " > " + encName + "' are not a table");
          const list: string[] = [];
          const rComponents = field(re, "components");
          if (isTable(rComponents)) {
            for (const c of COMPONENTS) {
              if (field(rComponents, c) !== me.components[c]) list.push(c);
            }
          }
          entry.encounters[encName] = list;
          found = true;
          deepen(list.length > 0 ? "COMPONENT" : "ENCOUNTER");
        }
        for (const encName of remoteNames(rEncounters)) {
          if (mine.encounters[encName] === undefined) {
            if (entry.missingEncounters === undefined) entry.missingEncounters = newDict<string>();
            entry.missingEncounters[encName] = "local";
            entry.encounters[encName] = [];
            found = true;
            deepen("ENCOUNTER");
          }
        }
      } else if (rEncounters !== undefined) {
        result.errors.push("encounter checksums of raid '" + raidName + "' are not a table");
      }
      if (!found) {
        // Everything that was sent matches and no rollup was sent: nothing to report.
        if (rRollup === undefined) continue;
        // The rollup differs but no detail was received (the lightweight poll): drill down.
        entry.drillDown = true;
      }
      result.corrupted.raids[raidName] = entry;
      deepen("RAID");
    }
    for (const raidName of remoteNames(rRaids)) {
      if (local.raids[raidName] === undefined) {
        result.corrupted.raids[raidName] = { raidLevel: true, encounters: newDict<string[]>(), missing: "local" };
        deepen("RAID");
      }
    }
  }

  const names: string[] = ["STRUCTURE", "GLOBAL", "RAID", "ENCOUNTER", "COMPONENT"];
  result.level = names[level] as NodeLevel;
  let anything = result.corrupted.global.length > 0;
  for (const _ in result.corrupted.raids) anything = true;
  // A differing structure checksum with nothing found below still means "not valid".
  result.valid = !anything && (remoteStructure === undefined || remoteStructure === local.structure) && result.errors.length === 0;
  return result;
}

const PREFIX = "Structure mismatch detected: ";

/** Human-readable lines for a validation result (one per mismatch). */
export function formatResult(result: unknown): string[] {
  const lines: string[] = [];
  if (!isTable(result)) return ["Validation failed: no result"];
  const errors = field(result, "errors");
  if (field(result, "valid") === true) return ["Validation passed"];
  const corrupted = field(result, "corrupted");
  const global = field(corrupted, "global");
  if (isTable(global)) {
    const list = global as unknown[];
    for (const name of list) lines.push(PREFIX + "Global component '" + String(name) + "'");
  }
  const raids = field(corrupted, "raids");
  for (const raidName of sortedNames(remoteNames(raids))) {
    const r = field(raids, raidName);
    const missing = field(r, "missing");
    if (missing === "local") {
      lines.push(PREFIX + raidName + " (raid missing locally)");
      continue;
    }
    if (missing === "remote") {
      lines.push(PREFIX + raidName + " (raid missing remotely)");
      continue;
    }
    if (field(r, "raidLevel") === true) lines.push(PREFIX + raidName + " (raid metadata)");
    if (field(r, "drillDown") === true) lines.push(PREFIX + raidName + " (encounter data; drill-down needed)");
    const encounters = field(r, "encounters");
    const missingEncounters = field(r, "missingEncounters");
    for (const encName of sortedNames(remoteNames(encounters))) {
      const where = field(missingEncounters, encName);
      if (where === "local" || where === "remote") {
        lines.push(PREFIX + raidName + " > " + encName + " (encounter missing " + (where === "local" ? "locally" : "remotely") + ")");
        continue;
      }
      const comps = field(encounters, encName);
      let listed = 0;
      if (isTable(comps)) {
        for (const c of comps as unknown[]) {
          lines.push(PREFIX + raidName + " > " + encName + " > " + String(c));
          listed++;
        }
      }
      if (listed === 0) lines.push(PREFIX + raidName + " > " + encName);
    }
  }
  if (isTable(errors)) {
    for (const e of errors as unknown[]) lines.push("Validation problem: " + String(e));
  }
  if (lines.length === 0) lines.push(PREFIX + "overall structure checksum");
  return lines;
}
