// Spec 6.5.2 and 6.5.4 through the window's Backups tab in the emulated client: create with a
// label, list newest first with formatted metadata, pin, delete (confirmation for manual backups
// only, the minimum of 3), restore with its confirmation, export and import between clients.
import { Raid } from "../harness/raid";
import { Screen, WIN } from "./helpers";

let raid: Raid;
afterEach(() => raid.close());

function open(size = 2): Screen {
  raid = Raid.start({ size });
  raid.advance(2);
  raid.leader.slash("/ogrh data backups");
  return new Screen(raid.leader);
}

function settle(seconds = 3): void {
  raid.advance(seconds);
}

function createBackup(screen: Screen, label: string): void {
  screen.click(WIN + "Create");
  screen.type("OGRHDataCreateBackupLabel", label);
  screen.click("OGRHDataCreateBackupConfirm");
  settle();
}

const notice = (screen: Screen) => screen.textsIn(WIN + "Backups").join("\n");

test("spec 6.5.2 test 1: Create Backup with a label and a size estimate; the backup is listed, pinned, Manual", () => {
  const screen = open();
  screen.click(WIN + "Create");
  expect(screen.visible("OGRHDataCreateBackup")).toBe(true);
  expect(screen.textsIn("OGRHDataCreateBackup").join("\n")).toMatch(/Current data: about \d+(\.\d)? KB/);
  screen.type("OGRHDataCreateBackupLabel", "Before BWL Changes");
  screen.click("OGRHDataCreateBackupConfirm");
  settle();
  expect(notice(screen)).toMatch(/Backup created successfully: Before BWL Changes \(\d+(\.\d)? KB\)/);
  const rows = screen.rows("Backup");
  expect(rows[0]).toEqual([expect.stringMatching(/^Jan 22, 2026 \d{1,2}:\d\d (AM|PM)$/), "Before BWL Changes", "Manual", expect.stringMatching(/KB$/), "Pinned"]);
  expect(raid.allErrors()).toEqual([]);
});

test("spec 6.5.4 tests 1-4: five backups newest first; pin/unpin; delete without and with confirmation; the minimum of 3", () => {
  const screen = open();
  for (const label of ["One", "Two", "Three", "Four", "Five"]) {
    createBackup(screen, label);
    raid.advance(61);
  }
  let rows = screen.rows("Backup");
  expect(rows.map((r) => r[1])).toEqual(["Five", "Four", "Three", "Two", "One"]);
  // newest first by timestamp: the minutes go down the list
  const minutes = rows.map((r) => /(\d+):(\d\d) (AM|PM)$/.exec(r[0])!).map((m) => Number(m[1]) * 60 + Number(m[2]));
  for (let i = 1; i < minutes.length; i++) expect(minutes[i]).toBeLessThan(minutes[i - 1]);
  // unpin "Three", then pin it again
  screen.click(WIN + "BackupRow3");
  expect(screen.text(WIN + "Pin")).toBe("Unpin");
  screen.click(WIN + "Pin");
  expect(screen.rows("Backup")[2][4]).toBe("-");
  expect(screen.text(WIN + "Pin")).toBe("Pin");
  screen.click(WIN + "Pin");
  expect(screen.rows("Backup")[2][4]).toBe("Pinned");
  // an automatic backup is deleted at once; a manual one asks first
  raid.leader.run(`OGRH.Store.Set({ "encounterRaidMarks", "MC", "Lucifron" }, { 3 }) OGRH.Rollback.CreateBackup("Auto one", "Before Full Sync")`);
  settle();
  rows = screen.rows("Backup");
  expect(rows[0][1]).toBe("Auto one");
  expect(rows[0][2]).toBe("Before Full Sync");
  screen.click(WIN + "BackupRow1");
  screen.click(WIN + "Delete");
  expect(raid.leader.popups()).toEqual([]);
  expect(screen.rows("Backup").map((r) => r[1])).toEqual(["Five", "Four", "Three", "Two", "One"]);
  screen.click(WIN + "BackupRow1");
  screen.click(WIN + "Delete");
  expect(screen.popupTexts()[0]).toMatch(/Delete the manual backup "Five"/);
  raid.leader.clickPopup(1);
  expect(screen.rows("Backup").map((r) => r[1])).toEqual(["Four", "Three", "Two", "One"]);
  screen.click(WIN + "BackupRow1");
  screen.click(WIN + "Delete");
  raid.leader.clickPopup(1);
  expect(screen.rows("Backup").length).toBe(3);
  screen.click(WIN + "BackupRow1");
  screen.click(WIN + "Delete");
  raid.leader.clickPopup(1);
  expect(notice(screen)).toMatch(/Cannot delete - minimum 3 backups required/);
  expect(screen.rows("Backup").length).toBe(3);
  expect(raid.allErrors()).toEqual([]);
});

test("restore asks with the spec's text, makes a safety backup first and brings the data back", () => {
  const screen = open();
  createBackup(screen, "Good plan");
  const good = raid.leader.eval<string>("OGRH.SyncIntegrity.GetStructureChecksum()");
  raid.leader.run(`OGRH.Store.Set({ "encounterRaidMarks", "BWL", "Razorgore" }, { 5 })`);
  expect(raid.leader.eval("OGRH.SyncIntegrity.GetStructureChecksum()")).not.toBe(good);
  raid.advance(61);
  screen.click(WIN + "BackupRow1");
  screen.click(WIN + "Restore");
  const text = screen.popupTexts()[0];
  expect(text).toMatch(/This will replace all current data. Continue\?/);
  expect(text).toMatch(/Backup: Jan 22, 2026 .* - Good plan/);
  expect(text).toMatch(/Safety backup will be created first/);
  raid.leader.clickPopup(1);
  settle(5);
  expect(raid.leader.eval("OGRH.SyncIntegrity.GetStructureChecksum()")).toBe(good);
  expect(notice(screen)).toMatch(/Backup restored/);
  const reasons = screen.rows("Backup").map((r) => r[2]);
  expect(reasons.length).toBe(2);
  expect(reasons[0]).not.toBe("Manual"); // the safety backup, newest
  expect(raid.allErrors()).toEqual([]);
});

test("spec 6.5.4 test 5: Export shows the text with its metadata header; Import on another client adds it", () => {
  const screen = open(2);
  createBackup(screen, "For the officer");
  screen.click(WIN + "BackupRow1");
  screen.click(WIN + "Export");
  settle();
  expect(screen.visible("OGRHDataBackupText")).toBe(true);
  const text = raid.leader.eval<string>("OGRHDataBackupTextAreaBox:GetText()");
  expect(text.length).toBeGreaterThan(100);
  expect(text).toMatch(/For the officer/);
  expect(raid.leader.eval("OGRHDataBackupTextAreaBox.highlight ~= nil")).toBe(true);
  // paste it on member 1
  raid.vm.exec(`__t = W.clients["${raid.leader.name}"].env.OGRHDataBackupTextAreaBox:GetText()`);
  const member = raid.member(1);
  const other = new Screen(member);
  member.slash("/ogrh data backups");
  other.click(WIN + "Import");
  raid.vm.exec(`W.clients["${member.name}"].env.OGRHDataBackupTextAreaBox:SetText(__t) __t = nil`);
  other.click("OGRHDataBackupTextImport");
  settle(5);
  expect(other.rows("Backup").some((r) => r[1] === "For the officer")).toBe(true);
  expect(notice(other)).toMatch(/Backup imported/);
  // garbage is refused with a reason and changes nothing
  other.click(WIN + "Import");
  raid.vm.exec(`W.clients["${member.name}"].env.OGRHDataBackupTextAreaBox:SetText("not a backup")`);
  other.click("OGRHDataBackupTextImport");
  settle(3);
  expect(other.textsIn("OGRHDataBackupText").join("\n")).toMatch(/Import failed/);
  expect(raid.allErrors()).toEqual([]);
});

test("the backup list stays fast with 150 backups: pooled rows, wheel cost independent of length", () => {
  const screen = open(1);
  // manual backups are pinned, so retention keeps all of them
  raid.leader.run(`for i = 1, 150 do OGRH.Store.Set({ "encounterRaidMarks", "MC", "Lucifron" }, { i }) OGRH.Rollback.CreateManualBackup("Backup " .. i) end`);
  settle(60);
  const total = raid.leader.eval<number>("table.getn(OGRH.Rollback.ListBackups())");
  expect(total).toBeGreaterThan(100);
  raid.leader.run("OGRH.DataManagement.Refresh()");
  expect(screen.rows("Backup").length).toBe(12);
  const ref = `W.clients["${raid.leader.name}"]`;
  const cost = raid.vm.eval<{ kinstructions: number }>(`EmuMeasure.run(function() for i = 1, 10 do ${ref}:callScript(${ref}.env.${WIN}BackupList, "OnMouseWheel", -1) end end)`).kinstructions;
  expect(cost / 10).toBeLessThan(80);
  screen.wheel(WIN + "BackupList", -1000);
  const rows = screen.rows("Backup");
  expect(rows.length).toBe(12);
});

test("Import of tampered text: the window shows the refusal, never an early \"Backup imported\"", () => {
  const screen = open(1);
  createBackup(screen, "Tamper me");
  const before = raid.leader.eval<number>("table.getn(OGRH.Rollback.ListBackups())");
  raid.leader.run(`assert(OGRH.Rollback.ExportBackup(OGRH.Rollback.ListBackups()[1].id, function(t) __text = t end))`);
  settle(5);
  // Flip one character of the body (after the header lines), as a careless copy would.
  raid.leader.run(`local at = string.find(__text, "OGRH%-BACKUP") local nl = string.find(__text, "\\n", at) + 30
    local ch = string.sub(__text, nl, nl) == "A" and "B" or "A"
    __text = string.sub(__text, 1, nl - 1) .. ch .. string.sub(__text, nl + 1)`);
  screen.click(WIN + "Import");
  raid.leader.run(`OGRHDataBackupTextAreaBox:SetText(__text)`);
  screen.click("OGRHDataBackupTextImport");
  // At once: the import runs over frames; nothing claims success yet.
  expect(screen.textsIn(WIN + "Backups").join("\n")).not.toMatch(/Backup imported/);
  expect(screen.textsIn("OGRHDataBackupText").join("\n")).toMatch(/Importing/);
  settle(5);
  expect(screen.textsIn("OGRHDataBackupText").join("\n")).toMatch(/Import failed: .*(checksum|damaged|does not match|corrupt)/i);
  expect(screen.textsIn(WIN + "Backups").join("\n")).toMatch(/Import failed/);
  expect(screen.textsIn(WIN + "Backups").join("\n")).not.toMatch(/Backup imported/);
  expect(raid.leader.eval("table.getn(OGRH.Rollback.ListBackups())")).toBe(before);
  expect(raid.allErrors()).toEqual([]);
});
