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
import type { Tick } from "../core/jobs";
import { computeTreePaced } from "../store/background";
import type { Answer, Delta, Named, Seq, StructureRaid, SubHashes } from "./protocol";
import { isTable } from "../core/values";
export type { Answer } from "./protocol";

/** A plan table as this module reads it (the store's own data, or a checked answer). */
type Dict = { [key: string]: unknown };
/** The RAID payload of OGRH.Store.ExtractNode / ApplyNode. */
interface RaidPayload {
  raid: { encounters?: Seq<{ name?: unknown } | undefined> };
  components: Named<Named<unknown> | undefined>;
}
/** The STRUCTURE payload: OGRH_SV's plan keys. */
interface PlanPayload {
  encounterMgmt: { raids: Named<unknown>; roles: Named<unknown> };
  [key: string]: unknown;
}

function dict(v: unknown): Dict {
  return v as Dict;
}

/** Requests carry 32-bit prefixes of checksums: a collision only costs a second, full request. */
export const SHORT = 8;
/** Tables with more entries than this are requested whole (the hashes would outweigh the data). */
export const MAX_ENTRY_HASHES = 200;

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
export function entryHashes(value: unknown): Named<string> | undefined {
  if (!isTable(value)) return undefined;
  const keys: LuaKey[] = [];
  const vals: unknown[] = [];
  const r = canonicalEntries(value, keys, vals);
  const out: Named<string> = {};
  if (r > MAX_ENTRY_HASHES || -r > MAX_ENTRY_HASHES) return undefined;
  if (r > 0) for (let i = 0; i < r; i++) out[i + 1] = short(checksumValue(vals[i]));
  else for (let i = 0; i < -r; i++) out[keys[i] as string] = short(checksumValue(vals[i]));
  return out;
}

/** What a requester sends about its copy of a node, so the admin can answer with the difference. */
export function subHashes(store: Store, ref: NodeRef): SubHashes | undefined {
  const t = store.tree();
  if (ref.level === "GLOBAL" || ref.level === "COMPONENT") {
    if (currentChecksum(store, ref) === "") return undefined;
    return entryHashes(store.extract(ref));
  }
  if (ref.level === "ENCOUNTER") {
    const raid = t.raids[ref.raid as string];
    const enc = raid === undefined ? undefined : raid.encounters[ref.encounter as string];
    if (enc === undefined) return undefined;
    const out: Named<string> = {};
    for (const c of COMPONENTS) out[c] = short(enc.components[c]);
    return out;
  }
  if (ref.level === "RAID") {
    const raid = t.raids[ref.raid as string];
    if (raid === undefined) return undefined;
    const e: Named<string> = {};
    for (let i = 0; i < raid.count; i++) e[raid.list[i].name] = short(raid.list[i].encounter);
    return { m: short(raid.raid), e };
  }
  const g: Named<string> = {};
  for (const name of GLOBAL_COMPONENTS) g[name] = short(t.global[name]);
  const r: Named<string> = {};
  for (const name in t.raids) r[name] = short(t.raids[name].rollup);
  return { g, r };
}

function byteSize(v: unknown): number {
  const r = serialize(v);
  return r.text === undefined ? 1e12 : r.text.length;
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

/** The name of the i-th (1-based) entry of a raid's encounter list, when it has one. */
function listName(list: Seq<{ name?: unknown } | undefined>, i: number): string | undefined {
  const entry = list[i];
  const name = isTable(entry) ? (entry as { name?: unknown }).name : undefined;
  return typeof name === "string" ? name : undefined;
}

/** The raid payload with the encounters named in `send` (all when undefined). */
function raidParts(store: Store, raidName: string, send: { [name: string]: boolean } | undefined): { M: unknown; L: string[]; C: Named<Named<unknown>> } {
  const payload = store.extract({ level: "RAID", raid: raidName }) as RaidPayload;
  const raid = payload.raid;
  const L: string[] = [];
  let nl = 0;
  const C: Named<Named<unknown>> = {};
  for (const comp in COMPONENT_TABLES) C[comp] = {};
  const list = isTable(raid.encounters) ? (raid.encounters as Seq<{ name?: unknown } | undefined>) : {};
  let i = 1;
  while (list[i] !== undefined) {
    const name = listName(list, i);
    if (name !== undefined && (send === undefined || send[name] === true)) {
      L[nl] = name;
      nl++;
      for (const comp in COMPONENT_TABLES) {
        const perRaid = payload.components[comp];
        if (isTable(perRaid)) C[comp][name] = (perRaid as Named<unknown>)[name];
      }
    }
    i++;
  }
  return { M: raid, L, C };
}

/**
 * The checksum tree of this addon version's shipping plan (store/defaults.ts), computed once. A
 * requester whose raid rollup equals a shipping raid's rollup holds exactly that raid, so the full
 * sync can send it only the components that differ from it (a fresh client holds the defaults).
 */
const BASE: { tree: TreeNode | undefined } = { tree: undefined };
export function defaultsTree(tick?: Tick): TreeNode {
  if (BASE.tree === undefined) BASE.tree = tick === undefined ? computeTree(buildDefaults()) : computeTreePaced(buildDefaults(), tick);
  return BASE.tree;
}

/** Units (about 1,000 VM instructions) a job charges per raid it composes or builds an answer for (bench:frames). */
const RAID_UNITS = 15;

/**
 * A raid for a requester whose copy is `base` (known by its rollup): `b` = built on the requester's
 * own copy, `M` (the raid table) only when its metadata or an encounter's metadata differs, `C`
 * {component = {encounter = value}} only for the components that differ ({} for an absent value,
 * which has the same checksum).
 */
function basedRaid(store: Store, name: string, mine: RaidNode, base: RaidNode): StructureRaid {
  const payload = store.extract({ level: "RAID", raid: name }) as RaidPayload;
  let sendRaid = mine.raid !== base.raid || mine.count !== base.count;
  for (let k = 0; k < mine.count && !sendRaid; k++) {
    if (mine.list[k].components.encounterMetadata !== base.list[k].components.encounterMetadata) sendRaid = true;
  }
  const C: Named<Named<unknown>> = {};
  for (const comp in COMPONENT_TABLES) {
    const perRaid = payload.components[comp];
    let any = false;
    const diff: Named<unknown> = {};
    for (let k = 0; k < mine.count; k++) {
      const e = mine.list[k];
      const be = base.encounters[e.name];
      if (be !== undefined && be.components[comp] === e.components[comp]) continue;
      const v = isTable(perRaid) ? (perRaid as Named<unknown>)[e.name] : undefined;
      diff[e.name] = v === undefined ? {} : v;
      any = true;
    }
    if (any) C[comp] = diff;
  }
  const out: StructureRaid = { b: true, C };
  if (sendRaid) out.M = payload.raid;
  return out;
}

/** A requester's sub-hashes as a map (undefined: it wants the whole node). */
function hashesOf(h: SubHashes | undefined): Named<unknown> {
  return h as Named<unknown>;
}

/** A named part of sub-hashes (RAID `e`, STRUCTURE `g` / `r`) when it is a table. */
function hashPart(h: SubHashes | undefined, part: string): Named<unknown> | undefined {
  const v = isTable(h) ? hashesOf(h)[part] : undefined;
  return isTable(v) ? (v as Named<unknown>) : undefined;
}

/**
 * The admin's answer to one or more requests for the same node. `requests` holds each requester's
 * sub-hashes (undefined: that requester wants the whole node). The answer fixes every requester
 * (the union of what differs for each); for components it is a delta only when smaller.
 * partsOnly: only `parts` (and `x`) are needed (does a sent answer cover a request?); a raid or
 * the whole plan is then not extracted.
 */
export function buildAnswer(store: Store, ref: NodeRef, requests: (SubHashes | undefined)[], nreq: number, tick?: Tick, partsOnly = false): { answer: Answer; parts: Parts } {
  const missing = missingReason(store, ref);
  if (missing !== undefined) return { answer: { err: missing }, parts: {} };
  let anyWhole = nreq === 0;
  for (let i = 0; i < nreq; i++) if (!isTable(requests[i])) anyWhole = true;
  const t = store.tree();

  if (ref.level === "GLOBAL" || ref.level === "COMPONENT") {
    const value = store.extract(ref);
    const x = currentChecksum(store, ref);
    const mine = entryHashes(value);
    if (anyWhole || mine === undefined) return { answer: { x, P: value }, parts: { "*": true } };
    const v = dict(value);
    const set: Named<unknown> = {};
    const rm: (string | number)[] = [];
    let nrm = 0;
    const removed: { [key: string]: boolean } = {};
    const parts: Parts = {};
    for (let i = 0; i < nreq; i++) {
      const h = hashesOf(requests[i]);
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
    const D: Delta = { S: set, K: rm };
    if (byteSize(D) < byteSize(value)) return { answer: { x, D }, parts };
    return { answer: { x, P: value }, parts: { "*": true } };
  }

  if (ref.level === "ENCOUNTER") {
    const enc = t.raids[ref.raid as string].encounters[ref.encounter as string];
    const value = dict(store.extract(ref));
    const E: Named<unknown> = {};
    const parts: Parts = {};
    for (const c of COMPONENTS) {
      let send = anyWhole;
      for (let i = 0; i < nreq && !send; i++) if (hashesOf(requests[i])[c] !== short(enc.components[c])) send = true;
      if (send) {
        E[c] = value[c] === undefined ? {} : value[c];
        parts[c] = true;
      }
    }
    return { answer: { x: enc.encounter, E }, parts: anyWhole ? { "*": true } : parts };
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
          const he = hashPart(requests[i], "e");
          if (he === undefined || he[e.name] !== short(e.encounter)) {
            send[e.name] = true;
            parts[e.name] = true;
          }
        }
      }
    }
    const whichParts: Parts = anyWhole ? { "*": true } : parts;
    if (partsOnly) return { answer: { x: node.rollup }, parts: whichParts };
    const rp = raidParts(store, ref.raid as string, send);
    return { answer: { x: node.rollup, M: rp.M, L: rp.L, C: rp.C }, parts: whichParts };
  }

  // STRUCTURE: the differing global components and raids, plus the admin's list of raid names.
  const n: string[] = [];
  let nn = 0;
  for (const name in t.raids) {
    n[nn] = name;
    nn++;
  }
  const G: Named<unknown> = {};
  const R: Named<StructureRaid> = {};
  const parts: Parts = {};
  for (const name of GLOBAL_COMPONENTS) {
    let send = anyWhole;
    for (let i = 0; i < nreq && !send; i++) {
      const hg = hashPart(requests[i], "g");
      if (hg === undefined || hg[name] !== short(t.global[name])) send = true;
    }
    if (send) {
      G[name] = store.extract({ level: "GLOBAL", component: name });
      parts["g" + name] = true;
    }
  }
  // (partsOnly never computes the defaults' tree in one go: without it every raid counts as sent whole, a superset.)
  const base = anyWhole ? undefined : partsOnly ? BASE.tree : defaultsTree(tick);
  // Over the list (not pairs): a tick may suspend the job, and the tree may gain raids meanwhile.
  for (let j = 0; j < nn; j++) {
    const name = n[j];
    if (tick !== undefined) tick(RAID_UNITS);
    let send = anyWhole;
    // Every requester that lacks this raid holds the shipping raid: send only what differs from it.
    const baseRaid = base === undefined ? undefined : base.raids[name];
    let based = baseRaid !== undefined;
    for (let i = 0; i < nreq; i++) {
      const hr = hashPart(requests[i], "r");
      const theirs = hr !== undefined ? hr[name] : undefined;
      if (theirs !== short(t.raids[name].rollup)) {
        send = true;
        if (baseRaid === undefined || theirs !== short(baseRaid.rollup)) based = false;
      }
    }
    if (send && based) {
      if (!partsOnly) R[name] = basedRaid(store, name, t.raids[name], baseRaid as RaidNode);
      parts["B" + name] = true;
    } else if (send) {
      if (!partsOnly) {
        const rp = raidParts(store, name, undefined);
        R[name] = { M: rp.M, C: rp.C };
      }
      parts["r" + name] = true;
      parts["B" + name] = true;
    }
  }
  return { answer: { x: t.structure, n, G, R }, parts: anyWhole ? { "*": true } : parts };
}

/** True when everything `needed` names is in `sent`. */
export function covers(sent: Parts, needed: Parts): boolean {
  if (sent["*"] === true) return true;
  if (needed["*"] === true) return false;
  for (const k in needed) if (sent[k] !== true) return false;
  return true;
}

function componentTable(plan: PlanPayload, comp: string): Named<unknown> {
  const where = COMPONENT_TABLES[comp];
  if (where === "encounterMgmt.roles") return plan.encounterMgmt.roles;
  return plan[where] as Named<unknown>;
}

/** A table field of an answer, or undefined. */
function tableOr<T>(v: unknown): T | undefined {
  return isTable(v) ? (v as T) : undefined;
}

/**
 * Rebuilds the whole node payload (as OGRH.Store.ApplyNode takes it) from an answer and this
 * client's own copy. The caller checks the result against answer.x before applying anything.
 */
export function composeNode(store: Store, ref: NodeRef, a: Answer, tick?: Tick): { payload?: unknown; error?: string } {
  if (ref.level === "GLOBAL" || ref.level === "COMPONENT") {
    if (a.P !== undefined) return { payload: a.P };
    const D = tableOr<Delta>(a.D);
    if (D === undefined) return { error: "answer has no data" };
    const cur = currentChecksum(store, ref) === "" ? undefined : store.extract(ref);
    if (!isTable(cur)) return { error: "no local copy to apply a delta to" };
    const next: Dict = {};
    for (const k in dict(cur)) next[k] = dict(cur)[k];
    const K = tableOr<Seq<string>>(D.K);
    if (K !== undefined) {
      let i = 1;
      while (K[i] !== undefined) {
        next[K[i]] = undefined;
        i++;
      }
    }
    const S = tableOr<Named<unknown>>(D.S);
    if (S !== undefined) for (const k in S) next[k] = S[k];
    return { payload: next };
  }
  if (ref.level === "ENCOUNTER") {
    const E = tableOr<Named<unknown>>(a.E);
    if (E === undefined) return { error: "answer has no data" };
    const cur = store.extract(ref) as Dict | undefined;
    if (cur === undefined) return { error: "unknown encounter " + ref.raid + " > " + ref.encounter + " (sync the raid)" };
    const next: Dict = {};
    for (const c of COMPONENTS) next[c] = E[c] !== undefined ? E[c] : cur[c];
    return { payload: next };
  }
  if (ref.level === "RAID") return composeRaid(store, ref.raid as string, a.M, a.L, a.C);

  const names = tableOr<Seq<string>>(a.n);
  const G = tableOr<Named<unknown>>(a.G);
  const R = tableOr<Named<StructureRaid>>(a.R);
  if (names === undefined || G === undefined || R === undefined) return { error: "answer has no data" };
  const cur = store.extract({ level: "STRUCTURE" }) as PlanPayload;
  const next: PlanPayload = { encounterMgmt: { raids: {}, roles: {} } };
  for (const k of PLAN_KEYS) next[k] = {};
  for (const name of GLOBAL_COMPONENTS) next[name] = G[name] !== undefined ? G[name] : cur[name];
  const curRaids = tableOr<Named<unknown>>(cur.encounterMgmt.raids);
  let i = 1;
  while (names[i] !== undefined) {
    const name = names[i];
    i++;
    if (tick !== undefined) tick(RAID_UNITS);
    const sent = tableOr<StructureRaid>(R[name]);
    const sentC = sent !== undefined ? tableOr<Named<unknown>>(sent.C) : undefined;
    if (sent !== undefined && sent.b === true) {
      // Differences on top of this client's own copy of the raid (the checksum check decides).
      const own = curRaids !== undefined ? curRaids[name] : undefined;
      const raid = sent.M !== undefined ? sent.M : own;
      if (!isTable(raid)) return { error: "raid " + name + " missing locally and not sent" };
      next.encounterMgmt.raids[name] = raid;
      for (const comp in COMPONENT_TABLES) {
        const t = componentTable(cur, comp);
        const mine = isTable(t) ? t[name] : undefined;
        const given = sentC !== undefined ? tableOr<Named<unknown>>(sentC[comp]) : undefined;
        if (given === undefined) {
          componentTable(next, comp)[name] = mine;
          continue;
        }
        const merged: Dict = {};
        if (isTable(mine)) for (const k in dict(mine)) merged[k] = dict(mine)[k];
        for (const k in given) merged[k] = given[k];
        componentTable(next, comp)[name] = merged;
      }
      continue;
    }
    if (sent !== undefined) {
      next.encounterMgmt.raids[name] = sent.M;
      for (const comp in COMPONENT_TABLES) componentTable(next, comp)[name] = sentC !== undefined ? sentC[comp] : undefined;
      continue;
    }
    const raid = curRaids !== undefined ? curRaids[name] : undefined;
    if (!isTable(raid)) return { error: "raid " + name + " missing locally and not sent" };
    next.encounterMgmt.raids[name] = raid;
    for (const comp in COMPONENT_TABLES) {
      const t = componentTable(cur, comp);
      componentTable(next, comp)[name] = isTable(t) ? t[name] : undefined;
    }
  }
  return { payload: next };
}

function composeRaid(store: Store, raidName: string, M: unknown, L: unknown, C: unknown): { payload?: unknown; error?: string } {
  if (!isTable(M) || !isTable(L) || !isTable(C)) return { error: "answer has no data" };
  const raid = M as RaidPayload["raid"];
  const names = L as Seq<string>;
  const byComp = C as Named<unknown>;
  const cur = store.extract({ level: "RAID", raid: raidName }) as RaidPayload | undefined;
  const sent: { [name: string]: boolean } = {};
  let i = 1;
  while (names[i] !== undefined) {
    sent[names[i]] = true;
    i++;
  }
  const components: Named<Named<unknown>> = {};
  for (const comp in COMPONENT_TABLES) components[comp] = {};
  const list = isTable(raid.encounters) ? (raid.encounters as Seq<{ name?: unknown } | undefined>) : {};
  i = 1;
  while (list[i] !== undefined) {
    const name = listName(list, i);
    i++;
    if (name === undefined) continue;
    for (const comp in COMPONENT_TABLES) {
      if (sent[name] === true) {
        const given = tableOr<Named<unknown>>(byComp[comp]);
        components[comp][name] = given !== undefined ? given[name] : undefined;
      } else {
        if (cur === undefined) return { error: "raid " + raidName + " missing locally and not sent whole" };
        const perRaid = cur.components[comp];
        components[comp][name] = isTable(perRaid) ? (perRaid as Named<unknown>)[name] : undefined;
      }
    }
  }
  return { payload: { raid, components } };
}
