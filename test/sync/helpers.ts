// Helpers for sync tests in the emulated raid: corrupt a player's plan, wait until every root
// matches the admin's, read the sync timeline and the bytes on the wire.
import { Client, Raid, RaidOptions } from "../harness/raid";
// The timeline's event and node shapes, as the addon's Log() returns them.
import type { SyncEvent } from "../../src/sync/context";
import type { NodeRef as Ref } from "../../src/store/store";
export type { Ref, SyncEvent };

export const ADMIN = "Tankmedady";

/** Lua that sets OGRH_SV.<path> = <value> directly (bypassing the store) and refreshes the cache, as corruption would. */
export function corruptLua(assignment: string): string {
  return `${assignment} OGRH.SyncIntegrity.VerifyCache()`;
}

export class SyncRaid {
  constructor(readonly raid: Raid) {}

  /** Starts a raid and lets every client finish loading (the first poll goes out at 5 s). */
  static start(options: RaidOptions & { quietPolls?: boolean } = {}): SyncRaid {
    const raid = Raid.start({ size: 5, latency: 0.2, ...options });
    const s = new SyncRaid(raid);
    if (options.quietPolls) {
      // Spec tests drive repairs by hand: no periodic poll after the first one.
      for (const c of raid.clients) c.run("OGRH.SyncGranular.config.polling = false");
    }
    return s;
  }

  get admin(): Client {
    return this.raid.player(ADMIN);
  }

  member(n: number): Client {
    return this.raid.member(n);
  }

  structure(c: Client): string {
    return c.eval<string>("OGRH.SyncIntegrity.GetStructureChecksum()");
  }

  /** Every player whose structure checksum differs from the admin's. */
  outOfSync(): string[] {
    const want = this.structure(this.admin);
    return this.raid.clients.filter((c) => this.structure(c) !== want).map((c) => c.name);
  }

  /** Advances in steps until pred() holds; returns the simulated seconds taken (Infinity when it never did). */
  until(pred: () => boolean, maxSeconds: number, step = 0.5): number {
    let waited = 0;
    while (waited < maxSeconds) {
      if (pred()) return waited;
      this.raid.advance(step);
      waited += step;
    }
    return pred() ? waited : Infinity;
  }

  corrupt(c: Client, assignment: string): void {
    c.run(corruptLua(assignment));
  }

  component(c: Client, raid: string, enc: string, comp: string): string {
    return c.eval<string>(`OGRH.ComputeComponentChecksum(${JSON.stringify(raid)}, ${JSON.stringify(enc)}, ${JSON.stringify(comp)})`);
  }

  log(c: Client): SyncEvent[] {
    const list = c.eval<SyncEvent[] | Record<string, never>>("OGRH.SyncGranular.Log()");
    return Array.isArray(list) ? list : [];
  }

  /** Events of one kind in a player's timeline. */
  events(c: Client, kind: string): SyncEvent[] {
    return this.log(c).filter((e) => e.kind === kind);
  }

  /** The nodes a player's repair queue repaired, in order. */
  repaired(c: Client): Ref[] {
    return this.events(c, "repaired").map((e) => e.ref as Ref);
  }

  /** The repairs a player's queue gave up: node, attempts and the reason. */
  failed(c: Client): { ref: Ref; attempts: number; cause: string }[] {
    return this.events(c, "failed").map((e) => ({ ref: e.ref as Ref, attempts: e.attempts as number, cause: e.cause as string }));
  }

  stats(c: Client): Record<string, number> {
    return c.eval("OGRH.SyncGranular.Stats()");
  }

  /** Addon messages (frames) sent since `t`, optionally only from one player. */
  frames(since: number, from?: string): { t: number; from: string; size: number; text: string }[] {
    return this.raid.messages().filter((m) => m.t >= since && m.prefix === "OGSY" && (from === undefined || m.from === from));
  }

  /** Payloads of one sync type sent since `t` (first frames carry the type right after the envelope). */
  payloadsOfType(since: number, type: string, from?: string): number {
    return this.frames(since, from).filter((m) => (m.text[1] === "S" || m.text[1] === "F") && m.text.includes(type)).length;
  }

  budgetViolations(): string[] {
    const out: string[] = [];
    for (const c of this.raid.clients) for (const v of c.budgetViolations()) out.push(c.name + " at " + v.t + ": " + v.deficit);
    return out;
  }

  close(): void {
    this.raid.close();
  }
}

/** Chat lines of the sync (repair and detection), colours stripped. */
export function syncLines(c: Client): string[] {
  return c
    .chatText()
    .split("\n")
    .filter((l) => /mismatch|repair|Repair|Ignored|update|admin/.test(l));
}
