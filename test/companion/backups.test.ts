// Backups in companion mode (issue 11) with the vendored OG-RaidHelper, Turtle flavour, full-size
// plan: export and import of OG-RaidHelper's plan, refusal of corrupt, truncated and foreign (the
// other mode's) text and backups, retention and pinning, /reload, chunk verification; a restore or
// import never touches what is OG-RaidHelper's alone (Active Raid, settings, UI state, bossMobs).
import { Client, Raid } from "../harness/raid";
import { Screen, WIN } from "../ui/helpers";
import { errorsBeyondOgrh, memberWithoutRaids, notPlanData, settleBackups, slotPath, startCompanionRaid, v2Plan } from "./v2fixture";

const AQ40 = 3; // raids after the Active Raid: AQ20, AQ40, BWL, MC, Naxxramas, Onyxia, ZG
const MC = 5;
const ZG = 8;

interface Info {
  id: number;
  label: string;
  reason: string;
  pinned: boolean;
  damaged: boolean;
  root: string;
}

const list = (c: Client): Info[] => {
  const l = c.eval<Info[] | Record<string, never>>("OGRH_Sync.Rollback.ListBackups()");
  return Array.isArray(l) ? l : [];
};
const root = (c: Client) => c.eval<string>("OGRH_Sync.SyncIntegrity.GetStructureChecksum()");

function backup(raid: Raid, c: Client, label: string): number {
  c.run(`assert(OGRH_Sync.Rollback.CreateManualBackup(${JSON.stringify(label)}))`);
  settleBackups(raid, c);
  return list(c)[0].id;
}

function restore(raid: Raid, c: Client, id: number): void {
  c.run(`assert(OGRH_Sync.Rollback.RestoreBackup(${id}))`);
  settleBackups(raid, c);
  raid.advance(1);
}

/** Puts a string from another VM (or JS) into a client's global `name`. */
function give(raid: Raid, c: Client, name: string, text: string): void {
  raid.vm.setString("__give", text);
  raid.vm.exec(`W.clients["${c.name}"].env.${name} = __give __give = nil`);
}

/** Edits of every kind a user of OG-RaidHelper makes to the plan, and to what is not plan data. */
function editEverything(raid: Raid, c: Client): void {
  c.run(`OGRH_SV.v2.encounterMgmt.raids[${AQ40}].encounters[3].roles[1].assignedPlayers[1] = "Someone"`);
  c.run(`assert(OGRH.SVM.SetPath("${slotPath(MC, 3, 1, 1)}", "Other"))`);
  c.run(`table.remove(OGRH_SV.v2.encounterMgmt.raids, ${ZG})`);
  c.run(`OGRH_SV.v2.tradeItems[1].quantity = 99`);
  c.run(`table.insert(OGRH_SV.v2.consumes, { primaryId = 1, primaryName = "New" })`);
  // Not plan data: the Active Raid, UI state, a setting, a raid's boss GUIDs.
  c.run(`OGRH_SV.v2.encounterMgmt.raids[1].encounters[1].roles[1].lootMethod = "group"`);
  c.run(`OGRH_SV.v2.ui.selectedRaidIndex = 4 OGRH_SV.v2.pollTime = 9`);
  c.run(`OGRH_SV.v2.encounterMgmt.raids[${MC}].bossMobs = { ["0xF1300030C9000002"] = "Lucifron" }`);
  raid.advance(2);
}

/** A standalone client's export text and SavedVariables file (backups of the spec's layout). */
function standaloneBackups(): { text: string; file: string } {
  const sa = Raid.start({ size: 1 });
  try {
    sa.advance(2);
    const c = sa.leader;
    for (let i = 0; i < 3; i++) {
      c.run(`assert(OGRH.Store.Set({ "encounterAssignments", "MC", "Lucifron", 1, 1 }, "Standalone${i}"))`);
      c.run(`assert(OGRH.Rollback.CreateManualBackup("standalone ${i}"))`);
      sa.advance(10);
    }
    const text = c.eval<string>(`OGRH.Rollback.ExportBackup(OGRH.Rollback.ListBackups()[1].id)`);
    c.logout();
    return { text, file: c.savedVariablesText() as string };
  } finally {
    sa.close();
  }
}

describe("export and import of OG-RaidHelper's plan", () => {
  let raid: Raid;
  let foreign: { text: string; file: string };
  beforeAll(() => {
    foreign = standaloneBackups();
    raid = startCompanionRaid({ size: 1 });
    raid.advance(5);
  });
  afterAll(() => raid.close());
  const c = () => raid.leader;

  test("import then restore gives the exported v2 plan byte-for-byte, written through OGRH.SVM; a safety backup first; nothing of OG-RaidHelper's own is touched", () => {
    c().run(`OGRH_SV.v2.encounterMgmt.raids[${MC}].bossMobs = { ["0xF1300030C9000001"] = "Lucifron" }`);
    raid.advance(2);
    const exported = v2Plan(c(), true);
    const id = backup(raid, c(), "for export");
    const exportedRoot = root(c());
    c().run(`__text = OGRH_Sync.Rollback.ExportBackup(${id})`);
    expect(c().eval<string>("string.sub(__text, 1, 18)")).toBe("# OGRH Sync backup");
    editEverything(raid, c());
    const edited = v2Plan(c(), true);
    const editedRoot = root(c());
    const own = notPlanData(c());
    expect(edited).not.toBe(exported);

    c().clearChat();
    c().run(`assert(OGRH_Sync.Rollback.ImportBackup(__text))`);
    settleBackups(raid, c());
    raid.advance(1);
    const imported = list(c())[0];
    expect(imported).toMatchObject({ label: "for export", reason: "Import", pinned: true, root: exportedRoot });
    // An import only adds a backup: the plan is unchanged until it is restored.
    expect(v2Plan(c(), true)).toBe(edited);

    c().run(`__paths = {} local real = OGRH.SVM.SetPath OGRH.SVM.SetPath = function(p, v, m) table.insert(__paths, p) return real(p, v, m) end`);
    restore(raid, c(), imported.id);
    expect(c().chatText()).toContain(`Restored backup #${imported.id}: for export. Checksums recomputed (they match the backup).`);
    expect(v2Plan(c(), true)).toBe(exported);
    expect(root(c())).toBe(exportedRoot);
    // Written through OG-RaidHelper's manager: it saw the writes and reads the restored values.
    const paths = c().eval<string[]>("__paths");
    expect(paths).toEqual(expect.arrayContaining(["tradeItems", "consumes", "encounterMgmt.raids"]));
    expect(paths.every((p) => p === "tradeItems" || p === "consumes" || p.startsWith("encounterMgmt.raids"))).toBe(true);
    expect(c().eval(`OGRH.SVM.GetPath("${slotPath(MC, 3, 1, 1)}")`)).toBe(c().eval(`OGRH_Sync_SV.encounterAssignments.MC.Lucifron[1][1]`));
    expect(c().eval(`OGRH.SVM.GetPath("${slotPath(MC, 3, 1, 1)}")`)).not.toBe("Other");
    expect(c().eval(`OGRH.SVM.GetPath("encounterMgmt.raids.${ZG}.name")`)).toBe("ZG");
    // The Active Raid, settings, UI state and the current bossMobs are as they were before the restore.
    expect(notPlanData(c())).toBe(own);
    expect(c().eval(`OGRH_SV.v2.encounterMgmt.raids[${MC}].bossMobs["0xF1300030C9000002"]`)).toBe("Lucifron");
    // The safety backup holds the edited plan: restoring it brings the edits back.
    const safety = list(c())[0];
    expect(safety).toMatchObject({ reason: "Before Restore", root: editedRoot });
    restore(raid, c(), safety.id);
    expect(v2Plan(c(), true)).toBe(edited);
    expect(notPlanData(c())).toBe(own);
    expect(errorsBeyondOgrh(raid)).toEqual([]);
  });

  test("corrupt, truncated, foreign and standalone text is refused in chat and changes nothing", () => {
    const id = list(c())[0].id;
    c().run(`__text = OGRH_Sync.Rollback.ExportBackup(${id})`);
    give(raid, c(), "__foreign", foreign.text);
    const plan = v2Plan(c());
    const own = notPlanData(c());
    const count = list(c()).length;
    const tries: [string, RegExp][] = [
      [`(string.gsub(__text, "(\\n%w%w%w%w%w%w%w%w%w%w)(%w)", function(p, c) return p .. (c == "A" and "B" or "A") end, 1))`, /the text was changed or damaged \(checksum mismatch\)/],
      [`string.sub(__text, 1, string.len(__text) - 300)`, /the text is truncated \(the OGRH-END line is missing\)/],
      [`string.sub(__text, 1, 500) .. "\\nOGRH-END"`, /the text is truncated or damaged \(\d+ of \d+ characters\)/],
      [`"some other addon's export"`, /this is not an OGRH backup export/],
      [`__foreign`, /it holds OGRH Sync's standalone plan \(made without OG-RaidHelper\); next to OG-RaidHelper only backups of OG-RaidHelper's plan can be used\. Nothing was changed\./],
    ];
    for (const [expr, message] of tries) {
      c().clearChat();
      c().run(`assert(OGRH_Sync.Rollback.ImportBackup(${expr}))`);
      settleBackups(raid, c());
      raid.advance(1);
      expect(c().chatText()).toMatch(/^OGRH: Import failed: /);
      expect(c().chatText()).toMatch(message);
    }
    expect(list(c()).length).toBe(count);
    expect(v2Plan(c())).toBe(plan);
    expect(notPlanData(c())).toBe(own);
    expect(c().eval("OGRH_Sync.Companion.writes()")).toBeGreaterThan(0);
    expect(errorsBeyondOgrh(raid)).toEqual([]);
  });

  test("the other way round: OG-RaidHelper's plan exported here is refused by a standalone client", () => {
    const text = c().eval<string>(`OGRH_Sync.Rollback.ExportBackup(${list(c())[0].id})`);
    const sa = Raid.start({ size: 1 });
    try {
      sa.advance(2);
      const before = sa.leader.eval<string>("OGRH.SyncIntegrity.GetStructureChecksum()");
      const n = sa.leader.eval<number>("table.getn(OGRH.Rollback.ListBackups())");
      give(sa, sa.leader, "__t", text);
      sa.leader.run(`assert(OGRH.Rollback.ImportBackup(__t))`);
      for (let i = 0; i < 40; i++) sa.advance(0.25);
      expect(sa.leader.chatText()).toContain("Import failed: it holds OG-RaidHelper's plan (made in companion mode); it can only be used next to OG-RaidHelper. Nothing was changed.");
      expect(sa.leader.eval<number>("table.getn(OGRH.Rollback.ListBackups())")).toBe(n);
      expect(sa.leader.eval<string>("OGRH.SyncIntegrity.GetStructureChecksum()")).toBe(before);
      expect(sa.allErrors()).toEqual([]);
    } finally {
      sa.close();
    }
  });

  test("backups made standalone before OG-RaidHelper was installed are listed but not restored over its plan", () => {
    // The same character's SavedVariables from standalone use, now loaded next to OG-RaidHelper.
    c().logout();
    raid.vm.setString("__file", foreign.file);
    raid.vm.exec(`W.clients["${c().name}"]:setSavedFile("OGRH_Sync", __file) __file = nil`);
    c().login();
    raid.advance(3);
    const old = list(c()).filter((b) => b.label.startsWith("standalone"));
    expect(old.length).toBe(3);
    // The list says which mode made them, before anyone tries to restore one.
    const modes = c().eval<Record<string, string | undefined>>(`(function() local m = {} for _, b in ipairs(OGRH_Sync.Rollback.ListBackups()) do m[tostring(b.id)] = b.otherMode or "" end return m end)()`);
    for (const b of old) expect(modes[String(b.id)]).toBe("standalone");
    const screen = new Screen(c());
    c().slash("/ogrhsync data backups");
    expect(screen.rows("Backup").map((r) => r[1]).filter((l) => l.startsWith("standalone"))).toEqual(["standalone 2 (standalone)", "standalone 1 (standalone)", "standalone 0 (standalone)"]);
    screen.click(WIN + "CloseButton");
    const plan = v2Plan(c());
    const own = notPlanData(c());
    c().clearChat();
    restore(raid, c(), old[0].id);
    expect(c().chatText()).toContain(
      `Restore failed: backup #${old[0].id} cannot be restored here: it holds OGRH Sync's standalone plan (made without OG-RaidHelper); next to OG-RaidHelper only backups of OG-RaidHelper's plan can be used. Current data unchanged.`,
    );
    expect(v2Plan(c())).toBe(plan);
    expect(notPlanData(c())).toBe(own);
    // A backup of OG-RaidHelper's plan made now restores as usual, and is not marked.
    const id = backup(raid, c(), "companion");
    expect(c().eval(`(function() for _, b in ipairs(OGRH_Sync.Rollback.ListBackups()) do if b.id == ${id} then return b.otherMode == nil end end end)()`)).toBe(true);
    restore(raid, c(), id);
    expect(v2Plan(c())).toBe(plan);
    expect(errorsBeyondOgrh(raid)).toEqual([]);
  });
});

describe("retention, pinning, /reload and verification in companion mode", () => {
  let raid: Raid;
  beforeAll(() => {
    raid = startCompanionRaid({ size: 1 });
    raid.advance(5);
  });
  afterAll(() => raid.close());
  const c = () => raid.leader;

  /** n automatic backups, each after an edit OG-RaidHelper's user makes in v2; returns each one's plan. */
  const autoBackups = (n: number, from: number): Map<string, string> => {
    const plans = new Map<string, string>();
    for (let i = 0; i < n; i++) {
      c().run(`OGRH_SV.v2.encounterMgmt.raids[${MC}].encounters[4].roles[1].assignedPlayers[1] = "P${from + i}"`);
      raid.advance(0.5);
      c().run(`assert(OGRH_Sync.Rollback.CreateBackup("auto ${from + i}", "Automatic"))`);
      settleBackups(raid, c());
      plans.set(list(c())[0].label, v2Plan(c()));
    }
    return plans;
  };

  test("automatic backups rotate as standalone (the last 10); pinned ones survive; all survive /reload and still restore byte-identical", () => {
    let plans = autoBackups(15, 1);
    expect(list(c()).map((b) => b.label)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6].map((i) => "auto " + i));
    for (const b of list(c()).slice(7)) c().slash("/ogrhsync pin " + b.id);
    expect(c().chatText()).toContain("Backup #6 pinned.");
    plans = new Map([...plans, ...autoBackups(15, 16)]);
    const labels = list(c()).map((b) => b.label);
    expect(labels).toEqual([30, 29, 28, 27, 26, 25, 24, 8, 7, 6].map((i) => "auto " + i));
    expect(list(c()).filter((b) => b.pinned).map((b) => b.label)).toEqual(["auto 8", "auto 7", "auto 6"]);

    const digest = `OGRH_Sync.HashString((OGRH_Sync.SyncIntegrity.Serialize(OGRH_Sync_Backups)))`;
    const before = c().eval<string>(digest);
    const plan = v2Plan(c());
    c().reload();
    raid.advance(3);
    // OG-RaidHelper's plan and our backups were both written and read back by the client.
    expect(v2Plan(c())).toBe(plan);
    expect(c().eval<string>(digest)).toBe(before);
    expect(list(c()).map((b) => b.label)).toEqual(labels);
    const pinned = list(c()).find((b) => b.label === "auto 7")!;
    restore(raid, c(), pinned.id);
    expect(v2Plan(c())).toBe(plans.get("auto 7"));
    expect(c().eval(`OGRH.SVM.GetPath("encounterMgmt.raids.${MC}.encounters.4.roles.1.assignedPlayers.1")`)).toBe("P7");
    expect(errorsBeyondOgrh(raid)).toEqual([]);
  });

  test("verification: a chunk changed on disk fails its checksum at restore, a missing one marks the backup damaged; the plan is unchanged", () => {
    const id = backup(raid, c(), "to be damaged on disk");
    c().run(`OGRH_SV.v2.encounterMgmt.raids[${AQ40}].encounters[4].roles[2].assignedPlayers[2] = "Current"`);
    raid.advance(1);
    // Change one byte of a chunk of that backup in the SavedVariables file, as a damaged disk would.
    const key = c().eval<string>(`(function() for _, e in ipairs(OGRH_Sync_Backups.backups) do if e.id == ${id} then return string.sub(e.keys, 1, 13) end end end)()`);
    c().logout();
    raid.vm.exec(`
      local name = "${c().name}"
      local text = W.savedText[name]
      local at = string.find(text, '["${key}"] = "', 1, true)
      local q = at + 40
      local ch = string.sub(text, q, q) == "A" and "B" or "A"
      W.savedText[name] = string.sub(text, 1, q - 1) .. ch .. string.sub(text, q + 1)`);
    c().login();
    raid.advance(3);
    const plan = v2Plan(c());
    const own = notPlanData(c());
    const count = list(c()).length;
    c().clearChat();
    restore(raid, c(), id);
    expect(c().chatText()).toMatch(new RegExp("Restore failed: backup #" + id + " is damaged \\(chunk " + key + " (does not match its checksum|is unreadable: .*)\\)\\. Current data unchanged\\."));
    expect(v2Plan(c())).toBe(plan);
    expect(list(c()).length).toBe(count);
    expect(notPlanData(c())).toBe(own);
    // A chunk missing from the file: found at load, the backup is listed as damaged.
    c().run(`for k in pairs(OGRH_Sync_Backups.chunks) do OGRH_Sync_Backups.chunks[k] = nil break end`);
    c().reload();
    raid.advance(3);
    expect(c().chatText()).toContain("is damaged (its data is missing); it cannot be restored.");
    expect(list(c()).some((b) => b.damaged)).toBe(true);
    expect(list(c()).some((b) => b.id === id)).toBe(true);
    expect(v2Plan(c())).toBe(plan);
    expect(errorsBeyondOgrh(raid)).toEqual([]);
  });
});

describe("whole-plan writes next to OG-RaidHelper without a hitch", () => {
  test("restoring a backup that differs in one raid writes only that raid into v2: no frame over 300 k instructions", () => {
    const { hookClients, resetClientCost, clientCost } = require("../../scripts/bench-lib.js");
    const raid = startCompanionRaid({ size: 1 });
    const c = raid.leader;
    raid.advance(5);
    hookClients(raid.vm);
    const id = backup(raid, c, "before the edit");
    const plan = v2Plan(c);
    c.run(`OGRH_SV.v2.encounterMgmt.raids[${MC}].encounters[3].roles[1].assignedPlayers[1] = "Edited"`);
    raid.advance(3);
    expect(v2Plan(c)).not.toBe(plan);
    const writes = c.eval<number>("OGRH_Sync.Companion.writes()");
    resetClientCost(raid.vm);
    restore(raid, c, id);
    expect(v2Plan(c)).toBe(plan);
    // One encounter written (the raid's shape is unchanged), not every raid compared and rewritten.
    expect(c.eval<number>("OGRH_Sync.Companion.writes()") - writes).toBe(1);
    expect(clientCost(raid.vm, c.name).max).toBeLessThanOrEqual(300);
    expect(errorsBeyondOgrh(raid)).toEqual([]);
    raid.close();
  });

  test("a full sync to a member whose OG-RaidHelper lost every raid writes them one a frame: no frame over 300 k instructions", () => {
    const { hookClients, resetClientCost, clientCost } = require("../../scripts/bench-lib.js");
    const { raid, admin, member } = memberWithoutRaids((r) => hookClients(r.vm));
    expect(member.eval<number>("table.getn(OGRH_SV.v2.encounterMgmt.raids)")).toBe(1);
    resetClientCost(raid.vm);
    member.run(`OGRH_Sync.SyncGranular.RequestRepair({ level = "STRUCTURE" })`);
    for (let t = 0; t < 60 && (v2Plan(member, true) !== v2Plan(admin, true) || member.eval<boolean>("OGRH_Sync.Companion.pending()")); t += 0.5) raid.advance(0.5);
    expect(v2Plan(member, true)).toBe(v2Plan(admin, true));
    expect(clientCost(raid.vm, member.name).max).toBeLessThanOrEqual(300);
    expect(errorsBeyondOgrh(raid)).toEqual([]);
    raid.close();
  });
});
