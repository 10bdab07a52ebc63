// The built addon in a whole raid of emulated 1.12 clients: it loads as the client loads it,
// creates and repairs OGRH_SV, survives /reload, and runs its self tests from the chat box.
// Covers: src/wow (the real adapter in every client), src/store, src/selftest
import { Raid } from "../harness/raid";

describe("addon boot in a 40-player raid", () => {
  let raid: Raid;
  afterEach(() => raid.close());

  test("loads into 40 clients without an error; a reloaded client finds its OGRH_SV identical", () => {
    raid = Raid.start({ size: 40 });
    expect(raid.allErrors()).toEqual([]);
    for (const c of raid.clients) {
      expect(c.eval("type(OGRH_SV) == 'table' and OGRH_SV.schemaVersion")).toBe(1);
      expect(c.eval("type(OGRH.EnsureSV)")).toBe("function");
    }
    const member = raid.member(17);
    member.run(`OGRH_SV.encounterAssignments.BWL = { Razorgore = { [1] = { [1] = "Gnuzench", [3] = "Sunderwhere" } } }
      OGRH_SV.consumes[1] = { primaryId = 13461, primaryName = "Greater Arcane Protection Potion" }`);
    raid.vm.exec(`before = W.clients["${member.name}"].env.OGRH_SV`);
    member.reload();
    raid.vm.exec(`after = W.clients["${member.name}"].env.OGRH_SV`);
    expect(raid.vm.eval("before ~= after and EmuSavedVars.deepEqual(before, after)")).toBe(true);
    expect(member.eval("OGRH_SV.encounterAssignments.BWL.Razorgore[1][3]")).toBe("Sunderwhere");
    expect(raid.allErrors()).toEqual([]);
  });

  test("the .toc lists the files in load order and the prelude defines _G on stock 1.12", () => {
    for (const turtleG of [false, true]) {
      raid = Raid.start({ size: 1, turtleG });
      expect(raid.leader.eval("_G == getfenv(0)")).toBe(true);
      expect(raid.leader.eval("OGRH ~= nil")).toBe(true);
      expect(raid.allErrors()).toEqual([]);
      raid.close();
    }
    raid = Raid.start({ size: 1 });
    const files = raid.vm.eval<string[]>("W.toc.files");
    expect(files[0]).toBe("Prelude.lua");
    expect(files[files.length - 1]).toBe("OGRH_Sync.lua");
    expect(raid.vm.eval("W.toc.meta")).toMatchObject({ Interface: "11200", SavedVariables: "OGRH_Sync_SV, OGRH_Sync_Backups" });
  });

  test("an unreadable OGRH_SV is replaced by a fresh one and the old value is kept aside", () => {
    raid = Raid.start({
      size: 1,
      savedVariables: { Tankmedady: 'OGRH_SV = "not a table"\n' },
    });
    expect(raid.leader.eval("OGRH_SV.quarantine.OGRH_SV")).toBe("not a table");
    expect(raid.leader.eval("type(OGRH_SV.encounterMgmt)")).toBe("table");
    expect(raid.leader.chatText()).toContain("Saved data 'OGRH_SV' was unreadable");
  });

  test("/ogrh prints help; /ogrh test all runs the self tests and prints a summary", () => {
    raid = Raid.start({ size: 1 });
    raid.leader.slash("/ogrh");
    expect(raid.leader.chatText()).toContain("/ogrh test all | test <suite>");
    raid.leader.clearChat();
    raid.leader.slash("/ogrh test all");
    const text = raid.leader.chatText();
    expect(text).toMatch(/OGRH self test: [1-9]\d* passed, 0 failed/);
    expect(text).not.toContain("FAIL");
    // Every suite the app registers ran, in this order (a suite that is not registered must fail here).
    const suites: string[] = [];
    for (const m of text.matchAll(/PASS(?:\|r)? (\w+): /g)) if (suites[suites.length - 1] !== m[1]) suites.push(m[1]);
    expect(suites).toEqual(["boot", "checksums", "validation", "rollback", "granular"]);
    raid.leader.clearChat();
    raid.leader.slash("/ogrh test nosuch");
    expect(raid.leader.chatText()).toContain("Unknown test suite 'nosuch'");
    expect(raid.allErrors()).toEqual([]);
  });
});
