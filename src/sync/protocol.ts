// The sync layer's message types and payload encoding (docs/protocol.md, "Sync"). Every payload is
// one table in the canonical text of integrity/serialize.ts (strict parser, no code loaded), with
// `v` = SYNC_VERSION. Short field names: each payload is paid for in the 800 bytes/s budget.
import { deserialize, serialize } from "../integrity/serialize";
import type { NodeLevel } from "../store/store";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Table = any;

/** Version of the sync payloads (the transport has its own frame version). */
export const SYNC_VERSION = 1;

export const MSG = {
  /** Admin -> raid: lightweight checksums (every 30 s, and soon after an admin edit). */
  POLL: "CK.POLL",
  /** Member -> admin: encounter checksums of the raids whose rollup differs. */
  DRILL_REQ: "CK.DRILL_REQ",
  /** Admin -> raid: one answer for every drill-down request of the last 2 s. */
  DRILL_RES: "CK.DRILL_RES",
  /** Raid leader -> raid: who the raid admin is. */
  ADMIN: "SY.ADMIN",
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

/** The payload text of a message table (v added); undefined when it cannot be serialised. */
export function encode(msg: Table): string | undefined {
  msg.v = SYNC_VERSION;
  return serialize(msg).text;
}

export interface Decoded {
  msg?: Table;
  /** "newer" / "older": the sender speaks another sync version; otherwise a parse problem. */
  version?: "newer" | "older";
  theirs?: number;
  error?: string;
}

export function decode(payload: string): Decoded {
  const r = deserialize(payload);
  if (!r.ok) return { error: "does not parse: " + (r.error ?? "?") };
  const msg = r.value as Table;
  if (typeof msg !== "object" || msg === null) return { error: "not a table" };
  const v = msg.v;
  if (typeof v !== "number") return { error: "no version" };
  if (v > SYNC_VERSION) return { version: "newer", theirs: v };
  if (v < SYNC_VERSION) return { version: "older", theirs: v };
  return { msg };
}
