// Helpers for the rollback tests: wait for backup jobs, read backups, edit the plan as a player would.
import { Client, Raid } from "../harness/raid";

/** Lets frames pass until every rollback job of the client is done (at most `max` seconds). */
export function settle(raid: Raid, c: Client, max = 30): void {
  for (let t = 0; t < max; t += 0.25) {
    if (c.eval<number>("OGRH.Rollback.Pending()") === 0) return;
    raid.advance(0.25);
  }
  throw new Error("rollback jobs still pending after " + max + " s");
}

export interface Info {
  id: number;
  label: string;
  reason: string;
  size: number;
  packed: number;
  added: number;
  pinned: boolean;
  damaged: boolean;
  root: string;
  timestamp: number;
  timeText: string;
  sizeText: string;
}

export function list(c: Client): Info[] {
  const l = c.eval<Info[] | Record<string, never>>("OGRH.Rollback.ListBackups()");
  return Array.isArray(l) ? l : [];
}

/** Sets one assignment slot through the write API (a player's edit). */
export function assign(c: Client, raid: string, enc: string, role: number, slot: number, name: string): void {
  c.run(`assert(OGRH.Store.Set({ "encounterAssignments", ${JSON.stringify(raid)}, ${JSON.stringify(enc)}, ${role}, ${slot} }, ${JSON.stringify(name)}))`);
}

export function root(c: Client): string {
  return c.eval<string>("OGRH.SyncIntegrity.GetStructureChecksum()");
}

/** The structure checksum computed fresh from the data (not the cache). */
export function freshRoot(c: Client): string {
  return c.eval<string>("OGRH.GetAllHierarchicalChecksums().structure");
}

/** Manual backup through the API, run to completion; returns its id. */
export function backup(raid: Raid, c: Client, label: string): number {
  c.run(`assert(OGRH.Rollback.CreateManualBackup(${JSON.stringify(label)}))`);
  settle(raid, c);
  return list(c)[0].id;
}

/** An automatic backup through the API, run to completion. */
export function autoBackup(raid: Raid, c: Client, label: string, reason = "Automatic"): void {
  c.run(`assert(OGRH.Rollback.CreateBackup(${JSON.stringify(label)}, ${JSON.stringify(reason)}))`);
  settle(raid, c);
}

export function restore(raid: Raid, c: Client, id: number): void {
  c.run(`assert(OGRH.Rollback.RestoreBackup(${id}))`);
  settle(raid, c);
}

export function lastLines(c: Client, n = 5): string {
  return c.chatText().split("\n").slice(-n).join("\n");
}
