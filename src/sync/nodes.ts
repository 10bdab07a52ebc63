// Node payloads for the granular sync: what a requester tells about its copy (sub-hashes), what
// the admin answers (only the parts that differ, or the whole node when that is smaller), and how
// the requester rebuilds the whole node from the answer before checking it against the admin's
// checksum. Nothing here sends or applies: the engine (granular.ts) does. Lua-only (store tables).
import type { NodeRef, Store } from "../store/store";
import { PLAN_KEYS } from "../store/store";
import { canonicalEntries } from "../integrity/canonical";
import { COMPONENTS, COMPONENT_TABLES, GLOBAL_COMPONENTS, computeTree } from "../integrity/tree";
import type { RaidNode, TreeNode } from "../integrity/tree";
import { buildDefaults } from "../store/defaults";
import { checksumValue } from "../integrity/valuehash";
import { serialize } from "../integrity/serialize";
import type { LuaKey } from "../core/luatable";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Table = any;

/** Requests carry 32-bit prefixes of checksums: a collision only costs a second, full request. */
export const SHORT = 8;
/** Tables with more entries than this are requested whole (the hashes would outweigh the data). */
export const MAX_ENTRY_HASHES = 200;

export function isTable(v: unknown): boolean {
  return typeof v === "object" && v !== null;
}

export function short(cs: string | undefined): string {
  return cs === undefined ? "" : cs.substring(0, SHORT);
}

/** A stable key for one node (dedup of requests and answers). */
export function nodeKey(ref: NodeRef): string {
  return ref.level + ":" + (ref.raid ?? "") + ">" + (ref.encounter ?? "") + ">" + (ref.component ?? "");
}

/** "BWL > Razorgore > playerAssignments", as the chat lines name places. */
export function nodeLabel(ref: NodeRef): string {
  if (ref.level === "STRUCTURE") return "Full structure";
  if (ref.level === "GLOBAL") return "Global component '" + (ref.component ?? "?") + "'";
  let s = ref.raid ?? "?";
  if (ref.level === "ENCOUNTER" || ref.level === "COMPONENT") s = s + " > " + (ref.encounter ?? "?");
  if (ref.level === "COMPONENT") s = s + " > " + (ref.component ?? "?");
  return s;
}

/** The checksum this client has now for a node (from the cached tree); "" when it lacks the node. */
export function currentChecksum(store: Store, ref: NodeRef): string {
  const t = store.tree();
  if (ref.level === "STRUCTURE") return t.structure;
  if (ref.level === "GLOBAL") return t.global[ref.component as string] ?? "";
  const raid = t.raids[ref.raid as string];
  if (raid === undefined) return "";
  if (ref.level === "RAID") return raid.rollup;
  const enc = raid.encounters[ref.encounter as string];
  if (enc === undefined) return "";
  if (ref.level === "ENCOUNTER") return enc.encounter;
  return enc.components[ref.component as string] ?? "";
}

/** Short checksums of each top-level entry of a table; undefined for a non-table or a huge one. */
export function entryHashes(value: unknown): Table | undefined {
  if (!isTable(value)) return undefined;
  const keys: LuaKey[] = [];
  const vals: unknown[] = [];
  const r = canonicalEntries(value, keys, vals);
  const out: Table = {};
  if (r > MAX_ENTRY_HASHES || -r > MAX_ENTRY_HASHES) return undefined;
  if (r > 0) for (let i = 0; i < r; i++) out[i + 1] = short(checksumValue(vals[i]));
  else for (let i = 0; i < -r; i++) out[keys[i] as string] = short(checksumValue(vals[i]));
  return out;
}

/** What a requester sends about its copy of a node, so the admin can answer with the difference. */
export function subHashes(store: Store, ref: NodeRef): Table | undefined {
  const t = store.tree();
  if (ref.level === "GLOBAL" || ref.level === "COMPONENT") {
    if (currentChecksum(store, ref) === "") return undefined;
    return entryHashes(store.extract(ref));
  }
  if (ref.level === "ENCOUNTER") {
    const raid = t.raids[ref.raid as string];
    const enc = raid === undefined ? undefined : raid.encounters[ref.encounter as string];
    if (enc === undefined) return undefined;
    const out: Table = {};
    for (const c of COMPONENTS) out[c] = short(enc.components[c]);
    return out;
  }
  if (ref.level === "RAID") {
    const raid = t.raids[ref.raid as string];
    if (raid === undefined) return undefined;
    const e: Table = {};
    for (let i = 0; i < raid.count; i++) e[raid.list[i].name] = short(raid.list[i].encounter);
    return { m: short(raid.raid), e };
  }
  const g: Table = {};
  for (const name of GLOBAL_COMPONENTS) g[name] = short(t.global[name]);
  const r: Table = {};
  for (const name in t.raids) r[name] = short(t.raids[name].rollup);
  return { g, r };
}

function byteSize(v: unknown): number {
  const r = serialize(v);
  return r.text === undefined ? 1e12 : r.text.length;
}

/** The admin's answer for a node (without the message envelope). */
export interface Answer {
  /** The node's checksum once applied. */
  x?: string;
  /** The whole node (COMPONENT / GLOBAL). */
  p?: unknown;
  /** A delta (COMPONENT / GLOBAL: {s = entries to set, r = keys to remove}; ENCOUNTER: components). */
  d?: Table;
  /** RAID / STRUCTURE parts. */
  raid?: Table;
  s?: string[];
  c?: Table;
  n?: string[];
  g?: Table;
  r?: Table;
  err?: string;
}

/** Which parts an answer carries ("*" = the whole node), to decide whether it covers a later request. */
export type Parts = { [part: string]: boolean };

function missingReason(store: Store, ref: NodeRef): string | undefined {
  if (ref.level === "STRUCTURE" || ref.level === "GLOBAL") return undefined;
  const t = store.tree();
  if (t.raids[ref.raid as string] === undefined) return "unknown raid " + ref.raid;
  if (ref.level === "RAID") return undefined;
  if (t.raids[ref.raid as string].encounters[ref.encounter as string] === undefined) {
    return "unknown encounter " + ref.raid + " > " + ref.encounter;
  }
  return undefined;
}

/** The raid payload with the encounters named in `send` (all when undefined). */
function raidParts(store: Store, raidName: string, send: { [name: string]: boolean } | undefined): { raid: Table; s: string[]; c: Table } {
  const payload = store.extract({ level: "RAID", raid: raidName }) as Table;
  const raid = payload.raid;
  const s: string[] = [];
  let ns = 0;
  const c: Table = {};
  for (const comp in COMPONENT_TABLES) c[comp] = {};
  const list = isTable(raid.encounters) ? raid.encounters : {};
  let i = 1;
  while (list[i] !== undefined) {
    const name = isTable(list[i]) ? list[i].name : undefined;
    if (typeof name === "string" && (send === undefined || send[name] === true)) {
      s[ns] = name;
      ns++;
      for (const comp in COMPONENT_TABLES) {
        const perRaid = payload.components[comp];
        if (isTable(perRaid)) c[comp][name] = perRaid[name];
      }
    }
    i++;
  }
  return { raid, s, c };
}

/**
 * The checksum tree of this addon version's shipping plan (store/defaults.ts), computed once. A
 * requester whose raid rollup equals a shipping raid's rollup holds exactly that raid, so the full
 * sync can send it only the components that differ from it (a fresh client holds the defaults).
 */
const BASE: { tree: TreeNode | undefined } = { tree: undefined };
export function defaultsTree(): TreeNode {
  if (BASE.tree === undefined) BASE.tree = computeTree(buildDefaults());
  return BASE.tree;
}

/**
 * A raid for a requester whose copy is `base` (known by its rollup): `b` = built on the requester's
 * own copy, `raid` (the raid table) only when its metadata or an encounter's metadata differs, `c`
 * {component = {encounter = value}} only for the components that differ ({} for an absent value,
 * which has the same checksum).
 */
function basedRaid(store: Store, name: string, mine: RaidNode, base: RaidNode): Table {
  const payload = store.extract({ level: "RAID", raid: name }) as Table;
  let sendRaid = mine.raid !== base.raid || mine.count !== base.count;
  for (let k = 0; k < mine.count && !sendRaid; k++) {
    if (mine.list[k].components.encounterMetadata !== base.list[k].components.encounterMetadata) sendRaid = true;
  }
  const c: Table = {};
  for (const comp in COMPONENT_TABLES) {
    const perRaid = payload.components[comp];
    let any = false;
    const diff: Table = {};
    for (let k = 0; k < mine.count; k++) {
      const e = mine.list[k];
      const be = base.encounters[e.name];
      if (be !== undefined && be.components[comp] === e.components[comp]) continue;
      const v = isTable(perRaid) ? perRaid[e.name] : undefined;
      diff[e.name] = v === undefined ? {} : v;
      any = true;
    }
    if (any) c[comp] = diff;
  }
  const out: Table = { b: true, c };
  if (sendRaid) out.raid = payload.raid;
  return out;
}

/**
 * The admin's answer to one or more requests for the same node. `requests` holds each requester's
 * sub-hashes (undefined: that requester wants the whole node). The answer fixes every requester
 * (the union of what differs for each); for components it is a delta only when smaller.
 */
export function buildAnswer(store: Store, ref: NodeRef, requests: (Table | undefined)[], nreq: number): { answer: Answer; parts: Parts } {
  const missing = missingReason(store, ref);
  if (missing !== undefined) return { answer: { err: missing }, parts: {} };
  const whole = (h: Table | undefined) => h === undefined || !isTable(h);
  let anyWhole = nreq === 0;
  for (let i = 0; i < nreq; i++) if (whole(requests[i])) anyWhole = true;
  const t = store.tree();

  if (ref.level === "GLOBAL" || ref.level === "COMPONENT") {
    const value = store.extract(ref);
    const x = currentChecksum(store, ref);
    const mine = entryHashes(value);
    if (anyWhole || mine === undefined) return { answer: { x, p: value }, parts: { "*": true } };
    const v = value as Table;
    const set: Table = {};
    const rm: LuaKey[] = [];
    let nrm = 0;
    const removed: Table = {};
    const parts: Parts = {};
    for (let i = 0; i < nreq; i++) {
      const h = requests[i] as Table;
      for (const k in mine) {
        if (h[k] !== mine[k]) {
          set[k] = v[k];
          parts["s" + tostring(k)] = true;
        }
      }
      for (const k in h) {
        if (v[k] === undefined && removed[k] === undefined) {
          removed[k] = true;
          rm[nrm] = k;
          nrm++;
          parts["r" + tostring(k)] = true;
        }
      }
    }
    const d = { s: set, r: rm };
    if (byteSize(d) < byteSize(value)) return { answer: { x, d }, parts };
    return { answer: { x, p: value }, parts: { "*": true } };
  }

  if (ref.level === "ENCOUNTER") {
    const enc = t.raids[ref.raid as string].encounters[ref.encounter as string];
    const value = store.extract(ref) as Table;
    const d: Table = {};
    const parts: Parts = {};
    for (const c of COMPONENTS) {
      let send = anyWhole;
      for (let i = 0; i < nreq && !send; i++) if ((requests[i] as Table)[c] !== short(enc.components[c])) send = true;
      if (send) {
        d[c] = value[c] === undefined ? {} : value[c];
        parts[c] = true;
      }
    }
    return { answer: { x: enc.encounter, d }, parts: anyWhole ? { "*": true } : parts };
  }

  if (ref.level === "RAID") {
    const node = t.raids[ref.raid as string];
    let send: { [name: string]: boolean } | undefined;
    const parts: Parts = {};
    if (!anyWhole) {
      send = {};
      for (let k = 0; k < node.count; k++) {
        const e = node.list[k];
        for (let i = 0; i < nreq; i++) {
          const h = requests[i] as Table;
          if (!isTable(h.e) || h.e[e.name] !== short(e.encounter)) {
            send[e.name] = true;
            parts[e.name] = true;
          }
        }
      }
    }
    const rp = raidParts(store, ref.raid as string, send);
    return { answer: { x: node.rollup, raid: rp.raid, s: rp.s, c: rp.c }, parts: anyWhole ? { "*": true } : parts };
  }

  // STRUCTURE: the differing global components and raids, plus the admin's list of raid names.
  const n: string[] = [];
  let nn = 0;
  for (const name in t.raids) {
    n[nn] = name;
    nn++;
  }
  const g: Table = {};
  const r: Table = {};
  const parts: Parts = {};
  for (const name of GLOBAL_COMPONENTS) {
    let send = anyWhole;
    for (let i = 0; i < nreq && !send; i++) {
      const h = requests[i] as Table;
      if (!isTable(h.g) || h.g[name] !== short(t.global[name])) send = true;
    }
    if (send) {
      g[name] = store.extract({ level: "GLOBAL", component: name });
      parts["g" + name] = true;
    }
  }
  const base = anyWhole ? undefined : defaultsTree();
  for (const name in t.raids) {
    let send = anyWhole;
    // Every requester that lacks this raid holds the shipping raid: send only what differs from it.
    const baseRaid = base === undefined ? undefined : base.raids[name];
    let based = baseRaid !== undefined;
    for (let i = 0; i < nreq; i++) {
      const h = requests[i] as Table;
      const theirs = isTable(h) && isTable(h.r) ? h.r[name] : undefined;
      if (theirs !== short(t.raids[name].rollup)) {
        send = true;
        if (baseRaid === undefined || theirs !== short(baseRaid.rollup)) based = false;
      }
    }
    if (send && based) {
      r[name] = basedRaid(store, name, t.raids[name], baseRaid as RaidNode);
      parts["B" + name] = true;
    } else if (send) {
      const rp = raidParts(store, name, undefined);
      r[name] = { raid: rp.raid, c: rp.c };
      parts["r" + name] = true;
      parts["B" + name] = true;
    }
  }
  return { answer: { x: t.structure, n, g, r }, parts: anyWhole ? { "*": true } : parts };
}

/** True when everything `needed` names is in `sent`. */
export function covers(sent: Parts, needed: Parts): boolean {
  if (sent["*"] === true) return true;
  if (needed["*"] === true) return false;
  for (const k in needed) if (sent[k] !== true) return false;
  return true;
}

function componentTable(plan: Table, comp: string): Table {
  const where = COMPONENT_TABLES[comp];
  if (where === "encounterMgmt.roles") return plan.encounterMgmt.roles;
  return plan[where];
}

/**
 * Rebuilds the whole node payload (as OGRH.Store.ApplyNode takes it) from an answer and this
 * client's own copy. The caller checks the result against answer.x before applying anything.
 */
export function composeNode(store: Store, ref: NodeRef, a: Answer): { payload?: unknown; error?: string } {
  if (ref.level === "GLOBAL" || ref.level === "COMPONENT") {
    if (a.p !== undefined) return { payload: a.p };
    if (!isTable(a.d)) return { error: "answer has no data" };
    const cur = currentChecksum(store, ref) === "" ? undefined : store.extract(ref);
    if (!isTable(cur)) return { error: "no local copy to apply a delta to" };
    const next: Table = {};
    for (const k in cur as Table) next[k] = (cur as Table)[k];
    if (isTable(a.d.r)) {
      let i = 1;
      while (a.d.r[i] !== undefined) {
        next[a.d.r[i]] = undefined;
        i++;
      }
    }
    if (isTable(a.d.s)) for (const k in a.d.s) next[k] = a.d.s[k];
    return { payload: next };
  }
  if (ref.level === "ENCOUNTER") {
    if (!isTable(a.d)) return { error: "answer has no data" };
    const cur = store.extract(ref) as Table;
    if (cur === undefined) return { error: "unknown encounter " + ref.raid + " > " + ref.encounter + " (sync the raid)" };
    const next: Table = {};
    for (const c of COMPONENTS) next[c] = a.d[c] !== undefined ? a.d[c] : cur[c];
    return { payload: next };
  }
  if (ref.level === "RAID") return composeRaid(store, ref.raid as string, a.raid, a.s, a.c);

  if (!isTable(a.n) || !isTable(a.g) || !isTable(a.r)) return { error: "answer has no data" };
  const cur = store.extract({ level: "STRUCTURE" }) as Table;
  const next: Table = { encounterMgmt: { raids: {}, roles: {} } };
  for (const k of PLAN_KEYS) next[k] = {};
  for (const name of GLOBAL_COMPONENTS) next[name] = a.g[name] !== undefined ? a.g[name] : cur[name];
  const names = a.n as Table;
  let i = 1;
  while (names[i] !== undefined) {
    const name = names[i] as string;
    i++;
    const sent = a.r[name];
    if (isTable(sent) && sent.b === true) {
      // Differences on top of this client's own copy of the raid (the checksum check decides).
      const own = isTable(cur.encounterMgmt.raids) ? cur.encounterMgmt.raids[name] : undefined;
      const raid = sent.raid !== undefined ? sent.raid : own;
      if (!isTable(raid)) return { error: "raid " + name + " missing locally and not sent" };
      next.encounterMgmt.raids[name] = raid;
      for (const comp in COMPONENT_TABLES) {
        const t = componentTable(cur, comp);
        const mine = isTable(t) ? t[name] : undefined;
        const given = isTable(sent.c) ? sent.c[comp] : undefined;
        if (!isTable(given)) {
          componentTable(next, comp)[name] = mine;
          continue;
        }
        const merged: Table = {};
        if (isTable(mine)) for (const k in mine) merged[k] = mine[k];
        for (const k in given) merged[k] = given[k];
        componentTable(next, comp)[name] = merged;
      }
      continue;
    }
    if (isTable(sent)) {
      next.encounterMgmt.raids[name] = sent.raid;
      for (const comp in COMPONENT_TABLES) componentTable(next, comp)[name] = isTable(sent.c) ? sent.c[comp] : undefined;
      continue;
    }
    const raid = isTable(cur.encounterMgmt.raids) ? cur.encounterMgmt.raids[name] : undefined;
    if (!isTable(raid)) return { error: "raid " + name + " missing locally and not sent" };
    next.encounterMgmt.raids[name] = raid;
    for (const comp in COMPONENT_TABLES) {
      const t = componentTable(cur, comp);
      componentTable(next, comp)[name] = isTable(t) ? t[name] : undefined;
    }
  }
  return { payload: next };
}

function composeRaid(store: Store, raidName: string, raid: Table, s: Table, c: Table): { payload?: unknown; error?: string } {
  if (!isTable(raid) || !isTable(s) || !isTable(c)) return { error: "answer has no data" };
  const cur = store.extract({ level: "RAID", raid: raidName }) as Table;
  const sent: { [name: string]: boolean } = {};
  let i = 1;
  while (s[i] !== undefined) {
    sent[s[i]] = true;
    i++;
  }
  const components: Table = {};
  for (const comp in COMPONENT_TABLES) components[comp] = {};
  const list = isTable(raid.encounters) ? raid.encounters : {};
  i = 1;
  while (list[i] !== undefined) {
    const name = isTable(list[i]) ? list[i].name : undefined;
    i++;
    if (typeof name !== "string") continue;
    for (const comp in COMPONENT_TABLES) {
      if (sent[name] === true) components[comp][name] = isTable(c[comp]) ? c[comp][name] : undefined;
      else {
        if (cur === undefined) return { error: "raid " + raidName + " missing locally and not sent whole" };
        const perRaid = cur.components[comp];
        components[comp][name] = isTable(perRaid) ? perRaid[name] : undefined;
      }
    }
  }
  return { payload: { raid, components } };
}
