// OGRH.Rollback (spec 6.5.1-6.5.4): automatic and manual backups, retention, restore, export and
// import, and their slash commands. Docs: docs/architecture.md "Rollback".
//
// Every part is functions over one RollbackContext (context.ts); this file creates it, hooks the
// triggers, publishes the API and returns the handle the app and the Data Management window use:
//   create.ts    capture and encode a backup (a job), commit it, coalesce automatic ones
//   restore.ts   restore a backup (a job; safety backup first), load the shipping defaults
//   manage.ts    list, delete, pin, retention (the decision itself in retention.ts)
//   transfer.ts  export and import jobs (the text format in exchange.ts)
//   triggers.ts  automatic backups (bulk applies), change tracking, loading the store
//   api.ts       the OGRH.Rollback table;  commands.ts  the slash commands
// Storage in storage.ts, chunking in snapshot.ts, packing in pack.ts.
//
// Everything costly runs as a job over frames (src/core/jobs): creating a backup, verifying and
// restoring one, export and import. Results arrive in chat and through the optional onDone callback;
// the functions themselves return true (started) or nil + reason at once. Nothing raises an error.
import type { App } from "../app";
import { createEmitter } from "../store/events";
import { createBackupStore } from "./storage";
import { BackupInfo, CreateOptions, Done, newState, RollbackContext } from "./context";
// Namespaces, not single functions: each is one upvalue of the closures below (Lua 5.0: 32 at most).
import * as Create from "./create";
import * as Manage from "./manage";
import * as Restore from "./restore";
import * as Transfer from "./transfer";
import * as Triggers from "./triggers";
import { rollbackApi } from "./api";
import { registerCommands } from "./commands";

export type { BackupInfo, CreateOptions, Done };

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
  const c: RollbackContext = {
    app,
    platform: app.platform,
    jobs: app.jobs,
    store: app.store,
    say: app.say,
    backups: createBackupStore(app.platform),
    listChanged: createEmitter<string>((message) => app.say(message)),
    S: newState(),
  };
  Triggers.watchChanges(c);
  Triggers.backUpBeforeBulkApply(c);
  Triggers.loadOnAddonLoaded(c);
  const api = rollbackApi(c);
  app.api.Rollback = api;
  app.api.LoadDefaults = api.LoadDefaults;
  registerCommands(c);

  return {
    createBackup: (label, reason, options, onDone) => Create.createBackup(c, label, reason, options, onDone),
    list: () => Manage.list(c),
    restoreBackup: (id, onDone) => Restore.restoreBackup(c, id, onDone),
    deleteBackup: (id) => Manage.deleteBackup(c, id),
    setPinned: (id, pinned) => Manage.setPinned(c, id, pinned),
    exportBackup: (id, onDone) => Transfer.exportBackup(c, id, onDone),
    importBackup: (text, onDone) => Transfer.importBackup(c, text, onDone),
    onListChanged: (fn) => c.listChanged.on(fn),
  };
}
