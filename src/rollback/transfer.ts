// Export and import of a backup (spec 6.5.4) as jobs: export reads a stored backup into the text
// of exchange.ts, import checks a pasted text and adds it as a pinned backup (the live plan is not
// touched). The text format itself is exchange.ts.
import type { Tick } from "../core/jobs";
import { formatSize, formatTimestamp } from "../core/format";
import { migratePlan } from "../store/migrate";
import { exportText, importText } from "./exchange";
import { layoutProblem, readChunks, readManifest } from "./snapshot";
import type { Entry } from "./storage";
import { BackupInfo, callback, Done, failureOf, find, notFound, RollbackContext, sweep } from "./context";
import { createBackup } from "./create";

function exportWork(c: RollbackContext, e: Entry, tick: Tick): { text?: string; error?: string } {
  const m = readManifest(e.manifest, e.content, tick);
  if (m.manifest === undefined) return { error: m.error };
  const ch = readChunks(m.manifest, c.backups.chunk, tick);
  if (ch.texts === undefined) return { error: ch.error };
  const meta = { label: e.label, reason: e.reason, time: e.time, root: e.root, size: e.size, created: formatTimestamp(e.time, c.platform.formatDate), sizeText: formatSize(e.size) };
  return exportText(meta, m.manifest, ch.texts, tick);
}

/** Without a callback: the text at once (the whole work in this frame, ~0.2 s on a full plan). */
export function exportNow(c: RollbackContext, idIn: unknown): { text?: string; error?: string } {
  const e = find(c, idIn);
  if (e === undefined) return { error: notFound(idIn) };
  const r = exportWork(c, e, () => undefined);
  if (r.text !== undefined) c.S.lastExport = r.text;
  else r.error = "backup #" + e.id + " is damaged (" + String(r.error) + ")";
  return r;
}

export function exportBackup(c: RollbackContext, idIn: unknown, onDone: Done<string>): string | undefined {
  const e = find(c, idIn);
  if (e === undefined) return notFound(idIn);
  c.S.busy++;
  c.jobs.start(
    "export",
    (tick) => exportWork(c, e, tick),
    (ok, r, err) => {
      c.S.busy--;
      sweep(c);
      const failure = failureOf(ok, r, err, r?.text);
      if (failure !== undefined || r === undefined || r.text === undefined) {
        c.say("Export failed: backup #" + e.id + " is damaged (" + String(failure) + ").");
        callback(c, onDone, undefined, failure);
        return;
      }
      c.S.lastExport = r.text;
      c.say("Export of backup #" + e.id + " ready: " + r.text.length + " characters (OGRH.Rollback.GetLastExport()).");
      callback(c, onDone, r.text, undefined);
    },
  );
  return undefined;
}

export function importBackup(c: RollbackContext, text: unknown, onDone: Done<BackupInfo>): string | undefined {
  if (typeof text !== "string" || text === "") return "Nothing to import: paste the exported text.";
  c.S.busy++;
  c.jobs.start(
    "import",
    (tick) => importText(text, tick, (l) => layoutProblem(l, c.app.layout)),
    (ok, r, err) => {
      c.S.busy--;
      // A plan of the other mode's layout would later be restored into the wrong tables.
      if (ok && r !== undefined && r.foreign !== undefined) {
        c.say("Import failed: " + r.foreign + ". Nothing was changed.");
        sweep(c);
        callback(c, onDone, undefined, r.foreign);
        return;
      }
      const failure = failureOf(ok, r, err, r?.imported);
      if (failure !== undefined || r === undefined || r.imported === undefined) {
        c.say("Import failed: " + String(failure) + ".");
        sweep(c);
        callback(c, onDone, undefined, failure);
        return;
      }
      const imp = r.imported;
      migratePlan(imp.plan);
      const started = createBackup(c, imp.label, "Import", { pinned: true, plan: imp.plan, layout: imp.layout }, onDone);
      if (started !== undefined) callback(c, onDone, undefined, started);
    },
  );
  return undefined;
}
