// OGRH.Rollback (spec 6.5.1-6.5.4): automatic and manual backups, retention, restore, export and
// import, and their slash commands. Storage in storage.ts, chunking in snapshot.ts, the text format
// in exchange.ts, retention in retention.ts. Docs: docs/architecture.md "Rollback".
//
// Everything costly runs as a job over frames (src/core/jobs): creating a backup, verifying and
// restoring one, export and import. Results arrive in chat and through the optional onDone callback;
// the functions themselves return true (started) or nil + reason at once. Nothing raises an error.
import type { App } from "../app";
import { Tick } from "../core/jobs";
import { createEmitter } from "../store/events";
import { buildDefaults } from "../store/defaults";
import { computeTreePaced, preparePayload } from "../store/background";
import { migratePlan } from "../store/migrate";
import { exportText, importText } from "./exchange";
import { formatSize, formatTimestamp } from "../core/format";
import { MIN_BACKUPS, newestFirst, toPrune } from "./retention";
import { assemble, capture, Captured, encode, Encoded, readChunks, readManifest } from "./snapshot";
import { createBackupStore, Entry } from "./storage";
// One namespace upvalue instead of two: installRollback sits at the limits guard's allowance.
import * as values from "../core/values";

type Table = any;

export const CANNOT_DELETE = "Cannot delete - minimum 3 backups required";
/** Automatic backups of one reason, with only sync writes between them, within this many seconds make one. */
export const COALESCE_SECONDS = 600;

/** What ListBackups returns per backup. */
export interface BackupInfo {
  id: number;
  timestamp: number;
  label: string;
  reason: string;
  size: number;
  pinned: boolean;
  root: string;
  packed: number;
  added: number;
  damaged: boolean;
  /** Made by a person (Manual or Import), not by an automatic trigger. */
  manual: boolean;
  timeText: string;
  sizeText: string;
}

export type Done<T> = ((result: T | undefined, error: string | undefined) => void) | undefined;

export interface CreateOptions {
  pinned?: boolean;
  automatic?: boolean;
  /** A plan to back up instead of the live one (import). */
  plan?: Table;
  root?: string;
}

let sayError: (message: string) => void = () => undefined;

/** Calls a caller's callback; a failing (or non-function) callback never stops the job runner. */
function callback<T>(fn: Done<T>, result: T | undefined, error: string | undefined): void {
  if (typeof fn !== "function") return;
  try {
    fn(result, error);
  } catch (err) {
    sayError("a rollback callback failed: " + String(err));
  }
}

function toId(v: unknown): number | undefined {
  const n = typeof v === "string" ? Number(v) : v;
  if (typeof n !== "number" || n !== n || n < 1 || n !== Math.floor(n)) return undefined;
  return n;
}

function isSyncSource(source: unknown): boolean {
  return typeof source === "string" && source.indexOf("sync") === 0;
}

/** The structure checksum of a plan-shaped table, raid by raid (spread over frames). */
function planRoot(plan: Table, tick: Tick): string {
  return computeTreePaced(plan, tick).structure;
}

/** @noSelf */
export interface Rollback {
  createBackup: (label: unknown, reason: unknown, options: CreateOptions, onDone: Done<BackupInfo>) => string | undefined;
  // The typed handle of the Data Management window (ui/backend.ts): each returns a reason or nil.
  list: () => BackupInfo[];
  restoreBackup: (id: unknown, onDone: Done<boolean>) => string | undefined;
  deleteBackup: (id: unknown) => string | undefined;
  setPinned: (id: unknown, pinned: boolean) => string | undefined;
  exportBackup: (id: unknown, onDone: Done<string>) => string | undefined;
  importBackup: (text: unknown, onDone: Done<BackupInfo>) => string | undefined;
  /** fn(what) whenever the backup list changes. */
  onListChanged: (fn: (what: string) => void) => void;
}

export function installRollback(app: App): Rollback {
  const { api, platform, jobs, store, say } = app;
  const backups = createBackupStore(platform);
  sayError = say;
  const listChanged = createEmitter<string>((message) => say(message));
  let busy = 0;
  let restoring = false;
  let lastExport: string | undefined;
  // Since the last capture: a write that did not come from sync, and a write that did.
  let localChange = true;
  let syncChange = false;
  let lastAuto: { id: number; reason: string; at: number } | undefined;

  store.on((change) => {
    if (isSyncSource(change.source)) syncChange = true;
    else localChange = true;
  });

  const info = (e: Entry): BackupInfo => ({
    id: e.id,
    timestamp: e.time,
    label: e.label,
    reason: e.reason,
    size: e.size,
    pinned: e.pinned === true,
    root: e.root,
    packed: e.packed,
    added: e.added,
    damaged: backups.isDamaged(e.id),
    manual: e.reason === "Manual" || e.reason === "Import",
    timeText: formatTimestamp(e.time, platform.formatDate),
    sizeText: formatSize(e.size),
  });

  const newest = (): Entry | undefined => {
    const n = backups.count();
    return n === 0 ? undefined : newestFirst(backups.entries(), n)[0];
  };

  const sweep = () => {
    if (busy === 0) backups.sweep();
  };

  const prune = (protect?: number): number => {
    const n = backups.count();
    const drop = toPrune(backups.entries(), n, platform.epoch(), protect);
    let removed = 0;
    for (const id in drop) {
      if (backups.remove(Number(id))) removed++;
    }
    if (removed > 0) sweep();
    return removed;
  };

  /** Adds the encoded backup (or skips an unchanged automatic one). */
  const commit = (enc: Encoded, label: string, reason: string, options: CreateOptions, root: string, protect?: number): { entry?: Entry; skipped?: string } => {
    const last = newest();
    if (options.automatic === true && last !== undefined && last.content === enc.content) {
      return { skipped: "nothing changed since backup #" + last.id };
    }
    const entry: Entry = {
      id: backups.nextId(),
      time: platform.epoch(),
      label,
      reason,
      pinned: options.pinned === true ? true : undefined,
      root,
      size: enc.size,
      packed: enc.packed,
      added: enc.added,
      content: enc.content,
      keys: enc.keyList,
      manifest: enc.manifestPacked,
    };
    backups.add(entry, enc.newChunks);
    if (options.automatic === true) lastAuto = { id: entry.id, reason, at: platform.now() };
    prune(protect);
    listChanged.emit("created");
    say("Backup created successfully: " + label + " (#" + entry.id + ", " + formatSize(entry.size) + ", " + formatSize(entry.added) + " stored)");
    return { entry };
  };

  const textOr = (v: unknown, fallback: string): string => (typeof v === "string" && v !== "" ? v : fallback);

  const createBackup = (labelIn: unknown, reasonIn: unknown, options: CreateOptions, onDone: Done<BackupInfo>): string | undefined => {
    const reason = textOr(reasonIn, "Automatic");
    const label = textOr(labelIn, reason);
    if (options.automatic === true && options.plan === undefined && !localChange && syncChange && lastAuto !== undefined) {
      const last = newest();
      if (last !== undefined && last.id === lastAuto.id && lastAuto.reason === reason && platform.now() - lastAuto.at < COALESCE_SECONDS) {
        callback(onDone, undefined, "only sync writes since backup #" + last.id);
        return undefined;
      }
    }
    let captured: Captured;
    let root: string | undefined = options.root;
    if (options.plan !== undefined) captured = capture(options.plan);
    else {
      captured = capture(store.extract({ level: "STRUCTURE" }) as Table);
      root = store.tree().structure;
      localChange = false;
      syncChange = false;
    }
    busy++;
    jobs.start(
      "backup",
      (tick) => {
        const r = encode(captured, backups.chunk, tick);
        if (r.encoded !== undefined && root === undefined) root = planRoot(options.plan, tick);
        return r;
      },
      (ok, r, err) => {
        busy--;
        const failure = !ok ? err : r === undefined || r.encoded === undefined ? r?.error : undefined;
        if (failure !== undefined || r === undefined || r.encoded === undefined) {
          say("Backup failed: " + String(failure));
          sweep();
          callback(onDone, undefined, failure);
          return;
        }
        const c = commit(r.encoded, label, reason, options, root as string);
        sweep();
        callback(onDone, c.entry === undefined ? undefined : info(c.entry), c.skipped);
      },
    );
    return undefined;
  };

  const restoreBackup = (idIn: unknown, onDone: Done<boolean>): string | undefined => {
    const id = toId(idIn);
    const e = id === undefined ? undefined : backups.find(id);
    if (e === undefined) return "No backup #" + String(idIn) + ".";
    if (restoring) return "A restore is already running.";
    restoring = true;
    busy++;
    say("Restoring backup #" + e.id + " (" + e.label + ", " + formatTimestamp(e.time, platform.formatDate) + "); a safety backup is made first.");
    let safetyRoot = "";
    jobs.start(
      "restore",
      (tick) => {
        const m = readManifest(e.manifest, e.content, tick);
        if (m.manifest === undefined) return { error: m.error };
        const c = readChunks(m.manifest, backups.chunk, tick);
        if (c.texts === undefined) return { error: c.error };
        const a = assemble(m.manifest, c.texts, tick);
        if (a.plan === undefined) return { error: a.error };
        // The safety backup of the current plan, taken once the backup is known to be good.
        const captured = capture(store.extract({ level: "STRUCTURE" }) as Table);
        safetyRoot = store.tree().structure;
        localChange = false;
        syncChange = false;
        const s = encode(captured, backups.chunk, tick);
        if (s.encoded === undefined) return { error: "the safety backup failed: " + s.error };
        // The new tree is computed here, over frames, so the swap at the end is cheap.
        const p = preparePayload({ level: "STRUCTURE" }, a.plan, undefined, tick);
        return { plan: p.payload as Table, tree: p.tree, safety: s.encoded };
      },
      (ok, r, err) => {
        busy--;
        restoring = false;
        const failure = !ok ? err : r === undefined || r.plan === undefined ? r?.error : undefined;
        if (failure !== undefined || r === undefined || r.plan === undefined || r.safety === undefined) {
          const message = "Restore failed: backup #" + e.id + " is damaged (" + String(failure) + "). Current data unchanged.";
          say(message);
          sweep();
          callback(onDone, false, message);
          return;
        }
        const safety = commit(r.safety, "Before restore of #" + e.id, "Before Restore", { automatic: true }, safetyRoot, e.id);
        if (safety.skipped !== undefined) say("Safety backup: " + safety.skipped + " (it holds the current data).");
        const bad = store.apply({ level: "STRUCTURE" }, r.plan, "restore", undefined, r.tree);
        sweep();
        if (bad !== undefined) {
          const message = "Restore failed: " + bad + ". Current data unchanged.";
          say(message);
          callback(onDone, false, message);
          return;
        }
        const root = store.tree().structure;
        say("Restored backup #" + e.id + ": " + e.label + ". Checksums recomputed" + (root === e.root ? " (they match the backup)." : "; note: the root differs from the one recorded (" + e.root + " -> " + root + ")."));
        listChanged.emit("restored");
        callback(onDone, true, undefined);
      },
    );
    return undefined;
  };

  const deleteBackup = (idIn: unknown): string | undefined => {
    const id = toId(idIn);
    if (id === undefined || backups.find(id) === undefined) return "No backup #" + String(idIn) + ".";
    if (backups.count() <= MIN_BACKUPS) return CANNOT_DELETE;
    backups.remove(id);
    sweep();
    listChanged.emit("deleted");
    return undefined;
  };

  const setPinned = (idIn: unknown, pinned: boolean): string | undefined => {
    const id = toId(idIn);
    const e = id === undefined ? undefined : backups.find(id);
    if (e === undefined) return "No backup #" + String(idIn) + ".";
    e.pinned = pinned ? true : undefined;
    listChanged.emit(pinned ? "pinned" : "unpinned");
    return undefined;
  };

  const exportWork = (e: Entry, tick: Tick): { text?: string; error?: string } => {
    const m = readManifest(e.manifest, e.content, tick);
    if (m.manifest === undefined) return { error: m.error };
    const c = readChunks(m.manifest, backups.chunk, tick);
    if (c.texts === undefined) return { error: c.error };
    const meta = { label: e.label, reason: e.reason, time: e.time, root: e.root, size: e.size, created: formatTimestamp(e.time, platform.formatDate), sizeText: formatSize(e.size) };
    return exportText(meta, m.manifest, c.texts, tick);
  };

  /** Without a callback: the text at once (the whole work in this frame, ~0.2 s on a full plan). */
  const exportNow = (idIn: unknown): { text?: string; error?: string } => {
    const id = toId(idIn);
    const e = id === undefined ? undefined : backups.find(id);
    if (e === undefined) return { error: "No backup #" + String(idIn) + "." };
    const r = exportWork(e, () => undefined);
    if (r.text !== undefined) lastExport = r.text;
    else r.error = "backup #" + e.id + " is damaged (" + String(r.error) + ")";
    return r;
  };

  const exportBackup = (idIn: unknown, onDone: Done<string>): string | undefined => {
    const id = toId(idIn);
    const e = id === undefined ? undefined : backups.find(id);
    if (e === undefined) return "No backup #" + String(idIn) + ".";
    busy++;
    jobs.start(
      "export",
      (tick) => exportWork(e, tick),
      (ok, r, err) => {
        busy--;
        sweep();
        const failure = !ok ? err : r === undefined || r.text === undefined ? r?.error : undefined;
        if (failure !== undefined || r === undefined || r.text === undefined) {
          say("Export failed: backup #" + e.id + " is damaged (" + String(failure) + ").");
          callback(onDone, undefined, failure);
          return;
        }
        lastExport = r.text;
        say("Export of backup #" + e.id + " ready: " + r.text.length + " characters (OGRH.Rollback.GetLastExport()).");
        callback(onDone, r.text, undefined);
      },
    );
    return undefined;
  };

  const importBackup = (text: unknown, onDone: Done<BackupInfo>): string | undefined => {
    if (typeof text !== "string" || text === "") return "Nothing to import: paste the exported text.";
    busy++;
    jobs.start(
      "import",
      (tick) => importText(text, tick),
      (ok, r, err) => {
        busy--;
        const failure = !ok ? err : r === undefined || r.imported === undefined ? r?.error : undefined;
        if (failure !== undefined || r === undefined || r.imported === undefined) {
          say("Import failed: " + String(failure) + ".");
          sweep();
          callback(onDone, undefined, failure);
          return;
        }
        const imp = r.imported;
        migratePlan(imp.plan);
        const started = createBackup(imp.label, "Import", { pinned: true, plan: imp.plan }, onDone);
        if (started !== undefined) callback(onDone, undefined, started);
      },
    );
    return undefined;
  };

  const loadDefaults = (): string | undefined => {
    // Companion mode: the plan is OG-RaidHelper's, and so are its defaults (its own Load Defaults).
    if (app.mode === "companion") return "in companion mode Load Defaults is OG-RaidHelper's (its Import/Export window)";
    app.beforeBulkApply("Before Load Defaults", "Load Defaults");
    const bad = store.replacePlan(buildDefaults(), "defaults");
    if (bad !== undefined) return bad;
    say("Shipping defaults loaded; the previous plan is kept in a backup.");
    return undefined;
  };

  const list = (): BackupInfo[] => {
    const n = backups.count();
    const sorted = newestFirst(backups.entries(), n);
    const out: BackupInfo[] = [];
    for (let i = 0; i < n; i++) out[i] = info(sorted[i]);
    return out;
  };

  app.onBeforeBulkApply((label, reason) => {
    createBackup(label, reason, { automatic: true }, undefined);
  });

  platform.on("ADDON_LOADED", (addonName) => {
    if (addonName !== "OGRH_Sync") return;
    const report = backups.load();
    if (report.reset) say("Backup storage (OGRH_Sync_Backups) was unreadable; it was kept under OGRH_Sync_Backups.quarantine and backups start empty.");
    if (report.badEntries > 0) say(report.badEntries + " backup(s) were unreadable; they were kept under OGRH_Sync_Backups.quarantine.");
    for (const id of report.damaged) say("Backup #" + id + " is damaged (its data is missing); it cannot be restored.");
    prune();
  });

  api.Rollback = {
    /** Backs up the live plan (reason default "Automatic"): skipped when nothing changed. */
    CreateBackup: (label: unknown, reason: unknown, onDone?: Done<BackupInfo>) =>
      values.nilOr(createBackup(label, reason, { automatic: reason !== "Manual" }, onDone)),
    /** A pinned backup with reason "Manual"; always made. */
    CreateManualBackup: (label: unknown, onDone?: Done<BackupInfo>) => values.nilOr(createBackup(label, "Manual", { pinned: true }, onDone)),
    ListBackups: () => list(),
    GetBackup: (id: unknown) => {
      const n = toId(id);
      const e = n === undefined ? undefined : backups.find(n);
      return e === undefined ? undefined : info(e);
    },
    RestoreBackup: (id: unknown, onDone?: Done<boolean>) => values.nilOr(restoreBackup(id, onDone)),
    DeleteBackup: (id: unknown) => values.nilOr(deleteBackup(id)),
    PinBackup: (id: unknown) => values.nilOr(setPinned(id, true)),
    UnpinBackup: (id: unknown) => values.nilOr(setPinned(id, false)),
    /** With a callback: a job over frames, fn(text, err) at the end; without: the text at once (or nil, reason). */
    ExportBackup: (id: unknown, onDone?: Done<string>) => {
      if (typeof onDone === "function") return values.nilOr(exportBackup(id, onDone));
      const r = exportNow(id);
      return values.valueOr(r.text, r.error);
    },
    GetLastExport: () => lastExport,
    ImportBackup: (text: unknown, onDone?: Done<BackupInfo>) => values.nilOr(importBackup(text, onDone)),
    /** Backs up, then replaces the plan with the shipping defaults. */
    LoadDefaults: () => values.nilOr(loadDefaults()),
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
    Prune: () => prune(),
    /** Jobs of this module not finished yet. */
    Pending: () => busy,
    /** Subscribes to changes of the backup list: fn(what). */
    OnListChanged: (fn: (what: string) => void) => listChanged.on(fn),
    RemoveListener: (id: number) => listChanged.off(id),
    Stats: () => ({ backups: backups.count(), chunks: backups.chunkCount(), chunkBytes: backups.chunkBytes() }),
    ChunkRefs: (key: string) => backups.refs(key),
    FormatTime: (t: number) => formatTimestamp(t, platform.formatDate),
    FormatSize: (bytes: number) => formatSize(bytes),
    MIN_BACKUPS,
  };
  api.LoadDefaults = (api.Rollback as Table).LoadDefaults;

  registerCommands(app, { list, createBackup, restoreBackup, deleteBackup, setPinned, exportBackup, loadDefaults, find: backups.find });
  return { createBackup, list, restoreBackup, deleteBackup, setPinned, exportBackup, importBackup, onListChanged: (fn) => listChanged.on(fn) };
}

/** @noSelf */
interface Commands {
  list: () => BackupInfo[];
  createBackup: (label: unknown, reason: unknown, options: CreateOptions, onDone: Done<BackupInfo>) => string | undefined;
  restoreBackup: (id: unknown, onDone: Done<boolean>) => string | undefined;
  deleteBackup: (id: unknown) => string | undefined;
  setPinned: (id: unknown, pinned: boolean) => string | undefined;
  exportBackup: (id: unknown, onDone: Done<string>) => string | undefined;
  loadDefaults: () => string | undefined;
  find: (id: number) => Entry | undefined;
}

function words(rest: string): string[] {
  const out: string[] = [];
  let n = 0;
  let start = 0;
  const len = rest.length;
  for (let i = 0; i <= len; i++) {
    if (i === len || rest.charAt(i) === " ") {
      if (i > start) {
        out[n] = rest.substring(start, i);
        n++;
      }
      start = i + 1;
    }
  }
  return out;
}

function registerCommands(app: App, c: Commands): void {
  const say = app.say;
  const report = (failure: string | undefined, ok: string) => say(failure === undefined ? ok : failure);
  app.addCommand("backup", "backup [label]", "create a pinned manual backup", (rest) => {
    report(c.createBackup(rest === "" ? "Manual backup" : rest, "Manual", { pinned: true }, undefined), "Creating backup...");
  });
  app.addCommand("backups", "backups", "list the backups, newest first", () => {
    const all = c.list();
    if (all.length === 0) {
      say("No backups yet. " + app.slash + " backup [label] makes one.");
      return;
    }
    say("Backups (newest first):");
    for (const b of all) {
      app.platform.print(
        "  #" + b.id + " " + b.timeText + " - " + b.label + " (" + b.reason + ", " + b.sizeText + ")" + (b.pinned ? " [pinned]" : "") + (b.damaged ? " [damaged]" : ""),
      );
    }
  });
  app.addCommand("restore", "restore <id>", "replace the plan with a backup (a safety backup is made first)", (rest) => {
    const w = words(rest);
    const id = Number(w[0]);
    const e = c.find(id);
    if (e === undefined) {
      say(w.length === 0 ? "Usage: " + app.slash + " restore <id> (see " + app.slash + " backups)" : "No backup #" + w[0] + ".");
      return;
    }
    if (w[1] !== "confirm") {
      say("This will replace all current data with backup #" + e.id + " (" + e.label + "). A safety backup will be created first. Type " + app.slash + " restore " + e.id + " confirm to continue.");
      return;
    }
    const failure = c.restoreBackup(id, undefined);
    if (failure !== undefined) say(failure);
  });
  app.addCommand("delete", "delete <id>", "delete a backup", (rest) => {
    report(c.deleteBackup(rest), "Backup #" + rest + " deleted.");
  });
  app.addCommand("pin", "pin <id>", "keep a backup from automatic deletion", (rest) => {
    report(c.setPinned(rest, true), "Backup #" + rest + " pinned.");
  });
  app.addCommand("unpin", "unpin <id>", "let retention delete a backup again", (rest) => {
    report(c.setPinned(rest, false), "Backup #" + rest + " unpinned.");
  });
  app.addCommand("export", "export <id>", "make the export text of a backup (to copy to another client)", (rest) => {
    const failure = c.exportBackup(rest, undefined);
    if (failure !== undefined) say(failure);
  });
  app.addCommand("import", "import", "import an exported backup", () => {
    say("Paste the exported text in the Import box of the Data Management window (or call OGRH.Rollback.ImportBackup(text)).");
  });
  app.addCommand("defaults", "defaults", "replace the plan with the shipping defaults (backed up first)", (rest) => {
    if (rest !== "confirm") {
      say("This will replace all current data with the shipping defaults. A backup will be created first. Type " + app.slash + " defaults confirm to continue.");
      return;
    }
    const failure = c.loadDefaults();
    if (failure !== undefined) say("Load Defaults failed: " + failure);
  });
}
