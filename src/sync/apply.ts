// Applying node data (spec 6.3), on every client: answers and pushes are applied only from the raid
// admin or an officer, and only when the node rebuilt from the answer and this client's own copy
// has exactly the checksum the sender advertised (all or nothing). Any answer a client overhears
// that fixes its own copy is applied: one broadcast heals every member that needs it. Lua-only.
import { AnswerMsg } from "./protocol";
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

/** A node answer or push (SY.*_RES) arrived. */
export function onAnswer(c: SyncContext, level: string, sender: string, payload: string): void {
  const raw = receive(c, sender, payload);
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
  const composed = composeNode(c.store, ref, m);
  let problem = composed.error;
  let cause = "data";
  if (problem === undefined && c.store.nodeChecksum(ref, composed.payload) !== m.x) {
    problem = "rebuilt data does not match the checksum " + sender + " sent";
    cause = "checksum";
  }
  if (problem === undefined) {
    if (level === "RAID" || level === "STRUCTURE") {
      note(c, "bulk", "before replacing " + label + ": backup hook", { ref, peer: sender });
      c.app.beforeBulkApply(label, "sync from " + sender);
    }
    problem = c.store.apply(ref, composed.payload, "sync", m.x);
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
