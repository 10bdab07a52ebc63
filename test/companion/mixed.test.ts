// A raid mixing companion clients (OG-RaidHelper and OGRH Sync) with standalone ones (OGRH Sync
// alone), issue 11: the two plan layouts never exchange plan data (OG-RaidHelper's v2 plan of a
// companion client stays byte-identical, a standalone plan unchanged), each mode still syncs among
// its own players, everyone is told who runs the other mode and what to do, and a backup or export
// of one mode is refused in the other.
// Covers: src/sync, src/rollback, src/store
import { ADDON_FOLDER, Client, OGRH_FOLDER, Raid, ROSTER_NAMES } from "../harness/raid";
import { errorsBeyondOgrh, fullPlanFile, settleBackups, slotPath, v2Plan } from "./v2fixture";

const MC = 5; // v2 index of MC (raids sorted by name after the Active Raid)
const OTHER_LINE = /runs? OGRH Sync with OG-RaidHelper \(companion mode\); you run it without OG-RaidHelper \(standalone mode\)\. The two modes keep different plans.*install OG-RaidHelper where it is missing, or remove it everywhere\./;

/** `size` players; the named ones run both addons and start from the full-size v2 plan, the others OGRH Sync alone. */
function startMixed(size: number, companions: string[], seed: number): Raid {
  const file = fullPlanFile();
  const addons: Record<string, string[]> = {};
  for (const name of ROSTER_NAMES.slice(0, size)) if (!companions.includes(name)) addons[name] = [ADDON_FOLDER];
  const raid = Raid.start({ size, turtleG: true, withOGRaidHelper: true, addons, login: false, seed });
  raid.vm.setString("__plan", file);
  for (const name of companions) raid.vm.exec(`W.clients["${name}"]:setSavedFile("${OGRH_FOLDER}", __plan)`);
  for (const c of raid.clients) c.login();
  return raid;
}

const isCompanion = (c: Client) => c.eval<string>("OGRH_Sync.MODE") === "companion";
/** The plan a client syncs: OG-RaidHelper's whole v2 table in companion mode, our own plan standalone. */
const planOf = (c: Client) => (isCompanion(c) ? c.canonical("OGRH_SV.v2") : c.canonical("OGRH_SV"));
const rootOf = (c: Client) => c.eval<string>("OGRH_Sync.SyncIntegrity.GetStructureChecksum()");
const rejected = (raid: Raid) => raid.clients.map((c) => c.eval<number>("OGRH_Sync.SyncGranular.Stats().rejected"));

/** Seconds until ok() holds (undefined if not within max). */
function until(raid: Raid, max: number, ok: () => boolean): number | undefined {
  const start = raid.now();
  while (!ok()) {
    if (raid.now() - start >= max) return undefined;
    raid.advance(0.25);
  }
  return raid.now() - start;
}

describe("the admin runs companion mode", () => {
  // Tankmedady (leader, the admin), Gnuzench, Sunderwhere: both addons; Aelindra, Brakkus, Celestia: OGRH Sync alone.
  const companions = ROSTER_NAMES.slice(0, 3);
  let raid: Raid;
  beforeAll(() => {
    raid = startMixed(6, companions, 21);
    raid.advance(40);
  });
  afterAll(() => raid.close());
  const standalone = () => raid.clients.slice(3);

  test("the admin's edit reaches the companion members; no standalone plan changes; the standalone players are told why", () => {
    const before = standalone().map(planOf);
    const path = slotPath(MC, 4, 2, 4);
    raid.leader.run(`assert(OGRH.SVM.SetPath("${path}", "Newhealer"))`);
    const took = until(raid, 5, () => raid.clients.slice(1, 3).every((c) => v2Plan(c) === v2Plan(raid.leader)));
    expect(took).toBeDefined();
    for (const c of raid.clients.slice(0, 3)) expect(c.eval(`OGRH.SVM.GetPath("${path}")`)).toBe("Newhealer");
    raid.advance(60);
    expect(standalone().map(planOf)).toEqual(before);
    for (const c of standalone()) {
      expect(c.eval("OGRH_Sync.SyncGranular.GetAdmin()")).toBe("Tankmedady");
      const lines = c.chatText().split("\n").filter((l) => l.includes("runs OGRH Sync with"));
      // Once per sender (again only after 10 minutes), whatever the number of polls heard.
      expect(lines.length).toBe(1);
      expect(lines[0]).toMatch(/^OGRH: Tankmedady runs OGRH Sync with OG-RaidHelper/);
      expect(lines[0]).toMatch(OTHER_LINE);
      expect(lines[0]).toContain("Tankmedady is your raid admin: your plan is not checked or repaired until the raid admin runs your mode (or the raid leader chooses one who does: /ogrh admin <name>).");
      expect(c.chatText()).not.toContain("Ignored");
    }
    // The admin hears nothing from members it cannot sync, so each tells it once (SY.MODE): one line for all.
    const told = raid.leader.chatText().split("\n").filter((l) => l.includes("OGRH Sync without"));
    expect(told).toEqual([expect.stringMatching(/^OGRH: Aelindra, Brakkus and Celestia run OGRH Sync without OG-RaidHelper \(standalone mode\); you run it with OG-RaidHelper \(companion mode\)\. The two modes keep different plans/)]);
    raid.leader.clearChat();
    raid.leader.slash("/ogrhsync status");
    expect(raid.leader.chatText()).toContain("Raid admin: Tankmedady (you).");
    expect(raid.leader.chatText()).toContain("Not synced with you, running OGRH Sync without OG-RaidHelper (standalone mode): Aelindra, Brakkus, Celestia.");
    expect(rejected(raid)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(errorsBeyondOgrh(raid)).toEqual([]);
  });

  test("a standalone member's validation and repair say why at once, with no retries and no change", () => {
    const c = raid.member(4);
    const before = planOf(c);
    const sent = c.stats().sentMsgs;
    c.clearChat();
    c.slash("/ogrh validate");
    c.run(`OGRH.SyncGranular.RequestRepair({ level = "RAID", raid = "MC" })`);
    raid.advance(60);
    const text = c.chatText();
    expect(text).toContain("Validation is not possible: the raid admin Tankmedady runs OGRH Sync with OG-RaidHelper (companion mode) and you run it without OG-RaidHelper (standalone mode); the two modes never sync.");
    expect(text).toContain("Repair failed after 1 attempt (MC): the raid admin Tankmedady runs OGRH Sync with OG-RaidHelper");
    expect(text).not.toContain("no answer");
    expect(c.stats().sentMsgs).toBe(sent);
    expect(planOf(c)).toBe(before);
    c.clearChat();
    c.slash("/ogrh status");
    expect(c.chatText()).toContain("Mode: standalone (without OG-RaidHelper, over OGRH Sync's own plan).");
    expect(c.chatText()).toContain("Raid admin: Tankmedady. Not synced: the raid admin Tankmedady runs OGRH Sync with OG-RaidHelper (companion mode)");
    expect(c.chatText()).toContain("Not synced with you, running OGRH Sync with OG-RaidHelper (companion mode): Tankmedady.");
    expect(errorsBeyondOgrh(raid)).toEqual([]);
  });

  test("backups: an export of one mode is refused by the other, and a backup of the other mode is not restored", () => {
    const comp = raid.member(1);
    const solo = raid.member(3);
    comp.run(`assert(OGRH_Sync.Rollback.CreateManualBackup("companion plan"))`);
    solo.run(`assert(OGRH.Rollback.CreateManualBackup("standalone plan"))`);
    settleBackups(raid, comp);
    settleBackups(raid, solo);
    const compId = comp.eval<number>("OGRH_Sync.Rollback.ListBackups()[1].id");
    const soloId = solo.eval<number>("OGRH.Rollback.ListBackups()[1].id");
    raid.vm.exec(`__c = W.clients["${comp.name}"].env.OGRH_Sync.Rollback.ExportBackup(${compId}) __s = W.clients["${solo.name}"].env.OGRH.Rollback.ExportBackup(${soloId})`);
    const counts = [comp.eval<number>("table.getn(OGRH_Sync.Rollback.ListBackups())"), solo.eval<number>("table.getn(OGRH.Rollback.ListBackups())")];
    const plans = [planOf(comp), planOf(solo)];
    comp.clearChat();
    solo.clearChat();
    raid.vm.exec(`W.clients["${comp.name}"].env.__text = __s W.clients["${solo.name}"].env.__text = __c`);
    comp.run(`assert(OGRH_Sync.Rollback.ImportBackup(__text))`);
    solo.run(`assert(OGRH.Rollback.ImportBackup(__text))`);
    settleBackups(raid, comp);
    settleBackups(raid, solo);
    expect(comp.chatText()).toContain("Import failed: it holds OGRH Sync's standalone plan (made without OG-RaidHelper); next to OG-RaidHelper only backups of OG-RaidHelper's plan can be used. Nothing was changed.");
    expect(solo.chatText()).toContain("Import failed: it holds OG-RaidHelper's plan (made in companion mode); it can only be used next to OG-RaidHelper");
    expect([comp.eval<number>("table.getn(OGRH_Sync.Rollback.ListBackups())"), solo.eval<number>("table.getn(OGRH.Rollback.ListBackups())")]).toEqual(counts);
    // The same export still imports in its own mode.
    raid.vm.exec(`W.clients["${raid.member(2).name}"].env.__text = __c`);
    raid.member(2).run(`assert(OGRH_Sync.Rollback.ImportBackup(__text))`);
    settleBackups(raid, raid.member(2));
    expect(raid.member(2).eval("OGRH_Sync.Rollback.ListBackups()[1].label")).toBe("companion plan");
    expect([planOf(comp), planOf(solo)]).toEqual(plans);
    expect(errorsBeyondOgrh(raid)).toEqual([]);
  });

  test("a player who installed OG-RaidHelper keeps the standalone backups, which are refused by restore", () => {
    // Brakkus played standalone; his saved OGRH Sync file (with its backups) now loads next to OG-RaidHelper.
    const solo = raid.member(4);
    solo.run(`assert(OGRH.Rollback.CreateManualBackup("before OG-RaidHelper"))`);
    settleBackups(raid, solo);
    solo.logout();
    const mine = raid.vm.eval<string>(`W.clients["${solo.name}"]:savedFile("${ADDON_FOLDER}")`);
    const comp = raid.member(2);
    comp.logout();
    raid.vm.setString("__mine", mine);
    raid.vm.exec(`W.clients["${comp.name}"]:setSavedFile("${ADDON_FOLDER}", __mine)`);
    comp.login();
    solo.login();
    raid.advance(10);
    const v2 = comp.canonical("OGRH_SV.v2");
    const id = comp.eval<number>(`(function() for _, b in ipairs(OGRH_Sync.Rollback.ListBackups()) do if b.label == "before OG-RaidHelper" then return b.id end end end)()`);
    expect(id).toBeGreaterThan(0);
    comp.clearChat();
    comp.run(`assert(OGRH_Sync.Rollback.RestoreBackup(${id}))`);
    settleBackups(raid, comp);
    expect(comp.chatText()).toContain(`Restore failed: backup #${id} cannot be restored here: it holds OGRH Sync's standalone plan (made without OG-RaidHelper)`);
    raid.advance(5);
    expect(comp.canonical("OGRH_SV.v2")).toBe(v2);
    expect(errorsBeyondOgrh(raid)).toEqual([]);
  });
});

describe("each mode has an admin of its own", () => {
  // Tankmedady (leader) and Brakkus, Celestia: OGRH Sync alone; Gnuzench (OG-RaidHelper's raid
  // admin), Sunderwhere, Aelindra: both addons.
  const companions = ROSTER_NAMES.slice(1, 4);
  let raid: Raid;
  beforeAll(() => {
    raid = startMixed(6, companions, 22);
    raid.advance(40);
  });
  afterAll(() => raid.close());
  const comp = () => raid.clients.slice(1, 4);
  const solo = () => [raid.clients[0], ...raid.clients.slice(4)];

  test("without an OG-RaidHelper admin the companion players follow the standalone leader: nothing changes in v2, and they are told", () => {
    const before = comp().map(planOf);
    raid.leader.run(`assert(OGRH.Store.Set({ "encounterAssignments", "MC", "Lucifron", 1, 1 }, "Standalonetank"))`);
    raid.advance(60);
    expect(comp().map(planOf)).toEqual(before);
    for (const c of solo().slice(1)) expect(c.eval(`OGRH_SV.encounterAssignments.MC.Lucifron[1][1]`)).toBe("Standalonetank");
    for (const c of comp()) {
      expect(c.eval("OGRH_Sync.SyncGranular.GetAdmin()")).toBe("Tankmedady");
      expect(c.chatText()).toMatch(/Tankmedady runs OGRH Sync without OG-RaidHelper \(standalone mode\); you run it with OG-RaidHelper \(companion mode\)/);
      expect(c.chatText()).toContain("Tankmedady is your raid admin: your plan is not checked or repaired until the raid admin runs your mode (or a player in your mode takes OG-RaidHelper's raid admin).");
    }
    // Each companion member told the standalone admin (SY.MODE): one line names them all.
    expect(raid.leader.chatText()).toMatch(/OGRH: Aelindra, Gnuzench and Sunderwhere run OGRH Sync with OG-RaidHelper \(companion mode\); you run it without OG-RaidHelper \(standalone mode\)\./);
    expect(errorsBeyondOgrh(raid)).toEqual([]);
  });

  test("with OG-RaidHelper's admin in companion mode both modes sync among themselves, and neither takes the other's data", () => {
    for (const c of comp()) c.run(`OGRH.SetRaidAdmin("Gnuzench", true)`);
    raid.advance(35);
    for (const c of comp()) expect(c.eval("OGRH_Sync.SyncGranular.GetAdmin()")).toBe("Gnuzench");
    const soloBefore = solo().map(planOf);
    const path = slotPath(MC, 3, 1, 1);
    raid.member(1).run(`assert(OGRH.SVM.SetPath("${path}", "Companiontank"))`);
    expect(until(raid, 5, () => comp().every((c) => c.eval(`OGRH.SVM.GetPath("${path}")`) === "Companiontank"))).toBeDefined();
    raid.advance(5);
    expect(solo().map(planOf)).toEqual(soloBefore);
    const compBefore = comp().map(planOf);
    raid.leader.run(`assert(OGRH.Store.Set({ "encounterAssignments", "MC", "Lucifron", 1, 2 }, "Standaloneheal"))`);
    expect(until(raid, 5, () => solo().every((c) => rootOf(c) === rootOf(raid.leader)))).toBeDefined();
    raid.advance(60);
    expect(comp().map(planOf)).toEqual(compBefore);
    // Gnuzench is a plain member to the standalone players: his edits are the other mode's, not an attack.
    expect(rejected(raid)).toEqual([0, 0, 0, 0, 0, 0]);
    for (const c of raid.clients) expect(c.chatText()).not.toContain("Ignored");
    for (const c of solo()) expect(c.chatText().split("\n").some((l) => l.includes("Gnuzench") && OTHER_LINE.test(l))).toBe(true);
    expect(errorsBeyondOgrh(raid)).toEqual([]);
  });
});
