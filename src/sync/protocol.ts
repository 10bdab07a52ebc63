// The sync layer's message types and payload encoding (docs/protocol.md, "Sync"). Every payload is
// one table in the canonical text of integrity/serialize.ts (strict parser, no code loaded), with
// `v` = SYNC_VERSION. Short field names: each payload is paid for in the 800 bytes/s budget.
//
// One vocabulary for every message, so that no name means two things:
//   lower case   checksums, names and flags: s structure, g global checksums, r raid rollups (by
//                name), u one raid's rollup, m raid metadata, e encounter checksums, c component
//                checksums, x the checksum a node has once applied, h a requester's sub-hashes
//   upper case   the plan data an answer carries: P whole value, D delta, E an encounter's
//                components, M raid table, L the encounters sent, C components by encounter,
//                G global components, R raids
// Received tables are checked field by field before use (a peer may run anything): the interfaces
// say what a well-formed sender puts there, not what arrived.
import { deserialize, serialize } from "../integrity/serialize";
import type { Tick } from "../core/jobs";
import { LAYOUT_V2 } from "../core/schema";
import type { NodeLevel } from "../store/store";

/** Version of the sync payloads (the transport has its own frame version). */
export const SYNC_VERSION = 1;
/** The plan layout tag of companion mode (core/schema.ts), in messages (`l`) as in backups. */
export { LAYOUT_V2 };

export const MSG = {
  /** Admin -> raid: lightweight checksums (every 30 s, and soon after an admin edit). */
  POLL: "CK.POLL",
  /** Member -> admin: encounter checksums of the raids whose rollup differs. */
  DRILL_REQ: "CK.DRILL_REQ",
  /** Admin -> raid: one answer for every drill-down request of the last 2 s. */
  DRILL_RES: "CK.DRILL_RES",
  /** Raid leader -> raid: who the raid admin is. */
  ADMIN: "SY.ADMIN",
  /** Member -> admin of the other plan layout: only the envelope (`l`), so the admin learns who is not synced. */
  MODE: "SY.MODE",
};

export const REQ_TYPE: { [level: string]: string } = {
  COMPONENT: "SY.COMP_REQ",
  ENCOUNTER: "SY.ENC_REQ",
  RAID: "SY.RAID_REQ",
  GLOBAL: "SY.GLOB_REQ",
  STRUCTURE: "SY.FULL_REQ",
};

export const RES_TYPE: { [level: string]: string } = {
  COMPONENT: "SY.COMP_RES",
  ENCOUNTER: "SY.ENC_RES",
  RAID: "SY.RAID_RES",
  GLOBAL: "SY.GLOB_RES",
  STRUCTURE: "SY.FULL_RES",
};

export const LEVELS: NodeLevel[] = ["COMPONENT", "ENCOUNTER", "RAID", "GLOBAL", "STRUCTURE"];

/** A map by name (raid, encounter, component, entry key). */
export interface Named<T> {
  [name: string]: T;
}
/** A Lua sequence as it travels: [1], [2], ... */
export interface Seq<T> {
  [index: number]: T;
}

/** Every payload carries the sync version and the sender's plan layout (added by encode). */
export interface Envelope {
  v?: number;
  /** The sender's plan layout: absent = the spec's (standalone), "2" = OG-RaidHelper's v2 (companion). */
  l?: string;
}

/** CK.POLL, admin -> raid. */
export interface PollMsg extends Envelope {
  /** Structure checksum (the root). */
  s: string;
  /** Global component name -> checksum. */
  g: Named<string>;
  /** Raid name -> rollup. */
  r: Named<string>;
  /** The admin's selected raid, when it has one: its detail follows in `sd`. */
  sel?: string;
  sd?: { m: string; e: Seq<string> };
}

/** What a requester tells about one raid of a drill-down: short checksums of its copy. */
export interface DrillQuery {
  /** Raid metadata. */
  m: string;
  /** Encounters in list order. */
  e: Seq<string>;
}

/** CK.DRILL_REQ, member -> admin. */
export interface DrillReqMsg extends Envelope {
  q: Named<DrillQuery>;
  /** A full validation: answer every raid and the global components. */
  all?: boolean;
  /** With `all`, asked again: raids already received from the answer (the admin leaves them out). */
  hv?: Seq<string>;
}

/** The admin's drill-down answer for one raid. */
export interface DrillRaid {
  /** The admin has no such raid (then nothing else). */
  none?: boolean;
  m?: string;
  u?: string;
  /** Encounter checksums in list order. */
  e?: Seq<string>;
  /** Encounter index -> component name -> checksum, for encounters some requester lacks. */
  c?: Seq<Named<string>>;
}

/** CK.DRILL_RES, admin -> raid. */
export interface DrillResMsg extends Envelope {
  q: Named<DrillRaid>;
  /** With `all`: global component name -> checksum. */
  g?: Named<string>;
  all?: boolean;
  /** With `all`: how many raids the admin has (the answer comes in parts of a few raids each). */
  n?: number;
  /** With `all`: the admin's structure checksum (parts of one answer carry the same). */
  s?: string;
}

/** SY.ADMIN, raid leader -> raid. */
export interface AdminMsg extends Envelope {
  a: string;
}

/** Which node a request or answer is about (the NodeRef, short). */
export interface RefFields {
  ra?: string;
  en?: string;
  co?: string;
}

/**
 * A requester's short checksums of its copy of a node. COMPONENT / GLOBAL: entry key -> checksum;
 * ENCOUNTER: component -> checksum; RAID: {m, e by encounter name}; STRUCTURE: {g, r}.
 */
export type SubHashes = Named<unknown>;

/** SY.*_REQ, member -> admin. */
export interface RequestMsg extends Envelope, RefFields {
  h?: SubHashes;
  /** Send the whole node. */
  f?: boolean;
  /** The player's own repair: answered at once (docs/protocol.md "Timing"). */
  o?: boolean;
}

/** A component's (or global component's) delta: entries to set and keys to remove. */
export interface Delta {
  S: Named<unknown>;
  K: Seq<string | number>;
}

/** One raid of a full-structure answer. */
export interface StructureRaid {
  /** Built on the requester's own copy (it holds the shipping raid): only what differs is sent. */
  b?: boolean;
  M?: unknown;
  C?: Named<Named<unknown>>;
}

/** The admin's answer for a node (without the ref and envelope). */
export interface Answer {
  /** The node's checksum once applied. */
  x?: string;
  /** COMPONENT / GLOBAL: the whole value. */
  P?: unknown;
  /** COMPONENT / GLOBAL: a delta instead. */
  D?: Delta;
  /** ENCOUNTER: component -> value, the differing components only. */
  E?: Named<unknown>;
  /** RAID / STRUCTURE raid: the raid table (metadata and encounter list). */
  M?: unknown;
  /** RAID: the names of the encounters whose components `C` carries. */
  L?: Seq<string>;
  /** RAID: component -> encounter -> value, for those encounters. */
  C?: Named<Named<unknown>>;
  /** STRUCTURE: every raid name of the admin's plan. */
  n?: Seq<string>;
  /** STRUCTURE: the differing global components. */
  G?: Named<unknown>;
  /** STRUCTURE: the differing raids. */
  R?: Named<StructureRaid>;
  /** The admin cannot answer (unknown node). */
  err?: string;
}

/** SY.*_RES, admin / officer -> raid (an answer, or a push of an edit). */
export interface AnswerMsg extends Envelope, RefFields, Answer {
  /** An edit nobody asked for. */
  push?: boolean;
}

// (The layout adds nothing for the spec's layout: standalone messages are what they were.)
/** The payload text of a message table (v and the sender's plan layout added); undefined when it cannot be serialised. Paced with a job's tick. */
export function encode(msg: Envelope, layout: string | undefined, tick?: Tick): string | undefined {
  msg.v = SYNC_VERSION;
  msg.l = layout;
  return serialize(msg, tick).text;
}

export interface Decoded {
  /** A table of this sync version and of this client's plan layout; its fields are unchecked. */
  msg?: { [field: string]: unknown };
  /** "newer" / "older": the sender speaks another sync version; otherwise a parse problem. */
  version?: "newer" | "older";
  theirs?: number;
  /** The sender's plan layout when it is not this client's ("" = the spec's, standalone); the table is in `foreign`. */
  layout?: string;
  foreign?: { [field: string]: unknown };
  error?: string;
}

/** How a plan layout is named to players ("runs OGRH Sync ..."). */
export function layoutWords(layout: string | undefined): string {
  if (layout === undefined || layout === "") return "without OG-RaidHelper (standalone mode)";
  if (layout === LAYOUT_V2) return "with OG-RaidHelper (companion mode)";
  return "with a plan layout this version does not know (" + layout + ")";
}

/** `layout`: this client's plan layout. Paced with a job's tick (a whole plan is ~100 KB of text). */
export function decode(payload: string, layout: string | undefined, tick?: Tick): Decoded {
  const r = deserialize(payload, tick);
  if (!r.ok) return { error: "does not parse: " + (r.error ?? "?") };
  const msg = r.value as { [field: string]: unknown } | undefined;
  if (typeof msg !== "object" || msg === null) return { error: "not a table" };
  const v = msg.v;
  if (typeof v !== "number") return { error: "no version" };
  if (v > SYNC_VERSION) return { version: "newer", theirs: v };
  if (v < SYNC_VERSION) return { version: "older", theirs: v };
  const l = msg.l;
  if (l !== undefined && typeof l !== "string") return { error: "bad layout" };
  if (l !== layout) return { layout: l ?? "", foreign: msg };
  return { msg };
}
