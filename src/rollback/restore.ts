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
      const foreign = layoutProblem(m.manifest.l, c.app.layout);
      if (foreign !== undefined) return { error: foreign, refused: true };
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
        const why = r !== undefined && r.refused === true ? " cannot be restored here: " + String(failure) : " is damaged (" + String(failure) + ")";
        const message = "Restore failed: backup #" + e.id + why + ". Current data unchanged.";
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

/** Why Load Defaults is refused here: in companion mode the plan is OG-RaidHelper's, and so are its defaults. */
export function defaultsRefusal(c: RollbackContext): string | undefined {
  if (c.app.mode !== "companion") return undefined;
  return "Load Defaults is OG-RaidHelper's in companion mode: use its own (Import/Export window). OGRH Sync's shipping raids would replace your OG-RaidHelper plan; nothing was changed.";
}

/** Backs up (through the bulk-apply hook), then replaces the plan with the shipping defaults. */
export function loadDefaults(c: RollbackContext): string | undefined {
  const refused = defaultsRefusal(c);
  if (refused !== undefined) return refused;
  c.app.beforeBulkApply("Before Load Defaults", "Load Defaults");
  const bad = c.store.replacePlan(buildDefaults(), "defaults");
  if (bad !== undefined) return bad;
  c.say("Shipping defaults loaded; the previous plan is kept in a backup.");
  return undefined;
}
