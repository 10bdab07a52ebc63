// Spec 6.5.1 retention, as one pure decision over the backup list:
//   - pinned backups are never pruned;
//   - at most MAX_BACKUPS are kept (pinned ones count), the newest first;
//   - an unpinned backup older than MAX_AGE is pruned ...
//   - ... unless fewer than MIN_BACKUPS would remain;
//   - the newest backup is always kept (a backup is never pruned by its own creation, even when
//     MAX_BACKUPS or more are pinned).
// `protect` names one more backup to keep this time (the one being restored).

export const MAX_BACKUPS = 10;
export const MIN_BACKUPS = 3;
export const MAX_AGE = 7 * 24 * 3600;

export interface RetentionEntry {
  id: number;
  time: number;
  pinned?: boolean;
}

/** Newest first: later time first, then the higher id. */
export function newestFirst<T extends RetentionEntry>(list: T[], n: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out[i] = list[i];
  out.sort((a, b) => (a.time !== b.time ? b.time - a.time : b.id - a.id));
  return out;
}

/** The ids to prune (a set: id -> true). */
export function toPrune(list: RetentionEntry[], n: number, now: number, protect?: number): { [id: number]: boolean } {
  const sorted = newestFirst(list, n);
  let pinned = 0;
  for (let i = 0; i < n; i++) if (sorted[i].pinned === true) pinned++;
  const out: { [id: number]: boolean } = {};
  let kept = pinned;
  for (let i = 0; i < n; i++) {
    const e = sorted[i];
    if (e.pinned === true) continue;
    const fresh = now - e.time <= MAX_AGE;
    if (i === 0 || e.id === protect || kept < MIN_BACKUPS || (kept < MAX_BACKUPS && fresh)) kept++;
    else out[e.id] = true;
  }
  return out;
}
