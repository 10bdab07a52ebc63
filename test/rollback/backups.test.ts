// Spec 6.5.1 / 6.5.2 in the Lua 5.0 harness: automatic backups before bulk applies (sync, Load
// Defaults, admin transfer), no duplicate automatic backups, retention, manual backups and their
// chat feedback, compression and content sharing on the full-size plan.
import { Raid } from "../harness/raid";
import { loadFullPlan } from "../integrity/plan";
import { assign, autoBackup, backup, freshRoot, lastLines, list, restore, root, settle } from "./helpers";

describe("6.5.1 automatic backups", () => {
  let raid: Raid;
  beforeAll(() => {
    raid = Raid.start({ size: 1 });
  });
  afterAll(() => raid.close());
  const c = () => raid.leader;

  test("before a raid-level sync is applied, a backup holds the pre-sync data", () => {
    assign(c(), "BWL", "Razorgore", 1, 1, "Before");
    const before = root(c());
    // What the sync does: announce the bulk apply, then replace the whole raid in the same frame.
    c().run(`
      local payload = OGRH.Store.DeepCopy(OGRH.Store.ExtractNode({ level = "RAID", raid = "BWL" }))
      payload.components.playerAssignments.Razorgore[1][1] = "FromSync"
      OGRH.Rollback.BeforeBulkApply("Raid sync: BWL", "Before Raid Sync")
      assert(OGRH.Store.ApplyNode({ level = "RAID", raid = "BWL" }, payload, "sync"))`);
    expect(c().eval("OGRH_SV.encounterAssignments.BWL.Razorgore[1][1]")).toBe("FromSync");
    settle(raid, c());
    const b = list(c())[0];
    expect(b).toMatchObject({ label: "Raid sync: BWL", reason: "Before Raid Sync", pinned: false, root: before });
    restore(raid, c(), b.id);
    expect(c().eval("OGRH_SV.encounterAssignments.BWL.Razorgore[1][1]")).toBe("Before");
    expect(root(c())).toBe(before);
  });

  test("before a full sync the backup holds the whole pre-sync plan", () => {
    const before = root(c());
    c().run(`
      local plan = OGRH.Store.DeepCopy(OGRH.Store.ExtractNode({ level = "STRUCTURE" }))
      plan.encounterMgmt.raids.MC = nil
      OGRH.Rollback.BeforeBulkApply("Full sync", "Before Full Sync")
      assert(OGRH.Store.ReplacePlan(plan, "sync"))`);
    settle(raid, c());
    expect(c().eval("OGRH_SV.encounterMgmt.raids.MC")).toBeNull();
    const b = list(c())[0];
    expect(b).toMatchObject({ reason: "Before Full Sync", root: before });
    restore(raid, c(), b.id);
    expect(c().eval("OGRH_SV.encounterMgmt.raids.MC.name")).toBe("MC");
    expect(root(c())).toBe(before);
  });

  test("no new automatic backup when nothing changed since the last", () => {
    autoBackup(raid, c(), "first", "Automatic");
    const n = list(c()).length;
    c().run(`__r = "none" OGRH.Rollback.CreateBackup("again", "Automatic", function(info, why) __r = why end)`);
    settle(raid, c());
    expect(list(c()).length).toBe(n);
    expect(c().eval("__r")).toMatch(/^nothing changed since backup #\d+$/);
    assign(c(), "BWL", "Razorgore", 1, 1, "Changed");
    autoBackup(raid, c(), "after an edit", "Automatic");
    expect(list(c()).length).toBe(n + 1);
  });

  test("a burst of sync applies makes one backup; a local edit in between makes another", () => {
    const applyRaid = (raidName: string, value: string) =>
      c().run(`
        local payload = OGRH.Store.DeepCopy(OGRH.Store.ExtractNode({ level = "RAID", raid = "${raidName}" }))
        payload.raid.advancedSettings.note = "${value}"
        OGRH.Rollback.BeforeBulkApply("Raid sync: ${raidName}", "sync from Gnuzench")
        assert(OGRH.Store.ApplyNode({ level = "RAID", raid = "${raidName}" }, payload, "sync"))`);
    const n = list(c()).length;
    applyRaid("MC", "a");
    settle(raid, c());
    applyRaid("BWL", "b");
    settle(raid, c());
    applyRaid("ZG", "c");
    settle(raid, c());
    expect(list(c()).length).toBe(n + 1);
    assign(c(), "BWL", "Razorgore", 1, 2, "LocalEdit");
    applyRaid("AQ40", "d");
    settle(raid, c());
    expect(list(c()).length).toBe(n + 2);
  });

  test("Load Defaults and an admin transfer back up first", () => {
    assign(c(), "BWL", "Razorgore", 1, 1, "Mine");
    const before = root(c());
    c().slash("/ogrh defaults");
    expect(lastLines(c(), 1)).toContain("Type /ogrh defaults confirm to continue.");
    c().slash("/ogrh defaults confirm");
    settle(raid, c());
    expect(c().eval("OGRH_SV.encounterAssignments.BWL")).toBeNull();
    const b = list(c())[0];
    expect(b).toMatchObject({ label: "Before Load Defaults", reason: "Load Defaults", root: before });
    assign(c(), "BWL", "Razorgore", 1, 1, "Again");
    c().run(`OGRH.Rollback.BeforeAdminTransfer("Gnuzench")`);
    settle(raid, c());
    expect(list(c())[0]).toMatchObject({ label: "Before admin transfer to Gnuzench", reason: "Admin Transfer" });
    expect(raid.allErrors()).toEqual([]);
  });
});

describe("6.5.1 retention", () => {
  let raid: Raid;
  beforeEach(() => {
    raid = Raid.start({ size: 1 });
  });
  afterEach(() => raid.close());
  const c = () => raid.leader;
  const makeBackups = (n: number, from: number) => {
    for (let i = 0; i < n; i++) {
      assign(c(), "MC", "Lucifron", 1, 1, "P" + (from + i));
      autoBackup(raid, c(), "auto " + (from + i));
    }
  };

  test("15 backups: the last 10 are kept; 3 pinned old ones survive 15 more", () => {
    makeBackups(15, 1);
    let ids = list(c()).map((b) => b.id);
    expect(ids).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    for (const id of [6, 7, 8]) c().slash("/ogrh pin " + id);
    expect(lastLines(c(), 1)).toContain("Backup #8 pinned.");
    makeBackups(15, 16);
    ids = list(c()).map((b) => b.id);
    expect(ids).toEqual([30, 29, 28, 27, 26, 25, 24, 8, 7, 6]);
    expect(list(c()).filter((b) => b.pinned).map((b) => b.id)).toEqual([8, 7, 6]);
    // Chunks no backup references are gone: every stored chunk is referenced.
    expect(c().eval(`(function() local n = 0 for k in pairs(OGRH_Sync_Backups.chunks) do if OGRH.Rollback.ChunkRefs(k) < 1 then n = n + 1 end end return n end)()`)).toBe(0);
  });

  test("backups older than 7 days go, but at least 3 stay and pinned ones always stay", () => {
    makeBackups(6, 1);
    c().slash("/ogrh pin 1");
    c().run(`for _, e in ipairs(OGRH_Sync_Backups.backups) do e.time = e.time - 8 * 24 * 3600 end`);
    expect(c().eval("OGRH.Rollback.Prune()")).toBe(3);
    expect(list(c()).map((b) => b.id)).toEqual([6, 5, 1]);
    c().run(`for _, e in ipairs(OGRH_Sync_Backups.backups) do e.time = e.time - 30 * 24 * 3600 end`);
    expect(c().eval("OGRH.Rollback.Prune()")).toBe(0);
    expect(list(c()).length).toBe(3);
  });
});

describe("6.5.2 manual backups", () => {
  test("/ogrh backup <label>: labelled, pinned, reason Manual, chat feedback with the size", () => {
    const raid = Raid.start({ size: 1 });
    const c = raid.leader;
    c.slash("/ogrh backup Before BWL Changes");
    settle(raid, c);
    expect(c.chatText()).toMatch(/Backup created successfully: Before BWL Changes \(#1, \d+ KB, [\d.]+ KB stored\)/);
    expect(list(c)[0]).toMatchObject({ id: 1, label: "Before BWL Changes", reason: "Manual", pinned: true });
    c.slash("/ogrh backups");
    expect(lastLines(c, 2)).toMatch(/#1 Jan 22, 2026 \d+:\d\d [AP]M - Before BWL Changes \(Manual, \d+ KB\) \[pinned\]/);
    // Manual backups are made even when nothing changed.
    backup(raid, c, "again");
    expect(list(c).length).toBe(2);
    raid.close();
  });
});

describe("6.5.1 / 6.5.2 full-size plan: compression, sharing, restore, frames", () => {
  let raid: Raid;
  beforeAll(() => {
    raid = Raid.start({ size: 1 });
    loadFullPlan(raid.leader);
    // The player leads a (one-player) raid, so sync announces the merged plan 0.5 s later like any
    // admin write: let that go out before the backup job's frames are measured.
    raid.advance(2);
  });
  afterAll(() => raid.close());
  const c = () => raid.leader;

  test("a backup is compressed, and 10 backups with one edit each cost far less than 10 times one", () => {
    // The job runner's coroutines count their instructions into one per-frame counter.
    raid.vm.exec(`
      RB = { k = 0 }
      function RB.hook() RB.k = RB.k + 1 end
      local client = W.clients["${c().name}"]
      local realCreate = coroutine.create
      client.env.coroutine.create = function(f)
        return realCreate(function() debug.sethook(RB.hook, "", 1000) return f() end)
      end`);
    // The main thread too: a Lua 5.0 coroutine loses its hook when resumed from an unhooked thread.
    raid.vm.exec(`RB.k = 0 debug.sethook(RB.hook, "", 1000)`);
    c().run(`assert(OGRH.Rollback.CreateManualBackup("full"))`);
    const frames: number[] = [raid.vm.eval<number>("RB.k")];
    for (let i = 0; i < 400 && c().eval<number>("OGRH.Rollback.Pending()") > 0; i++) {
      raid.vm.exec("RB.k = 0");
      raid.advance(1 / 60);
      frames.push(raid.vm.eval<number>("RB.k"));
    }
    raid.vm.exec("debug.sethook()");
    expect(frames.length).toBeGreaterThan(10);
    expect(frames.reduce((a, b) => a + b, 0)).toBeGreaterThan(3000);
    expect(c().eval<number>("OGRH.Rollback.Pending()")).toBe(0);
    // About 5 ms at 60 M instructions/s: the job runner's 200-unit budget plus one tick's overshoot.
    expect(Math.max(...frames)).toBeLessThan(330);
    const first = list(c())[0];
    expect(first.size).toBeGreaterThan(100000);
    expect(first.added).toBeLessThan(first.size / 2);
    for (let i = 0; i < 9; i++) {
      assign(c(), "Naxxramas", "Patchwerk", 1, 1, "Edit" + i);
      autoBackup(raid, c(), "edit " + i);
    }
    const all = list(c());
    expect(all.length).toBe(10);
    const stored = c().eval<number>("OGRH.Rollback.Stats().chunkBytes");
    // Each later backup adds one encounter chunk and its manifest (~3 KB): far below 10 x 40 KB.
    expect(stored).toBeLessThan(2 * first.added);
    expect(stored).toBeLessThan(first.size);
    const before = freshRoot(c());
    restore(raid, c(), first.id);
    expect(root(c())).toBe(first.root);
    expect(freshRoot(c())).toBe(first.root);
    restore(raid, c(), all[0].id);
    expect(freshRoot(c())).toBe(before);
    expect(raid.allErrors()).toEqual([]);
  });
});
