// Who may author plan data. ADMIN: the raid's designated admin, chosen by the raid leader (the
// leader by default). OFFICER: the raid leader and assistants. MEMBER: everyone else. Names are
// the server-stamped senders checked against the live roster, so they cannot be forged.
import type { RosterMember } from "../core/platform";

export type Permission = "ADMIN" | "OFFICER" | "MEMBER";

/** The raid leader (rank 2) of a roster, if any. */
export function raidLeader(roster: RosterMember[]): string | undefined {
  for (const m of roster) {
    if (m.rank === 2) return m.name;
  }
  return undefined;
}

/** @noSelf */
export interface Permissions {
  /** The effective admin now: the designated admin while online in the raid, else the leader. */
  admin: () => string | undefined;
  /** undefined when the name is not in the raid (or offline). */
  permissionOf: (name: string) => Permission | undefined;
  /** ADMIN or OFFICER, online in the raid: may send plan data that others apply. */
  canAuthor: (name: string) => boolean;
  /** Applies an admin designation; only the current raid leader may make one. */
  designate: (sender: string, adminName: string) => boolean;
  /** The designated admin as announced (may be offline). */
  designated: () => string | undefined;
  /** The raid leader now (online or not). */
  leader: () => string | undefined;
}

/**
 * `reference`: another addon's raid admin (OG-RaidHelper's in companion mode), which wins over our
 * designation while that player is online in the raid, so both addons answer to the same admin.
 */
export function createPermissions(roster: () => RosterMember[], playerName: () => string, reference?: () => string | undefined): Permissions {
  let designatedAdmin: string | undefined;

  const online = (name: string): RosterMember | undefined => {
    for (const m of roster()) {
      if (m.name === name) return m.online ? m : undefined;
    }
    return undefined;
  };

  const leader = (): string | undefined => raidLeader(roster());

  const admin = (): string | undefined => {
    const members = roster();
    // Solo, the player is the authority over their own plan.
    if (members.length === 0) return playerName();
    const theirs = reference === undefined ? undefined : reference();
    if (theirs !== undefined && online(theirs) !== undefined) return theirs;
    if (designatedAdmin !== undefined && online(designatedAdmin) !== undefined) return designatedAdmin;
    const l = leader();
    return l !== undefined && online(l) !== undefined ? l : undefined;
  };

  const permissionOf = (name: string): Permission | undefined => {
    if (roster().length === 0) return name === playerName() ? "ADMIN" : undefined;
    const m = online(name);
    if (m === undefined) return undefined;
    if (name === admin()) return "ADMIN";
    return m.rank >= 1 ? "OFFICER" : "MEMBER";
  };

  return {
    admin,
    permissionOf,
    canAuthor: (name) => {
      const p = permissionOf(name);
      return p === "ADMIN" || p === "OFFICER";
    },
    designate: (sender, adminName) => {
      if (sender !== leader() || online(sender) === undefined) return false;
      designatedAdmin = adminName;
      return true;
    },
    designated: () => designatedAdmin,
    leader,
  };
}
