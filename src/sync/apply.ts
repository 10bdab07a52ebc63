// Applying node data (spec 6.3), on every client: answers and pushes are applied only from the raid
// admin or an officer, and only when the node rebuilt from the answer and this client's own copy
// has exactly the checksum the sender advertised (all or nothing). Any answer a client overhears
// that fixes its own copy is applied: one broadcast heals every member that needs it. Lua-only.
import type { Tick } from "../core/jobs";
import * as T from "../integrity/tree";
import type { RaidNode, TreeNode } from "../integrity/tree";
import { setHashPace } from "../integrity/valuehash";
import { preparePayload, readStable } from "../store/background";
import { AnswerMsg, Decoded, RES_TYPE, decode } from "./protocol";
import { composeNode, currentChecksum, nodeKey, nodeLabel } from "./nodes";
import { SyncContext, note, now, receive, refOf } from "./context";
import { finish, sendRequest, settleWaits } from "./executor";

/** Plan data from someone who may not author it: counted, and one chat line per sender per minute. */
function reject(c: SyncContext, sender: string, what: string): void {
  c.stats.rejected++;
  note(c, "reject", what + " from " + sender + ": not the raid admin or an officer");
  const last = c.S.rejectedAt[sender];
  if (last !== undefined && now(c) - last < 60) return;
  c.S.rejectedAt[sender] = now(c);
  c.app.say("Ignored " + what + " data from " + sender + ": only the raid admin or an officer may send plan data. Nothing was changed.");
}

const LEVEL_WORDS: { [level: string]: string } = { COMPONENT: "component", ENCOUNTER: "encounter", RAID: "raid", GLOBAL: "global component", STRUCTURE: "full plan" };

/**
 * Plan data the transport refused at its first frame (policy.ts): nothing of it was read, so its
 * level names it. From a player heard running the other mode it is the other mode's admin or
 * officer at work, not an attack: noted only (that player's "other mode" line says the rest).
 */
export function refusedData(c: SyncContext, sender: string, type: string): void {
  if (c.S.other[sender] !== undefined) {
    note(c, "drop", "plan data (" + type + ") from " + sender + ", who runs the other mode", { peer: sender, cause: "mode" });
    return;
  }
  for (const level in RES_TYPE) if (RES_TYPE[level] === type) reject(c, sender, LEVEL_WORDS[level]);
}

/** What the job prepares aside from an answer (apply.ts): the message, and the node rebuilt and checksummed. */
interface Prepared {
  decoded: Decoded;
  /** The node rebuilt from the answer and this client's copy (undefined: nothing to apply). */
  payload?: unknown;
  /** Its tree (STRUCTURE, RAID), computed aside so that the swap is cheap. */
  tree?: TreeNode | RaidNode;
  problem?: string;
  cause?: string;
}

/**
 * Inside a job: decodes the answer, rebuilds the node from it and this client's own copy, and
 * checksums the result, all paced. The rebuilt node shares tables with the live plan, so it is
 * rebuilt again when a write came meanwhile (readStable). Nothing is changed here.
 */
function prepare(c: SyncContext, level: string, sender: string, payload: string, tick: Tick): Prepared {
  const decoded = decode(payload, c.app.layout, tick);
  const m = decoded.msg as AnswerMsg | undefined;
  if (m === undefined || typeof m.err === "string" || typeof m.x !== "string" || !c.perms.canAuthor(sender)) return { decoded };
  const ref = refOf(level, m);
  if (ref === undefined) return { decoded };
  return readStable(c.store, tick, (t) => {
    if (currentChecksum(c.store, ref) === m.x) return { decoded };
    const composed = composeNode(c.store, ref, m, t);
    if (composed.error !== undefined) return { decoded, problem: composed.error, cause: "data" };
    let tree: TreeNode | RaidNode | undefined;
    let sum: string;
    if (t !== undefined && (ref.level === "STRUCTURE" || ref.level === "RAID")) {
      const r = preparePayload(ref, composed.payload, undefined, t);
      if (r.error !== undefined) return { decoded, problem: r.error, cause: "data" };
      tree = r.tree;
      if (tree === undefined) sum = T.UNKNOWN;
      else sum = ref.level === "STRUCTURE" ? (tree as TreeNode).structure : (tree as RaidNode).rollup;
    } else {
      sum = c.store.nodeChecksum(ref, composed.payload);
    }
    if (sum !== m.x) return { decoded, problem: "rebuilt data does not match the checksum " + sender + " sent", cause: "checksum" };
    return { decoded, payload: composed.payload, tree };
  });
}

/**
 * A node answer or push (SY.*_RES) arrived. It is decoded, rebuilt and checksummed over frames
 * (a job: a whole plan would be a frame of millions of instructions), then swapped in at once when
 * it has the sender's checksum. Jobs run in arrival order, so answers are applied in that order.
 */
export function onAnswer(c: SyncContext, level: string, sender: string, payload: string): void {
  c.app.jobs.start(
    "sync apply",
    (tick) => prepare(c, level, sender, payload, tick),
    (ok, r, err) => {
      setHashPace(undefined);
      if (!ok || r === undefined) {
        note(c, "error", "applying an answer from " + sender + " failed: " + String(err));
        return;
      }
      settle(c, level, sender, payload, r);
    },
  );
}

/** Outside the job: the checks and the swap (one cheap step), or the discard and what follows it. */
function settle(c: SyncContext, level: string, sender: string, payload: string, r: Prepared): void {
  const raw = receive(c, sender, payload, r.decoded);
  if (raw === undefined) return;
  const m = raw as AnswerMsg;
  const ref = refOf(level, m);
  if (ref === undefined) return;
  const key = nodeKey(ref);
  const label = nodeLabel(ref);
  if (!c.perms.canAuthor(sender)) {
    reject(c, sender, label);
    return;
  }
  const w = c.S.waits[key];
  if (typeof m.err === "string") {
    note(c, "error", label + ": " + sender + " says " + m.err);
    if (w !== undefined) finish(c, w, { ok: false, reason: m.err, fatal: true });
    return;
  }
  if (typeof m.x !== "string") return;
  if (currentChecksum(c.store, ref) === m.x) {
    if (w !== undefined) finish(c, w, { ok: true });
    return;
  }
  let problem = r.problem;
  let cause = r.cause ?? "data";
  if (problem === undefined && r.payload === undefined) problem = "answer has no data";
  if (problem === undefined) {
    if (level === "RAID" || level === "STRUCTURE") {
      note(c, "bulk", "before replacing " + label + ": backup hook", { ref, peer: sender });
      c.app.beforeBulkApply(label, "sync from " + sender);
    }
    // The checksum was checked aside with the tree; levels without a tree are small: the store checks.
    const check = r.tree === undefined ? m.x : undefined;
    problem = c.store.apply(ref, r.payload, "sync", check, r.tree);
    cause = "store";
  }
  if (problem !== undefined) {
    c.stats.discarded++;
    note(c, "discard", label + " from " + sender + ": " + problem + "; nothing changed", { ref, peer: sender, cause });
    if (w !== undefined && !w.finished) {
      if (!w.sent) {
        // We stayed silent for someone else's answer, and it does not fix our copy: ask now.
        sendRequest(c, w);
      } else if (!w.full) {
        w.full = true;
        sendRequest(c, w);
      } else {
        finish(c, w, { ok: false, reason: problem });
      }
    }
    return;
  }
  c.stats.applied++;
  note(c, "apply", label + " from " + sender + (m.push === true ? " (edit)" : w !== undefined ? "" : " (overheard)"), { ref, peer: sender });
  settleWaits(c, ref);
}
