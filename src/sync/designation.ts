// Who the raid admin is (spec 6.4.1): the raid leader chooses (SY.ADMIN) and repeats the choice for
// players who join or reload; everyone applies a designation only from the raid leader. Lua-only.
import { AdminMsg, MSG } from "./protocol";
import { SyncContext, me, note, receive, send } from "./context";
import type { Tick } from "../core/jobs";

/** A designation arrived. */
export function onAdmin(c: SyncContext, sender: string, payload: string, tick?: Tick): void {
  // A designation carries no plan data: it counts whatever the leader's mode, so a leader in one
  // mode can give the players of the other mode an admin of their own.
  const m = receive(c, sender, payload, undefined, tick, true);
  if (m === undefined || typeof m.a !== "string") return;
  const name = m.a;
  const before = c.perms.designated();
  if (!c.perms.designate(sender, name)) {
    note(c, "drop", "admin designation from " + sender + ", who is not the raid leader");
    return;
  }
  if (before !== name) c.app.say("Raid admin: " + name + " (chosen by " + sender + ").");
}

/** A member of the other plan layout says so (SY.MODE): receive() tells the player; there is nothing else in it. */
export function onMode(c: SyncContext, sender: string, payload: string, tick?: Tick): void {
  receive(c, sender, payload, undefined, tick);
}

/** The raid leader chooses the raid admin; false (and a chat line) when this client may not. */
export function designate(c: SyncContext, name: string): boolean {
  const leader = c.perms.leader();
  let found = false;
  for (const m of c.platform.roster()) if (m.name === name) found = true;
  if (leader !== me(c)) {
    c.app.say("Only the raid leader can choose the raid admin" + (leader === undefined ? "." : " (the leader is " + leader + ")."));
    return false;
  }
  if (!found) {
    c.app.say(name + " is not in the raid.");
    return false;
  }
  c.perms.designate(me(c), name);
  const msg: AdminMsg = { a: name };
  send(c, MSG.ADMIN, msg, "ALERT", undefined);
  c.app.say("Raid admin: " + name + ".");
  return true;
}

/** The leader repeats the designation 5 s after roster changes, for players who joined or reloaded. */
export function onRosterUpdate(c: SyncContext): void {
  const S = c.S;
  const d = c.perms.designated();
  if (d === undefined || S.announceTimer !== undefined) return;
  S.announceTimer = c.platform.after(5, () => {
    S.announceTimer = undefined;
    const current = c.perms.designated();
    if (c.perms.leader() === me(c) && current !== undefined) send(c, MSG.ADMIN, { a: current } as AdminMsg, "NORMAL", undefined);
  });
}
