// Lost frames asked for again (issue 12). A multi-frame payload addressed to this client that
// stalls with frames missing is completed by asking its sender for just those frames (TX.NACK:
// "id:index,index,..."); the sender keeps the frame texts of its recent multi-frame payloads and
// sends the asked frames again (once per frame per RESEND_GAP, however many ask). Without this a
// large answer (tens of frames) rarely arrives whole at a few percent loss: one lost frame lost all.
// Only the payload's target asks (everyone else hears the same broadcast but did not ask for it),
// plus a receiver that lost the first frame (it cannot know the target): few messages at any loss.
import type { OutMessage, Throttle } from "./throttle";
import { note, Reassembly, TransportState } from "./state";
import type { DeliveryMeta } from "./types";
import { sendPayload } from "./send";

export const NACK_TYPE = "TX.NACK";
/** Seconds without a new frame before the gaps below the highest frame received are asked for. */
export const NACK_STALL = 2;
/** Seconds without a new frame before the frames after the highest one received are asked for too. */
export const NACK_TAIL = 5;
/** Asks per payload. */
export const MAX_NACKS = 6;
/** Frame indices per ask. */
const MAX_ASKED = 60;
/** A sender keeps its frames this many seconds (send.ts keepSent). */
const KEEP_SECONDS = 120;
/** A frame is sent again at most once in this many seconds. */
const RESEND_GAP = 2;

/** A receiver asks for frames of one of this client's payloads: send those already sent again. */
export function onNack(st: TransportState, throttle: Throttle, sender: string, payload: string, meta: DeliveryMeta): void {
  if (!meta.forMe) return;
  const colon = payload.indexOf(":");
  if (colon < 1) return;
  const id = Number(payload.substring(0, colon));
  const sp = id === id ? st.sent[id] : undefined;
  const now = st.platform.now();
  if (sp === undefined || now - sp.t > KEEP_SECONDS) return;
  const texts: string[] = [];
  let n = 0;
  const fields = payload.substring(colon + 1).split(",");
  for (let f = 0; f < fields.length && f < MAX_ASKED; f++) {
    const index = Number(fields[f]);
    // Frames still waiting in the throttle are on their way already.
    if (!(index >= 0) || index >= sp.count || index >= sp.msg.next || index !== Math.floor(index)) continue;
    const at = sp.resentAt[index];
    if (at !== undefined && now - at < RESEND_GAP) continue;
    sp.resentAt[index] = now;
    texts[n] = sp.frames[index];
    n++;
  }
  if (n === 0) return;
  note(st, "frames sent again", sender + " #" + id + ": " + n);
  st.resentFrames += n;
  const out: OutMessage = { prio: "NORMAL", frames: undefined, nframes: 0, next: 0, failed: false, distribution: sp.msg.distribution, onFrameSent: undefined, onDone: undefined, cost: 0 };
  throttle.enqueue(out);
  throttle.ready(out, texts, n);
}

/** Watches an incomplete payload: when it stalls with frames missing, asks its sender for them. */
export function watchPartial(st: TransportState, throttle: Throttle, sender: string, p: Reassembly): void {
  if (p.watching === true) return;
  p.watching = true;
  st.platform.after(NACK_STALL, () => checkPartial(st, throttle, sender, p));
}

function checkPartial(st: TransportState, throttle: Throttle, sender: string, p: Reassembly): void {
  p.watching = false;
  const s = st.senders[sender];
  if (s === undefined || s.partials[p.id] !== p) return;
  if (p.env !== undefined && p.env.target !== st.platform.playerName()) return;
  // Since the last frame, or the last ask (which does not extend the reassembly timeout).
  const idle = st.platform.now() - (p.askedAt !== undefined && p.askedAt > p.last ? p.askedAt : p.last);
  const asked = p.nacks ?? 0;
  if (asked >= MAX_NACKS) return;
  // watching was cleared above, so this schedules the next look.
  const again = () => watchPartial(st, throttle, sender, p);
  if (idle < NACK_STALL - 0.001) return again();
  const missing: number[] = [];
  if (p.count === 0) missing.push(0);
  else {
    let top = -1;
    for (let k = 0; k < p.count; k++) if (p.bodies[k] !== undefined) top = k;
    const last = idle >= NACK_TAIL ? p.count - 1 : top;
    for (let k = 0; k <= last && missing.length < MAX_ASKED; k++) if (p.bodies[k] === undefined) missing.push(k);
  }
  if (missing.length === 0) return again();
  p.nacks = asked + 1;
  sendPayload(st, throttle, NACK_TYPE, p.id + ":" + missing.join(","), { priority: "ALERT", target: sender, compress: false });
  note(st, "asked for lost frames", sender + " #" + p.id + ": " + missing.length);
  // The next look waits for the frames to come back through the sender's throttle.
  p.askedAt = st.platform.now();
  again();
}
