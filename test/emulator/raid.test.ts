// The emulated raid: roster semantics of 1.12 and determinism for a seed.
import { Raid } from "../harness/raid";

describe("emulated raid", () => {
  test("GetRaidRosterInfo reports ranks, subgroups and online flags; changes fire RAID_ROSTER_UPDATE", () => {
    const raid = Raid.start({ size: 12, assistants: ["Gnuzench"] });
    const roster = () =>
      raid.member(5).eval<[string, number, number, number | null][]>(
        "(function() local l = {} for i = 1, GetNumRaidMembers() do local n, r, g, _, _, _, _, o = GetRaidRosterInfo(i) l[i] = { n, r, g, o or false } end return l end)()",
      );
    expect(roster().slice(0, 3)).toEqual([
      ["Tankmedady", 2, 1, 1],
      ["Gnuzench", 1, 1, 1],
      ["Sunderwhere", 0, 1, 1],
    ]);
    expect(roster()[11]).toEqual(["Ironveil", 0, 3, 1]);
    raid.member(5).run(`updates = 0 local f = CreateFrame("Frame") f:RegisterEvent("RAID_ROSTER_UPDATE") f:SetScript("OnEvent", function() updates = updates + 1 end)`);
    raid.member(2).logout();
    raid.setRank("Sunderwhere", 1);
    raid.leave("Aelindra");
    expect(raid.member(5).eval("updates")).toBe(3);
    expect(roster().length).toBe(11);
    expect(roster()[2]).toEqual(["Sunderwhere", 1, 1, false]);
    expect(raid.member(3).eval("GetNumRaidMembers()")).toBe(0);
    raid.close();
  });

  test("the same seed gives the same raid night: every message at the same time to the same players", () => {
    const night = (seed: number) => {
      const raid = Raid.start({ size: 40, seed, loss: 0.1, jitter: 0.3 });
      for (const c of raid.clients) {
        c.run(`got = {} local f = CreateFrame("Frame") f:RegisterEvent("CHAT_MSG_ADDON")
          f:SetScript("OnEvent", function() table.insert(got, string.format("%.3f %s %s", GetTime(), arg4, arg2)) end)
          local f2 = CreateFrame("Frame") local sent = 0
          f2:SetScript("OnUpdate", function() if sent < 3 and math.random() < 0.05 then sent = sent + 1 SendAddonMessage("P", UnitName("player") .. sent, "RAID") end end)`);
      }
      raid.advance(20);
      const all = raid.clients.map((c) => c.eval<string[]>("got"));
      raid.close();
      return JSON.stringify(all);
    };
    const a = night(5);
    expect(night(5)).toBe(a);
    expect(night(6)).not.toBe(a);
    expect(a.length).toBeGreaterThan(1000);
  });
});
