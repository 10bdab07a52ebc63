// Taking a plan apart into content-addressed chunks, and putting it back together.
//
// Chunks (each one canonical text, keyed by its HashString):
//   global component   OGRH_SV[tradeItems | consumes | rgo]
//   raid               { raid = encounterMgmt.raids[raid] (metadata, encounter list and settings),
//                        roles = encounterMgmt.roles[raid], encounterAssignments = ...[raid],
//                        encounterRaidMarks, encounterAssignmentNumbers, encounterAnnouncements }
//   rest               anything else of the plan (a per-raid value that is not a table, ...)
// The manifest names them: { g = {name = key}, r = {raid = key}, x = key, l = layout }. l is "2"
// (core/schema.ts LAYOUT_V2) for a companion-mode plan (a view of OG-RaidHelper's, roles in its layout), absent for the spec's
// layout: a backup is only restored in the mode that made it (LAYOUT_V2, layoutProblem).
// Why whole raids: a raid (10-15 KB of text) deflates 6-9x, an encounter (1-2 KB) only 2-3x, and
// an edit touches one raid, so per-raid chunks make both the first backup and every later one
// smaller (docs/benchmarks.md "Rollback"); unchanged raids and global components are shared.
//
// capture() runs at once (a few thousand instructions): it keeps references to the chunk values,
// shallow-copying the raid and per-raid tables, so a whole-node apply that follows (sync, restore, defaults:
// they replace tables, never edit them in place) cannot change what the backup sees. The costly
// part (serialise, hash, compress) then runs as a job over several frames: encode().
import { deserialize, serialize } from "../integrity/serialize";
import { B1, B2, lanesToChecksum, P1, P2 } from "../integrity/hash";
import { byteAt, byteLen, joinN } from "../transport/bytes";
import { canonicalEntries } from "../integrity/canonical";
import { LuaKey } from "../core/luatable";
import { Tick } from "../transport/deflate";
import { pack, unpack } from "./pack";
import { KEY_LEN } from "./storage";
import { isTable } from "../core/values";
import { GLOBAL_COMPONENTS as GLOBALS, LAYOUT_V2, RAID_TABLES } from "../core/schema";

type Table = any;


/** Estimated cost in units (about 1,000 VM instructions) per byte (scripts/bench-rollback.js). */
export const COST = {
  serialize: 0.013,
  hash: 0.036,
  parse: 0.025,
  /** capture, per chunk */
  capture: 0.15,
};

/** The largest chunk or manifest text a restore accepts (a guard against absurd sizes). */
export const MAX_TEXT = 4 * 1024 * 1024;

/** Bytes hashed between two ticks. */
const HASH_SLICE = 2048;

/** HashString(s), ticking every HASH_SLICE bytes (the lanes simply carry on across slices). */
export function hashSliced(s: string, tick: Tick): string {
  let g1 = 0;
  let g2 = 0;
  const n = byteLen(s);
  for (let start = 1; start <= n; start += HASH_SLICE) {
    const stop = start + HASH_SLICE - 1 < n ? start + HASH_SLICE - 1 : n;
    for (let i = start; i <= stop; i++) {
      const c = (byteAt(s, i) as number) + 1;
      g1 = (g1 * B1 + c) % P1;
      g2 = (g2 * B2 + c) % P2;
    }
    tick((stop - start + 1) * COST.hash);
  }
  return lanesToChecksum(g1, g2);
}

function shallow(t: Table): Table {
  const out: Table = {};
  for (const k in t) out[k] = t[k];
  return out;
}

export interface Captured {
  /** Chunk values, 1..n in Lua. */
  values: unknown[];
  /** True for a raid group (serialised field by field, see serializeGroup). */
  group: boolean[];
  n: number;
  /** The manifest with value indices (0-based) in place of keys. */
  manifest: Table;
}

/** Why a backup of layout `l` cannot replace the plan of layout `want` (undefined: it can). */
export function layoutProblem(l: unknown, want: string | undefined): string | undefined {
  if (l === want) return undefined;
  return l === LAYOUT_V2
    ? "it holds OG-RaidHelper's plan (made in companion mode); it can only be used next to OG-RaidHelper"
    : "it holds OGRH Sync's standalone plan (made without OG-RaidHelper); next to OG-RaidHelper only backups of OG-RaidHelper's plan can be used";
}

/** The chunk values of a plan-shaped table (OGRH_SV or a decoded plan); `layout` tags the manifest. */
export function capture(plan: Table, layout?: string): Captured {
  const values: unknown[] = [];
  const group: boolean[] = [];
  let n = 0;
  const addValue = (v: unknown, isGroup = false): number => {
    values[n] = v;
    group[n] = isGroup;
    n++;
    return n - 1;
  };
  const g: Table = {};
  const r: Table = {};
  const rest: Table = {};
  let hasRest = false;
  for (const name of GLOBALS) if (plan[name] !== undefined) g[name] = addValue(plan[name]);
  const mgmt = isTable(plan.encounterMgmt) ? plan.encounterMgmt : {};
  const groups: Table = {};
  const raids = mgmt.raids;
  if (isTable(raids)) {
    for (const rk in raids) {
      const raid = raids[rk];
      if (isTable(raid)) {
        const copy = shallow(raid);
        if (isTable(raid.encounters)) copy.encounters = shallow(raid.encounters);
        groups[rk] = { raid: copy };
      } else {
        if (!isTable(rest.raids)) rest.raids = {};
        rest.raids[rk] = raid;
        hasRest = true;
      }
    }
  } else if (raids !== undefined) {
    rest.raids = raids;
    hasRest = true;
  }
  for (const name of RAID_TABLES) {
    const t = name === "roles" ? mgmt.roles : plan[name];
    if (t === undefined) continue;
    if (!isTable(t)) {
      rest[name] = t;
      hasRest = true;
      continue;
    }
    for (const rk in t) {
      const perRaid = t[rk];
      if (!isTable(perRaid)) {
        if (!isTable(rest[name])) rest[name] = {};
        rest[name][rk] = perRaid;
        hasRest = true;
        continue;
      }
      if (groups[rk] === undefined) groups[rk] = {};
      groups[rk][name] = shallow(perRaid);
    }
  }
  for (const rk in groups) r[rk] = addValue(groups[rk], true);
  const manifest: Table = { g, r };
  if (hasRest) manifest.x = addValue(rest);
  if (layout !== undefined) manifest.l = layout;
  return { values, group, n, manifest };
}

/** Levels of a raid group serialised piece by piece: group, its tables, their encounters. */
const SPLIT_LEVELS = 3;

/** Appends the canonical text of v to out, splitting `levels` table levels into separate calls. */
function serializeInto(v: unknown, levels: number, out: string[], at: number[], tick: Tick): string | undefined {
  if (levels === 0 || !isTable(v)) {
    const s = serialize(v);
    if (s.text === undefined) return s.error;
    out[at[0]] = s.text;
    at[0]++;
    tick(byteLen(s.text) * COST.serialize);
    return undefined;
  }
  const keys: LuaKey[] = [];
  const vals: unknown[] = [];
  const r = canonicalEntries(v, keys, vals);
  out[at[0]] = r > 0 ? "[" : "{";
  at[0]++;
  if (r > 0) {
    for (let i = 0; i < r; i++) {
      const bad = serializeInto(vals[i], levels - 1, out, at, tick);
      if (bad !== undefined) return bad;
    }
  } else {
    for (let i = 0; i < -r; i++) {
      const k = keys[i] as unknown;
      if (typeof k !== "string" && typeof k !== "number" && typeof k !== "boolean") return "unsupported key type " + typeof k;
      const ks = serialize(k);
      if (ks.text === undefined) return ks.error;
      out[at[0]] = ks.text;
      at[0]++;
      const bad = serializeInto(vals[i], levels - 1, out, at, tick);
      if (bad !== undefined) return bad;
    }
  }
  out[at[0]] = r > 0 ? "]" : "}";
  at[0]++;
  return undefined;
}

/**
 * serialize(group), in pieces with a tick between: a whole raid is up to ~20 KB of text (several
 * hundred thousand instructions in one call); one encounter's table is a few thousand.
 */
export function serializeGroup(g: Table, tick: Tick): { text?: string; error?: string } {
  const out: string[] = [];
  const at = [0];
  const bad = serializeInto(g, SPLIT_LEVELS, out, at, tick);
  if (bad !== undefined) return { error: bad };
  return { text: joinN(out, at[0]) };
}

export interface Encoded {
  /** Chunk keys by value index. */
  keys: string[];
  /** The distinct keys, concatenated. */
  keyList: string;
  /** Packed text of the chunks the store does not have yet. */
  newChunks: { [key: string]: string };
  size: number;
  added: number;
  /** Packed bytes of every chunk referenced. */
  packed: number;
  manifestText: string;
  manifestPacked: string;
  content: string;
}

function mapKeys(t: Table, keys: string[]): Table {
  const out: Table = {};
  for (const k in t) out[k] = keys[t[k] as number];
  return out;
}

/**
 * Serialises, hashes and (for chunks the store lacks) compresses a capture. Runs inside a job:
 * tick() after every chunk and inside the codec. Returns a reason when a value cannot be written.
 */
export function encode(c: Captured, stored: (key: string) => unknown, tick: Tick): { encoded?: Encoded; error?: string } {
  const keys: string[] = [];
  const newChunks: { [key: string]: string } = {};
  const distinct: string[] = [];
  const seen: { [key: string]: boolean } = {};
  let nd = 0;
  let size = 0;
  let added = 0;
  let packed = 0;
  for (let i = 0; i < c.n; i++) {
    const s = c.group[i] ? serializeGroup(c.values[i], tick) : serialize(c.values[i]);
    if (s.text === undefined) return { error: "cannot serialise the plan: " + s.error };
    const text = s.text;
    const len = byteLen(text);
    tick(c.group[i] ? COST.capture : len * COST.serialize + COST.capture);
    const key = hashSliced(text, tick);
    keys[i] = key;
    size += len;
    if (seen[key] === true) continue;
    seen[key] = true;
    distinct[nd] = key;
    nd++;
    const have = stored(key);
    if (typeof have === "string") {
      packed += byteLen(have);
    } else {
      const p = pack(text, tick);
      newChunks[key] = p;
      added += byteLen(p);
      packed += byteLen(p);
    }
  }
  const m = c.manifest;
  const manifest: Table = { g: mapKeys(m.g, keys), r: mapKeys(m.r, keys) };
  if (m.x !== undefined) manifest.x = keys[m.x as number];
  if (m.l !== undefined) manifest.l = m.l;
  const ms = serialize(manifest);
  if (ms.text === undefined) return { error: "cannot serialise the manifest: " + ms.error };
  tick(byteLen(ms.text) * COST.serialize);
  const content = hashSliced(ms.text, tick);
  const manifestPacked = pack(ms.text, tick);
  return {
    encoded: {
      keys,
      keyList: distinct.join(""),
      newChunks,
      size,
      added: added + byteLen(manifestPacked),
      packed: packed + byteLen(manifestPacked),
      manifestText: ms.text,
      manifestPacked,
      content,
    },
  };
}

/** Where the chunks of a backup come from when it is decoded. */
export type ChunkSource = (key: string) => unknown;

function isKey(v: unknown): boolean {
  return typeof v === "string" && byteLen(v) === KEY_LEN;
}

/** True when a decoded manifest does not have the manifest's shape. */
export function manifestProblem(m: Table): boolean {
  if (!isTable(m) || !isTable(m.g) || !isTable(m.r)) return true;
  for (const k in m.g) if (!isKey(m.g[k])) return true;
  for (const k in m.r) if (!isKey(m.r[k])) return true;
  if (m.l !== undefined && typeof m.l !== "string") return true;
  return m.x !== undefined && !isKey(m.x);
}

/** Reads the manifest of a backup; a reason when it is damaged. */
export function readManifest(packed: unknown, content: string | undefined, tick: Tick): { manifest?: Table; text?: string; error?: string } {
  const u = unpack(packed, MAX_TEXT, tick);
  if (u.text === undefined) return { error: "manifest unreadable: " + u.error };
  if (content !== undefined && hashSliced(u.text, tick) !== content) return { error: "manifest does not match its checksum" };
  const p = deserialize(u.text, tick);
  if (!p.ok) return { error: "manifest does not parse: " + p.error };
  const m = p.value as Table;
  if (manifestProblem(m)) return { error: "manifest has the wrong shape" };
  return { manifest: m, text: u.text };
}

/** Texts of the chunks a manifest names, each checked against its key (plain: the source gives texts, not packed data). */
export function readChunks(m: Table, source: ChunkSource, tick: Tick, plain = false): { texts?: { [key: string]: string }; error?: string } {
  const texts: { [key: string]: string } = {};
  let failure: string | undefined;
  const need = (key: string) => {
    if (failure !== undefined || texts[key] !== undefined) return;
    const data = source(key);
    if (data === undefined) {
      failure = "chunk " + key + " is missing";
      return;
    }
    const u = plain ? { text: data as string, error: undefined } : unpack(data, MAX_TEXT, tick);
    if (u.text === undefined) {
      failure = "chunk " + key + " is unreadable: " + u.error;
      return;
    }
    if (hashSliced(u.text, tick) !== key) {
      failure = "chunk " + key + " does not match its checksum";
      return;
    }
    texts[key] = u.text;
  };
  for (const k in m.g) need(m.g[k]);
  for (const k in m.r) need(m.r[k]);
  if (m.x !== undefined) need(m.x);
  if (failure !== undefined) return { error: failure };
  return { texts };
}

/** Parses one chunk text (fresh tables every call). */
function parse(texts: { [key: string]: string }, key: string, tick: Tick): { value?: unknown; error?: string } {
  const text = texts[key];
  const p = deserialize(text, tick);
  if (!p.ok) return { error: "chunk " + key + " does not parse: " + p.error };
  return { value: p.value };
}

/**
 * The plan (OGRH_SV-shaped: encounterMgmt.raids/roles and the plan tables) from a manifest and its
 * chunk texts, with a schema check. Every table is new.
 */
export function assemble(m: Table, texts: { [key: string]: string }, tick: Tick): { plan?: Table; error?: string } {
  const roles: Table = {};
  const raids: Table = {};
  const plan: Table = { encounterMgmt: { raids, roles } };
  const tables: Table = { roles };
  for (const name of RAID_TABLES) {
    if (name !== "roles") {
      tables[name] = {};
      plan[name] = tables[name];
    }
  }
  for (const name in m.g) {
    if (GLOBALS.indexOf(name) < 0) return { error: "unknown global component " + String(name) };
    const p = parse(texts, m.g[name], tick);
    if (p.error !== undefined) return { error: p.error };
    if (!isTable(p.value)) return { error: "global component " + name + " is not a table" };
    plan[name] = p.value;
  }
  for (const rk in m.r) {
    const p = parse(texts, m.r[rk], tick);
    if (p.error !== undefined) return { error: p.error };
    const group = p.value as Table;
    if (!isTable(group)) return { error: "raid " + String(rk) + " is not a table" };
    for (const name in group) {
      const value = group[name];
      if (name === "raid") {
        if (!isTable(value)) return { error: "raid " + String(rk) + " is not a table" };
        if (value.encounters !== undefined && !isTable(value.encounters)) return { error: "raid " + String(rk) + " has a bad encounter list" };
        raids[rk] = value;
        continue;
      }
      const t = tables[name];
      if (t === undefined || !isTable(value)) return { error: "raid " + String(rk) + " has an unknown table " + String(name) };
      t[rk] = value;
    }
  }
  if (m.x !== undefined) {
    const p = parse(texts, m.x, tick);
    if (p.error !== undefined) return { error: p.error };
    const rest = p.value as Table;
    if (!isTable(rest)) return { error: "rest chunk is not a table" };
    for (const name in rest) {
      if (name === "raids") {
        if (!isTable(rest.raids)) return { error: "raid list is not a table" };
        for (const rk in rest.raids) raids[rk] = rest.raids[rk];
        continue;
      }
      const t = tables[name];
      if (t === undefined || !isTable(rest[name])) return { error: "rest chunk has an unknown table " + String(name) };
      for (const rk in rest[name]) t[rk] = rest[name][rk];
    }
  }
  return { plan };
}
