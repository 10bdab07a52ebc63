// Spec 6.3.1-6.3.4 and 6.4.1 test criteria, in small emulated raids (the 40-player behaviour is in
// acceptance.test.ts). Repairs are asked for by name (OGRH.SyncGranular.RequestRepair) unless the
// criterion is about the automatic path; periodic polls are switched off where they would interfere.
import { ADMIN, SyncRaid, syncLines } from "./helpers";
import { loadFullPlan } from "../integrity/plan";

const REF = (level: string, raid?: string, enc?: string, comp?: string) =>
  `{ level = "${level}"${raid ? `, raid = "${raid}"` : ""}${enc ? `, encounter = "${enc}"` : ""}${comp ? `, component = "${comp}"` : ""} }`;

describe("spec 6.3 / 6.4.1 criteria", () => {
  let s: SyncRaid;
  afterEach(() => s.close());

  test("6.3.1 single component sync: only playerAssignments changes; the member's other components are untouched", () => {
    s = SyncRaid.start({ size: 3, quietPolls: true });
    s.raid.advance(6);
    const m = s.member(2);
    s.corrupt(m, `OGRH_SV.encounterAssignments.BWL = { Razorgore = { [1] = { "Wrong" } } }
      OGRH_SV.encounterRaidMarks.BWL.Razorgore = { [1] = 7 }`);
    const marks = s.component(m, "BWL", "Razorgore", "raidMarks");
    const roles = s.component(m, "BWL", "Razorgore", "roles");
    m.run(`OGRH.SyncGranular.RequestRepair(${REF("COMPONENT", "BWL", "Razorgore", "playerAssignments")})`);
    s.raid.advance(3);
    expect(s.component(m, "BWL", "Razorgore", "playerAssignments")).toBe(s.component(s.admin, "BWL", "Razorgore", "playerAssignments"));
    expect(s.component(m, "BWL", "Razorgore", "raidMarks")).toBe(marks);
    expect(s.component(m, "BWL", "Razorgore", "roles")).toBe(roles);
    expect(s.component(m, "BWL", "Razorgore", "raidMarks")).not.toBe(s.component(s.admin, "BWL", "Razorgore", "raidMarks"));
    expect(s.repaired(m)).toEqual([{ level: "COMPONENT", raid: "BWL", encounter: "Razorgore", component: "playerAssignments" }]);
  });

  test("6.3.1 permission enforcement: a member's push is rejected, the admin's and an officer's are accepted", () => {
    s = SyncRaid.start({ size: 4, assistants: ["Gnuzench"], quietPolls: true });
    s.raid.advance(6);
    const [officer, member, other] = [s.member(1), s.member(2), s.member(3)];
    const path = `{ "encounterAssignments", "BWL", "Razorgore", 1, 1 }`;
    const value = (c: typeof other) => c.eval<string | null>(`(OGRH_SV.encounterAssignments.BWL or {}).Razorgore and OGRH_SV.encounterAssignments.BWL.Razorgore[1][1]`);
    member.run(`OGRH.Store.Set(${path}, "FromMember") OGRH.SyncGranular.SyncComponent("BWL", "Razorgore", "playerAssignments")`);
    s.raid.advance(2);
    expect(value(other)).toBeNull();
    expect(syncLines(other)).toContain("OGRH: Ignored component data from Sunderwhere: only the raid admin or an officer may send plan data. Nothing was changed.");
    expect(s.admin.eval(`OGRH.SyncGranular.GetPermission("Sunderwhere")`)).toBe("MEMBER");
    officer.run(`OGRH.Store.Set(${path}, "FromOfficer")`); // an officer's edit goes out as a push
    s.raid.advance(2);
    expect(value(other)).toBe("FromOfficer");
    s.admin.run(`OGRH.Store.Set(${path}, "FromAdmin")`);
    s.raid.advance(2);
    expect([value(other), value(officer), value(member)]).toEqual(["FromAdmin", "FromAdmin", "FromAdmin"]);
  });

  test("6.3.1 missing data: a non-existent encounter gives a clear message and changes nothing", () => {
    s = SyncRaid.start({ size: 3, quietPolls: true });
    s.raid.advance(6);
    const m = s.member(1);
    const before = s.structure(m);
    const r = m.eval(`(function() local ok, err = OGRH.SyncGranular.SyncComponent("BWL", "Nobody", "roles") return { ok = ok == true, err = err } end)()`);
    expect(r).toEqual({ ok: false, err: "Cannot sync BWL > Nobody > roles: unknown raid or encounter in your plan." });
    m.run(`OGRH.SyncGranular.RequestRepair(${REF("COMPONENT", "Nowhere", "Nobody", "roles")})`);
    s.raid.advance(5);
    expect(syncLines(m)).toContain("OGRH: Repair failed after 1 attempt (Nowhere > Nobody > roles): unknown raid Nowhere");
    m.run(`OGRH.SyncGranular.RequestRepair(${REF("ENCOUNTER", "BWL", "Nobody")})`);
    s.raid.advance(5);
    expect(s.failed(m)).toEqual([
      { ref: { level: "COMPONENT", raid: "Nowhere", encounter: "Nobody", component: "roles" }, attempts: 1, cause: "unknown raid Nowhere" },
      { ref: { level: "ENCOUNTER", raid: "BWL", encounter: "Nobody" }, attempts: 1, cause: "unknown encounter BWL > Nobody" },
    ]);
    expect(s.structure(m)).toBe(before);
    expect(s.outOfSync()).toEqual([]);
    expect(s.raid.allErrors()).toEqual([]);
  });

  test("6.3.2 encounter sync: all 6 components of Razorgore repaired, other encounters untouched", () => {
    s = SyncRaid.start({ size: 3, quietPolls: true });
    s.raid.advance(6);
    const m = s.member(1);
    s.corrupt(m, `local e = OGRH.FindEncounterByName("BWL", "Razorgore") e.advancedSettings = { x = 1 }
      OGRH_SV.encounterMgmt.roles.BWL.Razorgore = { column1 = {} }
      OGRH_SV.encounterAssignments.BWL = { Razorgore = { [1] = { "A" } } }
      OGRH_SV.encounterRaidMarks.BWL.Razorgore = { [1] = 1 }
      OGRH_SV.encounterAssignmentNumbers.BWL = { Razorgore = { [1] = 2 } }
      OGRH_SV.encounterAnnouncements.BWL.Razorgore = { "Changed" }
      OGRH_SV.encounterRaidMarks.BWL.Vaelastrasz = { [1] = 5 }`);
    const vael = s.component(m, "BWL", "Vaelastrasz", "raidMarks");
    m.run(`OGRH.SyncGranular.RequestRepair(${REF("ENCOUNTER", "BWL", "Razorgore")})`);
    s.raid.advance(4);
    for (const c of ["encounterMetadata", "roles", "playerAssignments", "raidMarks", "assignmentNumbers", "announcements"]) {
      expect([c, s.component(m, "BWL", "Razorgore", c)]).toEqual([c, s.component(s.admin, "BWL", "Razorgore", c)]);
    }
    expect(s.component(m, "BWL", "Vaelastrasz", "raidMarks")).toBe(vael);
  });

  test("6.3.2 atomic application: an answer that does not match its checksum, or carries a bad component, changes nothing", () => {
    s = SyncRaid.start({ size: 3, quietPolls: true });
    s.raid.advance(6);
    const m = s.member(1);
    const sums = () => m.eval<Record<string, string>>(`OGRH.GetComponentChecksums("BWL", "Razorgore")`);
    const before = sums();
    const send = (msg: string) =>
      s.admin.run(`OGRH.Transport.send("SY.ENC_RES", (OGRH.SyncIntegrity.Serialize(${msg})))`);
    // Half the components changed, the checksum of the whole claimed: the rebuilt node differs.
    send(`{ v = 1, ra = "BWL", en = "Razorgore", x = "123456789abcd", E = { raidMarks = { [1] = 8 }, roles = { column1 = {} } } }`);
    s.admin.run(`__x = OGRH.SyncIntegrity.NodeChecksum({ level = "ENCOUNTER", raid = "BWL", encounter = "Razorgore" },
      { encounterMetadata = OGRH.FindEncounterByName("BWL", "Razorgore"), raidMarks = "not a table" })`);
    // A checksum that matches a payload with a non-table component: refused by validation.
    send(`{ v = 1, ra = "BWL", en = "Razorgore", x = __x, E = { encounterMetadata = OGRH.FindEncounterByName("BWL", "Razorgore"), raidMarks = "not a table", roles = {}, playerAssignments = {}, assignmentNumbers = {}, announcements = {} } }`);
    s.raid.advance(2);
    expect(sums()).toEqual(before);
    expect(s.stats(m).discarded).toBe(2);
    expect(s.stats(m).applied).toBe(0);
  });

  test("6.3.3 raid sync: all BWL encounters repaired, MC and AQ40 untouched; the backup hook runs first", () => {
    s = SyncRaid.start({ size: 3, quietPolls: true });
    s.raid.advance(6);
    const m = s.member(1);
    s.corrupt(m, `OGRH_SV.encounterMgmt.raids.BWL.advancedSettings = { changed = true }
      OGRH_SV.encounterAssignments.BWL = {}
      for _, e in ipairs(OGRH_SV.encounterMgmt.raids.BWL.encounters) do OGRH_SV.encounterAssignments.BWL[e.name] = { [1] = { "X" } } end
      OGRH_SV.encounterRaidMarks.MC.Lucifron = { [1] = 4 }`);
    const mc = m.eval<string>(`OGRH.ComputeRaidChecksum("MC") .. OGRH.ComputeEncounterChecksum("MC", "Lucifron")`);
    const aq = m.eval<string>(`OGRH.GetAllHierarchicalChecksums().raids.AQ40.rollup`);
    m.run(`OGRH.SyncGranular.RequestRepair(${REF("RAID", "BWL")})`);
    s.raid.advance(6);
    const rollup = (c: typeof m, r: string) => c.eval<string>(`OGRH.GetAllHierarchicalChecksums().raids.${r}.rollup`);
    expect(rollup(m, "BWL")).toBe(rollup(s.admin, "BWL"));
    expect(m.eval<string>(`OGRH.ComputeRaidChecksum("MC") .. OGRH.ComputeEncounterChecksum("MC", "Lucifron")`)).toBe(mc);
    expect(rollup(m, "AQ40")).toBe(aq);
    expect(s.log(m).map((e) => e.kind)).toContain("bulk");
  });

  test("6.3.3 Naxxramas (15 encounters, full-size plan) arrives whole: no truncation", () => {
    s = SyncRaid.start({ size: 2, quietPolls: true });
    loadFullPlan(s.admin);
    s.raid.advance(6);
    const m = s.member(1);
    s.corrupt(m, `OGRH_SV.encounterMgmt.raids.Naxxramas = nil`);
    m.run(`OGRH.SyncGranular.RequestRepair(${REF("RAID", "Naxxramas")})`);
    const t = s.until(() => m.eval<boolean>(`OGRH.SyncGranular.RepairBusy() == false and table.getn(OGRH.SyncGranular.PendingRepairs()) == 0 and OGRH.SyncIntegrity.GetStructureChecksum() ~= nil and OGRH.GetAllHierarchicalChecksums().raids.Naxxramas ~= nil`), 60);
    expect(t).toBeLessThan(60);
    expect(m.eval<number>(`table.getn(OGRH_SV.encounterMgmt.raids.Naxxramas.encounters)`)).toBe(15);
    const rollup = (c: typeof m) => c.eval<string>(`OGRH.GetAllHierarchicalChecksums().raids.Naxxramas.rollup`);
    expect(rollup(m)).toBe(rollup(s.admin));
    // Every encounter and component checksum equals the admin's (nothing cut off in transit).
    const drill = (c: typeof m) => JSON.stringify(c.eval(`OGRH.SyncIntegrity.GetRaidDrillDown("Naxxramas")`));
    expect(drill(m)).toBe(drill(s.admin));
    expect(m.eval<number>(`string.len((OGRH.Store.SerializeNode(${REF("RAID", "Naxxramas")})))`)).toBeGreaterThan(10000);
  });

  test("6.3.4 global sync: rgo and consumes repaired, nothing else changes", () => {
    s = SyncRaid.start({ size: 3, quietPolls: true });
    s.raid.advance(6);
    const m = s.member(1);
    s.corrupt(m, `OGRH_SV.rgo = { corrupted = true } OGRH_SV.consumes[1] = { primaryName = "Bad" } OGRH_SV.tradeItems = { "mine" }`);
    const raids = m.eval<string>(`OGRH.GetAllHierarchicalChecksums().raids.BWL.rollup`);
    const trade = m.eval<string>(`OGRH.ComputeGlobalComponentChecksum("tradeItems")`);
    m.run(`OGRH.SyncGranular.RequestRepair(${REF("GLOBAL", undefined, undefined, "rgo")})`);
    s.raid.advance(3);
    const g = (c: typeof m, n: string) => c.eval<string>(`OGRH.ComputeGlobalComponentChecksum("${n}")`);
    expect(g(m, "rgo")).toBe(g(s.admin, "rgo"));
    expect(g(m, "consumes")).not.toBe(g(s.admin, "consumes"));
    m.run(`OGRH.SyncGranular.RequestRepair(${REF("GLOBAL", undefined, undefined, "consumes")})`);
    s.raid.advance(3);
    expect(g(m, "consumes")).toBe(g(s.admin, "consumes"));
    expect(g(m, "tradeItems")).toBe(trade);
    expect(m.eval<string>(`OGRH.GetAllHierarchicalChecksums().raids.BWL.rollup`)).toBe(raids);
  });

  test("6.4.1 multi-component corruption is repaired with one encounter sync, not 3 component syncs", () => {
    s = SyncRaid.start({ size: 3 });
    s.raid.advance(5.5);
    const m = s.member(2);
    const t0 = s.raid.now();
    s.corrupt(m, `OGRH_SV.encounterAssignments.BWL = { Razorgore = { [1] = { "A" } } }
      OGRH_SV.encounterAnnouncements.BWL.Razorgore = { "x" } OGRH_SV.encounterRaidMarks.BWL.Razorgore = { [1] = 2 }`);
    const t = s.until(() => s.outOfSync().length === 0, 40);
    expect(t).toBeLessThanOrEqual(35);
    expect(s.payloadsOfType(t0, "SY.ENC_REQ", m.name)).toBe(1);
    expect(s.payloadsOfType(t0, "SY.COMP_REQ", m.name)).toBe(0);
    expect(s.stats(m).detections).toBe(1);
    expect(s.repaired(m)).toEqual([{ level: "ENCOUNTER", raid: "BWL", encounter: "Razorgore" }]);
  });

  test("RequestRepair's completion callback comes once, when the queue is done: after the repair, or after the last retry", () => {
    s = SyncRaid.start({ size: 3, quietPolls: true });
    s.raid.advance(6);
    const m = s.member(1);
    const comp = REF("COMPONENT", "BWL", "Razorgore", "roles");
    const want = s.component(s.admin, "BWL", "Razorgore", "roles");
    s.corrupt(m, `OGRH_SV.encounterMgmt.roles.BWL.Razorgore = { column1 = {} }`);
    // The callback records how often it came and what the node's checksum was at that moment.
    const request = () =>
      m.run(`__done = {} OGRH.SyncGranular.RequestRepair(${comp}, nil, function()
        table.insert(__done, OGRH.ComputeComponentChecksum("BWL", "Razorgore", "roles")) end)`);
    const calls = () => m.eval<number>("table.getn(__done)");
    request();
    s.raid.advance(3);
    expect(calls()).toBe(1);
    expect(m.eval<string>("__done[1]")).toBe(want);
    // The admin hears nothing for 40 s (a loading screen): three attempts time out (8 s each, 2 s and
    // 5 s apart); the callback waits through the retries and comes once, after the last.
    s.corrupt(m, `OGRH_SV.encounterMgmt.roles.BWL.Razorgore = { column1 = {} }`);
    s.admin.loadingScreen(40);
    request();
    s.raid.advance(9); // the first attempt timed out at 8 s; the second starts after a 2 s backoff
    expect(calls()).toBe(0);
    s.raid.advance(27);
    expect(calls()).toBe(1);
    expect(s.failed(m)).toEqual([{ ref: { level: "COMPONENT", raid: "BWL", encounter: "Razorgore", component: "roles" }, attempts: 3, cause: "no answer from the raid admin" }]);
    expect(m.eval<string>("__done[1]")).not.toBe(want);
    expect(s.raid.allErrors()).toEqual([]);
  });

  test("6.4.1 no admin online: one clear message, no retries, repaired once the admin is back", () => {
    s = SyncRaid.start({ size: 3 });
    s.raid.advance(6);
    const m = s.member(1);
    s.admin.logout();
    s.corrupt(m, `OGRH_SV.rgo = { lost = true }`);
    const t0 = s.raid.now();
    m.run(`OGRH.SyncGranular.RequestRepair(${REF("GLOBAL", undefined, undefined, "rgo")})`);
    m.run(`OGRH.SyncGranular.QueueRepair({ corrupted = { global = { "rgo", "consumes" } } })`);
    s.raid.advance(180);
    expect(syncLines(m)).toEqual([
      "OGRH: No raid admin is online to repair from; the repair will run when one is.",
      "OGRH: Detected structure mismatch: Global component 'consumes', Global component 'rgo'",
    ]);
    expect(s.frames(t0, m.name)).toEqual([]);
    s.admin.login();
    const t = s.until(() => s.outOfSync().length === 0, 45);
    expect(t).toBeLessThanOrEqual(40);
  });

  test("the leader designates an admin; members follow it, also after a reload; only the leader may", () => {
    s = SyncRaid.start({ size: 4 });
    s.raid.advance(6);
    s.member(3).slash("/ogrh admin Sunderwhere");
    expect(s.member(3).chatText()).toContain("Only the raid leader can choose the raid admin (the leader is Tankmedady).");
    s.admin.slash("/ogrh admin gnuzench");
    s.raid.advance(2);
    expect(s.member(2).chatText()).toContain("Raid admin: Gnuzench (chosen by Tankmedady).");
    s.member(3).reload();
    s.raid.advance(8);
    expect(s.member(3).eval(`OGRH.SyncGranular.GetAdmin()`)).toBe("Gnuzench");
    s.member(1).run(`OGRH.Store.Set({ "rgo", "note" }, "from the new admin")`);
    s.corrupt(s.member(3), `OGRH_SV.encounterRaidMarks.MC.Lucifron = { [1] = 6 }`);
    const t = s.until(() => s.raid.clients.every((c) => c.eval(`OGRH.SyncIntegrity.GetStructureChecksum()`) === s.member(1).eval(`OGRH.SyncIntegrity.GetStructureChecksum()`)), 45);
    expect(t).toBeLessThanOrEqual(40);
    expect(s.admin.eval(`OGRH_SV.rgo.note`)).toBe("from the new admin");
  });

  test("another sync version gets one clear 'please update' line, not errors", () => {
    s = SyncRaid.start({ size: 2, quietPolls: true });
    s.raid.advance(6);
    for (let i = 0; i < 3; i++) s.admin.run(`OGRH.Transport.send("CK.POLL", (OGRH.SyncIntegrity.Serialize({ v = 2, s = "x" })))`);
    s.member(1).run(`OGRH.Transport.send("SY.COMP_REQ", (OGRH.SyncIntegrity.Serialize({ v = 0, ra = "BWL" })))`);
    s.raid.advance(2);
    const lines = s.member(1).chatText().split("\n").filter((l) => l.includes("OGRH Sync"));
    expect(lines).toEqual(["OGRH: Tankmedady runs a newer OGRH Sync (sync version 2, this client speaks version 1). Please update the addon to sync with them."]);
    expect(s.admin.chatText()).toContain("Gnuzench runs an older OGRH Sync (sync version 0, this client speaks version 1); their sync messages are ignored. Ask them to update the addon.");
    expect(s.raid.allErrors()).toEqual([]);
  });

  test("/ogrh validate checks every raid against the admin and repairs what differs", () => {
    s = SyncRaid.start({ size: 3, quietPolls: true });
    s.raid.advance(6);
    const m = s.member(1);
    s.corrupt(m, `OGRH_SV.encounterRaidMarks.AQ40 = OGRH_SV.encounterRaidMarks.AQ40 or {} OGRH_SV.encounterRaidMarks.AQ40.Skeram = { [1] = 1 }
      OGRH_SV.tradeItems = { "x" }`);
    m.slash("/ogrh validate");
    s.raid.advance(8);
    const lines = syncLines(m);
    expect(lines).toContain("OGRH: Structure mismatch detected: Global component 'tradeItems'");
    expect(lines).toContain("OGRH: Structure mismatch detected: AQ40 > Skeram > raidMarks");
    expect(s.outOfSync()).toEqual([]);
    m.clearChat();
    m.slash("/ogrh validate");
    s.raid.advance(4);
    expect(m.chatText()).toContain("Validation passed: your plan matches Tankmedady's.");
    s.admin.slash("/ogrh validate");
    s.raid.advance(1); // the admin's checksums are recomputed over frames
    expect(s.admin.chatText()).toContain("You are the raid admin: your plan is the reference.");
    expect(ADMIN).toBe("Tankmedady");
  });

  test("the in-game self-test suite `granular` passes in the Lua 5.0 client", () => {
    s = SyncRaid.start({ size: 1 });
    s.admin.slash("/ogrh test granular");
    expect(s.admin.chatText()).toContain("OGRH self test: 8 passed, 0 failed");
    expect(s.raid.allErrors()).toEqual([]);
  });
});
