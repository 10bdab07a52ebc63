// The member's repair executor: runs the repair queue's jobs (repair.ts) by asking the admin for
// the node. A detection every member made at once (a poll, a drill-down answer) waits a random
// moment and stays silent when another member asked first; the player's own repair asks at once.
// Each job waits for an answer that fixes its node (apply.ts settles it) or times out. Manual
// repairs can follow the answer's bytes (progress) and learn when the queue is done (completion).
// Lua-only.
import type { NodeRef } from "../store/store";
import { REQ_TYPE, RequestMsg, encode } from "./protocol";
import { RepairJob, RepairOutcome } from "./repair";
import { nodeKey, nodeLabel, subHashes } from "./nodes";
import { ProgressFn, SyncContext, Wait, adminOnline, askWait, me, note, now, otherModeReason, refFields, send } from "./context";
import { MEMBER_MAX } from "./policy";

function endProgress(c: SyncContext, key: string): void {
  const fn = c.S.progress[key];
  if (fn === undefined) return;
  c.S.progress[key] = undefined;
  c.S.progressCount--;
}

/** The queue has nothing left to do (no job running, queued or waiting to retry): end every manual repair. */
function settleIfIdle(c: SyncContext): void {
  if (!c.repair.idle()) return;
  if (c.S.progressCount > 0) for (const key in c.S.progress) endProgress(c, key);
  const done = c.S.completions;
  if (done.length === 0) return;
  c.S.completions = [];
  for (const fn of done) fn();
}

/** Ends a job's wait once; the repair queue hears the outcome. */
export function finish(c: SyncContext, w: Wait, outcome: RepairOutcome): void {
  if (w.finished) return;
  w.finished = true;
  if (w.timer !== undefined) c.platform.cancel(w.timer);
  w.timer = undefined;
  if (c.S.waits[w.key] === w) c.S.waits[w.key] = undefined;
  if (outcome.ok) endProgress(c, w.key);
  w.done(outcome);
  settleIfIdle(c);
}

/** A frame of a node answer from the admin arrived: the requests are answered (no need to ask again); tell the manual repairs waiting. */
export function onPartial(c: SyncContext, sender: string, type: string, received: number, expected: number): void {
  if (type.substring(0, 3) !== "SY." || type.substring(type.length - 4) !== "_RES") return;
  if (sender !== c.perms.admin()) return;
  for (const key in c.S.waits) {
    const w = c.S.waits[key];
    if (w !== undefined) w.heard = true;
  }
  if (c.S.progressCount === 0) return;
  for (const key in c.S.progress) {
    const fn = c.S.progress[key];
    if (fn !== undefined) fn(received, expected);
  }
}

function armTimeout(c: SyncContext, w: Wait): void {
  if (w.timer !== undefined) c.platform.cancel(w.timer);
  w.timer = c.platform.after(c.cfg.timeouts[w.ref.level] ?? 20, () => {
    w.timer = undefined;
    finish(c, w, { ok: false, reason: otherModeReason(c, c.perms.admin()) ?? "no answer from the raid admin" });
  });
}

/**
 * A lost request (or an answer whose every frame was lost) would cost the level's whole timeout (2
 * minutes for the plan): when no frame of an answer came within askTimeout (1.5x longer each
 * time), the request goes out again, up to cfg.askAttempts. An answer still queued at the admin
 * covers the repeat (answer.ts), so it costs a small message at most.
 */
function armAsk(c: SyncContext, w: Wait): void {
  c.platform.after(askWait(c.cfg.askTimeout, w.asks), () => {
    if (w.finished || w.heard || c.S.waits[w.key] !== w || w.asks >= c.cfg.askAttempts) return;
    note(c, "request", nodeLabel(w.ref) + ": no answer yet, asking again", { ref: w.ref });
    sendRequest(c, w, true);
  });
}

/** Asks the admin for the job's node: the differences (sub-hashes) or, after a failed rebuild, the whole node. */
export function sendRequest(c: SyncContext, w: Wait, again = false): void {
  const admin = c.perms.admin();
  if (admin === undefined || admin === me(c)) {
    finish(c, w, { ok: false, reason: "no admin", noAdmin: true });
    return;
  }
  const other = otherModeReason(c, admin);
  if (other !== undefined) {
    // Heard meanwhile: the admin runs the other mode and will never answer.
    c.repair.clear();
    finish(c, w, { ok: false, reason: other, fatal: true });
    return;
  }
  w.sent = true;
  if (!again) w.heard = false;
  const msg: RequestMsg = refFields(w.ref);
  if (w.own) msg.o = true;
  // Encoded once: the text that is measured is the text sent.
  let text: string | undefined;
  if (!w.full) {
    msg.h = subHashes(c.store, w.ref);
    text = encode(msg, c.app.layout);
    // Hashes beyond what the admin accepts from a member (policy.ts): ask for the whole node instead.
    if ((text ?? "").length > MEMBER_MAX) w.full = true;
  }
  if (w.full) {
    msg.h = undefined;
    msg.f = true;
    text = undefined;
  }
  const bytes = send(c, REQ_TYPE[w.ref.level], msg, "NORMAL", admin, undefined, text);
  w.asks++;
  armAsk(c, w);
  c.stats.requests++;
  note(c, "request", "asked " + admin + " for " + nodeLabel(w.ref) + (w.full ? " (whole)" : "") + " (" + bytes + " bytes)", { ref: w.ref, peer: admin, whole: w.full, own: w.own });
  // Asking again (no answer started) does not extend the attempt's timeout; a new question does.
  if (!again || w.timer === undefined) armTimeout(c, w);
}

/** The repair queue's executor: one attempt at one job. */
export function run(c: SyncContext, job: RepairJob, done: (o: RepairOutcome) => void): void {
  const S = c.S;
  if (!adminOnline(c)) {
    done({ ok: false, reason: "no admin", noAdmin: true });
    return;
  }
  const other = otherModeReason(c, c.perms.admin());
  if (other !== undefined) {
    // One line for the whole queue, not one per job: none of them can be answered.
    c.repair.clear();
    done({ ok: false, reason: other, fatal: true });
    settleIfIdle(c);
    return;
  }
  const ref: NodeRef = { level: job.level, raid: job.raid, encounter: job.encounter, component: job.component };
  const key = nodeKey(ref);
  const old = S.waits[key];
  if (old !== undefined) finish(c, old, { ok: false, reason: "replaced" });
  const w: Wait = { ref, key, done, since: now(c), full: false, sent: false, own: job.own === true, finished: false, timer: undefined, asks: 0, heard: false };
  S.waits[key] = w;
  if (w.own) {
    // Nobody else found this at the same moment: no reason to wait and listen first.
    sendRequest(c, w);
    return;
  }
  w.timer = c.platform.after(c.platform.random() * c.cfg.requestJitter, () => {
    w.timer = undefined;
    if (w.finished) return;
    const heard = S.heardReq[key];
    if (heard !== undefined && heard >= w.since) {
      c.stats.requestsSuppressed++;
      note(c, "suppress", nodeLabel(ref) + ": another member asked already; waiting for that answer");
      armTimeout(c, w);
      // That request may have been lost: ask ourselves when no answer starts.
      armAsk(c, w);
      return;
    }
    sendRequest(c, w);
  });
}

/** The job's wait while it still waits its random moment (not asked yet), else undefined. */
function unasked(c: SyncContext, job: RepairJob): Wait | undefined {
  const w = c.S.waits[nodeKey({ level: job.level, raid: job.raid, encounter: job.encounter, component: job.component })];
  return w === undefined || w.finished || w.sent || w.timer === undefined ? undefined : w;
}

/**
 * The player asked for a node the running job covers while that job still waits its random moment
 * (a detection other members may share): nobody needs to go first for the player's own request.
 */
export function hurry(c: SyncContext, job: RepairJob): void {
  const w = unasked(c, job);
  if (w === undefined) return;
  c.platform.cancel(w.timer as number);
  w.timer = undefined;
  w.own = true;
  job.own = true;
  sendRequest(c, w);
}

/** The running job has not asked yet (its random moment): end its wait without a word; true when it was ended. */
export function withdraw(c: SyncContext, job: RepairJob): boolean {
  const w = unasked(c, job);
  if (w === undefined) return false;
  finish(c, w, { ok: false, reason: "withdrawn" });
  return true;
}

/** The queue is done with a job: the timeline records it ("repaired" or "failed", with the cause). */
export function settled(c: SyncContext, job: RepairJob, attempts: number, reason: string | undefined): void {
  const ref: NodeRef = { level: job.level, raid: job.raid, encounter: job.encounter, component: job.component };
  if (reason === undefined) note(c, "repaired", job.label + " after " + attempts + " attempt(s)", { ref, attempts, own: job.own === true });
  else note(c, "failed", job.label + " after " + attempts + " attempt(s): " + reason, { ref, attempts, own: job.own === true, cause: reason });
}

/** True when applying `outer` also settles `inner`. */
function within(outer: NodeRef, inner: NodeRef): boolean {
  if (outer.level === "STRUCTURE") return true;
  if (outer.level === "GLOBAL" || inner.level === "GLOBAL" || inner.level === "STRUCTURE") return outer.level === inner.level && outer.component === inner.component;
  if (outer.raid !== inner.raid) return false;
  if (outer.level === "RAID") return true;
  if (inner.level === "RAID" || outer.encounter !== inner.encounter) return false;
  if (outer.level === "ENCOUNTER") return true;
  return inner.level === "COMPONENT" && outer.component === inner.component;
}

/** A node was applied: every job it fixes is done. */
export function settleWaits(c: SyncContext, applied: NodeRef): void {
  // Collected first: finishing a job starts the next one, which adds a wait (no new keys during pairs).
  const done: Wait[] = [];
  for (const key in c.S.waits) {
    const w = c.S.waits[key];
    if (w !== undefined && within(applied, w.ref)) done.push(w);
  }
  for (const w of done) finish(c, w, { ok: true });
}

/**
 * The player's own repair of one node (the window's Repair, RequestRepair): asked at once, with
 * the priority of what the player is looking at. onProgress follows the bytes of the admin's
 * answer; onDone is called once the repair queue has nothing left to do (succeeded or given up).
 */
export function requestRepair(c: SyncContext, ref: NodeRef, onProgress?: ProgressFn, onDone?: () => void): RepairJob[] {
  const S = c.S;
  if (onProgress !== undefined) {
    const key = nodeKey(ref);
    if (S.progress[key] === undefined) S.progressCount++;
    S.progress[key] = onProgress;
  }
  if (onDone !== undefined) S.completions.push(onDone);
  const sel = S.selection;
  let priority: RepairJob["priority"] = "NORMAL";
  if (ref.raid !== undefined && ref.raid === sel.raid) priority = ref.encounter !== undefined && ref.encounter === sel.encounter ? "CRITICAL" : "HIGH";
  const job: RepairJob = { level: ref.level, raid: ref.raid, encounter: ref.encounter, component: ref.component, priority, label: nodeLabel(ref), own: true };
  const added = c.repair.queueJobs([job]);
  settleIfIdle(c);
  return added;
}
