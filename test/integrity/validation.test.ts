// Spec 6.2: hierarchical validation between raid members. The leader's checksums travel as
// canonical text (as the sync will send them); members compare with their own data.
import { Raid } from "../harness/raid";

const RAIDS = ["MC", "Onyxia", "BWL", "ZG", "AQ20", "AQ40", "Naxxramas"];

describe("spec 6.2: validation workflow", () => {
  let raid: Raid;
  beforeEach(() => {
    raid = Raid.start({ size: 3 });
  });
  afterEach(() => {
    expect(raid.allErrors()).toEqual([]);
    raid.close();
  });

  /** The leader's hierarchy (full or lightweight) as canonical text. */
  const leaderChecksums = (kind: "full" | "light") =>
    raid.leader.eval<string>(
      kind === "full" ? "OGRH.SyncIntegrity.Serialize(OGRH.GetAllHierarchicalChecksums())" : "OGRH.SyncIntegrity.Serialize(OGRH.SyncIntegrity.GetLightweightChecksums())",
    );
  /** Validates on member n against the given text; returns the result and its report lines. */
  const validateOn = (n: number, text: string) => {
    const m = raid.member(n);
    m.run(`__remote = assert(OGRH.SyncIntegrity.Deserialize(${JSON.stringify(text)}))`);
    const result = m.eval<{ valid: boolean; level: string; corrupted: { global: string[] | object; raids: Record<string, unknown> } }>("OGRH.ValidateStructureHierarchy(__remote)");
    const lines = m.eval<string[]>("OGRH.FormatValidationResult(OGRH.ValidateStructureHierarchy(__remote))");
    return { result, lines };
  };

  test("self-validation passes on every member", () => {
    const text = leaderChecksums("full");
    for (const n of [0, 1, 2]) {
      const { result, lines } = validateOn(n, text);
      expect(result.valid).toBe(true);
      expect(result.level).toBe("STRUCTURE");
      expect(lines).toEqual(["Validation passed"]);
    }
    expect(validateOn(1, leaderChecksums("light")).result.valid).toBe(true);
  });

  test("global corruption: 'Global component' line, level GLOBAL", () => {
    raid.member(1).run(`OGRH_SV.consumes[2].primaryId = 1`);
    const { result, lines } = validateOn(1, leaderChecksums("full"));
    expect(result).toMatchObject({ valid: false, level: "GLOBAL", corrupted: { global: ["consumes"] } });
    expect(lines).toEqual(["Structure mismatch detected: Global component 'consumes'"]);
    raid.member(2).run(`OGRH_SV.rgo.tanks[1] = "PlayerA"`);
    expect(validateOn(2, leaderChecksums("full")).lines).toEqual(["Structure mismatch detected: Global component 'rgo'"]);
  });

  test("component corruption: BWL > Razorgore > playerAssignments, level COMPONENT", () => {
    raid.member(1).run(`OGRH_SV.encounterAssignments.BWL = { Razorgore = { { "NewPlayer" } } }`);
    const { result, lines } = validateOn(1, leaderChecksums("full"));
    expect(result).toMatchObject({ valid: false, level: "COMPONENT", corrupted: { raids: { BWL: { raidLevel: false, encounters: { Razorgore: ["playerAssignments"] } } } } });
    expect(lines).toEqual(["Structure mismatch detected: BWL > Razorgore > playerAssignments"]);
  });

  test("raid metadata corruption: BWL (raid metadata), level RAID", () => {
    raid.member(1).run(`OGRH_SV.encounterMgmt.raids.BWL.advancedSettings.consumeTracking = false`);
    const { result, lines } = validateOn(1, leaderChecksums("full"));
    expect(result).toMatchObject({ valid: false, level: "RAID", corrupted: { raids: { BWL: { raidLevel: true } } } });
    expect(lines).toEqual(["Structure mismatch detected: BWL (raid metadata)"]);
  });

  test.each(RAIDS)("every encounter of %s: each corrupted component is located exactly", (name) => {
    const m = raid.member(1);
    const encounters = m.eval<string[]>(`(function() local l = {} for i, e in ipairs(OGRH.FindRaidByName("${name}").encounters) do l[i] = e.name end return l end)()`);
    expect(encounters.length).toBeGreaterThan(0);
    const text = leaderChecksums("full");
    m.run(`
      for i, e in ipairs(OGRH.FindRaidByName("${name}").encounters) do
        local a = OGRH_SV.encounterAnnouncements["${name}"][e.name]
        a[1] = "changed " .. i
        if math.mod(i, 2) == 0 then OGRH_SV.encounterMgmt.roles["${name}"][e.name].column1[1].slots = 9 end
      end`);
    const { result, lines } = validateOn(1, text);
    expect(result.level).toBe("COMPONENT");
    const expected: string[] = [];
    const sorted = [...encounters].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1));
    for (const e of sorted) {
      const i = encounters.indexOf(e) + 1;
      if (i % 2 === 0) expected.push(`Structure mismatch detected: ${name} > ${e} > roles`);
      expected.push(`Structure mismatch detected: ${name} > ${e} > announcements`);
    }
    expect(lines).toEqual(expected);
  });

  test("a lightweight poll flags the raid for drill-down; the drill-down locates the component", () => {
    raid.member(1).run(`OGRH_SV.encounterAssignments.BWL = { Vaelastrasz = { { "Gnuzench" } } }`);
    const light = validateOn(1, leaderChecksums("light"));
    expect(light.result).toMatchObject({ valid: false, level: "RAID", corrupted: { raids: { BWL: { raidLevel: false, drillDown: true } } } });
    expect(light.lines).toEqual(["Structure mismatch detected: BWL (encounter data; drill-down needed)"]);
    // the leader answers with BWL's encounter checksums only
    const drill = raid.leader.eval<string>(`OGRH.SyncIntegrity.Serialize({ partial = true, raids = { BWL = OGRH.SyncIntegrity.GetRaidDrillDown("BWL") } })`);
    expect(validateOn(1, drill).lines).toEqual(["Structure mismatch detected: BWL > Vaelastrasz > playerAssignments"]);
  });

  test("raids and encounters one side lacks are reported", () => {
    const text = leaderChecksums("full");
    raid.member(1).run(`
      OGRH_SV.encounterMgmt.raids.ZG = nil
      OGRH_SV.encounterMgmt.raids.K40 = { name = "K40", encounters = { { name = "Gnarlmoon" } } }
      table.remove(OGRH_SV.encounterMgmt.raids.BWL.encounters, 3)`);
    const { lines } = validateOn(1, text);
    expect(lines).toEqual([
      "Structure mismatch detected: BWL (raid metadata)",
      "Structure mismatch detected: BWL > Broodlord (encounter missing locally)",
      "Structure mismatch detected: K40 (raid missing remotely)",
      "Structure mismatch detected: ZG (raid missing locally)",
    ]);
  });

  test("partial and malformed remote hierarchies give a clear result, never a Lua error", () => {
    const m = raid.member(1);
    const cases = [
      "nil", "42", "'text'", "{}", "{ raids = 5 }", "{ global = 'x' }", "{ structure = {} }",
      "{ raids = { BWL = 7 } }", "{ raids = { BWL = { rollup = 5, encounters = 'x' } } }",
      "{ raids = { BWL = { rollup = 'x', encounters = { Razorgore = { encounter = 'y', components = 9 } } } } }",
      "{ raids = { BWL = { encounters = { Razorgore = 5, [1] = 'z' } } }, [true] = 1 }",
      "{ global = { consumes = 3 }, raids = { [1] = {} } }",
      "(function() local t = {} t.raids = { BWL = t } return t end)()",
    ];
    for (const remote of cases) {
      const r = m.eval<{ valid: boolean; lines: string[] }>(`(function() local r = OGRH.ValidateStructureHierarchy(${remote}) return { valid = r.valid, lines = OGRH.FormatValidationResult(r) } end)()`);
      expect({ remote, valid: r.valid }).toEqual({ remote, valid: false });
      expect(r.lines.length).toBeGreaterThan(0);
    }
    // only the global + raid level of a matching peer: valid
    expect(m.eval(`OGRH.ValidateStructureHierarchy({ global = OGRH.GetGlobalComponentChecksums() }).valid`)).toBe(true);
    expect(m.eval(`OGRH.FormatValidationResult(nil)[1]`)).toBe("Validation failed: no result");
  });
});
