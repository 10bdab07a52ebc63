// Detection: what differs between this client's plan and the admin's checksums, and the repair
// jobs that follow. The comparison itself is integrity/validate.ts validateTree, the one
// comparator of the addon: a poll or a drill-down answer is turned into the admin's checksums in
// the Hierarchy shape, compared, and the ValidationResult is read as a repair report. Lua-only.
import type { Hierarchy, RaidSums, TreeNode } from "../integrity/tree";
import { validateTree } from "../integrity/validate";
import { COMPONENTS, GLOBAL_COMPONENTS, isComponent, isGlobalComponent } from "../core/schema";
import { CorruptionReport, RepairJob } from "./repair";
import { DrillRaid, Named, Seq } from "./protocol";
import { isTable } from "../core/values";
import { SyncContext, note } from "./context";

/** A repair report read from a ValidationResult (or its `corrupted` part). */
export interface ReadReport {
  report: CorruptionReport;
  /** Raids that differ but whose detail was not compared: ask for a drill-down. */
  drill: string[];
  /** Raids only this client has: sync cannot repair them (the admin's plan lacks them). */
  skipped: string[];
}

/**
 * Reads a spec ValidationResult (or its `corrupted` part) as the repair planner takes it. Checks
 * every field: OGRH.SyncGranular.QueueRepair passes it on from any caller.
 */
export function reportOf(result: unknown): ReadReport {
  const outer = result as { corrupted?: unknown } | undefined;
  const corrupted = (isTable(result) && isTable(outer?.corrupted) ? outer?.corrupted : result) as { global?: unknown; raids?: unknown } | undefined;
  const report: CorruptionReport = { global: [], raids: {} };
  const global = report.global as string[];
  const raids = report.raids as NonNullable<CorruptionReport["raids"]>;
  const drill: string[] = [];
  const skipped: string[] = [];
  if (corrupted === undefined || !isTable(corrupted)) return { report, drill, skipped };
  if (isTable(corrupted.global)) for (const name of corrupted.global as unknown[]) if (isGlobalComponent(name)) global.push(name as string);
  if (isTable(corrupted.raids)) {
    const given = corrupted.raids as Named<{ missing?: unknown; raidLevel?: unknown; drillDown?: unknown; encounters?: unknown } | undefined>;
    for (const raidName in given) {
      const r = given[raidName];
      if (r === undefined || !isTable(r)) continue;
      if (r.missing === "remote") {
        skipped.push(raidName);
        continue;
      }
      const encounters: { [name: string]: string[] } = {};
      let any = false;
      if (isTable(r.encounters)) {
        const encs = r.encounters as Named<unknown>;
        for (const encName in encs) {
          const comps: string[] = [];
          if (isTable(encs[encName])) for (const c of encs[encName] as unknown[]) if (isComponent(c)) comps.push(c as string);
          encounters[encName] = comps;
          any = true;
        }
      }
      if (r.raidLevel === true || r.missing === "local") raids[raidName] = { raidLevel: true, encounters };
      else if (any) raids[raidName] = { raidLevel: false, encounters };
      else if (r.drillDown === true) drill.push(raidName);
    }
  }
  return { report, drill, skipped };
}

/** Compares the admin's checksums with this client's tree (validateTree) and reads the result. */
export function compare(local: TreeNode, remote: Hierarchy): ReadReport {
  return reportOf(validateTree(local, remote));
}

/**
 * A poll as the admin's checksums: structure, global components, each raid's rollup, and the
 * selected raid's metadata checksum. Partial: raids only this client has are not the poll's business.
 */
export function pollHierarchy(m: { s?: unknown; g?: unknown; r?: unknown; sel?: unknown; sd?: unknown }): Hierarchy {
  let raids: Named<RaidSums> | undefined;
  if (isTable(m.r)) {
    raids = {};
    const r = m.r as Named<string>;
    const sd = isTable(m.sd) ? (m.sd as { m?: string }) : undefined;
    for (const name in r) raids[name] = { rollup: r[name], raid: name === m.sel && sd !== undefined ? sd.m : undefined };
  }
  return {
    partial: true,
    structure: typeof m.s === "string" ? m.s : undefined,
    global: isTable(m.g) ? (m.g as Named<string>) : undefined,
    raids,
  };
}

/**
 * The admin's checksums from a drill-down answer, in the Hierarchy shape: global components (with
 * `all`), and per raid its metadata and rollup, its encounters' checksums (named after this
 * client's list when the raid metadata, which holds the encounter names, matches) and the
 * component checksums of the encounters the admin detailed (those that differ). Raids the admin
 * lacks are left out. Partial: only the raids of the answer are compared.
 */
export function drillHierarchy(q: Named<DrillRaid | undefined>, g: Named<string> | undefined, t: TreeNode): Hierarchy {
  let global: Named<string> | undefined;
  if (g !== undefined) {
    global = {};
    for (const name of GLOBAL_COMPONENTS) if (typeof g[name] === "string") global[name] = g[name];
  }
  const raids: Named<RaidSums> = {};
  for (const raidName in q) {
    const a = q[raidName];
    if (a === undefined || !isTable(a) || a.none === true) continue;
    const entry: RaidSums = { raid: a.m, rollup: a.u };
    raids[raidName] = entry;
    const mine = t.raids[raidName];
    if (mine === undefined || a.m !== mine.raid || !isTable(a.e)) continue;
    const e = a.e as Seq<unknown>;
    const detail = isTable(a.c) ? (a.c as Seq<unknown>) : undefined;
    const encounters: Named<{ encounter: string; components?: Named<string> }> = {};
    entry.encounters = encounters;
    for (let i = 0; i < mine.count; i++) {
      const sum = e[i + 1];
      if (typeof sum !== "string") continue;
      const d = detail !== undefined ? detail[i + 1] : undefined;
      let comps: Named<string> | undefined;
      if (isTable(d)) {
        comps = {};
        for (const c of COMPONENTS) {
          const v = (d as Named<unknown>)[c];
          if (typeof v === "string") comps[c] = v;
        }
      }
      encounters[mine.list[i].name] = { encounter: sum, components: comps };
    }
  }
  return { partial: true, structure: undefined, global, raids };
}

/** "BWL > Razorgore > roles" lines for every node a report names. */
export function detectionLabels(report: CorruptionReport): string[] {
  const out: string[] = [];
  for (const name of report.global ?? []) out.push("Global component '" + name + "'");
  const raids = report.raids ?? {};
  for (const raidName in raids) {
    const r = raids[raidName];
    if (r.raidLevel === true) out.push(raidName + " (raid)");
    const encs = r.encounters ?? {};
    for (const encName in encs) {
      const comps = encs[encName];
      if (comps.length === 0) out.push(raidName + " > " + encName);
      for (const c of comps) out.push(raidName + " > " + encName + " > " + c);
    }
  }
  return out;
}

/** Queues the repairs of a report and tells the player what was detected (one line). */
export function queueReport(c: SyncContext, report: CorruptionReport, origin: string): RepairJob[] {
  const S = c.S;
  // The queue starts the first job at once and says so: hold its lines until the detection line is out.
  S.held = [];
  let added: RepairJob[] = [];
  try {
    added = c.repair.queue(report, S.selection);
  } finally {
    const held = S.held;
    S.held = undefined;
    if (added.length > 0) {
      c.stats.detections++;
      const labels = detectionLabels(report);
      labels.sort();
      let line = labels.slice(0, 3).join(", ");
      if (labels.length > 3) line = line + " (+" + (labels.length - 3) + " more)";
      c.app.say("Detected structure mismatch: " + line);
      note(c, "detect", line + " (" + origin + ")");
    }
    for (const l of held as string[]) c.app.say(l);
  }
  return added;
}
