// What the Data Management window asks of the rest of the addon, in one place: the rollback
// module, the granular sync, the store and the roster, through their typed handles (app.rollback,
// app.sync, app.store). Lua-only.
import type { App } from "../app";
import type { NodeRef } from "../store/store";
import { serializeNode } from "../store/store";
import { serializeInBackground } from "../store/background";
import { Hierarchy, hierarchyOf } from "../integrity/tree";
import type { ValidationResult } from "../integrity/validate";
import type { BackupInfo as RollbackInfo } from "../rollback/rollback";
import type { ValidateAnswer } from "../sync/granular";
import { raidLeader } from "../sync/permissions";
import { RepairRequest } from "./tree";
import { RepairTarget, repairTargets } from "./targets";

export interface BackupInfo {
  id: unknown;
  timestamp: number;
  label: string;
  reason: string;
  size: number;
  pinned: boolean;
  /** Made by a person (Create Backup or an import), not by an automatic trigger. */
  manual: boolean;
  checksum: string | undefined;
  /** Made in the other mode ("standalone" / "companion"): shown, and refused by Restore. */
  otherMode?: string;
}

export interface Outcome {
  ok: boolean;
  message: string;
}

export interface ValidationOutcome {
  ok: boolean;
  message?: string;
  result?: ValidationResult;
  local?: Hierarchy;
  remote?: Hierarchy;
  /** Whose checksums we compared with. */
  source?: string;
}

/** @noSelf */
export interface Backend {
  listBackups: () => BackupInfo[];
  createBackup: (label: string, done: (outcome: Outcome & { size?: number }) => void) => void;
  restore: (id: unknown, done: (outcome: Outcome) => void) => void;
  remove: (id: unknown) => Outcome;
  setPinned: (id: unknown, pinned: boolean) => Outcome;
  exportText: (id: unknown, done: (result: { text?: string; message: string }) => void) => void;
  importText: (text: string, done: (outcome: Outcome) => void) => void;
  /** Calls fn whenever the backup list changes (a backup made, deleted, pinned, imported). */
  onListChanged: (fn: () => void) => void;
  /** Bytes of the plan in canonical text (what a backup holds before compression). */
  planSize: () => number;
  validate: (done: (outcome: ValidationOutcome) => void) => void;
  repair: (request: RepairRequest, target: string | undefined, progress: (done: number, total: number | undefined) => void, done: (outcome: Outcome & { validation?: ValidationOutcome }) => void) => void;
  targets: () => RepairTarget[];
}

/** Sync's validation answer ({valid, corrupted, remoteMissing, admin} or {valid, self} or {error}) as a ValidationResult. */
export function toValidation(app: App, answer: ValidateAnswer): ValidationOutcome {
  const local = hierarchyOf(app.store.tree(), true);
  if (typeof answer.error === "string") return { ok: false, message: answer.message ?? answer.error + " from the raid admin" };
  if (answer.self === true) {
    const result: ValidationResult = { valid: true, level: "STRUCTURE", corrupted: { global: [], raids: {} }, errors: [] };
    return { ok: true, result, local, remote: local, source: "you (the raid admin: your plan is the reference)" };
  }
  const corrupted = answer.corrupted ?? {};
  const raids: ValidationResult["corrupted"]["raids"] = {};
  const given = corrupted.raids ?? {};
  for (const name in given) raids[name] = { raidLevel: given[name].raidLevel === true, encounters: given[name].encounters ?? {} };
  for (const name of answer.remoteMissing ?? []) raids[name] = { raidLevel: true, encounters: {}, missing: "remote" };
  const result: ValidationResult = { valid: answer.valid, level: "COMPONENT", corrupted: { global: corrupted.global ?? [], raids }, errors: [] };
  return { ok: true, result, local, remote: answer.remote, source: answer.admin };
}

function validate(app: App, done: (outcome: ValidationOutcome) => void): void {
  let answered = false;
  // Show the result only: the player chooses what to repair (the window's Repair button).
  const started = app.sync.validateFull((answer) => {
    if (answered) return;
    answered = true;
    done(toValidation(app, answer));
  }, false);
  if (!started && !answered) {
    answered = true;
    done({ ok: false, message: "no raid admin is online to validate against" });
  }
}

/** The store's node reference for a repair request. */
function refOf(request: RepairRequest): NodeRef {
  if (request.level === "STRUCTURE") return { level: "STRUCTURE" };
  return { level: request.level, raid: request.raid, encounter: request.encounter, component: request.component };
}

/** Is the requested node still listed as different in a validation? */
function stillDiffers(request: RepairRequest, result: ValidationResult): boolean {
  if (result.valid) return false;
  const c = result.corrupted;
  if (request.level === "STRUCTURE") return true;
  if (request.level === "GLOBAL") {
    for (const name of c.global) if (name === request.component) return true;
    return false;
  }
  const r = c.raids[request.raid as string];
  if (r === undefined) return false;
  if (request.level === "RAID") return true;
  if (r.raidLevel === true && r.missing !== undefined) return true;
  const comps = r.encounters !== undefined ? r.encounters[request.encounter as string] : undefined;
  if (comps === undefined) return false;
  if (request.level === "ENCOUNTER") return true;
  for (const name of comps) if (name === request.component) return true;
  return false;
}

/** Bytes on the wire for a node of `bytes` canonical text: the transport deflates plan text ~4x. */
function estimateWire(bytes: number): number {
  return bytes < 128 ? bytes : Math.ceil(bytes / 4);
}

/** A manual repair gives up waiting after this long (the queue may wait for an admin to come online). */
const REPAIR_WAIT = 180;

/**
 * A manual repair: asks the raid admin for the node (the sync's requestRepair), follows the bytes
 * of the answer as its frames arrive until the repair queue says it is done (its completion
 * callback), then validates again: the repair succeeded when the node no longer differs.
 */
function repair(app: App, request: RepairRequest, target: string | undefined, progress: (done: number, total: number | undefined) => void, done: (outcome: Outcome & { validation?: ValidationOutcome }) => void): void {
  const admin = app.sync.admin();
  if (target !== undefined && target !== admin) {
    done({ ok: false, message: "this version repairs from the raid admin (" + String(admin) + ") only" });
    return;
  }
  const ref = refOf(request);
  const st = { received: 0, total: undefined as number | undefined, ended: false, timer: undefined as number | undefined };
  const onProgress = (received: number, expected: number): void => {
    if (st.ended) return;
    st.received = received;
    st.total = expected;
    progress(received, expected);
  };
  const finished = (): void => {
    if (st.ended) return;
    st.ended = true;
    if (st.timer !== undefined) app.platform.cancel(st.timer);
    progress(st.total !== undefined && st.received < st.total ? st.total : st.received, st.total);
    validate(app, (outcome) => {
      if (!outcome.ok || outcome.result === undefined) {
        done({ ok: false, message: "could not validate afterwards: " + (outcome.message ?? "no answer"), validation: outcome });
        return;
      }
      if (stillDiffers(request, outcome.result)) done({ ok: false, message: "still differs from the raid admin's plan", validation: outcome });
      else done({ ok: true, message: "It now matches the raid admin's plan.", validation: outcome });
    });
  };
  progress(0, st.total);
  // Until the admin's answer starts arriving, the size of our own copy (compressed as the transport
  // will, roughly) stands in for what is expected; the answer's frames then give the real figures.
  // Serialised over frames: a whole plan would be a frame of over a million instructions.
  serializeInBackground(app.jobs, app.store, ref, (text) => {
    if (st.ended || st.received > 0 || text === undefined) return;
    st.total = estimateWire(text.length);
    progress(0, st.total);
  });
  st.timer = app.platform.after(REPAIR_WAIT, finished);
  app.sync.requestRepair(ref, onProgress, finished);
}

/** The window's view of a backup. */
function toInfo(b: RollbackInfo): BackupInfo {
  return { id: b.id, timestamp: b.timestamp, label: b.label, reason: b.reason, size: b.size, pinned: b.pinned, manual: b.manual, checksum: b.root, otherMode: b.otherMode };
}

/** Runs a rollback job: done once with its result, also when it cannot start (reason). */
function runJob<T>(start: (onDone: (result: T | undefined, error: string | undefined) => void) => string | undefined, done: (result: T | undefined, error: string | undefined) => void): void {
  let finished = false;
  const reason = start((result, error) => {
    if (finished) return;
    finished = true;
    done(result, error);
  });
  if (reason !== undefined && !finished) {
    finished = true;
    done(undefined, reason);
  }
}

export function createBackend(app: App): Backend {
  return {
    listBackups: () => {
      const out: BackupInfo[] = [];
      let n = 0;
      for (const b of app.rollback.list()) {
        out[n] = toInfo(b);
        n++;
      }
      return out;
    },
    createBackup: (label, done) =>
      runJob<RollbackInfo>((onDone) => app.rollback.createBackup(label, "Manual", { pinned: true }, onDone), (info, err) => {
        if (info === undefined) done({ ok: false, message: "Backup failed: " + String(err) });
        else done({ ok: true, message: "Backup created successfully: " + label, size: info.size });
      }),
    restore: (id, done) =>
      runJob<boolean>((onDone) => app.rollback.restoreBackup(id, onDone), (ok, err) => {
        if (ok !== true) done({ ok: false, message: "Restore failed: " + String(err) + ". Your current data is unchanged." });
        else done({ ok: true, message: "Backup restored (a safety backup of the previous data was made first)." });
      }),
    remove: (id) => {
      const reason = app.rollback.deleteBackup(id);
      return reason !== undefined ? { ok: false, message: reason } : { ok: true, message: "Backup deleted." };
    },
    setPinned: (id, pinned) => {
      const reason = app.rollback.setPinned(id, pinned);
      return reason !== undefined ? { ok: false, message: reason } : { ok: true, message: pinned ? "Backup pinned." : "Backup unpinned." };
    },
    exportText: (id, done) =>
      runJob<string>((onDone) => app.rollback.exportBackup(id, onDone), (text, err) => {
        if (text === undefined) done({ message: "Export failed: " + String(err) });
        else done({ text, message: "The text is selected: press Ctrl+C to copy it." });
      }),
    importText: (text, done) =>
      runJob<RollbackInfo>((onDone) => app.rollback.importBackup(text, onDone), (info, err) => {
        if (info === undefined) done({ ok: false, message: "Import failed: " + String(err) });
        else done({ ok: true, message: "Backup imported: " + info.label + ". Restore it to use it." });
      }),
    onListChanged: (fn) => app.rollback.onListChanged(() => fn()),
    planSize: () => {
      const text = serializeNode(app.store, { level: "STRUCTURE" }).text;
      return text !== undefined ? text.length : 0;
    },
    validate: (done) => validate(app, done),
    repair: (request, target, progress, done) => repair(app, request, target, progress, done),
    targets: () => {
      const roster = app.platform.roster();
      return repairTargets(roster, app.sync.admin() ?? raidLeader(roster), app.platform.playerName());
    },
  };
}
