// What the Data Management window asks of the rest of the addon, in one place: the rollback API
// (OGRH.Rollback), the granular sync (OGRH.SyncGranular), the store and the roster. Each call
// looks the module up at the moment it is made, so the window works whatever the install order
// and says plainly when a module is missing instead of failing. Lua-only.
import type { App } from "../app";
import type { Hierarchy } from "../integrity/tree";
import type { ValidationResult } from "../integrity/validate";
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
  rollbackReady: () => boolean;
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
  syncReady: () => boolean;
  validate: (done: (outcome: ValidationOutcome) => void) => void;
  repair: (request: RepairRequest, target: string | undefined, progress: (done: number, total: number | undefined) => void, done: (outcome: Outcome & { validation?: ValidationOutcome }) => void) => void;
  targets: () => RepairTarget[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Table = any;

/** Calls a Lua API function returning `value` or `nil, reason`; errors become reasons. */
function call(fn: unknown, a1?: unknown, a2?: unknown, a3?: unknown): LuaMultiReturn<[unknown, string | undefined]> {
  if (typeof fn !== "function") return $multi(undefined, "not available in this version");
  const [ok, v, r] = pcall(fn as (this: void, a: unknown, b: unknown, c: unknown) => LuaMultiReturn<[unknown, unknown]>, a1, a2, a3);
  const value = v as unknown;
  const reason = r as unknown;
  if (!ok) return $multi(undefined, String(value));
  if (value === undefined || value === false) return $multi(undefined, reason === undefined ? "failed" : String(reason));
  return $multi(value, undefined);
}

/** Sync's validation answer ({valid, corrupted, remoteMissing, admin} or {valid, self} or {error}) as a ValidationResult. */
export function toValidation(app: App, answer: Table): ValidationOutcome {
  const local = (app.api.GetAllHierarchicalChecksums as () => Hierarchy)();
  if (typeof answer !== "object" || answer === undefined) return { ok: false, message: "no answer" };
  if (typeof answer.error === "string") return { ok: false, message: answer.error + " from the raid admin" };
  if (answer.self === true) {
    const result: ValidationResult = { valid: true, level: "STRUCTURE", corrupted: { global: [], raids: {} }, errors: [] };
    return { ok: true, result, local, remote: local, source: "you (the raid admin: your plan is the reference)" };
  }
  const corrupted = typeof answer.corrupted === "object" ? answer.corrupted : {};
  const raids: Table = {};
  if (typeof corrupted.raids === "object") for (const name in corrupted.raids) raids[name] = corrupted.raids[name];
  if (typeof answer.remoteMissing === "object") {
    for (const name of answer.remoteMissing as string[]) raids[name] = { raidLevel: true, encounters: {}, missing: "remote" };
  }
  const result: ValidationResult = {
    valid: answer.valid === true,
    level: "COMPONENT",
    corrupted: { global: typeof corrupted.global === "object" ? corrupted.global : [], raids },
    errors: [],
  };
  const remote = typeof answer.remote === "object" ? (answer.remote as Hierarchy) : undefined;
  return { ok: true, result, local, remote, source: typeof answer.admin === "string" ? answer.admin : undefined };
}

function validate(app: App, s: Table, done: (outcome: ValidationOutcome) => void): void {
  if (s === undefined || typeof s.ValidateFullStructure !== "function") {
    done({ ok: false, message: "structure sync is not available in this version" });
    return;
  }
  let answered = false;
  // Show the result only: the player chooses what to repair (the window's Repair button).
  const [started, reason] = call(
    s.ValidateFullStructure,
    (answer: Table) => {
      if (answered) return;
      answered = true;
      done(toValidation(app, answer));
    },
    { repair: false },
  );
  if (started === undefined && !answered) {
    answered = true;
    done({ ok: false, message: reason === "failed" ? "no raid admin is online to validate against" : String(reason) });
  }
}

/** The store's node reference for a repair request. */
function refOf(request: RepairRequest): Table {
  if (request.level === "FULL") return { level: "STRUCTURE" };
  return { level: request.level, raid: request.raid, encounter: request.encounter, component: request.component };
}

/** Is the requested node still listed as different in a validation? */
function stillDiffers(request: RepairRequest, result: ValidationResult): boolean {
  if (result.valid) return false;
  const c = result.corrupted;
  if (request.level === "FULL") return true;
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

/**
 * A manual repair: asks the raid admin for the node (OGRH.SyncGranular.RequestRepair), follows
 * the bytes of the answer as its frames arrive (RequestRepair's progress callback) until the repair queue is idle, then
 * validates again: the repair succeeded when the node no longer differs.
 */
function repair(app: App, s: Table, request: RepairRequest, target: string | undefined, progress: (done: number, total: number | undefined) => void, done: (outcome: Outcome & { validation?: ValidationOutcome }) => void): void {
  if (s === undefined || typeof s.RequestRepair !== "function") {
    done({ ok: false, message: "structure sync is not available in this version" });
    return;
  }
  const [admin] = call(s.GetAdmin);
  if (target !== undefined && target !== admin) {
    done({ ok: false, message: "this version repairs from the raid admin (" + String(admin) + ") only" });
    return;
  }
  const ref = refOf(request);
  // Until the admin's answer starts arriving, the size of our own copy (compressed as the transport
  // will, roughly) stands in for what is expected; the answer's frames then give the real figures.
  const [text] = call((app.api.Store as Table).SerializeNode, ref);
  const st = { received: 0, total: typeof text === "string" ? estimateWire(text.length) : undefined, ended: false };
  const onProgress = (received: number, expected: number): void => {
    if (st.ended) return;
    st.received = received;
    st.total = expected;
    progress(received, expected);
  };
  const [, reason] = call(s.RequestRepair, ref, onProgress);
  if (reason !== undefined && reason !== "failed") {
    done({ ok: false, message: reason });
    return;
  }
  const platform = app.platform;
  const started = platform.now();
  progress(0, st.total);
  const tick = (): void => {
    const [busy] = call(s.RepairBusy);
    const [pending] = call(s.PendingRepairs);
    const queued = pending !== undefined && (pending as unknown[]).length > 0;
    if ((busy !== undefined || queued) && platform.now() - started < 180) {
      platform.after(0.25, tick);
      return;
    }
    st.ended = true;
    progress(st.total !== undefined && st.received < st.total ? st.total : st.received, st.total);
    validate(app, s, (outcome) => {
      if (!outcome.ok || outcome.result === undefined) {
        done({ ok: false, message: "could not validate afterwards: " + (outcome.message ?? "no answer"), validation: outcome });
        return;
      }
      if (stillDiffers(request, outcome.result)) done({ ok: false, message: "still differs from the raid admin's plan", validation: outcome });
      else done({ ok: true, message: "It now matches the raid admin's plan.", validation: outcome });
    });
  };
  platform.after(0.25, tick);
}

export function createBackend(app: App): Backend {
  const rollback = (): Table => app.api.Rollback;
  const sync = (): Table => app.api.SyncGranular;

  const toInfo = (b: Table): BackupInfo => ({
    id: b.id,
    timestamp: typeof b.timestamp === "number" ? b.timestamp : typeof b.time === "number" ? b.time : 0,
    label: typeof b.label === "string" ? b.label : "",
    reason: typeof b.reason === "string" ? b.reason : "",
    size: typeof b.size === "number" ? b.size : 0,
    pinned: b.pinned === true || b.pinned === 1,
    manual: b.manual === true || b.manual === 1 || b.reason === "Manual" || b.reason === "Import",
    checksum: typeof b.root === "string" ? b.root : typeof b.checksum === "string" ? b.checksum : undefined,
  });

  return {
    rollbackReady: () => rollback() !== undefined,
    listBackups: () => {
      const r = rollback();
      if (r === undefined) return [];
      const [list] = call(r.ListBackups);
      const out: BackupInfo[] = [];
      if (list === undefined) return out;
      let n = 0;
      for (const b of list as Table[]) {
        out[n] = toInfo(b);
        n++;
      }
      return out;
    },
    createBackup: (label, done) => {
      const r = rollback();
      let finished = false;
      const [value, reason] = call(r !== undefined ? r.CreateManualBackup : undefined, label, (info: Table, err: unknown) => {
        if (finished) return;
        finished = true;
        if (info === undefined) done({ ok: false, message: "Backup failed: " + String(err) });
        else done({ ok: true, message: "Backup created successfully: " + label, size: typeof info.size === "number" ? info.size : undefined });
      });
      if (value === undefined && !finished) {
        finished = true;
        done({ ok: false, message: "Backup failed: " + reason });
      }
    },
    restore: (id, done) => {
      const r = rollback();
      let finished = false;
      const [value, reason] = call(r !== undefined ? r.RestoreBackup : undefined, id, (ok: unknown, err: unknown) => {
        if (finished) return;
        finished = true;
        if (ok === undefined || ok === false) done({ ok: false, message: "Restore failed: " + String(err) + ". Your current data is unchanged." });
        else done({ ok: true, message: "Backup restored (a safety backup of the previous data was made first)." });
      });
      if (value === undefined && !finished) {
        finished = true;
        done({ ok: false, message: "Restore failed: " + reason });
      }
    },
    remove: (id) => {
      const r = rollback();
      const [value, reason] = call(r !== undefined ? r.DeleteBackup : undefined, id);
      return value === undefined ? { ok: false, message: String(reason) } : { ok: true, message: "Backup deleted." };
    },
    setPinned: (id, pinned) => {
      const r = rollback();
      const [value, reason] = call(r !== undefined ? (pinned ? r.PinBackup : r.UnpinBackup) : undefined, id);
      return value === undefined ? { ok: false, message: String(reason) } : { ok: true, message: pinned ? "Backup pinned." : "Backup unpinned." };
    },
    exportText: (id, done) => {
      const r = rollback();
      let finished = false;
      const [value, reason] = call(r !== undefined ? r.ExportBackup : undefined, id, (text: unknown, err: unknown) => {
        if (finished) return;
        finished = true;
        if (typeof text !== "string") done({ message: "Export failed: " + String(err) });
        else done({ text, message: "The text is selected: press Ctrl+C to copy it." });
      });
      if (value === undefined && !finished) {
        finished = true;
        done({ message: "Export failed: " + reason });
      }
    },
    importText: (text, done) => {
      const r = rollback();
      let finished = false;
      const [value, reason] = call(r !== undefined ? r.ImportBackup : undefined, text, (info: Table, err: unknown) => {
        if (finished) return;
        finished = true;
        if (info === undefined) done({ ok: false, message: "Import failed: " + String(err) });
        else done({ ok: true, message: "Backup imported: " + String(info.label) + ". Restore it to use it." });
      });
      if (value === undefined && !finished) {
        finished = true;
        done({ ok: false, message: "Import failed: " + reason });
      }
    },
    onListChanged: (fn) => {
      const r = rollback();
      if (r !== undefined && typeof r.OnListChanged === "function") call(r.OnListChanged, () => fn());
    },
    planSize: () => {
      const [text] = call((app.api.Store as Table).SerializeNode, { level: "STRUCTURE" });
      return typeof text === "string" ? text.length : 0;
    },
    syncReady: () => sync() !== undefined,
    validate: (done) => validate(app, sync(), done),
    repair: (request, target, progress, done) => repair(app, sync(), request, target, progress, done),
    targets: () => {
      const s = sync();
      let admin: string | undefined;
      if (s !== undefined && typeof s.GetAdmin === "function") {
        const [a] = call(s.GetAdmin);
        if (typeof a === "string") admin = a;
      }
      const roster = app.platform.roster();
      if (admin === undefined) {
        for (const m of roster) if (m.rank === 2) admin = m.name;
      }
      return repairTargets(roster, admin, app.platform.playerName());
    },
  };
}
