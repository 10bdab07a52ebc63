// The older layout (encounterMgmt.raids as an array, the original addon's export) is migrated on
// load and on import, keeping every bit of the plan.
import { Raid } from "../harness/raid";
import { fixtureText, luaLiteral } from "./plan";

const DEEP_EQUAL = `
  function __deepEqual(a, b)
    if a == b then return true end
    if type(a) ~= "table" or type(b) ~= "table" then return false end
    for k, v in pairs(a) do if not __deepEqual(v, b[k]) then return false end end
    for k in pairs(b) do if a[k] == nil then return false end end
    return true
  end`;

describe("migration of the older layout", () => {
  let raid: Raid;
  afterEach(() => {
    expect(raid.allErrors()).toEqual([]);
    raid.close();
  });

  test("an old OGRH_SV loads with raids keyed by name, and nothing else changes", () => {
    const fixture = JSON.parse(fixtureText());
    raid = Raid.start({ size: 1, savedVariables: { Tankmedady: "OGRH_SV = " + luaLiteral({ ...fixture, schemaVersion: 1 }) + "\n" } });
    const c = raid.leader;
    c.run(`__original = ${luaLiteral({ ...fixture, schemaVersion: 1 })}`);
    c.run(DEEP_EQUAL);
    // every raid of the array is under its name, identical
    expect(
      c.eval(`(function()
        local n = 0
        for i, r in ipairs(__original.encounterMgmt.raids) do
          assert(EmuDeepEqual(OGRH_SV.encounterMgmt.raids[r.name], r), r.name)
          n = n + 1
        end
        local m = 0
        for k in pairs(OGRH_SV.encounterMgmt.raids) do assert(type(k) == "string") m = m + 1 end
        return n == m and n
      end)()`.replace(/EmuDeepEqual/g, "__deepEqual")),
    ).toBe(7);
    // everything else is exactly the fixture (orphan raids such as 'Foo' included) plus the empty
    // encounterAssignments the schema adds; no defaults were seeded
    c.run(`__original.encounterMgmt.raids = OGRH_SV.encounterMgmt.raids __original.encounterAssignments = {}`);
    expect(c.eval(`__deepEqual(__original, OGRH_SV)`)).toBe(true);
    expect(c.eval(`OGRH.FindRaidByName("MC")`)).toBeNull();
    expect(c.eval(`OGRH.FindEncounterByName("AQ40", "C'thun").name`)).toBe("C'thun");
    expect(c.eval(`OGRH.FindEncounterByName("Naxx", "4HM Tank/Heal").name`)).toBe("4HM Tank/Heal");
    c.reload();
    expect(c.eval(`type(OGRH_SV.encounterMgmt.raids.BWL.encounters)`)).toBe("table");
  });

  test("import: Store.ReplacePlan takes the old layout (as a table or as canonical text)", () => {
    raid = Raid.start({ size: 2 });
    const [a, b] = [raid.member(0), raid.member(1)];
    a.run(`assert(OGRH.Store.ReplacePlan(${luaLiteral(JSON.parse(fixtureText()))}))`);
    // b imports the same plan as text (old layout serialised canonically)
    const text = a.eval<string>(`OGRH.SyncIntegrity.Serialize(${luaLiteral(JSON.parse(fixtureText()))})`);
    b.run(`assert(OGRH.Store.ReplacePlan(${JSON.stringify(text)}))`);
    const sa = a.eval("OGRH.GetAllHierarchicalChecksums()");
    expect(sa).toEqual(b.eval("OGRH.GetAllHierarchicalChecksums()"));
    expect(a.eval("OGRH.SyncIntegrity.GetStructureChecksum()")).toBe(a.eval("OGRH.GetAllHierarchicalChecksums().structure"));
    expect(Object.keys((sa as { raids: object }).raids).sort()).toEqual(["AQ40", "BWL", "ES", "K40", "Molten Core", "Naxx", "Test"]);
  });

  test("raids without a name, or with a duplicate name, are kept under quarantine", () => {
    raid = Raid.start({
      size: 1,
      savedVariables: {
        Tankmedady: `OGRH_SV = { schemaVersion = 1, encounterMgmt = { raids = { { name = "BWL", encounters = {} }, { name = "BWL", advancedSettings = { x = 1 } }, { encounters = {} } } } }\n`,
      },
    });
    const c = raid.leader;
    expect(c.eval(`OGRH.FindRaidByName("BWL").encounters ~= nil`)).toBe(true);
    expect(c.eval(`OGRH_SV.quarantine.migratedRaids[1].advancedSettings.x`)).toBe(1);
    expect(c.eval(`type(OGRH_SV.quarantine.migratedRaids[2].encounters)`)).toBe("table");
    expect(c.eval(`OGRH_SV.encounterMgmt.raids[1]`)).toBeNull();
  });

  test("a new player gets the shipping plan; a player who deleted every raid keeps none", () => {
    raid = Raid.start({ size: 1, savedVariables: { Tankmedady: `OGRH_SV = { schemaVersion = 1, encounterMgmt = { raids = {} } }\n` } });
    expect(raid.leader.eval(`next(OGRH_SV.encounterMgmt.raids)`)).toBeNull();
    raid.close();
    raid = Raid.start({ size: 1 });
    expect(raid.leader.eval(`OGRH.FindRaidByName("Naxxramas").name`)).toBe("Naxxramas");
  });
});
