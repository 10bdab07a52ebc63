// The window's main states, shared by scripts/screenshots.js (pictures for docs/images/) and
// test/ui/states.test.ts (each state comes up without a Lua error).
import { Client, Raid } from "../harness/raid";
import { damagedCompanionRaid, errorsBeyondOgrh } from "../companion/v2fixture";

export interface UiState {
  name: string;
  title: string;
  /** Brings the raid into the state; returns the client whose screen is drawn. */
  setup: (raid: Raid) => Client;
  /** The raid to start (default: 5 standalone clients, Gnuzench an assistant). */
  start?: () => Raid;
  /** Lua errors that count (default: all). */
  errors?: (raid: Raid) => string[];
}

/** The raid a state starts from. */
export function startState(state: UiState): Raid {
  return state.start !== undefined ? state.start() : Raid.start({ size: 5, assistants: ["Gnuzench"] });
}

export function stateErrors(state: UiState, raid: Raid): string[] {
  return state.errors !== undefined ? state.errors(raid) : raid.allErrors();
}

const WIN = "OGRHDataManagement";

function until(raid: Raid, pred: () => boolean, seconds: number): void {
  for (let t = 0; t < seconds && !pred(); t += 0.25) raid.advance(0.25);
}

/** Member 2 with BWL > Razorgore corrupted (three components), validated against the admin. */
function validated(raid: Raid): Client {
  for (const c of raid.clients) c.run("OGRH.SyncGranular.config.pollInterval = 100000");
  raid.advance(8);
  const m = raid.member(2);
  m.run(`OGRH_SV.encounterAssignments.BWL = OGRH_SV.encounterAssignments.BWL or {}
    OGRH_SV.encounterAssignments.BWL.Razorgore = { { "Corrupted" } }
    OGRH_SV.encounterRaidMarks.BWL = OGRH_SV.encounterRaidMarks.BWL or {}
    OGRH_SV.encounterRaidMarks.BWL.Razorgore = { 7 }
    OGRH.SyncIntegrity.VerifyCache()`);
  m.slash("/ogrh data");
  m.run(`${WIN}Validate:Click()`);
  until(raid, () => m.eval<boolean>(`${WIN}Validate.enabled ~= false`), 20);
  return m;
}

export const states: UiState[] = [
  {
    name: "open",
    title: "The window as /ogrh data opens it",
    setup: (raid) => {
      raid.member(2).slash("/ogrh data");
      return raid.member(2);
    },
  },
  {
    name: "validation-failed",
    title: "Validate Structure found two corrupted components of BWL > Razorgore",
    setup: (raid) => validated(raid),
  },
  {
    name: "repairing",
    title: "An Encounter repair in progress",
    setup: (raid) => {
      const m = validated(raid);
      m.run(`${WIN}LevelEncounter:Click() ${WIN}Repair:Click()`);
      raid.advance(0.3);
      return m;
    },
  },
  {
    name: "repaired",
    title: "The repair succeeded; the structure matches the admin's",
    setup: (raid) => {
      const m = validated(raid);
      m.run(`${WIN}Repair:Click()`);
      until(raid, () => m.eval<boolean>(`${WIN}Validate.enabled ~= false`), 40);
      return m;
    },
  },
  {
    name: "backups",
    title: "The Backups tab with manual and automatic backups, one selected",
    setup: (raid) => {
      const m = raid.member(2);
      withBackups(raid, m);
      m.slash("/ogrh data backups");
      m.run(`${WIN}BackupRow2:Click()`);
      return m;
    },
  },
  {
    name: "create-backup",
    title: "Create Backup: a label and the size estimate",
    setup: (raid) => {
      const m = raid.member(2);
      m.slash("/ogrh data backups");
      m.run(`${WIN}Create:Click() OGRHDataCreateBackupLabel:SetText("Before BWL Changes")`);
      return m;
    },
  },
  {
    name: "restore-confirm",
    title: "Restore asks first and names the backup",
    setup: (raid) => {
      const m = raid.member(2);
      withBackups(raid, m);
      m.slash("/ogrh data backups");
      m.run(`${WIN}BackupRow1:Click() ${WIN}Restore:Click()`);
      return m;
    },
  },
  {
    name: "export",
    title: "Export: the backup as text, selected for copying",
    setup: (raid) => {
      const m = raid.member(2);
      withBackups(raid, m);
      m.slash("/ogrh data backups");
      m.run(`${WIN}BackupRow1:Click() ${WIN}Export:Click()`);
      raid.advance(3);
      return m;
    },
  },
  {
    name: "companion",
    title: "Companion mode: OG-RaidHelper's raids and its Admin and Planning encounters, validated by name",
    start: () => damagedCompanionRaid(3, 2),
    errors: errorsBeyondOgrh,
    setup: (raid) => {
      const m = raid.member(2);
      m.slash("/ogrhsync data");
      m.run(`${WIN}Validate:Click()`);
      until(raid, () => m.eval<boolean>(`${WIN}Validate.enabled ~= false`), 20);
      return m;
    },
  },
];

/** A few backups made over an evening. */
function withBackups(raid: Raid, m: Client): void {
  const steps: [string, string][] = [
    ["Before Full Sync", "OGRH.Rollback.CreateBackup(nil, 'Before Full Sync')"],
    ["", "OGRH.Rollback.CreateManualBackup('Before BWL Changes')"],
    ["BWL", "OGRH.Rollback.CreateBackup(nil, 'Before Raid Sync')"],
    ["", "OGRH.Rollback.CreateManualBackup('Naxx healers v2')"],
  ];
  let i = 0;
  for (const [, lua] of steps) {
    i++;
    m.run(`OGRH.Store.Set({ "encounterRaidMarks", "MC", "Lucifron" }, { ${i} }) ${lua}`);
    raid.advance(61);
  }
}
