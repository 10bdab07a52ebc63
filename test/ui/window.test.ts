// The Data Management window driven through the emulated 1.12 client: slash command, Escape,
// moving, tabs, the validation tree (spec 6.4.2 test 1), and lists that stay fast with 100+ rows.
import { Raid } from "../harness/raid";
import { layoutOf } from "../harness/render";
import { Screen, WIN } from "./helpers";

let raid: Raid;
afterEach(() => raid.close());

/** Shows on `member` the validation of its plan against the leader's, as the sync's answer would. */
function validateAgainstLeader(member: number): void {
  raid.vm.exec(`__remote = W.clients["${raid.leader.name}"]:run("return OGRH.GetAllHierarchicalChecksums()")`);
  raid.vm.exec(`W.clients["${raid.member(member).name}"].env.__remote = __remote __remote = nil`);
  raid.member(member).run(`OGRH.DataManagement.Open()
    OGRH.DataManagement.ShowValidation(OGRH.ValidateStructureHierarchy(__remote), OGRH.GetAllHierarchicalChecksums(), __remote, "${raid.leader.name}")`);
}

test("/ogrh data opens the window; Escape closes it; it is movable and in the /ogrh help", () => {
  raid = Raid.start({ size: 2 });
  const c = raid.leader;
  const screen = new Screen(c);
  expect(screen.visible(WIN)).toBe(false);
  c.slash("/ogrh data");
  expect(screen.visible(WIN)).toBe(true);
  expect(screen.textsIn(WIN)).toEqual(expect.arrayContaining(["OGRH Data Management (standalone)", "Validate Structure", "Repair level:", "Repair"]));
  expect(c.eval(`${WIN}:IsMovable()`)).toBe(1);
  expect(c.eval(`${WIN}.dragButton`)).toBe("LeftButton");
  expect(raid.vm.eval(`W.clients["${c.name}"]:pressEscape()`)).toBe(true);
  expect(screen.visible(WIN)).toBe(false);
  c.slash("/ogrh data");
  screen.click(WIN + "CloseButton");
  expect(screen.visible(WIN)).toBe(false);
  c.clearChat();
  c.slash("/ogrh");
  expect(c.chatText()).toContain("/ogrh data [backups] - open the Data Management window");
  c.slash("/ogrh data backups");
  expect(screen.visible(WIN + "Backups")).toBe(true);
  expect(screen.visible(WIN + "Structure")).toBe(false);
  screen.click(WIN + "TabStructure");
  expect(screen.visible(WIN + "Structure")).toBe(true);
  expect(raid.allErrors()).toEqual([]);
});

test("uses only 1.12 templates and draws inside the screen", () => {
  raid = Raid.start({ size: 2 });
  raid.leader.slash("/ogrh data");
  const items = layoutOf(raid.leader);
  const win = items.find((i) => i.name === WIN)!;
  expect(win.right - win.left).toBe(660);
  for (const it of items) {
    expect(it.left).toBeGreaterThanOrEqual(0);
    expect(it.right).toBeLessThanOrEqual(1024);
  }
  const templates = raid.vm.eval<string[]>(`(function() local t = {} for _, f in ipairs(W.clients["${raid.leader.name}"].frames) do if f.template then t[f.template] = true end end local l = {} for k in pairs(t) do table.insert(l, k) end table.sort(l) return l end)()`);
  expect(templates).toEqual(["InputBoxTemplate", "UIPanelButtonTemplate", "UIPanelCloseButton"]);
});

test("spec 6.4.2 test 1: a corrupted component shows in the tree with both checksums; Repair is enabled", () => {
  raid = Raid.start({ size: 3 });
  const member = raid.member(2);
  member.run(`OGRH_SV.encounterAssignments = OGRH_SV.encounterAssignments or {}
    OGRH_SV.encounterAssignments.BWL = OGRH_SV.encounterAssignments.BWL or {}
    OGRH_SV.encounterAssignments.BWL.Razorgore = { { "Corrupted" } }`);
  validateAgainstLeader(2);
  const screen = new Screen(member);
  const rows = screen.rows("Tree");
  const bwl = rows.findIndex((r) => r[0] === "BWL");
  expect(bwl).toBeGreaterThanOrEqual(0);
  expect(rows[bwl + 1][0].trim()).toBe("Razorgore");
  const pa = rows.find((r) => r[0].trim() === "playerAssignments")!;
  expect(pa[1]).toBe("Mismatch");
  const localSum = member.eval<string>(`OGRH.ComputeComponentChecksum("BWL", "Razorgore", "playerAssignments")`);
  const remoteSum = raid.leader.eval<string>(`OGRH.ComputeComponentChecksum("BWL", "Razorgore", "playerAssignments")`);
  expect(pa[2]).toBe(localSum.substring(0, 8));
  expect(pa[3]).toBe(remoteSum.substring(0, 8));
  expect(pa[4]).toBe("Low");
  expect(screen.text(WIN + "Validate") === "Validate Structure").toBe(true);
  expect(screen.textsIn(WIN + "Structure").join("\n")).toMatch(/1 problem found \(compared with Tankmedady\)/);
  // red for the mismatch, green-ish for OK rows
  const paIndex = rows.findIndex((r) => r[0].trim() === "playerAssignments") + 1;
  expect(screen.rowColour("Tree", paIndex, 2)).toEqual([1, 0.25, 0.25]);
  // the corrupted component is selected, the level is Component, the admin is the target
  expect(raid.member(2).eval(`${WIN}TreeRow${paIndex}.selectedShown`) ?? true).toBe(true);
  expect(screen.textsIn(WIN + "RepairBox")).toContain("Tankmedady (admin)");
  expect(screen.enabled(WIN + "Repair")).toBe(true);
  expect(raid.allErrors()).toEqual([]);
});

test("a valid structure says so and keeps Repair disabled", () => {
  raid = Raid.start({ size: 2 });
  validateAgainstLeader(1);
  const screen = new Screen(raid.member(1));
  expect(screen.textsIn(WIN + "Structure").join("\n")).toMatch(/Validation passed/);
  expect(screen.enabled(WIN + "Repair")).toBe(false);
});

test("lists stay fast with 100+ rows: a fixed pool of row frames, scroll cost independent of length", () => {
  raid = Raid.start({ size: 2 });
  const member = raid.member(1);
  // corrupt every raid's metadata and one component per encounter: every raid opens up
  member.run(`for name, raid in pairs(OGRH_SV.encounterMgmt.raids) do
      raid.advancedSettings = { corrupted = true }
      for _, enc in ipairs(raid.encounters) do
        OGRH_SV.encounterRaidMarks[name] = OGRH_SV.encounterRaidMarks[name] or {}
        OGRH_SV.encounterRaidMarks[name][enc.name] = { 8 }
      end
    end`);
  validateAgainstLeader(1);
  const screen = new Screen(member);
  const total = member.eval<number>("table.getn(OGRH.DataManagement.GetTreeModel().rows)");
  expect(total).toBeGreaterThan(100);
  const frameCount = () => raid.vm.eval<number>(`table.getn(W.clients["${member.name}"].frames)`);
  const before = frameCount();
  const cost = (lua: string) => raid.vm.eval<{ kinstructions: number }>(`EmuMeasure.run(function() ${lua} end)`).kinstructions;
  const ref = `W.clients["${member.name}"]`;
  const scrollDown = cost(`for i = 1, 10 do ${ref}:callScript(${ref}.env.${WIN}Tree, "OnMouseWheel", -1) end`);
  expect(frameCount()).toBe(before); // no frame created while scrolling
  expect(screen.rows("Tree").length).toBe(12);
  // to the end: the last rows show
  screen.wheel(WIN + "Tree", -1000);
  const last = member.eval<string>("(function() local r = OGRH.DataManagement.GetTreeModel().rows return r[table.getn(r)].label end)()");
  expect(screen.rows("Tree")[11][0].trim()).toBe(last);
  // the same scrolling over a short list costs about the same
  raid.close();
  raid = Raid.start({ size: 2 });
  raid.member(1).run(`OGRH_SV.encounterRaidMarks.BWL = OGRH_SV.encounterRaidMarks.BWL or {} OGRH_SV.encounterRaidMarks.BWL.Razorgore = { 8 }`);
  validateAgainstLeader(1);
  const ref2 = `W.clients["${raid.member(1).name}"]`;
  const shortTotal = raid.member(1).eval<number>("table.getn(OGRH.DataManagement.GetTreeModel().rows)");
  expect(shortTotal).toBeLessThan(25);
  const scrollShort = raid.vm.eval<{ kinstructions: number }>(`EmuMeasure.run(function() for i = 1, 10 do ${ref2}:callScript(${ref2}.env.${WIN}Tree, "OnMouseWheel", -1) end end)`).kinstructions;
  expect(scrollDown).toBeLessThan(scrollShort * 1.5 + 20);
  // one notch over 100+ rows: a few thousand instructions (well under a millisecond)
  expect(scrollDown / 10).toBeLessThan(60);
});
