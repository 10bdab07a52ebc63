// Rollback's shared state and the few helpers every part of it uses. The parts (create.ts,
// restore.ts, manage.ts, transfer.ts, triggers.ts, api.ts, commands.ts) are functions over one
// RollbackContext, which rollback.ts creates and wires: no part keeps state of its own (Lua 5.0
// allows 32 upvalues per function; one closure over everything came close). Lua-only.
import type { App } from "../app";
import type { JobRunner } from "../core/jobs";
import type { Platform } from "../core/platform";
import type { Store } from "../store/store";
import type { Emitter } from "../store/events";
import { formatSize, formatTimestamp } from "../core/format";
import { newestFirst } from "./retention";
import type { BackupStore, Entry } from "./storage";

type Table = any;

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
  /** The mode that made it when it is not this client's ("standalone" / "companion"): a restore is refused. */
  otherMode?: string;
  timeText: string;
  sizeText: string;
}

export type Done<T> = ((result: T | undefined, error: string | undefined) => void) | undefined;

export interface CreateOptions {
  pinned?: boolean;
  automatic?: boolean;
  /** A plan to back up instead of the live one (import), and its layout tag. */
  plan?: Table;
  layout?: string;
  root?: string;
}

/** The module's mutable state. */
export interface RollbackState {
  /** Jobs of this module not finished yet (chunks are swept only when none runs). */
  busy: number;
  restoring: boolean;
  lastExport: string | undefined;
  /** Since the last capture: a write that did not come from sync, and a write that did. */
  localChange: boolean;
  syncChange: boolean;
  /** The last automatic backup, for coalescing a burst of sync applies into one. */
  lastAuto: { id: number; reason: string; at: number } | undefined;
}

/** Everything rollback's parts share. */
/** @noSelf */
export interface RollbackContext {
  app: App;
  platform: Platform;
  jobs: JobRunner;
  store: Store;
  say: (message: string) => void;
  backups: BackupStore;
  listChanged: Emitter<string>;
  S: RollbackState;
}

export function newState(): RollbackState {
  return { busy: 0, restoring: false, lastExport: undefined, localChange: true, syncChange: false, lastAuto: undefined };
}

/** Calls a caller's callback; a failing (or non-function) callback never stops the job runner. */
export function callback<T>(c: RollbackContext, fn: Done<T>, result: T | undefined, error: string | undefined): void {
  if (typeof fn !== "function") return;
  try {
    fn(result, error);
  } catch (err) {
    c.say("a rollback callback failed: " + String(err));
  }
}

export function toId(v: unknown): number | undefined {
  const n = typeof v === "string" ? Number(v) : v;
  if (typeof n !== "number" || n !== n || n < 1 || n !== Math.floor(n)) return undefined;
  return n;
}

/** The backup a caller names (a number or its text), or undefined. */
export function find(c: RollbackContext, idIn: unknown): Entry | undefined {
  const id = toId(idIn);
  return id === undefined ? undefined : c.backups.find(id);
}

export function notFound(idIn: unknown): string {
  return "No backup #" + String(idIn) + ".";
}

export function info(c: RollbackContext, e: Entry): BackupInfo {
  return {
    id: e.id,
    timestamp: e.time,
    label: e.label,
    reason: e.reason,
    size: e.size,
    pinned: e.pinned === true,
    root: e.root,
    packed: e.packed,
    added: e.added,
    damaged: c.backups.isDamaged(e.id),
    manual: e.reason === "Manual" || e.reason === "Import",
    otherMode: e.l === c.app.layout ? undefined : e.l === undefined ? "standalone" : "companion",
    timeText: formatTimestamp(e.time, c.platform.formatDate),
    sizeText: formatSize(e.size),
  };
}

export function newest(c: RollbackContext): Entry | undefined {
  const n = c.backups.count();
  return n === 0 ? undefined : newestFirst(c.backups.entries(), n)[0];
}

/** Drops unreferenced chunks, only while no job of this module may still read them. */
export function sweep(c: RollbackContext): void {
  if (c.S.busy === 0) c.backups.sweep();
}

/** The failure of a job's result: the runner's error, or the work's own `error` when `value` is missing. */
export function failureOf<R extends { error?: string }>(ok: boolean, r: R | undefined, err: string | undefined, value: unknown): string | undefined {
  return !ok ? err : r === undefined || value === undefined ? r?.error : undefined;
}
