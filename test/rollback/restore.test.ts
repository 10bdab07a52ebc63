// Spec 6.5.3 / 6.5.4 in the Lua 5.0 harness: restore with its safety backup, corrupted backups,
// the admin's restore as a "restore" write, the backup list, pin, delete, the minimum of 3,
// export/import between two clients, SavedVariables round trips and bad input.
import { Raid } from "../harness/raid";
import { assign, autoBackup, backup, freshRoot, lastLines, list, restore, root, settle } from "./helpers";

describe("6.5.3 restore", () => {
  let raid: Raid;
  beforeEach(() => {
    raid = Raid.start({ size: 1 });
  });
  afterEach(() => raid.close());
  const c = () => raid.leader;

  test("restore brings back the backed-up data and recomputes checksums; the safety backup holds the pre-restore data", () => {
    assign(c(), "BWL", "Razorgore", 1, 1, "Tankmedady");
    const saved = root(c());
    const id = backup(raid, c(), "Before BWL Changes");
    // Delete an encounter and change assignments.
    c().run(`assert(OGRH.Store.Edit({ "encounterMgmt", "raids", "BWL", "encounters" }, function(t) table.remove(t, 2) end))`);
    assign(c(), "BWL", "Razorgore", 1, 1, "Someone");
    const modified = root(c());
    expect(modified).not.toBe(saved);
    c().run(`__changes = {} OGRH.Store.OnChange(function(ch) table.insert(__changes, ch.source) end)`);
    c().slash("/ogrh restore " + id);
    expect(lastLines(c(), 1)).toContain("A safety backup will be created first. Type /ogrh restore " + id + " confirm to continue.");
    c().slash("/ogrh restore " + id + " confirm");
    settle(raid, c());
    expect(c().eval("OGRH_SV.encounterMgmt.raids.BWL.encounters[2].name")).toBe("Vaelastrasz");
    expect(c().eval("OGRH_SV.encounterAssignments.BWL.Razorgore[1][1]")).toBe("Tankmedady");
    expect(root(c())).toBe(saved);
    expect(freshRoot(c())).toBe(saved);
    expect(c().eval("__changes[table.getn(__changes)]")).toBe("restore");
    expect(c().chatText()).toContain("Restored backup #" + id + ": Before BWL Changes. Checksums recomputed (they match the backup).");
    const safety = list(c())[0];
    expect(safety).toMatchObject({ label: "Before restore of #" + id, reason: "Before Restore", root: modified });
    restore(raid, c(), safety.id);
    expect(root(c())).toBe(modified);
    expect(c().eval("OGRH_SV.encounterAssignments.BWL.Razorgore[1][1]")).toBe("Someone");
    expect(raid.allErrors()).toEqual([]);
  });

  test("a corrupted chunk in the SavedVariables: clear error, current data unchanged", () => {
    const id = backup(raid, c(), "good");
    assign(c(), "BWL", "Razorgore", 1, 1, "Current");
    const current = root(c());
    // Corrupt one stored chunk in the file the client wrote, as a damaged disk or an editor would.
    c().logout();
    raid.vm.exec(`
      local name = "${c().name}"
      local text = W.savedText[name]
      local at = string.find(text, '%["%x+"%] = "Z')
      local q = string.find(text, '"Z', at, true) + 20
      local ch = string.sub(text, q, q) == "A" and "B" or "A"
      W.savedText[name] = string.sub(text, 1, q - 1) .. ch .. string.sub(text, q + 1)`);
    c().login();
    const before = list(c()).length;
    c().clearChat();
    c().run(`assert(OGRH.Rollback.RestoreBackup(${id}))`);
    settle(raid, c());
    expect(c().chatText()).toMatch(new RegExp("Restore failed: backup #" + id + " is damaged \\(chunk [0-9a-f]{13} (does not match its checksum|is unreadable: .*)\\)\\. Current data unchanged\\."));
    expect(root(c())).toBe(current);
    expect(c().eval("OGRH_SV.encounterAssignments.BWL.Razorgore[1][1]")).toBe("Current");
    expect(list(c()).length).toBe(before);
    // A missing chunk is found at load: the backup is listed as damaged.
    c().run(`for k in pairs(OGRH_Sync_Backups.chunks) do OGRH_Sync_Backups.chunks[k] = nil break end`);
    c().reload();
    expect(c().chatText()).toContain("is damaged (its data is missing); it cannot be restored.");
    expect(list(c()).some((b) => b.damaged)).toBe(true);
    expect(raid.allErrors()).toEqual([]);
  });

  test("a damaged manifest and unknown ids are refused without touching the plan", () => {
    const id = backup(raid, c(), "x");
    const current = root(c());
    c().run(`OGRH_Sync_Backups.backups[1].manifest = "Zgarbage"`);
    c().run(`assert(OGRH.Rollback.RestoreBackup(${id}))`);
    settle(raid, c());
    expect(c().chatText()).toContain("Restore failed: backup #" + id + " is damaged (manifest unreadable");
    expect(root(c())).toBe(current);
    expect(c().eval(`select and 0 or ({ OGRH.Rollback.RestoreBackup(99) })[2]`)).toBe("No backup #99.");
  });
});

describe("6.5.3 admin restore reaches the raid", () => {
  test("the admin's restore is one whole-plan write with source \"restore\" (what the sync pushes)", () => {
    const raid = Raid.start({ size: 2 });
    const admin = raid.leader;
    assign(admin, "BWL", "Razorgore", 1, 1, "Old");
    const id = backup(raid, admin, "plan A");
    assign(admin, "BWL", "Razorgore", 1, 1, "New");
    admin.run(`__seen = {} OGRH.Store.OnChange(function(ch) table.insert(__seen, { source = ch.source, level = ch.node and ch.node.level or "" }) end)`);
    restore(raid, admin, id);
    const seen = admin.eval<{ source: string; level: string }[]>("__seen");
    expect(seen).toEqual([{ source: "restore", level: "STRUCTURE" }]);
    expect(raid.allErrors()).toEqual([]);
    raid.close();
  });
});

describe("6.5.4 backup management", () => {
  let raid: Raid;
  beforeAll(() => {
    raid = Raid.start({ size: 1 });
  });
  afterAll(() => raid.close());
  const c = () => raid.leader;

  test("5 backups are listed newest first with their metadata", () => {
    const labels = ["one", "two", "three", "four", "five"];
    for (const [i, label] of labels.entries()) {
      assign(c(), "ZG", "Jeklik", 1, 1, "P" + i);
      if (i % 2 === 0) backup(raid, c(), label);
      else autoBackup(raid, c(), label, "Before Raid Sync");
      raid.advance(61);
    }
    const all = list(c());
    expect(all.map((b) => b.label)).toEqual(["five", "four", "three", "two", "one"]);
    expect(all.map((b) => b.reason)).toEqual(["Manual", "Before Raid Sync", "Manual", "Before Raid Sync", "Manual"]);
    expect(all.map((b) => b.pinned)).toEqual([true, false, true, false, true]);
    for (let i = 1; i < all.length; i++) expect(all[i - 1].timestamp).toBeGreaterThan(all[i].timestamp);
    expect(all[0].timeText).toMatch(/^Jan 22, 2026 \d{1,2}:\d\d [AP]M$/);
    expect(all[0].sizeText).toMatch(/^\d+ KB$/);
    c().slash("/ogrh backups");
    expect(lastLines(c(), 6).split("\n")[1]).toMatch(/^ {2}#5 Jan 22, 2026 .* - five \(Manual, \d+ KB\) \[pinned\]$/);
  });

  test("pin and unpin; delete; never below 3 backups", () => {
    const first = list(c())[4];
    c().slash("/ogrh unpin " + first.id);
    expect(list(c())[4].pinned).toBe(false);
    c().slash("/ogrh pin " + first.id);
    expect(list(c())[4].pinned).toBe(true);
    c().slash("/ogrh delete 2");
    expect(lastLines(c(), 1)).toContain("Backup #2 deleted.");
    c().slash("/ogrh delete 3");
    expect(list(c()).map((b) => b.id)).toEqual([5, 4, 1]);
    c().slash("/ogrh delete 4");
    expect(lastLines(c(), 1)).toBe("OGRH: Cannot delete - minimum 3 backups required");
    expect(c().eval("({ OGRH.Rollback.DeleteBackup(4) })[2]")).toBe("Cannot delete - minimum 3 backups required");
    expect(list(c()).length).toBe(3);
    // Chunks only the deleted backups used are gone.
    expect(c().eval(`(function() local n = 0 for k in pairs(OGRH_Sync_Backups.chunks) do if OGRH.Rollback.ChunkRefs(k) < 1 then n = n + 1 end end return n end)()`)).toBe(0);
  });
});

describe("6.5.4 export and import", () => {
  test("the export text has a metadata header and imports on another client as a new backup", () => {
    const raid = Raid.start({ size: 2 });
    const [a, b] = [raid.member(0), raid.member(1)];
    assign(a, "AQ40", "Skeram", 1, 1, "Exported");
    const id = backup(raid, a, "For Gnuzench");
    const want = root(a);
    a.slash("/ogrh export " + id);
    settle(raid, a);
    expect(a.chatText()).toMatch(/Export of backup #1 ready: \d+ characters/);
    raid.vm.exec(`__export = W.clients["${a.name}"].env.OGRH.Rollback.GetLastExport()`);
    // Without a callback the text comes back at once (what the Data Management window calls).
    expect(raid.vm.eval<boolean>(`W.clients["${a.name}"].env.OGRH.Rollback.ExportBackup(${id}) == __export`)).toBe(true);
    const header = raid.vm.eval<string>(`string.sub(__export, 1, 200)`);
    expect(header).toMatch(/^# OGRH Sync backup\n# Label: For Gnuzench\n# Reason: Manual\n# Created: Jan 22, 2026 .*\n# Size: \d+ KB\n# Root: [0-9a-f]{13}\nOGRH-BACKUP 1 \d+ [0-9a-f]{13}\n/);
    expect(raid.vm.eval<boolean>(`string.find(__export, "[^%w%p ]") == nil or string.find(__export, "[^%w%p \\n]") == nil`)).toBe(true);
    const bRoot = root(b);
    raid.vm.exec(`W.clients["${b.name}"].env.__text = __export`);
    b.run(`assert(OGRH.Rollback.ImportBackup(__text))`);
    settle(raid, b);
    const imported = list(b)[0];
    expect(imported).toMatchObject({ label: "For Gnuzench", reason: "Import", pinned: true, root: want });
    expect(root(b)).toBe(bRoot); // the live plan is not touched by an import
    restore(raid, b, imported.id);
    expect(root(b)).toBe(want);
    expect(b.eval("OGRH_SV.encounterAssignments.AQ40.Skeram[1][1]")).toBe("Exported");
    // Tampered and truncated text is refused with a clear reason; nothing changes.
    const n = list(b).length;
    const tries: [string, RegExp][] = [
      [`string.gsub(__text, "OGRH%-BACKUP 1 (%d+) ", "OGRH-BACKUP 1 %1 ", 1)`, /^$/],
      [`(string.gsub(__text, "(\\n%w%w%w%w%w%w%w%w%w%w)(%w)", function(p, c) return p .. (c == "A" and "B" or "A") end, 1))`, /the text was changed or damaged \(checksum mismatch\)/],
      [`string.sub(__text, 1, string.len(__text) - 300)`, /the text is truncated \(the OGRH-END line is missing\)/],
      [`string.sub(__text, 1, 500) .. "\\nOGRH-END"`, /the text is truncated or damaged \(\d+ of \d+ characters\)/],
      [`"hello"`, /this is not an OGRH backup export/],
    ];
    for (const [expr, message] of tries.slice(1)) {
      b.clearChat();
      b.run(`assert(OGRH.Rollback.ImportBackup(${expr}))`);
      settle(raid, b);
      expect(b.chatText()).toMatch(message);
      expect(b.chatText()).toMatch(/^OGRH: Import failed: /);
    }
    expect(list(b).length).toBe(n);
    expect(raid.allErrors()).toEqual([]);
    raid.close();
  });
});

describe("SavedVariables round trips", () => {
  test("backups survive /reload byte-exact and still restore", () => {
    const raid = Raid.start({ size: 1 });
    const c = raid.leader;
    for (let i = 0; i < 4; i++) {
      assign(c, "MC", "Garr", 1, 1, "R" + i);
      autoBackup(raid, c, "reload " + i);
    }
    const digest = `OGRH.HashString((OGRH.SyncIntegrity.Serialize(OGRH_Sync_Backups)))`;
    const before = c.eval<string>(digest);
    const first = list(c)[3];
    c.reload();
    expect(c.eval<string>(digest)).toBe(before);
    expect(raid.vm.eval<boolean>(`string.find(W.savedText["${c.name}"], "OGRH_Sync_Backups = {", 1, true) ~= nil`)).toBe(true);
    restore(raid, c, first.id);
    expect(root(c)).toBe(first.root);
    // No safety backup: the current data is backup "reload 3" already.
    expect(c.chatText()).toContain("Safety backup: nothing changed since backup #4 (it holds the current data).");
    c.reload();
    expect(list(c).length).toBe(4);
    expect(raid.allErrors()).toEqual([]);
    raid.close();
  });

  test("an unreadable OGRH_Sync_Backups is kept aside and backups start empty; bad entries are set aside", () => {
    const raid = Raid.start({ size: 1 });
    const c = raid.leader;
    c.run(`OGRH_Sync_Backups = "garbage"`);
    c.reload();
    expect(c.chatText()).toContain("Backup storage (OGRH_Sync_Backups) was unreadable; it was kept under OGRH_Sync_Backups.quarantine and backups start empty.");
    expect(c.eval("OGRH_Sync_Backups.quarantine.store")).toBe("garbage");
    expect(list(c)).toEqual([]);
    backup(raid, c, "fine");
    assign(c, "MC", "Garr", 1, 1, "X");
    backup(raid, c, "fine too");
    c.run(`OGRH_Sync_Backups.backups[1].keys = 42 OGRH_Sync_Backups.chunks[1] = "odd"`);
    c.reload();
    expect(c.chatText()).toContain("1 backup(s) were unreadable; they were kept under OGRH_Sync_Backups.quarantine.");
    expect(list(c).map((b) => b.label)).toEqual(["fine too"]);
    expect(c.eval("OGRH_Sync_Backups.chunks[1]")).toBeNull();
    // A SavedVariables file that does not parse is ignored whole by the client: a fresh start.
    c.logout();
    raid.vm.exec(`W.savedText["${c.name}"] = "OGRH_Sync_Backups = {{{"`);
    c.login();
    expect(list(c)).toEqual([]);
    backup(raid, c, "after");
    expect(list(c).length).toBe(1);
    expect(raid.allErrors()).toEqual([c.name + " (load): SavedVariables: [string \"SavedVariables\"]:1: unexpected symbol near `<eof>'"]);
    raid.close();
  });
});

describe("bad input never raises an error", () => {
  test("every function and command with odd arguments", () => {
    const raid = Raid.start({ size: 1 });
    const c = raid.leader;
    backup(raid, c, "base");
    const args = ["nil", "{}", `"x"`, "-1", "0", "1.5", "1e300", "true", `"1"`, "function() end"];
    for (const fn of ["CreateBackup", "CreateManualBackup", "RestoreBackup", "DeleteBackup", "PinBackup", "UnpinBackup", "ExportBackup", "ImportBackup", "GetBackup", "FormatTime", "FormatSize", "BeforeAdminTransfer"]) {
      for (const a of args) c.run(`OGRH.Rollback.${fn}(${a}, ${a})`);
    }
    settle(raid, c);
    for (const line of ["/ogrh backup", "/ogrh restore", "/ogrh restore abc", "/ogrh restore 1 nope", "/ogrh delete", "/ogrh pin x", "/ogrh unpin 99", "/ogrh export", "/ogrh export 42", "/ogrh import", "/ogrh backups", "/ogrh defaults now"]) {
      c.slash(line);
    }
    settle(raid, c);
    expect(raid.allErrors()).toEqual([]);
    expect(c.chatText()).not.toMatch(/attempt to|stack traceback/);
    raid.close();
  });
});
