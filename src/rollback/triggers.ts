// What makes backups happen on their own (spec 6.5.1 "automatic backups"), and loading the store:
// - every store write marks whether anything but sync changed the plan (create.ts coalesces a burst
//   of sync applies into one backup);
// - every bulk apply announced to the app (sync's raid-level and full applies, Load Defaults, admin
//   transfer, the UI's major changes) backs up first;
// - at ADDON_LOADED the store is read, what could not be read is reported, and retention runs.
import type { RollbackContext } from "./context";
import { createBackup } from "./create";
import { prune } from "./manage";

function isSyncSource(source: unknown): boolean {
  return typeof source === "string" && source.indexOf("sync") === 0;
}

export function watchChanges(c: RollbackContext): void {
  c.store.on((change) => {
    if (isSyncSource(change.source)) c.S.syncChange = true;
    else c.S.localChange = true;
  });
}

export function backUpBeforeBulkApply(c: RollbackContext): void {
  c.app.onBeforeBulkApply((label, reason) => {
    createBackup(c, label, reason, { automatic: true }, undefined);
  });
}

export function loadOnAddonLoaded(c: RollbackContext): void {
  c.platform.on("ADDON_LOADED", (addonName) => {
    if (addonName !== "OGRH_Sync") return;
    const report = c.backups.load();
    if (report.reset) c.say("Backup storage (OGRH_Sync_Backups) was unreadable; it was kept under OGRH_Sync_Backups.quarantine and backups start empty.");
    if (report.badEntries > 0) c.say(report.badEntries + " backup(s) were unreadable; they were kept under OGRH_Sync_Backups.quarantine.");
    for (const id of report.damaged) c.say("Backup #" + id + " is damaged (its data is missing); it cannot be restored.");
    prune(c);
  });
}
