// Creating a backup (spec 6.5.1): capture the plan at once, then encode it as a job over frames and
// add it to the store (or skip an automatic one that changed nothing). `commit` is also how a
// restore stores its safety backup.
import type { Tick } from "../core/jobs";
import { formatSize } from "../core/format";
import { computeTreePaced } from "../store/background";
import { capture, Captured, encode, Encoded } from "./snapshot";
import type { Entry } from "./storage";
import { BackupInfo, callback, CreateOptions, Done, failureOf, info, newest, RollbackContext, sweep } from "./context";
import { prune } from "./manage";

type Table = any;

/** Automatic backups of one reason, with only sync writes between them, within this many seconds make one. */
export const COALESCE_SECONDS = 600;

/** The structure checksum of a plan-shaped table, raid by raid (spread over frames). */
function planRoot(plan: Table, tick: Tick): string {
  return computeTreePaced(plan, tick).structure;
}

function textOr(v: unknown, fallback: string): string {
  return typeof v === "string" && v !== "" ? v : fallback;
}

/**
 * The live plan's chunks, referenced now (what the backup will hold even though its job ends
 * frames later), and its root; the change flags start again from here.
 */
export function captureLive(c: RollbackContext): { captured: Captured; root: string } {
  const captured = capture(c.store.extract({ level: "STRUCTURE" }) as Table, c.app.layout);
  const root = c.store.tree().structure;
  c.S.localChange = false;
  c.S.syncChange = false;
  return { captured, root };
}

/** Adds the encoded backup (or skips an unchanged automatic one). */
export function commit(c: RollbackContext, enc: Encoded, label: string, reason: string, options: CreateOptions, root: string, protect?: number): { entry?: Entry; skipped?: string } {
  const { backups, platform } = c;
  const last = newest(c);
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
    l: options.plan !== undefined ? options.layout : c.app.layout,
  };
  backups.add(entry, enc.newChunks);
  if (options.automatic === true) c.S.lastAuto = { id: entry.id, reason, at: platform.now() };
  prune(c, protect);
  c.listChanged.emit("created");
  c.say("Backup created successfully: " + label + " (#" + entry.id + ", " + formatSize(entry.size) + ", " + formatSize(entry.added) + " stored)");
  return { entry };
}

/** A burst of sync applies makes one automatic backup: same reason, recent, only sync writes since. */
function coalesced(c: RollbackContext, reason: string, options: CreateOptions): Entry | undefined {
  const S = c.S;
  if (options.automatic !== true || options.plan !== undefined || S.localChange || !S.syncChange || S.lastAuto === undefined) return undefined;
  const last = newest(c);
  if (last !== undefined && last.id === S.lastAuto.id && S.lastAuto.reason === reason && c.platform.now() - S.lastAuto.at < COALESCE_SECONDS) return last;
  return undefined;
}

export function createBackup(c: RollbackContext, labelIn: unknown, reasonIn: unknown, options: CreateOptions, onDone: Done<BackupInfo>): string | undefined {
  const reason = textOr(reasonIn, "Automatic");
  const label = textOr(labelIn, reason);
  const last = coalesced(c, reason, options);
  if (last !== undefined) {
    callback(c, onDone, undefined, "only sync writes since backup #" + last.id);
    return undefined;
  }
  let captured: Captured;
  let root: string | undefined = options.root;
  if (options.plan !== undefined) captured = capture(options.plan, options.layout);
  else {
    const live = captureLive(c);
    captured = live.captured;
    root = live.root;
  }
  c.S.busy++;
  c.jobs.start(
    "backup",
    (tick) => {
      const r = encode(captured, c.backups.chunk, tick);
      if (r.encoded !== undefined && root === undefined) root = planRoot(options.plan, tick);
      return r;
    },
    (ok, r, err) => {
      c.S.busy--;
      const failure = failureOf(ok, r, err, r?.encoded);
      if (failure !== undefined || r === undefined || r.encoded === undefined) {
        c.say("Backup failed: " + String(failure));
        sweep(c);
        callback(c, onDone, undefined, failure);
        return;
      }
      const done = commit(c, r.encoded, label, reason, options, root as string);
      sweep(c);
      callback(c, onDone, done.entry === undefined ? undefined : info(c, done.entry), done.skipped);
    },
  );
  return undefined;
}
