// Restoring a backup (spec 6.5.3) and loading the shipping defaults: the two ways the whole plan is
// replaced from here. A restore reads and checks the backup in a job, takes the safety backup of the
// current plan once the backup is known to be good, computes the restored plan's tree over frames,
// and swaps in one cheap frame at the end. Nothing changes if any step fails.
import { formatTimestamp } from "../core/format";
import { buildDefaults } from "../store/defaults";
import { preparePayload } from "../store/background";
import { assemble, encode, layoutProblem, readChunks, readManifest } from "./snapshot";
import type { Entry } from "./storage";
import { callback, Done, failureOf, find, notFound, RollbackContext, sweep } from "./context";
import { captureLive, commit } from "./create";

type Table = any;

export function restoreBackup(c: RollbackContext, idIn: unknown, onDone: Done<boolean>): string | undefined {
  const e = find(c, idIn);
  if (e === undefined) return notFound(idIn);
  if (c.S.restoring) return "A restore is already running.";
  c.S.restoring = true;
  c.S.busy++;
  c.say("Restoring backup #" + e.id + " (" + e.label + ", " + formatTimestamp(e.time, c.platform.formatDate) + "); a safety backup is made first.");
  let safetyRoot = "";
  c.jobs.start(
    "restore",
    (tick) => {
      const m = readManifest(e.manifest, e.content, tick);
      if (m.manifest === undefined) return { error: m.error };
      // A backup of the other mode's plan layout (the player added or removed OG-RaidHelper since).
      const other = layoutProblem(m.manifest, c.app.layout);
      if (other !== undefined) return { error: other, other: true };
      const ch = readChunks(m.manifest, c.backups.chunk, tick);
      if (ch.texts === undefined) return { error: ch.error };
      const a = assemble(m.manifest, ch.texts, tick);
      if (a.plan === undefined) return { error: a.error };
      // The safety backup of the current plan, taken once the backup is known to be good.
      const live = captureLive(c);
      safetyRoot = live.root;
      const s = encode(live.captured, c.backups.chunk, tick);
      if (s.encoded === undefined) return { error: "the safety backup failed: " + s.error };
      // The new tree is computed here, over frames, so the swap at the end is cheap.
      const p = preparePayload({ level: "STRUCTURE" }, a.plan, undefined, tick);
      return { plan: p.payload as Table, tree: p.tree, safety: s.encoded };
    },
    (ok, r, err) => {
      c.S.busy--;
      c.S.restoring = false;
      const failure = failureOf(ok, r, err, r?.plan);
      if (failure !== undefined || r === undefined || r.plan === undefined || r.safety === undefined) {
        const message = r !== undefined && r.other === true ? "Restore refused: backup #" + e.id + " " + String(failure) + "." : "Restore failed: backup #" + e.id + " is damaged (" + String(failure) + "). Current data unchanged.";
        c.say(message);
        sweep(c);
        callback(c, onDone, false, message);
        return;
      }
      const safety = commit(c, r.safety, "Before restore of #" + e.id, "Before Restore", { automatic: true }, safetyRoot, e.id);
      if (safety.skipped !== undefined) c.say("Safety backup: " + safety.skipped + " (it holds the current data).");
      const bad = c.store.apply({ level: "STRUCTURE" }, r.plan, "restore", undefined, r.tree);
      sweep(c);
      if (bad !== undefined) {
        const message = "Restore failed: " + bad + ". Current data unchanged.";
        c.say(message);
        callback(c, onDone, false, message);
        return;
      }
      swapped(c, e);
      callback(c, onDone, true, undefined);
    },
  );
  return undefined;
}

function swapped(c: RollbackContext, e: Entry): void {
  const root = c.store.tree().structure;
  c.say("Restored backup #" + e.id + ": " + e.label + ". Checksums recomputed" + (root === e.root ? " (they match the backup)." : "; note: the root differs from the one recorded (" + e.root + " -> " + root + ")."));
  c.listChanged.emit("restored");
}

/** Backs up (through the bulk-apply hook), then replaces the plan with the shipping defaults. */
export function loadDefaults(c: RollbackContext): string | undefined {
  // Companion mode: the plan is OG-RaidHelper's, and so are its defaults (its own Load Defaults).
  if (c.app.mode === "companion") return "in companion mode Load Defaults is OG-RaidHelper's (its Import/Export window)";
  c.app.beforeBulkApply("Before Load Defaults", "Load Defaults");
  const bad = c.store.replacePlan(buildDefaults(), "defaults");
  if (bad !== undefined) return bad;
  c.say("Shipping defaults loaded; the previous plan is kept in a backup.");
  return undefined;
}
