// Issue 5 acceptance in the emulated 40-player raid (1 admin + 39 members): automatic detection and
// repair, admin edits reaching everyone, one broadcast per node, rejected pushes, loss and loading
// screens. Nobody types anything unless the test says so.
import { ADMIN, SyncRaid, syncLines } from "./helpers";

const RAZ = `OGRH_SV.encounterAssignments.BWL = OGRH_SV.encounterAssignments.BWL or {}
  OGRH_SV.encounterAssignments.BWL.Razorgore`;

describe("granular sync in a 40-player raid", () => {
  let s: SyncRaid;
  afterEach(() => s.close());

  test("a corrupted component on one member is found and repaired with nobody acting, within 35 s; the next poll passes", () => {
    s = SyncRaid.start({ size: 40, latency: 0.2, jitter: 0.2, seed: 21 });
    s.raid.advance(5.5); // just after the first poll: the worst case, a whole interval to wait
    const m = s.raid.player("Fizzlebang");
    s.corrupt(m, `${RAZ} = { [1] = { "Impostor" } }`);
    expect(s.outOfSync()).toEqual(["Fizzlebang"]);
    const t = s.until(() => s.outOfSync().length === 0, 40);
    expect(t).toBeLessThanOrEqual(35);
    expect(syncLines(m)).toEqual([
      "OGRH: Detected structure mismatch: BWL > Razorgore > playerAssignments",
      "OGRH: Requesting repair from raid admin... (BWL > Razorgore > playerAssignments)",
      "OGRH: Repair completed successfully (BWL > Razorgore > playerAssignments)",
    ]);
    // Nobody else said anything; the next poll finds nothing.
    for (const c of s.raid.clients) if (c.name !== m.name) expect(syncLines(c)).toEqual([]);
    const detections = s.stats(m).detections;
    s.raid.advance(31);
    expect(s.stats(m).detections).toBe(detections);
    expect(s.stats(m).pollsHeard).toBeGreaterThanOrEqual(2);
    expect(s.budgetViolations()).toEqual([]);
    expect(s.raid.allErrors()).toEqual([]);
  });

  test("an admin edit reaches every member within 5 s, as one small push", () => {
    s = SyncRaid.start({ size: 40, latency: 0.2, jitter: 0.2, seed: 4 });
    s.raid.advance(12);
    const t0 = s.raid.now();
    s.admin.run(`OGRH.Store.Set({ "encounterAssignments", "MC", "Lucifron", 1, 1 }, "Newtank")`);
    expect(s.outOfSync().length).toBe(39);
    const t = s.until(() => s.outOfSync().length === 0, 10, 0.25);
    expect(t).toBeLessThanOrEqual(5);
    for (const c of s.raid.clients) expect(c.eval(`OGRH_SV.encounterAssignments.MC.Lucifron[1][1]`)).toBe("Newtank");
    // One push and one poll from the admin; no member had to ask.
    expect(s.stats(s.admin).pushes).toBe(1);
    const bytes = s.frames(t0).reduce((n, f) => n + f.size, 0);
    expect(bytes).toBeLessThan(1000);
    expect(s.frames(t0).filter((f) => f.from !== ADMIN)).toEqual([]);
  });

  test("corruption on 5 members at once is repaired with one broadcast per node", () => {
    s = SyncRaid.start({ size: 40, latency: 0.2, jitter: 0.2, seed: 8 });
    s.raid.advance(5.5);
    const victims = ["Brakkus", "Holyhoof", "Lunara", "Quillon", "Varkoth"];
    victims.forEach((name, i) => s.corrupt(s.raid.player(name), `${RAZ} = { [1] = { "Impostor${i}" }, [${i + 2}] = { "Extra" } }`));
    const t0 = s.raid.now();
    const t = s.until(() => s.outOfSync().length === 0, 45);
    expect(t).toBeLessThanOrEqual(35);
    const admin = s.stats(s.admin);
    expect(admin.drillAnswers).toBe(1);
    expect(admin.answers).toBe(1);
    expect(s.payloadsOfType(t0, "SY.COMP_RES", ADMIN)).toBe(1);
    expect(s.payloadsOfType(t0, "CK.DRILL_RES", ADMIN)).toBe(1);
    // The members stayed mostly silent: suppressed or covered requests, never 5 answers.
    const asked = victims.reduce((n, v) => n + s.stats(s.raid.player(v)).requests, 0);
    expect(asked).toBeLessThanOrEqual(5);
    for (const v of victims) expect(s.repaired(s.raid.player(v))).toEqual([{ level: "COMPONENT", raid: "BWL", encounter: "Razorgore", component: "playerAssignments" }]);
    expect(s.raid.allErrors()).toEqual([]);
  });

  test("a push from a member without rights changes nothing anywhere", () => {
    s = SyncRaid.start({ size: 40, latency: 0.2, seed: 5 });
    s.raid.advance(6);
    const rogue = s.raid.player("Grimtooth");
    const before = s.structure(s.admin);
    rogue.run(`OGRH.Store.Set({ "encounterAssignments", "BWL", "Razorgore", 1, 1 }, "Rogue")`);
    expect(rogue.eval(`OGRH.SyncGranular.SyncComponent("BWL", "Razorgore", "playerAssignments")`)).toBe(true);
    expect(rogue.chatText()).toContain("You are not the raid admin or an officer: other players will ignore this data.");
    s.raid.advance(3);
    for (const c of s.raid.clients) {
      if (c.name === rogue.name) continue;
      expect(s.structure(c)).toBe(before);
      expect(c.chatText()).toContain("Ignored component data from Grimtooth: only the raid admin or an officer may send plan data. Nothing was changed.");
    }
    // The rogue's own copy is repaired back from the admin at the next poll.
    const t = s.until(() => s.outOfSync().length === 0, 40);
    expect(t).toBeLessThanOrEqual(35);
    expect(s.structure(rogue)).toBe(before);
  });

  test("with 3% loss, jitter and loading screens every member converges; the budget holds", () => {
    s = SyncRaid.start({ size: 40, latency: 0.2, jitter: 0.3, loss: 0.03, seed: 12 });
    s.raid.advance(5.5);
    s.corrupt(s.raid.player("Celestia"), `OGRH_SV.consumes[1] = { primaryName = "Corrupt" }`);
    s.corrupt(s.raid.player("Jorunn"), `OGRH_SV.encounterMgmt.raids.MC.advancedSettings = { broken = true }`);
    s.corrupt(s.raid.player("Pyrelia"), `${RAZ} = {} OGRH_SV.encounterRaidMarks.BWL = OGRH_SV.encounterRaidMarks.BWL or {} OGRH_SV.encounterRaidMarks.BWL.Razorgore = { [1] = 3 }`);
    s.raid.advance(20);
    s.raid.player("Jorunn").loadingScreen(8);
    s.raid.player("Kaelthos").loadingScreen(12);
    s.admin.run(`OGRH.Store.Set({ "encounterAssignments", "Onyxia", "Onyxia", 1, 1 }, "Loaded")`);
    const t = s.until(() => s.outOfSync().length === 0, 150, 1);
    expect(t).toBeLessThan(150);
    expect(s.budgetViolations()).toEqual([]);
    expect(s.raid.violations()).toEqual([]);
    expect(s.raid.allErrors()).toEqual([]);
  });
});
