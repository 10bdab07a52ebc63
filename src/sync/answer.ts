// The admin's side of node repairs (spec 6.3): requests for one node are collected for a moment
// (requestBatch) and answered once for every requester with only what differs (nodes.ts
// buildAnswer); a request that an answer just sent already covers is not answered again; a
// player's own repair (`o`) is answered at once. An answer for a single requester goes after the
// admin's edits, polls and answers for several (BULK), one at a time per requester, within a byte
// allowance per requester: no member can fill the admin's upload. Edits of the admin or an officer
// go out on their own (pushes), followed by a poll. Lua-only.
import type { NodeRef, StoreChange } from "../store/store";
import type { Tick } from "../core/jobs";
import { setHashPace } from "../integrity/valuehash";
import { readStable } from "../store/background";
import { AnswerMsg, RES_TYPE, RequestMsg, SubHashes, encode } from "./protocol";
import { Parts, buildAnswer, covers, currentChecksum, nodeKey, nodeLabel } from "./nodes";
import { Allowance, MAX_KEYED, PendingRequests, SyncContext, inRaid, isAdmin, me, note, now, receive, refFields, refOf, send } from "./context";
import { noteHeard } from "./heard";
import { broadcastChecksums } from "./poll";
import { isTable } from "../core/values";

/** An answer message (ref fields and the answer), the parts it carries, and its text. */
interface Built {
  msg: AnswerMsg;
  parts: Parts;
  x: string | undefined;
  text: string | undefined;
}

/** The answer message for a node, encoded; paced with a job's tick. */
function answerMsg(c: SyncContext, ref: NodeRef, requests: (SubHashes | undefined)[], n: number, push: boolean, tick?: Tick): Built {
  const built = buildAnswer(c.store, ref, requests, n, tick);
  const msg: AnswerMsg = refFields(ref);
  const a = built.answer as { [field: string]: unknown };
  const out = msg as { [field: string]: unknown };
  for (const k in a) out[k] = a[k];
  if (push) msg.push = true;
  return { msg, parts: built.parts, x: built.answer.x, text: encode(msg, c.app.layout, tick) };
}

/**
 * Builds and encodes an answer over frames (a job: a whole plan is over a million instructions of
 * extraction and serialising), then calls `ready` with it. The answer is read from the live plan,
 * so it is built again when a write came meanwhile (readStable): data and `x` always agree.
 */
function answerLater(c: SyncContext, ref: NodeRef, requests: (SubHashes | undefined)[], n: number, push: boolean, ready: (b: Built) => void): void {
  c.app.jobs.start(
    "sync answer",
    (tick) => readStable(c.store, tick, (t) => answerMsg(c, ref, requests, n, push, t)),
    (ok, b, err) => {
      setHashPace(undefined);
      if (!ok || b === undefined) note(c, "error", "building the answer for " + nodeLabel(ref) + " failed: " + String(err));
      else ready(b);
    },
  );
}

/** Records an answer for `key` as queued; its onDone notes when the last frame went out. */
function remember(c: SyncContext, key: string, x: string | undefined, parts: Parts): ((ok: boolean) => void) | undefined {
  if (x === undefined) return undefined;
  const rec = { x, t: undefined as number | undefined, parts };
  c.S.recent[key] = rec;
  return (ok: boolean) => {
    if (ok) rec.t = now(c);
    else if (c.S.recent[key] === rec) c.S.recent[key] = undefined;
  };
}

function bulkOrNormal(ref: NodeRef): "BULK" | "NORMAL" {
  return ref.level === "RAID" || ref.level === "STRUCTURE" ? "BULK" : "NORMAL";
}

/** Answer bytes per second a single requester may use, and at most at once (a full sync fits). */
const REQUESTER_RATE = 400;
const REQUESTER_BURST = 20000;
/** Requests for one node collected at most in one batch; later ones are answered by the same answer. */
const MAX_BATCH = 40;

function allowance(c: SyncContext, a: Allowance): number {
  return Math.min(REQUESTER_BURST, a.bytes + (now(c) - a.at) * REQUESTER_RATE);
}

/** False (noted) when the requester's last answer is still queued or its allowance is spent. */
function mayAnswer(c: SyncContext, sender: string): boolean {
  const a = c.S.requesters[sender];
  if (a === undefined) return true;
  if (!a.busy && allowance(c, a) > 0) return true;
  note(c, "drop", "request from " + sender + ": " + (a.busy ? "its last answer is still queued" : "over its answer allowance"), { peer: sender, cause: "limit" });
  return false;
}

/** An answer for a single requester: the returned onDone charges what it cost on the wire and frees the requester. */
function charge(c: SyncContext, sender: string, then: ((ok: boolean) => void) | undefined): (ok: boolean, cost: number) => void {
  const S = c.S;
  let a = S.requesters[sender];
  if (a === undefined) {
    if (S.requesterCount >= MAX_KEYED) {
      // Only entries with an answer still queued matter; the others start over full.
      const busy: { [sender: string]: Allowance | undefined } = {};
      let n = 0;
      for (const k in S.requesters) {
        const e = S.requesters[k];
        if (e !== undefined && e.busy) {
          busy[k] = e;
          n++;
        }
      }
      S.requesters = busy;
      S.requesterCount = n;
    }
    a = { bytes: REQUESTER_BURST, at: now(c), busy: false };
    S.requesters[sender] = a;
    S.requesterCount++;
  }
  const entry = a;
  entry.busy = true;
  return (ok, cost) => {
    entry.bytes = allowance(c, entry) - cost;
    entry.at = now(c);
    entry.busy = false;
    if (then !== undefined) then(ok);
  };
}

function answerPending(c: SyncContext, key: string, p: PendingRequests): void {
  // Several requesters: everyone's repair, as urgent as the data; one: after the edits and polls,
  // and that requester is busy until the answer has left.
  const single = p.n === 1;
  const charged = single ? charge(c, p.first, undefined) : undefined;
  answerLater(c, p.ref, p.list, p.n, false, (built) => {
    const remembered = remember(c, key, built.x, built.parts);
    const onDone = charged === undefined ? remembered : (ok: boolean, cost: number) => {
      charged(ok, cost);
      if (remembered !== undefined) remembered(ok);
    };
    const bytes = send(c, RES_TYPE[p.ref.level], built.msg, single ? "BULK" : bulkOrNormal(p.ref), p.first, onDone, built.text);
    c.stats.answers++;
    const whole = built.msg.P !== undefined || built.parts["*"] === true;
    const what = built.msg.err !== undefined ? "error: " + built.msg.err : whole ? "whole node" : "differences only";
    note(c, "answer", nodeLabel(p.ref) + " for " + p.n + " requester(s), " + what + " (" + bytes + " bytes)", { ref: p.ref, peer: p.first, whole, requesters: p.n, cause: built.msg.err });
  });
}

function flushRequests(c: SyncContext): void {
  const S = c.S;
  S.reqTimer = undefined;
  const keys = S.pendingKeys;
  S.pendingKeys = [];
  for (const key of keys) {
    const p = S.pending[key];
    S.pending[key] = undefined;
    if (p !== undefined) answerPending(c, key, p);
  }
}

/** A node request: the admin answers it (batched); a member notes that someone asked. */
export function onRequest(c: SyncContext, level: string, sender: string, payload: string, tick?: Tick): void {
  const S = c.S;
  const raw = receive(c, sender, payload, undefined, tick);
  if (raw === undefined) return;
  const m = raw as RequestMsg;
  const ref = refOf(level, m);
  if (ref === undefined) return;
  const key = nodeKey(ref);
  if (!isAdmin(c)) {
    // Only a node this client is about to ask for matters.
    if (S.waits[key] !== undefined) noteHeard(c, false, key);
    return;
  }
  if (c.perms.permissionOf(sender) === undefined) {
    note(c, "drop", "request from " + sender + ", who is not in the raid");
    return;
  }
  if (!mayAnswer(c, sender)) return;
  const hashes = m.f === true || !isTable(m.h) ? undefined : m.h;
  const rec = S.recent[key];
  // An answer still queued, or sent so recently that this request crossed it, covers the
  // request when it carries everything the requester lacks. Later requests missed it: answer.
  if (rec !== undefined && (rec.t === undefined || now(c) - rec.t < c.cfg.recentAnswer) && rec.x === currentChecksum(c.store, ref)) {
    const need = buildAnswer(c.store, ref, [hashes], 1, undefined, true).parts;
    if (covers(rec.parts, need)) {
      c.stats.answersSkipped++;
      note(c, "skip", nodeLabel(ref) + " from " + sender + ": the answer just sent covers it");
      return;
    }
  }
  let p = S.pending[key];
  if (p === undefined && m.o === true) {
    // One player's own repair (not a detection every member made at once): nobody else is
    // expected to ask, so it is answered now; a request that crosses it is covered (above).
    note(c, "request", nodeLabel(ref) + " from " + sender + (hashes === undefined ? " (whole)" : "") + ", own repair: answered at once", { ref, peer: sender, whole: hashes === undefined, own: true });
    answerPending(c, key, { ref, list: [hashes], n: 1, first: sender });
    return;
  }
  if (p === undefined) {
    p = { ref, list: [], n: 0, first: sender };
    S.pending[key] = p;
    S.pendingKeys.push(key);
  }
  if (p.n >= MAX_BATCH) return;
  p.list[p.n] = hashes;
  p.n++;
  note(c, "request", nodeLabel(ref) + " from " + sender + (hashes === undefined ? " (whole)" : ""), { ref, peer: sender, whole: hashes === undefined, own: false });
  if (S.reqTimer === undefined) S.reqTimer = c.platform.after(c.cfg.requestBatch, () => flushRequests(c));
}

/** Sends this client's copy of a node to target (or everyone): spec SyncComponent & co. A reason when it cannot. */
export function push(c: SyncContext, ref: NodeRef, target: string | undefined): string | undefined {
  if (currentChecksum(c.store, ref) === "") {
    const reason = "Cannot sync " + nodeLabel(ref) + ": " + (ref.level === "RAID" ? "unknown raid" : "unknown raid or encounter") + " in your plan.";
    c.app.say(reason);
    return reason;
  }
  if (!c.perms.canAuthor(me(c)) && inRaid(c)) {
    c.app.say("You are not the raid admin or an officer: other players will ignore this data.");
  }
  answerLater(c, ref, [], 0, true, (built) => {
    const bytes = send(c, RES_TYPE[ref.level], built.msg, bulkOrNormal(ref), target, undefined, built.text);
    c.stats.pushes++;
    note(c, "push", nodeLabel(ref) + " sent to " + (target ?? "the raid") + " (" + bytes + " bytes)");
  });
  return undefined;
}

// ----- admin (and officers): edits go out at once ------------------------------------------------

function flushEdits(c: SyncContext): void {
  const S = c.S;
  S.editTimer = undefined;
  const edits = S.edits;
  const many = S.editCount > 12;
  S.edits = {};
  S.editCount = 0;
  if (!inRaid(c)) return;
  if (!many) {
    for (const key in edits) {
      const ref = edits[key];
      if (currentChecksum(c.store, ref) === "") continue;
      // Edited components are small: built at once, so they leave before the checksums below.
      const built = answerMsg(c, ref, [], 0, true);
      if (built.msg.err !== undefined) continue;
      const text = built.text;
      if (text === undefined || text.length > c.cfg.pushMax) continue;
      const bytes = send(c, RES_TYPE[ref.level], built.msg, "NORMAL", undefined, remember(c, key, built.x, built.parts), text);
      c.stats.pushes++;
      note(c, "push", "edit of " + nodeLabel(ref) + " sent to the raid (" + bytes + " bytes)");
    }
  }
  // Same priority as the pushes: the checksums arrive after the data they describe.
  broadcastChecksums(c, "NORMAL");
}

/** Writes that sync itself made (applied answers and pushes): never pushed on. */
function isSyncSource(source: unknown): boolean {
  return typeof source === "string" && source.substring(0, 4) === "sync";
}

/** Collects the admin's (or an officer's) edited components for one push after the burst. */
export function onStoreChange(c: SyncContext, change: StoreChange): void {
  const S = c.S;
  // Every write of the admin (or an officer) is authored, whatever its source ("local", "restore",
  // "defaults", "import", ...), except data this client applied from sync: the raid converges to
  // a restored backup or reloaded defaults as it does to an edit.
  if (isSyncSource(change.source) || !inRaid(c) || !c.perms.canAuthor(me(c))) return;
  for (const ch of change.changes) {
    let ref: NodeRef | undefined;
    if (ch.level === "COMPONENT") ref = { level: "COMPONENT", raid: ch.raid, encounter: ch.encounter, component: ch.component };
    else if (ch.level === "GLOBAL") ref = { level: "GLOBAL", component: ch.component };
    if (ref === undefined) continue;
    const key = nodeKey(ref);
    if (S.edits[key] === undefined) S.editCount++;
    S.edits[key] = ref;
  }
  if (S.editTimer !== undefined) c.platform.cancel(S.editTimer);
  S.editTimer = c.platform.after(c.cfg.editDebounce, () => flushEdits(c));
}
