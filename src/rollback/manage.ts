// The backup list as people manage it: list it newest first, delete, pin and unpin, and retention
// (spec 6.5.1, the decision itself in retention.ts) applied after every new backup and at load.
import { MIN_BACKUPS, newestFirst, toPrune } from "./retention";
import { BackupInfo, find, info, notFound, RollbackContext, sweep, toId } from "./context";

export const CANNOT_DELETE = "Cannot delete - minimum 3 backups required";

export function list(c: RollbackContext): BackupInfo[] {
  const n = c.backups.count();
  const sorted = newestFirst(c.backups.entries(), n);
  const out: BackupInfo[] = [];
  for (let i = 0; i < n; i++) out[i] = info(c, sorted[i]);
  return out;
}

/** Applies retention; `protect` keeps one more backup this time (the one being restored). Returns how many were removed. */
export function prune(c: RollbackContext, protect?: number): number {
  const { backups } = c;
  const drop = toPrune(backups.entries(), backups.count(), c.platform.epoch(), protect);
  let removed = 0;
  for (const id in drop) {
    if (backups.remove(Number(id))) removed++;
  }
  if (removed > 0) sweep(c);
  return removed;
}

export function deleteBackup(c: RollbackContext, idIn: unknown): string | undefined {
  const id = toId(idIn);
  if (id === undefined || c.backups.find(id) === undefined) return notFound(idIn);
  if (c.backups.count() <= MIN_BACKUPS) return CANNOT_DELETE;
  c.backups.remove(id);
  sweep(c);
  c.listChanged.emit("deleted");
  return undefined;
}

export function setPinned(c: RollbackContext, idIn: unknown, pinned: boolean): string | undefined {
  const e = find(c, idIn);
  if (e === undefined) return notFound(idIn);
  e.pinned = pinned ? true : undefined;
  c.listChanged.emit(pinned ? "pinned" : "unpinned");
  return undefined;
}
