// Pure: who a manual repair may ask (spec 6.4.2 target selector): the raid's admin first, then the
// officers (leader and assistants) online in the raid, never the player themself.
import type { RosterMember } from "../core/platform";

export interface RepairTarget {
  name: string;
  /** "Tankmedady (admin)", "Gnuzench (officer)". */
  label: string;
}

function byteLess(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d < 0;
  }
  return a.length < b.length;
}

export function repairTargets(roster: RosterMember[], admin: string | undefined, self: string): RepairTarget[] {
  const out: RepairTarget[] = [];
  const officers: string[] = [];
  let adminOnline = false;
  for (const m of roster) {
    if (!m.online || m.name === self) continue;
    if (m.name === admin) adminOnline = true;
    else if (m.rank >= 1) officers.push(m.name);
  }
  officers.sort((a, b) => (a === b ? 0 : byteLess(a, b) ? -1 : 1));
  if (adminOnline && admin !== undefined) out.push({ name: admin, label: admin + " (admin)" });
  for (const name of officers) out.push({ name, label: name + " (officer)" });
  return out;
}
