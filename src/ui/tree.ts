// Pure model of the validation tree (spec 6.4.2): a ValidationResult plus the local and remote
// checksum hierarchies become flat rows Raid > Encounter > Component with a status, both checksums
// and a severity, and a selected row plus a repair level become a repair request. Node and Lua 5.0.
import type { Hierarchy, TreeNode } from "../integrity/tree";
import type { ValidationResult } from "../integrity/validate";
import { sortedStringKeys } from "../core/order";
import type { NodeLevel } from "../core/schema";

export type RowKind = "SUMMARY" | "GLOBAL" | "RAID" | "ENCOUNTER" | "COMPONENT";
export type RowStatus = "OK" | "MISMATCH" | "MISSING_LOCAL" | "MISSING_REMOTE" | "UNKNOWN";
export type Severity = "None" | "Low" | "Medium" | "High" | "Critical";

/** The levels the player can repair at (the tree's levels; a global component repairs at COMPONENT). */
export const REPAIR_LEVELS: NodeLevel[] = ["COMPONENT", "ENCOUNTER", "RAID", "STRUCTURE"];
export const REPAIR_LEVEL_NAMES: { [level: string]: string } = {
  COMPONENT: "Component",
  ENCOUNTER: "Encounter",
  RAID: "Raid",
  STRUCTURE: "Full",
};

export interface TreeRow {
  kind: RowKind;
  depth: number;
  label: string;
  status: RowStatus;
  severity: Severity;
  /** Checksums (13 hex digits), "-" when that side has none, "?" when it was not sent. */
  localSum: string;
  remoteSum: string;
  raid?: string;
  encounter?: string;
  component?: string;
}

export interface TreeModel {
  rows: TreeRow[];
  valid: boolean;
  /** Worst severity found. */
  severity: Severity;
  /** "3 problems in 2 raids" or "Structure matches". */
  summary: string;
  /** Index of the first corrupted row, -1 when none. */
  firstProblem: number;
  /** The level the repair planner would pick for the first problem. */
  suggestedLevel: NodeLevel;
}

/** RGB per status: green, red, orange, orange, yellow. */
export const STATUS_COLORS: { [status: string]: number[] } = {
  OK: [0.25, 1, 0.25],
  MISMATCH: [1, 0.25, 0.25],
  MISSING_LOCAL: [1, 0.55, 0.1],
  MISSING_REMOTE: [1, 0.55, 0.1],
  UNKNOWN: [1, 0.82, 0],
};

export const STATUS_NAMES: { [status: string]: string } = {
  OK: "OK",
  MISMATCH: "Mismatch",
  MISSING_LOCAL: "Missing here",
  MISSING_REMOTE: "Missing at source",
  UNKNOWN: "Differs",
};

export const SEVERITY_COLORS: { [severity: string]: number[] } = {
  None: [0.6, 0.6, 0.6],
  Low: [1, 0.82, 0],
  Medium: [1, 0.55, 0.1],
  High: [1, 0.25, 0.25],
  Critical: [1, 0.1, 0.6],
};

const SEVERITY_RANK: { [s: string]: number } = { None: 0, Low: 1, Medium: 2, High: 3, Critical: 4 };

const COMPONENT_ORDER = ["encounterMetadata", "roles", "playerAssignments", "raidMarks", "assignmentNumbers", "announcements"];
const GLOBAL_ORDER = ["tradeItems", "consumes", "rgo"];


function sumOf(v: unknown): string {
  return typeof v === "string" ? v : "-";
}

function sub(t: unknown, k: string): unknown {
  if (t === undefined || t === null || typeof t !== "object") return undefined;
  return (t as { [k: string]: unknown })[k];
}

function worse(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a;
}

/**
 * Severity of one raid's corruption: a missing raid is Critical; raid metadata or several
 * encounters High; one encounter with 3+ components (or missing / no detail) Medium; 1-2
 * components Low (the planner's component sync).
 */
function raidSeverity(entry: unknown): Severity {
  if (sub(entry, "missing") !== undefined) return "Critical";
  if (sub(entry, "raidLevel") === true) return "High";
  const encounters = sortedStringKeys(sub(entry, "encounters") as { [k: string]: unknown });
  if (encounters.length >= 2) return "High";
  if (encounters.length === 0) return "Medium";
  const comps = sub(sub(entry, "encounters"), encounters[0]) as string[] | undefined;
  const count = comps === undefined ? 0 : comps.length;
  return count === 0 || count >= 3 ? "Medium" : "Low";
}

/** Each raid's encounter names in the plan's order (the store's tree), for buildTree. */
export function planOrder(tree: TreeNode): { [raid: string]: string[] } {
  const out: { [raid: string]: string[] } = {};
  for (const raid in tree.raids) {
    const node = tree.raids[raid];
    const names: string[] = [];
    for (let i = 0; i < node.count; i++) names.push(node.list[i].name);
    out[raid] = names;
  }
  return out;
}

/** Names in the order of `order` (the plan's: OG-RaidHelper's Admin and Planning first, bosses in kill order), others after by name. */
function inOrder(names: string[], order: string[] | undefined): string[] {
  if (order === undefined) return names;
  const at: { [name: string]: number } = {};
  for (let i = 0; i < order.length; i++) if (at[order[i]] === undefined) at[order[i]] = i;
  const known: string[] = [];
  const rest: string[] = [];
  for (const name of names) (at[name] !== undefined ? known : rest).push(name);
  known.sort((a, b) => at[a] - at[b]);
  return [...known, ...rest];
}

/**
 * Builds the rows: global components, then every raid; corrupted raids open to their detail.
 * `order`: each raid's encounters in the plan's order (planOrder); without it, by name.
 */
export function buildTree(result: ValidationResult, local: Hierarchy, remote: Hierarchy | undefined, order?: { [raid: string]: string[] }): TreeModel {
  const rows: TreeRow[] = [];
  let n = 0;
  let severity: Severity = "None";
  let problems = 0;
  let raidsHit = 0;
  let firstProblem = -1;
  let suggested: NodeLevel = "COMPONENT";
  const push = (row: TreeRow) => {
    if (row.status !== "OK" && firstProblem < 0 && row.kind !== "SUMMARY") firstProblem = n;
    rows[n] = row;
    n++;
  };

  const corruptedGlobal: { [name: string]: boolean } = {};
  const globalList = (result.corrupted !== undefined ? result.corrupted.global : undefined) ?? [];
  for (const name of globalList) corruptedGlobal[name] = true;
  const localGlobal = local.global ?? {};
  const remoteGlobal = remote !== undefined ? remote.global : undefined;
  for (const name of GLOBAL_ORDER) {
    const bad = corruptedGlobal[name] === true;
    const sev: Severity = bad ? (name === "tradeItems" ? "Low" : "Medium") : "None";
    if (bad) {
      problems++;
      severity = worse(severity, sev);
      if (firstProblem < 0) suggested = "COMPONENT";
    }
    push({
      kind: "GLOBAL",
      depth: 0,
      label: name,
      status: bad ? "MISMATCH" : "OK",
      severity: sev,
      localSum: sumOf(localGlobal[name]),
      remoteSum: remoteGlobal === undefined ? "?" : sumOf(sub(remoteGlobal, name)),
      component: name,
    });
  }

  const corruptedRaids = (result.corrupted !== undefined ? result.corrupted.raids : undefined) ?? {};
  const raidNames: { [name: string]: boolean } = {};
  for (const name of sortedStringKeys(local.raids as { [k: string]: unknown })) raidNames[name] = true;
  for (const name of sortedStringKeys(corruptedRaids as { [k: string]: unknown })) raidNames[name] = true;
  for (const raid of sortedStringKeys(raidNames)) {
    const entry = (corruptedRaids as { [k: string]: unknown })[raid];
    const mine = sub(local.raids, raid);
    const theirs = remote !== undefined ? sub(remote.raids, raid) : undefined;
    if (entry === undefined) {
      push({ kind: "RAID", depth: 0, label: raid, status: "OK", severity: "None", localSum: sumOf(sub(mine, "rollup")), remoteSum: theirs === undefined ? "?" : sumOf(sub(theirs, "rollup")), raid });
      continue;
    }
    raidsHit++;
    const sev = raidSeverity(entry);
    severity = worse(severity, sev);
    const missing = sub(entry, "missing");
    const encounters = inOrder(sortedStringKeys(sub(entry, "encounters") as { [k: string]: unknown }), order !== undefined ? order[raid] : undefined);
    const status: RowStatus = missing === "local" ? "MISSING_LOCAL" : missing === "remote" ? "MISSING_REMOTE" : sub(entry, "drillDown") === true && encounters.length === 0 ? "UNKNOWN" : "MISMATCH";
    if (firstProblem < 0) {
      if (missing !== undefined || sub(entry, "raidLevel") === true || encounters.length >= 2 || encounters.length === 0) suggested = "RAID";
      else {
        const comps = sub(sub(entry, "encounters"), encounters[0]) as string[] | undefined;
        suggested = comps === undefined || comps.length === 0 || comps.length >= 3 ? "ENCOUNTER" : "COMPONENT";
      }
    }
    push({ kind: "RAID", depth: 0, label: raid, status, severity: sev, localSum: sumOf(sub(mine, "rollup")), remoteSum: theirs === undefined ? "?" : sumOf(sub(theirs, "rollup")), raid });
    if (missing !== undefined) {
      problems++;
      continue;
    }
    if (sub(entry, "raidLevel") === true) {
      problems++;
      push({ kind: "ENCOUNTER", depth: 1, label: "(raid settings)", status: "MISMATCH", severity: sev, localSum: sumOf(sub(mine, "raid")), remoteSum: theirs === undefined ? "?" : sumOf(sub(theirs, "raid")), raid });
    }
    if (sub(entry, "drillDown") === true) problems++;
    const missingEncounters = sub(entry, "missingEncounters");
    for (const encounter of encounters) {
      const where = sub(missingEncounters, encounter);
      const me = sub(sub(mine, "encounters"), encounter);
      const them = sub(sub(theirs, "encounters"), encounter);
      const comps = (sub(sub(entry, "encounters"), encounter) as string[] | undefined) ?? [];
      const encStatus: RowStatus = where === "local" ? "MISSING_LOCAL" : where === "remote" ? "MISSING_REMOTE" : "MISMATCH";
      const encSev: Severity = where !== undefined || comps.length === 0 || comps.length >= 3 ? "Medium" : "Low";
      push({ kind: "ENCOUNTER", depth: 1, label: encounter, status: encStatus, severity: encSev, localSum: sumOf(sub(me, "encounter")), remoteSum: theirs === undefined ? "?" : sumOf(sub(them, "encounter")), raid, encounter });
      if (where !== undefined || comps.length === 0) {
        problems++;
        continue;
      }
      const bad: { [c: string]: boolean } = {};
      for (const c of comps) bad[c] = true;
      for (const c of COMPONENT_ORDER) {
        const isBad = bad[c] === true;
        if (isBad) problems++;
        push({
          kind: "COMPONENT",
          depth: 2,
          label: c,
          status: isBad ? "MISMATCH" : "OK",
          severity: isBad ? encSev : "None",
          localSum: sumOf(sub(sub(me, "components"), c)),
          remoteSum: them === undefined ? "?" : sumOf(sub(sub(them, "components"), c)),
          raid,
          encounter,
          component: c,
        });
      }
    }
  }
  const errors = result.errors ?? [];
  const valid = result.valid === true;
  if (!valid && problems === 0) {
    problems = 1;
    severity = worse(severity, "Medium");
    suggested = "STRUCTURE";
  }
  // Select the first problem at the suggested level (the component row for a component repair).
  const wantKind = suggested === "COMPONENT" ? "COMPONENT" : suggested === "ENCOUNTER" ? "ENCOUNTER" : "RAID";
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (r.status !== "OK" && (r.kind === wantKind || (wantKind === "COMPONENT" && r.kind === "GLOBAL"))) {
      firstProblem = i;
      break;
    }
  }
  if (remote === undefined) {
    for (let i = 0; i < n; i++) if (rows[i].status === "OK") rows[i].remoteSum = rows[i].localSum;
  }
  let summary: string;
  if (valid) summary = "Structure matches";
  else if (problems === 1 && raidsHit <= 1) summary = "1 problem found";
  else summary = problems + " problems found" + (raidsHit > 0 ? " in " + raidsHit + (raidsHit === 1 ? " raid" : " raids") : "");
  if (errors.length > 0) summary = summary + " (" + errors.length + (errors.length === 1 ? " error" : " errors") + " in the remote data)";
  return { rows, valid, severity, summary, firstProblem, suggestedLevel: suggested };
}

/** What a repair asks for: the node to sync (STRUCTURE: the whole plan). */
export interface RepairRequest {
  level: NodeLevel;
  raid?: string;
  encounter?: string;
  component?: string;
  label: string;
}

/**
 * A repair request for a selected row at a level, or an explanation why not: Component needs a
 * component (or global component) row, Encounter a row inside an encounter, Raid a row of a raid.
 */
export function repairRequest(level: NodeLevel, row: TreeRow | undefined): { request?: RepairRequest; error?: string } {
  if (level === "STRUCTURE") return { request: { level: "STRUCTURE", label: "the whole structure" } };
  if (row === undefined) return { error: "Select a row of the tree first." };
  if (row.kind === "GLOBAL") {
    if (level === "COMPONENT") return { request: { level: "GLOBAL", component: row.component, label: "Global component '" + row.component + "'" } };
    return { error: "A global component is repaired at Component level (or Full)." };
  }
  if (row.raid === undefined) return { error: "Select a raid, encounter or component." };
  if (level === "RAID") return { request: { level: "RAID", raid: row.raid, label: row.raid } };
  if (row.encounter === undefined) return { error: "Select an encounter (or choose Raid level)." };
  if (level === "ENCOUNTER") return { request: { level: "ENCOUNTER", raid: row.raid, encounter: row.encounter, label: row.raid + " > " + row.encounter } };
  if (row.component === undefined) return { error: "Select a component (or choose Encounter level)." };
  return { request: { level: "COMPONENT", raid: row.raid, encounter: row.encounter, component: row.component, label: row.raid + " > " + row.encounter + " > " + row.component } };
}

/** First 8 hex digits of a checksum for a narrow column; "?" (not sent) reads "differs". */
export function shortSum(sum: string): string {
  if (sum === "?") return "differs";
  return sum.length > 8 ? sum.substring(0, 8) : sum;
}
