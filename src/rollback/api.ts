// The public OGRH.Rollback table (spec 6.5): Lua callers get true (started / done) or nil and the
// reason (core/values' nilOr), never an error. Every entry forwards to the part that does the work.
import { formatSize, formatTimestamp } from "../core/format";
import { nilOr, valueOr } from "../core/values";
import { MIN_BACKUPS } from "./retention";
import { BackupInfo, Done, find, info, RollbackContext } from "./context";
import * as Create from "./create";
import * as Manage from "./manage";
import * as Restore from "./restore";
import * as Transfer from "./transfer";

type Table = any;

export function rollbackApi(c: RollbackContext): Table {
  const { app, backups, listChanged, platform } = c;
  return {
    /** Backs up the live plan (reason default "Automatic"): skipped when nothing changed. */
    CreateBackup: (label: unknown, reason: unknown, onDone?: Done<BackupInfo>) =>
      nilOr(Create.createBackup(c, label, reason, { automatic: reason !== "Manual" }, onDone)),
    /** A pinned backup with reason "Manual"; always made. */
    CreateManualBackup: (label: unknown, onDone?: Done<BackupInfo>) => nilOr(Create.createBackup(c, label, "Manual", { pinned: true }, onDone)),
    ListBackups: () => Manage.list(c),
    GetBackup: (id: unknown) => {
      const e = find(c, id);
      return e === undefined ? undefined : info(c, e);
    },
    RestoreBackup: (id: unknown, onDone?: Done<boolean>) => nilOr(Restore.restoreBackup(c, id, onDone)),
    DeleteBackup: (id: unknown) => nilOr(Manage.deleteBackup(c, id)),
    PinBackup: (id: unknown) => nilOr(Manage.setPinned(c, id, true)),
    UnpinBackup: (id: unknown) => nilOr(Manage.setPinned(c, id, false)),
    /** With a callback: a job over frames, fn(text, err) at the end; without: the text at once (or nil, reason). */
    ExportBackup: (id: unknown, onDone?: Done<string>) => {
      if (typeof onDone === "function") return nilOr(Transfer.exportBackup(c, id, onDone));
      const r = Transfer.exportNow(c, id);
      return valueOr(r.text, r.error);
    },
    GetLastExport: () => c.S.lastExport,
    ImportBackup: (text: unknown, onDone?: Done<BackupInfo>) => nilOr(Transfer.importBackup(c, text, onDone)),
    /** Backs up, then replaces the plan with the shipping defaults. */
    LoadDefaults: () => nilOr(Restore.loadDefaults(c)),
    /** Call before the admin role moves: backs up (reason "Admin Transfer") through the bulk-apply hook. */
    BeforeAdminTransfer: (newAdmin: unknown) => {
      app.beforeBulkApply("Before admin transfer" + (typeof newAdmin === "string" ? " to " + newAdmin : ""), "Admin Transfer");
    },
    /**
     * Announces a whole-raid or whole-plan replacement (what sync does before a raid-level or full
     * apply, and the UI before a major change): every bulk-apply hook runs, so a backup is taken.
     */
    BeforeBulkApply: (label: unknown, reason: unknown) => {
      app.beforeBulkApply(typeof label === "string" ? label : "Before bulk change", typeof reason === "string" ? reason : "Automatic");
    },
    /** Applies retention now; returns how many backups were removed. */
    Prune: () => Manage.prune(c),
    /** Jobs of this module not finished yet. */
    Pending: () => c.S.busy,
    /** Subscribes to changes of the backup list: fn(what). */
    OnListChanged: (fn: (what: string) => void) => listChanged.on(fn),
    RemoveListener: (id: number) => listChanged.off(id),
    Stats: () => ({ backups: backups.count(), chunks: backups.chunkCount(), chunkBytes: backups.chunkBytes() }),
    ChunkRefs: (key: string) => backups.refs(key),
    FormatTime: (t: number) => formatTimestamp(t, platform.formatDate),
    FormatSize: (bytes: number) => formatSize(bytes),
    MIN_BACKUPS,
  };
}
