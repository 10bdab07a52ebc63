// Spec 6.1.1-6.1.4 testing criteria, run as written (Lua 5.0, the built addon) for every default raid.
import { Raid } from "../harness/raid";

const RAIDS = ["MC", "Onyxia", "BWL", "ZG", "AQ20", "AQ40", "Naxxramas"];
// The spec's tests call the functions as globals.
const PRELUDE = `
  local ComputeGlobalComponentChecksum, ComputeRaidChecksum = OGRH.ComputeGlobalComponentChecksum, OGRH.ComputeRaidChecksum
  local ComputeEncounterChecksum, ComputeComponentChecksum = OGRH.ComputeEncounterChecksum, OGRH.ComputeComponentChecksum
`;

describe("spec 6.1: hierarchical checksums", () => {
  let raid: Raid;
  beforeEach(() => {
    raid = Raid.start({ size: 1 });
  });
  afterEach(() => {
    expect(raid.allErrors()).toEqual([]);
    raid.close();
  });

  test("the shipping plan: 7 raids with their bosses; BWL 8 from Razorgore, Naxxramas 15", () => {
    const c = raid.leader;
    const list = (name: string) => c.eval<string[]>(`(function() local l = {} for i, e in ipairs(OGRH.FindRaidByName("${name}").encounters) do l[i] = e.name end return l end)()`);
    for (const name of RAIDS) expect(c.eval(`OGRH.FindRaidByName("${name}").name`)).toBe(name);
    expect(list("BWL")).toEqual(["Razorgore", "Vaelastrasz", "Broodlord", "Firemaw", "Ebonroc", "Flamegor", "Chromaggus", "Nefarian"]);
    expect(list("Naxxramas")).toHaveLength(15);
    expect(list("MC")).toHaveLength(10);
    expect(list("Onyxia")).toEqual(["Onyxia"]);
    expect(c.eval(`OGRH.FindEncounterByName("BWL", "Vaelastrasz").advancedSettings.bigwigs.encounterId`)).toBe("Vaelastrasz the Corrupt");
    expect(c.eval(`OGRH_SV.encounterMgmt.roles.BWL.Razorgore.column1[1].name`)).toBe("Main Tank");
    expect(c.eval(`OGRH.FindRaidByName("K40")`)).toBeNull();
    expect(c.eval(`OGRH.FindEncounterByName("BWL", "Ragnaros")`)).toBeNull();
  });

  test("6.1.1 global components: stability and sensitivity (rgo, consumes, tradeItems)", () => {
    raid.leader.run(PRELUDE + `
      -- Test 1: Stability
      local cs1 = ComputeGlobalComponentChecksum("rgo")
      local cs2 = ComputeGlobalComponentChecksum("rgo")
      assert(cs1 == cs2, "Same data must produce same checksum")
      -- Test 2: Sensitivity
      OGRH_SV.rgo.tanks[1] = "PlayerA"
      local cs3 = ComputeGlobalComponentChecksum("rgo")
      assert(cs1 ~= cs3, "Data change must change checksum")
      for _, name in ipairs({ "consumes", "tradeItems" }) do
        local before = ComputeGlobalComponentChecksum(name)
        assert(before == ComputeGlobalComponentChecksum(name), name .. " stable")
        OGRH_SV[name][1].quantity = 99
        assert(before ~= ComputeGlobalComponentChecksum(name), name .. " sensitive")
      end
      local all = OGRH.GetGlobalComponentChecksums()
      assert(all.rgo == ComputeGlobalComponentChecksum("rgo") and all.consumes and all.tradeItems)
      assert(ComputeGlobalComponentChecksum("nosuch") == "0")`);
  });

  test.each(RAIDS)("6.1.2 raid-level checksums for %s: metadata, encounter list, other raids unaffected", (name) => {
    raid.leader.run(PRELUDE + `
      local name = "${name}"
      local others = {}
      for other in pairs(OGRH.GetRaidChecksums()) do others[other] = ComputeRaidChecksum(other) end
      -- Test 1: Raid metadata change
      local cs1 = ComputeRaidChecksum(name)
      assert(cs1 == ComputeRaidChecksum(name), "stable")
      OGRH_SV.encounterMgmt.raids[name].advancedSettings.consumeTracking = false
      local cs2 = ComputeRaidChecksum(name)
      assert(cs1 ~= cs2, "Raid metadata change must change checksum")
      -- encounter contents are not raid level
      local first = OGRH_SV.encounterMgmt.raids[name].encounters[1].name
      OGRH_SV.encounterAnnouncements[name][first][1] = "changed"
      OGRH.FindEncounterByName(name, first).advancedSettings.bigwigsEnabled = false
      assert(ComputeRaidChecksum(name) == cs2, "encounter contents must not change the raid checksum")
      -- Test 2: Encounter list change
      local cs3 = ComputeRaidChecksum(name)
      table.insert(OGRH_SV.encounterMgmt.raids[name].encounters, {name = "Test"})
      local cs4 = ComputeRaidChecksum(name)
      assert(cs3 ~= cs4, "Encounter list change must change checksum")
      -- order counts too
      local list = OGRH_SV.encounterMgmt.raids[name].encounters
      local last = table.remove(list)
      table.insert(list, 1, last)
      assert(ComputeRaidChecksum(name) ~= cs4, "Encounter order change must change checksum")
      -- Test 3: Other raid unaffected
      for other, cs in pairs(others) do
        if other ~= name then assert(ComputeRaidChecksum(other) == cs, other .. " must be unchanged") end
      end
      assert(ComputeRaidChecksum("nosuch") == "0")`);
  });

  test.each(RAIDS)("6.1.3 encounter-level checksums for every encounter of %s", (name) => {
    raid.leader.run(PRELUDE + `
      local name = "${name}"
      for _, e in ipairs(OGRH_SV.encounterMgmt.raids[name].encounters) do
        local before = OGRH.GetEncounterChecksums(name)
        local cs1 = ComputeEncounterChecksum(name, e.name)
        assert(cs1 == before[e.name] and cs1 == ComputeEncounterChecksum(name, e.name), "stable")
        local enc = OGRH.FindEncounterByName(name, e.name)
        enc.advancedSettings.bigwigsEnabled = false
        local cs2 = ComputeEncounterChecksum(name, e.name)
        assert(cs1 ~= cs2, "Encounter metadata change must change checksum")
        OGRH_SV.encounterMgmt.roles[name][e.name].column1[1].slots = 7
        assert(ComputeEncounterChecksum(name, e.name) ~= cs2, "a component change must change the encounter checksum")
        for other, cs in pairs(before) do
          if other ~= e.name then assert(ComputeEncounterChecksum(name, other) == cs, other .. " must be unchanged") end
        end
      end
      assert(ComputeEncounterChecksum(name, "nosuch") == "0" and ComputeEncounterChecksum("nosuch", "x") == "0")`);
  });

  test("6.1.3 as written: Razorgore, Vaelastrasz, Broodlord", () => {
    raid.leader.run(PRELUDE + `
      local cs1 = ComputeEncounterChecksum("BWL", "Razorgore")
      local vaeCs1 = ComputeEncounterChecksum("BWL", "Vaelastrasz")
      local broodCs1 = ComputeEncounterChecksum("BWL", "Broodlord")
      local enc = OGRH.FindEncounterByName("BWL", "Razorgore")
      enc.advancedSettings.bigwigsEnabled = false
      local cs2 = ComputeEncounterChecksum("BWL", "Razorgore")
      assert(cs1 ~= cs2, "Encounter metadata change must change checksum")
      assert(vaeCs1 == ComputeEncounterChecksum("BWL", "Vaelastrasz"), "Other encounter checksum must be unchanged")
      assert(broodCs1 == ComputeEncounterChecksum("BWL", "Broodlord"), "Other encounter checksum must be unchanged")`);
  });

  test.each(RAIDS)("6.1.4 component-level checksums for %s: each component alone, cross-component isolation", (name) => {
    raid.leader.run(PRELUDE + `
      local name = "${name}"
      local tables = {
        roles = OGRH_SV.encounterMgmt.roles, playerAssignments = OGRH_SV.encounterAssignments,
        raidMarks = OGRH_SV.encounterRaidMarks, assignmentNumbers = OGRH_SV.encounterAssignmentNumbers,
        announcements = OGRH_SV.encounterAnnouncements,
      }
      local comps = { "encounterMetadata", "roles", "playerAssignments", "raidMarks", "assignmentNumbers", "announcements" }
      for _, e in ipairs(OGRH_SV.encounterMgmt.raids[name].encounters) do
        for _, comp in ipairs(comps) do
          local before = OGRH.GetComponentChecksums(name, e.name)
          assert(before[comp] == ComputeComponentChecksum(name, e.name, comp), "stable")
          if comp == "encounterMetadata" then
            e.advancedSettings.consumeTracking.readyThreshold = 90
          else
            local t = tables[comp]
            t[name] = t[name] or {}
            t[name][e.name] = t[name][e.name] or {}
            local v = t[name][e.name]
            if type(v[1]) == "string" then v[1] = v[1] .. " (edited)"
            else v[1] = v[1] or {} v[1][1] = "NewPlayer" end
          end
          for _, other in ipairs(comps) do
            local now = ComputeComponentChecksum(name, e.name, other)
            if other == comp then assert(now ~= before[other], comp .. " must change")
            else assert(now == before[other], other .. " must not change when " .. comp .. " changes") end
          end
        end
      end
      assert(ComputeComponentChecksum(name, OGRH_SV.encounterMgmt.raids[name].encounters[1].name, "nosuch") == "0")`);
  });

  test("6.1.4 as written: an assignment change changes playerAssignments, not roles", () => {
    raid.leader.run(PRELUDE + `
      OGRH_SV.encounterAssignments["BWL"] = { Razorgore = { { "Tankmedady" } } }
      local cs1 = ComputeComponentChecksum("BWL", "Razorgore", "playerAssignments")
      local rolesCs1 = ComputeComponentChecksum("BWL", "Razorgore", "roles")
      OGRH_SV.encounterAssignments["BWL"]["Razorgore"][1][1] = "NewPlayer"
      local cs2 = ComputeComponentChecksum("BWL", "Razorgore", "playerAssignments")
      assert(cs1 ~= cs2, "Assignment change must change assignment checksum")
      local rolesCs2 = ComputeComponentChecksum("BWL", "Razorgore", "roles")
      assert(rolesCs1 == rolesCs2, "Assignment change must NOT change roles checksum")`);
  });

  test("checksums do not depend on insertion order, and number keys differ from string keys", () => {
    raid.leader.run(`
      local a, b = {}, {}
      for i = 1, 30 do a["k" .. i] = i end
      for i = 30, 1, -1 do b["k" .. i] = i end
      local sum = OGRH.SyncIntegrity.ChecksumValue
      assert(sum(a) == sum(b), "pairs order must not matter")
      assert(sum({ [1] = "x" }) ~= sum({ ["1"] = "x" }), "1 and '1' are different keys")
      assert(sum({ 0.1 }) ~= sum({ 0.1 + 2^-56 * 0 + 1e-17 }) or 0.1 == 0.1 + 1e-17)
      assert(sum({ 2^53 }) ~= sum({ 2^53 + 2 }), "exact big numbers")
      assert(sum({ a = true }) ~= sum({ a = 1 }), "true and 1 differ")
      -- nil component = empty component
      assert(OGRH.ComputeComponentChecksum("BWL", "Razorgore", "assignmentNumbers") == sum({}))`);
  });

  test("/ogrh test checksums and /ogrh test validation pass and leave OGRH_SV untouched", () => {
    const c = raid.leader;
    c.run(`OGRH_SV.encounterAssignments.BWL = { Razorgore = { { "Gnuzench" } } }`);
    const before = c.eval<string>("OGRH.SyncIntegrity.Serialize(OGRH_SV)");
    const cached = c.eval<string>("OGRH.SyncIntegrity.GetStructureChecksum()");
    for (const suite of ["checksums", "validation"]) {
      c.clearChat();
      c.slash("/ogrh test " + suite);
      const text = c.chatText();
      expect(text).not.toContain("FAIL");
      expect(text).toMatch(/OGRH self test: [1-9]\d* passed, 0 failed/);
    }
    expect(c.eval("OGRH.SyncIntegrity.Serialize(OGRH_SV)")).toBe(before);
    expect(c.eval("OGRH.SyncIntegrity.GetStructureChecksum()")).toBe(cached);
  });
});
