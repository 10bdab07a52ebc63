// OGRH_Sync_Backups: the backup store, a SavedVariable of its own so that nothing done to the live plan
// (OGRH_SV) can touch it. Layout (format 1):
//
//   OGRH_Sync_Backups = {
//     format = 1, nextId = <number>,
//     backups = { <entry>, ... },            -- oldest first
//     chunks = { [key] = <packed text> },    -- content-addressed, shared between backups
//     quarantine = { ... },                   -- whatever could not be read at the last load
//   }
//   entry = { id, time, label, reason, pinned, root, size, packed, added, content,
//             keys = <13-character chunk keys, concatenated>, manifest = <packed manifest text> }
//
// A chunk's key is HashString of its canonical text, so identical content is stored once and a
// restore can check every chunk. Reference counts are kept in memory only: they are rebuilt from
// the entries' key lists at load, so a damaged or edited file can never make them lie.
import { Platform } from "../core/platform";
import { byteLen, sub } from "../transport/bytes";
import { isTable } from "../core/values";

type Table = any;

export const BACKUPS_SV = "OGRH_Sync_Backups";
export const FORMAT = 1;
export const KEY_LEN = 13;

export interface Entry {
  id: number;
  time: number;
  label: string;
  reason: string;
  pinned?: boolean;
  /** The plan's structure checksum (the tree root) when the backup was taken. */
  root: string;
  /** Bytes of canonical text the backup holds (uncompressed). */
  size: number;
  /** Bytes of packed chunks it references (what it would cost alone). */
  packed: number;
  /** Bytes of chunks it added to the store when created (what it cost, content sharing counted). */
  added: number;
  /** HashString of the manifest text: equal content, equal value. */
  content: string;
  keys: string;
  manifest: string;
  /** The plan layout of the backup (the manifest's `l`, core/schema.ts LAYOUT_V2), kept here so the list can show it without reading the manifest. */
  l?: string;
}

/** The number of keys in an entry's key list. */
export function keyCount(e: Entry): number {
  return byteLen(e.keys) / KEY_LEN;
}

export function keyAt(e: Entry, i: number): string {
  return sub(e.keys, (i - 1) * KEY_LEN + 1, i * KEY_LEN);
}

function isHexKey(s: unknown): boolean {
  if (typeof s !== "string" || byteLen(s) !== KEY_LEN) return false;
  for (let i = 0; i < KEY_LEN; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** Why an entry cannot be used, or undefined when it is well formed. */
function entryProblem(e: Table): string | undefined {
  if (!isTable(e)) return "not a table";
  if (typeof e.id !== "number" || e.id < 1 || e.id !== Math.floor(e.id)) return "bad id";
  if (typeof e.time !== "number") return "bad time";
  if (typeof e.label !== "string" || typeof e.reason !== "string") return "bad label or reason";
  if (e.pinned !== undefined && typeof e.pinned !== "boolean") return "bad pinned flag";
  if (typeof e.root !== "string" || typeof e.content !== "string") return "bad checksum";
  if (typeof e.size !== "number" || typeof e.packed !== "number" || typeof e.added !== "number") return "bad size";
  if (typeof e.manifest !== "string") return "bad manifest";
  if (e.l !== undefined && typeof e.l !== "string") return "bad layout";
  if (typeof e.keys !== "string" || byteLen(e.keys) % KEY_LEN !== 0) return "bad key list";
  return undefined;
}

export interface LoadReport {
  /** The saved value was not a backup store at all (kept under quarantine). */
  reset: boolean;
  /** Entries that could not be read (kept under quarantine). */
  badEntries: number;
  /** Chunks dropped: not a string, or referenced by no backup. */
  droppedChunks: number;
  /** Ids of backups whose chunks are missing: listed, but they cannot be restored. */
  damaged: number[];
}

/** @noSelf */
export interface BackupStore {
  /** The SavedVariable table (after load). */
  data: () => Table;
  /** Reads, checks and repairs OGRH_Sync_Backups (at ADDON_LOADED); nothing is ever raised. */
  load: () => LoadReport;
  entries: () => Entry[];
  count: () => number;
  find: (id: number) => Entry | undefined;
  hasChunk: (key: string) => boolean;
  chunk: (key: string) => unknown;
  /** Adds an entry and its new chunks; takes references on every key it lists. */
  add: (e: Entry, newChunks: { [key: string]: string }) => void;
  /** Removes an entry and releases its references (chunks go at the next sweep). */
  remove: (id: number) => boolean;
  /** Deletes chunks no backup references. Returns how many. */
  sweep: () => number;
  refs: (key: string) => number;
  chunkCount: () => number;
  chunkBytes: () => number;
  nextId: () => number;
  /** Ids whose chunks were missing at load (in memory). */
  isDamaged: (id: number) => boolean;
}

export function createBackupStore(platform: Platform): BackupStore {
  let refs: { [key: string]: number } = {};
  let damaged: { [id: number]: boolean } = {};

  const fresh = (): Table => ({ format: FORMAT, nextId: 1, backups: {}, chunks: {} });

  const data = (): Table => {
    let s = platform.getGlobal(BACKUPS_SV) as Table;
    if (!isTable(s) || !isTable(s.backups) || !isTable(s.chunks)) {
      s = fresh();
      platform.setGlobal(BACKUPS_SV, s);
    }
    return s;
  };

  const entries = (): Entry[] => data().backups as Entry[];

  const count = (): number => {
    const list = entries();
    let n = 0;
    while (list[n] !== undefined) n++;
    return n;
  };

  const takeRefs = (e: Entry, delta: number) => {
    const n = keyCount(e);
    for (let i = 1; i <= n; i++) {
      const k = keyAt(e, i);
      refs[k] = (refs[k] ?? 0) + delta;
    }
  };

  const quarantine = (s: Table, what: string, value: unknown) => {
    if (!isTable(s.quarantine)) s.quarantine = {};
    s.quarantine[what] = value;
  };

  const load = (): LoadReport => {
    const report: LoadReport = { reset: false, badEntries: 0, droppedChunks: 0, damaged: [] };
    refs = {};
    damaged = {};
    const saved = platform.getGlobal(BACKUPS_SV) as Table;
    if (saved === undefined) {
      platform.setGlobal(BACKUPS_SV, fresh());
      return report;
    }
    if (!isTable(saved) || saved.format !== FORMAT || !isTable(saved.backups) || !isTable(saved.chunks)) {
      const s = fresh();
      quarantine(s, "store", saved);
      platform.setGlobal(BACKUPS_SV, s);
      report.reset = true;
      return report;
    }
    // Entries: keep the well-formed ones in id order, set the others aside.
    const good: Entry[] = [];
    let n = 0;
    const bad: Table = {};
    let nb = 0;
    const seen: { [id: number]: boolean } = {};
    for (const k in saved.backups) {
      const e = saved.backups[k];
      const problem = entryProblem(e);
      if (problem === undefined && seen[e.id] !== true) {
        seen[e.id] = true;
        good[n] = e;
        n++;
      } else {
        nb++;
        bad[nb] = e;
      }
    }
    good.sort((a, b) => a.id - b.id);
    const list: Table = {};
    let maxId = 0;
    for (let i = 0; i < n; i++) {
      list[i + 1] = good[i];
      if (good[i].id > maxId) maxId = good[i].id;
    }
    saved.backups = list;
    if (nb > 0) {
      quarantine(saved, "entries", bad);
      report.badEntries = nb;
    }
    if (typeof saved.nextId !== "number" || saved.nextId <= maxId) saved.nextId = maxId + 1;
    // Chunks: strings under hex keys only.
    const chunks = saved.chunks;
    const drop: string[] = [];
    let nd = 0;
    for (const k in chunks) {
      if (!isHexKey(k) || typeof chunks[k] !== "string") {
        drop[nd] = k;
        nd++;
      }
    }
    for (let i = 0; i < nd; i++) chunks[drop[i]] = undefined;
    report.droppedChunks = nd;
    for (let i = 0; i < n; i++) {
      const e = good[i];
      takeRefs(e, 1);
      const kc = keyCount(e);
      for (let j = 1; j <= kc; j++) {
        if (chunks[keyAt(e, j)] === undefined) {
          damaged[e.id] = true;
          report.damaged.push(e.id);
          break;
        }
      }
    }
    report.droppedChunks += sweep();
    return report;
  };

  const find = (id: number): Entry | undefined => {
    const list = entries();
    for (let i = 0; list[i] !== undefined; i++) if (list[i].id === id) return list[i];
    return undefined;
  };

  const add = (e: Entry, newChunks: { [key: string]: string }) => {
    const s = data();
    for (const k in newChunks) if (s.chunks[k] === undefined) s.chunks[k] = newChunks[k];
    const list = entries();
    list[count()] = e;
    if (e.id >= s.nextId) s.nextId = e.id + 1;
    takeRefs(e, 1);
  };

  const remove = (id: number): boolean => {
    const list = entries();
    const n = count();
    let at = -1;
    for (let i = 0; i < n; i++) if (list[i].id === id) at = i;
    if (at < 0) return false;
    const e = list[at];
    for (let i = at; i < n - 1; i++) list[i] = list[i + 1];
    list[n - 1] = undefined as unknown as Entry;
    takeRefs(e, -1);
    damaged[id] = undefined as unknown as boolean;
    return true;
  };

  const sweep = (): number => {
    const chunks = data().chunks;
    const drop: string[] = [];
    let nd = 0;
    for (const k in chunks) {
      if ((refs[k] ?? 0) <= 0) {
        drop[nd] = k;
        nd++;
      }
    }
    for (let i = 0; i < nd; i++) {
      chunks[drop[i]] = undefined;
      refs[drop[i]] = undefined as unknown as number;
    }
    return nd;
  };

  const chunkStats = (): [number, number] => {
    let n = 0;
    let bytes = 0;
    const chunks = data().chunks;
    for (const k in chunks) {
      n++;
      bytes += byteLen(chunks[k]);
    }
    return [n, bytes];
  };

  return {
    data,
    load,
    entries,
    count,
    find,
    hasChunk: (key) => data().chunks[key] !== undefined,
    chunk: (key) => data().chunks[key],
    add,
    remove,
    sweep,
    refs: (key) => refs[key] ?? 0,
    chunkCount: () => chunkStats()[0],
    chunkBytes: () => chunkStats()[1],
    nextId: () => data().nextId,
    isDamaged: (id) => damaged[id] === true,
  };
}
