// The Data Management window in companion mode (issue 11) with the vendored OG-RaidHelper, Turtle
// flavour, full-size plan: the title names the mode, validation lists OG-RaidHelper's raids and
// encounters (its Admin and Planning encounters too) by their own names, a repair and a backup
// restore started from the window write into OG-RaidHelper's plan, and our Load Defaults is refused.
import { Client, Raid } from "../harness/raid";
import { Screen, WIN } from "../ui/helpers";
import { damagedCompanionRaid, errorsBeyondOgrh, notPlanData, slotPath, v2Plan } from "./v2fixture";

const MC = 5; // raids after the Active Raid: AQ20, AQ40, BWL, MC, Naxxramas, Onyxia, ZG
const RAIDS = ["AQ20", "AQ40", "BWL", "MC", "Naxxramas", "Onyxia", "ZG"];

let raid: Raid;
afterAll(() => raid.close());

function until(pred: () => boolean, seconds: number): boolean {
  for (let t = 0; t < seconds; t += 0.25) {
    if (pred()) return true;
    raid.advance(0.25);
  }
  return pred();
}

const structureText = (screen: Screen) => screen.textsIn(WIN + "Structure").join("\n");

interface Row {
  kind: string;
  label: string;
  status: string;
  raid?: string;
  encounter?: string;
}

const treeRows = (c: Client): Row[] => {
  const rows = c.eval<{ rows: Row[] | Record<string, never> } | null>("OGRH_Sync.DataManagement.GetTreeModel()");
  return rows !== null && Array.isArray(rows.rows) ? rows.rows : [];
};

beforeAll(() => {
  raid = damagedCompanionRaid(3, 2);
});

test("the title names the mode; validation shows OG-RaidHelper's raids and its Admin and Planning encounters by name; a repair from the window puts its plan back", () => {
  const member = raid.member(2);
  const screen = new Screen(member);
  // The member's damage (DAMAGE_MC) is in three encounters of MC.
  expect(v2Plan(member)).not.toBe(v2Plan(raid.leader));

  member.slash("/ogrhsync data");
  expect(screen.visible(WIN)).toBe(true);
  expect(screen.textsIn(WIN)).toContain("OGRH Data Management (companion mode)");
  screen.click(WIN + "Validate");
  expect(until(() => screen.enabled(WIN + "Validate"), 20)).toBe(true);
  expect(structureText(screen)).toMatch(/3 problems found in 1 raid \(compared with Tankmedady\)/);
  const rows = treeRows(member);
  expect(rows.filter((r) => r.kind === "RAID").map((r) => r.label)).toEqual(RAIDS);
  expect(rows.filter((r) => r.kind === "GLOBAL").map((r) => r.label)).toEqual(["tradeItems", "consumes", "rgo"]);
  const encounters = rows.filter((r) => r.kind === "ENCOUNTER");
  // Encounters in OG-RaidHelper's order (its Admin and Planning encounters first), not by name.
  expect(encounters.map((r) => [r.raid, r.label, r.status])).toEqual([
    ["MC", "Admin", "MISMATCH"],
    ["MC", "Planning", "MISMATCH"],
    ["MC", "Lucifron", "MISMATCH"],
  ]);
  const broken = rows.filter((r) => r.kind === "COMPONENT" && r.status === "MISMATCH").map((r) => r.encounter + " > " + r.label);
  expect(broken).toEqual(["Admin > roles", "Planning > encounterMetadata", "Lucifron > playerAssignments"]);
  // The rows on screen carry the same names.
  const shown = screen.rows("Tree").map((r) => r[0].trim());
  for (let i = 0; i < 10; i++) {
    screen.wheel(WIN + "Tree", -1);
    shown.push(...screen.rows("Tree").map((r) => r[0].trim()));
  }
  expect(shown).toEqual(expect.arrayContaining(["MC", "Admin", "Planning", "Lucifron"]));

  // Several encounters of one raid: Raid is the level offered; repair from the admin.
  expect(screen.textsIn(WIN + "RepairBox")).toContain("Tankmedady (admin)");
  screen.click(WIN + "LevelRaid");
  screen.click(WIN + "Repair");
  expect(until(() => /Repair (completed|failed)/.test(structureText(screen)), 40)).toBe(true);
  expect(structureText(screen)).toMatch(/Repair completed successfully: MC/);
  expect(v2Plan(member)).toBe(v2Plan(raid.leader));
  // OG-RaidHelper's own reader sees the admin's values.
  expect(member.eval(`OGRH.SVM.GetPath("encounterMgmt.raids.${MC}.encounters.1.roles.1.lootMethod")`)).toBe(raid.leader.eval(`OGRH_SV.v2.encounterMgmt.raids[${MC}].encounters[1].roles[1].lootMethod`));
  expect(member.eval(`OGRH.SVM.GetPath("${slotPath(MC, 3, 1, 1)}")`)).toBe(raid.leader.eval(`OGRH.SVM.GetPath("${slotPath(MC, 3, 1, 1)}")`));
  expect(errorsBeyondOgrh(raid)).toEqual([]);
});

test("a backup restored from the window's Backups tab brings OG-RaidHelper's plan back and leaves its own tables alone", () => {
  const admin = raid.leader;
  const screen = new Screen(admin);
  admin.slash("/ogrhsync data backups");
  screen.click(WIN + "Create");
  screen.type("OGRHDataCreateBackupLabel", "Before the raid");
  screen.click("OGRHDataCreateBackupConfirm");
  raid.advance(3);
  expect(screen.rows("Backup")[0][1]).toBe("Before the raid");
  const saved = v2Plan(admin);
  admin.run(`assert(OGRH.SVM.SetPath("${slotPath(MC, 4, 1, 1)}", "Changed"))`);
  admin.run(`OGRH_SV.v2.ui.selectedEncounterIndex = 3 OGRH_SV.v2.encounterMgmt.raids[1].encounters[1].roles[2].textValues = { "tonight's rules" }`);
  raid.advance(2);
  const own = notPlanData(admin);
  expect(v2Plan(admin)).not.toBe(saved);
  screen.click(WIN + "BackupRow1");
  screen.click(WIN + "Restore");
  expect(screen.popupTexts()[0]).toMatch(/This will replace all current data. Continue\?/);
  admin.clickPopup(1);
  raid.advance(5);
  expect(screen.textsIn(WIN + "Backups").join("\n")).toMatch(/Backup restored/);
  expect(v2Plan(admin)).toBe(saved);
  expect(notPlanData(admin)).toBe(own);
  expect(screen.rows("Backup")[0][2]).toBe("Before Restore");
  // The admin's restore is an edit of the plan: the members follow.
  expect(until(() => raid.clients.every((c) => v2Plan(c) === saved), 20)).toBe(true);
  expect(errorsBeyondOgrh(raid)).toEqual([]);
});

test("our Load Defaults is refused at once with a clear message and changes nothing", () => {
  const c = raid.member(1);
  const plan = v2Plan(c);
  const own = notPlanData(c);
  for (const line of ["/ogrhsync defaults", "/ogrhsync defaults confirm"]) {
    c.clearChat();
    c.slash(line);
    raid.advance(2);
    expect(c.chatText()).toContain("OGRH: Load Defaults is OG-RaidHelper's in companion mode: use its own (Import/Export window). OGRH Sync's shipping raids would replace your OG-RaidHelper plan; nothing was changed.");
    expect(c.chatText()).not.toContain("confirm to continue");
  }
  expect(c.eval("({ OGRH_Sync.LoadDefaults() })[2]")).toMatch(/^Load Defaults is OG-RaidHelper's in companion mode/);
  c.clearChat();
  c.slash("/ogrhsync");
  expect(c.chatText()).toContain("defaults - (standalone only; next to OG-RaidHelper use its Load Defaults)");
  // The window offers no Load Defaults of ours (OG-RaidHelper's own window has one).
  c.slash("/ogrhsync data");
  expect(raid.vm.eval<number>(`table.getn(W.clients["${c.name}"]:findByText("Load Defaults"))`)).toBe(0);
  expect(v2Plan(c)).toBe(plan);
  expect(notPlanData(c)).toBe(own);
  expect(errorsBeyondOgrh(raid)).toEqual([]);
});
