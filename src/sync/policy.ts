// What the receiver accepts of each sync message type (docs/protocol.md "Who may send what"): the
// transport checks it at a payload's first frame, before buffering or decoding anything, for
// senders that already passed its own check (the raid's channel, on the raid roster).
import type { TypePolicy } from "../transport/transport";
import type { Permissions } from "./permissions";
import { LEVELS, MSG, REQ_TYPE, RES_TYPE } from "./protocol";

/**
 * Largest payload (decoded bytes) of a type any raid member may send. A request's hashes of a
 * large node are far below this; a member whose request would be larger asks for the whole node.
 */
export const MEMBER_MAX = 16384;
/** The raid admin's checksum messages: a poll is a few hundred bytes, a full drill-down a few KB. */
const POLL_MAX = 16384;
const DRILL_RES_MAX = 131072;
/** An admin designation: one name. */
const ADMIN_MAX = 256;
/** A mode notice: the envelope only. */
const MODE_MAX = 64;

/** The policy of every sync type, by type; `refused` hears plan data refused from a sender without rights. */
export function syncPolicies(perms: Permissions, refused: (sender: string, type: string) => void): { [type: string]: TypePolicy } {
  const fromAdmin = (sender: string) => sender === perms.admin();
  const fromAuthor = (sender: string) => perms.canAuthor(sender);
  // The admin's messages (edits, polls, answers) are decoded before anyone else's.
  const urgent = fromAdmin;
  const out: { [type: string]: TypePolicy } = {};
  // Polls from anyone in the raid are read (then ignored unless from the admin): that is how a
  // client learns that another mode's admin runs the other plan layout (context.ts), so its plan
  // data is not taken for an attack. A member's requests are admitted the same way.
  out[MSG.POLL] = { maxSize: POLL_MAX, urgent };
  out[MSG.DRILL_REQ] = { maxSize: MEMBER_MAX, urgent };
  out[MSG.DRILL_RES] = { from: fromAdmin, maxSize: DRILL_RES_MAX, urgent };
  out[MSG.ADMIN] = { maxSize: ADMIN_MAX, urgent };
  out[MSG.MODE] = { maxSize: MODE_MAX };
  for (const level of LEVELS) {
    out[REQ_TYPE[level]] = { maxSize: MEMBER_MAX, urgent };
    // Plan data: the admin or an officer (the apply step checks again); up to the transport's maximum.
    out[RES_TYPE[level]] = { from: fromAuthor, urgent, refused };
  }
  return out;
}
