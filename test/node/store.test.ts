// The store's boot in Node (fast feedback); the same code runs as Lua 5.0 in test/addon/boot.test.ts.
import { ensureSV, SCHEMA_VERSION } from "../../src/store/sv";
import { createFakePlatform } from "../harness/fake-platform";

describe("ensureSV", () => {
  test("creates OGRH_SV with every top-level table and the schema version", () => {
    const p = createFakePlatform();
    expect(ensureSV(p)).toEqual({ created: true, repaired: [] });
    const sv = p.globals.OGRH_SV as Record<string, unknown>;
    expect(sv.schemaVersion).toBe(SCHEMA_VERSION);
    for (const key of ["encounterMgmt", "encounterAssignments", "encounterRaidMarks", "encounterAssignmentNumbers", "encounterAnnouncements", "tradeItems", "consumes", "rgo"]) {
      expect(typeof sv[key]).toBe("object");
    }
  });

  test("keeps wrong-typed values under quarantine and leaves good data alone", () => {
    const p = createFakePlatform();
    const consumes = [{ primaryId: 13461 }];
    p.globals.OGRH_SV = { consumes, rgo: 7, encounterMgmt: "x" };
    const report = ensureSV(p);
    expect(report.repaired.sort()).toEqual(["encounterMgmt", "rgo"]);
    const sv = p.globals.OGRH_SV as Record<string, unknown>;
    expect(sv.consumes).toBe(consumes);
    expect(sv.quarantine).toEqual({ rgo: 7, encounterMgmt: "x" });
  });
});
