import type { RosterMember } from "../../src/core/platform";
import { createPermissions } from "../../src/sync/permissions";

function rosterOf(list: [string, number, boolean?][]): RosterMember[] {
  return list.map(([name, rank, online = true], i) => ({ name, rank, subgroup: Math.floor(i / 5) + 1, online }));
}

describe("permissions", () => {
  test("the raid leader is admin by default; assistants are officers; the rest members", () => {
    const roster = rosterOf([["Tankmedady", 2], ["Gnuzench", 1], ["Sunderwhere", 0]]);
    const p = createPermissions(() => roster, () => "Sunderwhere");
    expect(p.admin()).toBe("Tankmedady");
    expect(["Tankmedady", "Gnuzench", "Sunderwhere", "Stranger"].map(p.permissionOf)).toEqual(["ADMIN", "OFFICER", "MEMBER", undefined]);
    expect(p.canAuthor("Gnuzench")).toBe(true);
    expect(p.canAuthor("Sunderwhere")).toBe(false);
  });

  test("only the leader designates an admin; an offline admin falls back to the leader", () => {
    const roster = rosterOf([["Tankmedady", 2], ["Gnuzench", 1], ["Sunderwhere", 0]]);
    const p = createPermissions(() => roster, () => "Gnuzench");
    expect(p.designate("Gnuzench", "Gnuzench")).toBe(false);
    expect(p.designate("Tankmedady", "Sunderwhere")).toBe(true);
    expect(p.admin()).toBe("Sunderwhere");
    expect(p.permissionOf("Sunderwhere")).toBe("ADMIN");
    expect(p.permissionOf("Tankmedady")).toBe("OFFICER");
    roster[2].online = false;
    expect(p.admin()).toBe("Tankmedady");
    expect(p.canAuthor("Sunderwhere")).toBe(false);
  });

  test("solo, the player is the admin of their own plan", () => {
    const p = createPermissions(() => [], () => "Tankmedady");
    expect(p.admin()).toBe("Tankmedady");
    expect(p.permissionOf("Tankmedady")).toBe("ADMIN");
    expect(p.permissionOf("Other")).toBeUndefined();
  });
});
