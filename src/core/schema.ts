// The parts of the raid plan, in one place: which global components and which per-encounter
// components exist, where each lives in OGRH_SV, and the level names of the checksum tree. The
// store, the checksum tree, backups and the sync all read these lists; a new part is added here.
// Runs in Lua 5.0 and in Node.

/** The levels of the checksum tree (spec 6.2.1); also what a repair or a sync names. */
export type NodeLevel = "STRUCTURE" | "GLOBAL" | "RAID" | "ENCOUNTER" | "COMPONENT";

/** Plan-wide components: OGRH_SV[name]. */
/**
 * The plan layout tag of companion mode (OG-RaidHelper's v2 plan seen through store/v2plan.ts), in
 * sync messages (`l`) and backup manifests; the spec's layout (standalone) has none. Plans of two
 * layouts are never exchanged: the same raid name means different tables in each.
 */
export const LAYOUT_V2 = "2";

export const GLOBAL_COMPONENTS = ["tradeItems", "consumes", "rgo"];

/** The six components of an encounter, in checksum order. */
export const COMPONENTS = [
  "encounterMetadata",
  "roles",
  "playerAssignments",
  "raidMarks",
  "assignmentNumbers",
  "announcements",
];

/** Where each per-encounter component (all but the metadata) lives: OGRH_SV[table][raid][encounter]. */
export const COMPONENT_TABLES: { [component: string]: string } = {
  roles: "encounterMgmt.roles",
  playerAssignments: "encounterAssignments",
  raidMarks: "encounterRaidMarks",
  assignmentNumbers: "encounterAssignmentNumbers",
  announcements: "encounterAnnouncements",
};

/** The per-raid tables as a backup's encounter chunk names them (roles lives in encounterMgmt). */
export const RAID_TABLES = ["roles", "encounterAssignments", "encounterRaidMarks", "encounterAssignmentNumbers", "encounterAnnouncements"];

/** Top-level keys of OGRH_SV that make up the plan besides encounterMgmt (export, import, backups). */
export const PLAN_KEYS = [
  "encounterAssignments",
  "encounterRaidMarks",
  "encounterAssignmentNumbers",
  "encounterAnnouncements",
  "tradeItems",
  "consumes",
  "rgo",
];

export function isGlobalComponent(name: unknown): boolean {
  for (const c of GLOBAL_COMPONENTS) if (c === name) return true;
  return false;
}

export function isComponent(name: unknown): boolean {
  for (const c of COMPONENTS) if (c === name) return true;
  return false;
}
