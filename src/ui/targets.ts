// Pure: who a manual repair may ask (spec 6.4.2 target selector). Only the raid admin answers repair
// requests (docs/architecture.md "Sync": one reference), so only the admin is offered; officers'
// edits reach members as pushes. Never the player themself.
import type { RosterMember } from "../core/platform";

export interface RepairTarget {
  name: string;
  /** "Tankmedady (admin)". */
  label: string;
}

export function repairTargets(roster: RosterMember[], admin: string | undefined, self: string): RepairTarget[] {
  const out: RepairTarget[] = [];
  for (const m of roster) {
    if (m.online && m.name !== self && m.name === admin) out.push({ name: admin, label: admin + " (admin)" });
  }
  return out;
}
