// What the Data Management window asks of the rest of the addon, in one place: the rollback API
// (OGRH.Rollback), the granular sync (OGRH.SyncGranular), the store and the roster. Each call
// looks the module up at the moment it is made, so the window works whatever the install order
// and says plainly when a module is missing instead of failing. Lua-only.
import type { App } from "../app";
import type { Hierarchy } from "../integrity/tree";
import type { ValidationResult } from "../integrity/validate";
import { RepairRequest } from "./tree";
import { RepairTarget, repairTargets } from "./targets";

export interface BackupInfo {
  id: unknown;
  timestamp: number;
  label: string;
  reason: string;
  size: number;
  pinned: boolean;
  /** Made by a person (Create Backup or an import), not by an automatic trigger. */
  manual: boolean;
  checksum: string | undefined;
}

export interface Outcome {
  ok: boolean;
  message: string;
}

export interface ValidationOutcome {
  ok: boolean;
  message?: string;
  result?: ValidationResult;
  local?: Hierarchy;
  remote?: Hierarchy;
  /** Whose checksums we compared with. */
  source?: string;
}

/** @noSelf */
export interface Backend {
  rollbackReady: () => boolean;
  listBackups: () => BackupInfo[];
  createBackup: (label: string) => Outcome & { size?: number };
  restore: (id: unknown) => Outcome;
  remove: (id: unknown) => Outcome;
  setPinned: (id: unknown, pinned: boolean) => Outcome;
  exportText: (id: unknown) => { text?: string; message: string };
  importText: (text: string) => Outcome;
  /** Bytes of the plan in canonical text (what a backup holds before compression). */
  planSize: () => number;
  syncReady: () => boolean;
  validate: (done: (outcome: ValidationOutcome) => void) => void;
  repair: (request: RepairRequest, target: string | undefined, progress: (done: number, total: number | undefined) => void, done: (outcome: Outcome) => void) => void;
  targets: () => RepairTarget[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Table = any;

/** Calls a Lua API function returning `value` or `nil, reason`; errors become reasons. */
function call(fn: unknown, a1?: unknown, a2?: unknown, a3?: unknown): LuaMultiReturn<[unknown, string | undefined]> {
  if (typeof fn !== "function") return $multi(undefined, "not available in this version");
  const [ok, v, r] = pcall(fn as (this: void, a: unknown, b: unknown, c: unknown) => LuaMultiReturn<[unknown, unknown]>, a1, a2, a3);
  const value = v as unknown;
  const reason = r as unknown;
  if (!ok) return $multi(undefined, String(value));
  if (value === undefined || value === false) return $multi(undefined, reason === undefined ? "failed" : String(reason));
  return $multi(value, undefined);
}

export function createBackend(app: App): Backend {
  const rollback = (): Table => app.api.Rollback;
  const sync = (): Table => app.api.SyncGranular;

  const toInfo = (b: Table): BackupInfo => ({
    id: b.id,
    timestamp: typeof b.timestamp === "number" ? b.timestamp : typeof b.time === "number" ? b.time : 0,
    label: typeof b.label === "string" ? b.label : "",
    reason: typeof b.reason === "string" ? b.reason : "",
    size: typeof b.size === "number" ? b.size : 0,
    pinned: b.pinned === true || b.pinned === 1,
    manual: b.manual === true || b.manual === 1 || b.reason === "Manual" || b.reason === "Import",
    checksum: typeof b.root === "string" ? b.root : typeof b.checksum === "string" ? b.checksum : undefined,
  });

  return {
    rollbackReady: () => rollback() !== undefined,
    listBackups: () => {
      const r = rollback();
      if (r === undefined) return [];
      const [list] = call(r.ListBackups);
      const out: BackupInfo[] = [];
      if (list === undefined) return out;
      let n = 0;
      for (const b of list as Table[]) {
        out[n] = toInfo(b);
        n++;
      }
      return out;
    },
    createBackup: (label) => {
      const r = rollback();
      const [value, reason] = call(r !== undefined ? r.CreateManualBackup : undefined, label);
      if (value === undefined) return { ok: false, message: "Backup failed: " + reason };
      const size = typeof value === "object" && typeof (value as Table).size === "number" ? ((value as Table).size as number) : undefined;
      return { ok: true, message: "Backup created successfully: " + label, size };
    },
    restore: (id) => {
      const r = rollback();
      const [value, reason] = call(r !== undefined ? r.RestoreBackup : undefined, id);
      return value === undefined ? { ok: false, message: "Restore failed: " + reason } : { ok: true, message: "Backup restored." };
    },
    remove: (id) => {
      const r = rollback();
      const [value, reason] = call(r !== undefined ? r.DeleteBackup : undefined, id);
      return value === undefined ? { ok: false, message: String(reason) } : { ok: true, message: "Backup deleted." };
    },
    setPinned: (id, pinned) => {
      const r = rollback();
      const [value, reason] = call(r !== undefined ? (pinned ? r.PinBackup : r.UnpinBackup) : undefined, id);
      return value === undefined ? { ok: false, message: String(reason) } : { ok: true, message: pinned ? "Backup pinned." : "Backup unpinned." };
    },
    exportText: (id) => {
      const r = rollback();
      const [value, reason] = call(r !== undefined ? r.ExportBackup : undefined, id);
      if (typeof value !== "string") return { message: "Export failed: " + (reason ?? "no text") };
      return { text: value, message: "Select all (Ctrl+A) and copy (Ctrl+C)." };
    },
    importText: (text) => {
      const r = rollback();
      const [value, reason] = call(r !== undefined ? r.ImportBackup : undefined, text);
      return value === undefined ? { ok: false, message: "Import failed: " + reason } : { ok: true, message: "Backup imported." };
    },
    planSize: () => {
      const [text] = call((app.api.Store as Table).SerializeNode, { level: "STRUCTURE" });
      return typeof text === "string" ? text.length : 0;
    },
    syncReady: () => sync() !== undefined,
    validate: (done) => {
      done({ ok: false, message: "Structure sync is not available in this version." });
    },
    repair: (_request, _target, _progress, done) => {
      done({ ok: false, message: "Structure sync is not available in this version." });
    },
    targets: () => {
      const s = sync();
      let admin: string | undefined;
      if (s !== undefined && typeof s.GetAdmin === "function") {
        const [a] = call(s.GetAdmin);
        if (typeof a === "string") admin = a;
      }
      const roster = app.platform.roster();
      if (admin === undefined) {
        for (const m of roster) if (m.rank === 2) admin = m.name;
      }
      return repairTargets(roster, admin, app.platform.playerName());
    },
  };
}
