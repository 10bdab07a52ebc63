// Spec 6.5.3 test 4 ("Admin restore broadcast: other players receive updated data"): every write of
// the raid admin that sync did not apply itself (a restore, Load Defaults, an import) reaches the raid
// as an edit does, within seconds, not at the next 30 s poll.
import { SyncRaid } from "./helpers";

const set = (path: string, value: string) => `assert(OGRH.Store.Set({ ${path} }, ${JSON.stringify(value)}))`;

describe("admin-side writes that are not edits", () => {
  let s: SyncRaid;
  afterEach(() => s.close());

  /** A 10-player raid just after the first poll, every member in sync. */
  function start(seed: number): SyncRaid {
    s = SyncRaid.start({ size: 10, latency: 0.2, jitter: 0.1, seed });
    s.raid.advance(6);
    expect(s.outOfSync()).toEqual([]);
    return s;
  }

  function settleAdmin(): void {
    for (let t = 0; t < 30 && s.admin.eval<number>("OGRH.Rollback.Pending()") > 0; t += 0.25) s.raid.advance(0.25);
  }

  test("the admin restores a backup: every member's root equals the admin's within a few seconds", () => {
    start(3);
    s.admin.run(`assert(OGRH.Rollback.CreateManualBackup("Before the changes"))`);
    settleAdmin();
    const id = s.admin.eval<number>("OGRH.Rollback.ListBackups()[1].id");
    const saved = s.structure(s.admin);
    // Edits in several raids (pushed as usual), then let the raid converge on them.
    s.admin.run(set(`"encounterAssignments", "BWL", "Razorgore", 1, 1`, "Changed1"));
    s.admin.run(set(`"encounterAssignments", "MC", "Lucifron", 1, 1`, "Changed2"));
    s.admin.run(set(`"encounterAssignments", "Onyxia", "Onyxia", 1, 1`, "Changed3"));
    expect(s.until(() => s.outOfSync().length === 0, 10, 0.25)).toBeLessThanOrEqual(5);
    expect(s.structure(s.admin)).not.toBe(saved);
    const t0 = s.raid.now();
    s.admin.run(`assert(OGRH.Rollback.RestoreBackup(${id}))`);
    settleAdmin();
    expect(s.structure(s.admin)).toBe(saved);
    const waited = s.until(() => s.outOfSync().length === 0, 30, 0.25);
    expect(s.raid.now() - t0).toBeLessThanOrEqual(6);
    expect(waited).toBeLessThan(Infinity);
    for (const c of s.raid.clients) expect(s.structure(c)).toBe(saved);
    expect(s.raid.allErrors()).toEqual([]);
  });

  test("the admin loads the defaults after edits in many raids: the raid converges to them within seconds", () => {
    start(5);
    const raids = ["BWL", "MC", "Onyxia", "ZG", "AQ20"];
    for (const r of raids) {
      const enc = s.admin.eval<string>(`OGRH_SV.encounterMgmt.raids[${JSON.stringify(r)}].encounters[1].name`);
      s.admin.run(set(`"encounterAssignments", ${JSON.stringify(r)}, ${JSON.stringify(enc)}, 1, 1`, "Edited"));
      s.admin.run(set(`"encounterAssignments", ${JSON.stringify(r)}, ${JSON.stringify(enc)}, 1, 2`, "Edited2"));
      s.admin.run(set(`"encounterAssignments", ${JSON.stringify(r)}, ${JSON.stringify(enc)}, 2, 1`, "Edited3"));
    }
    expect(s.until(() => s.outOfSync().length === 0, 40, 0.25)).toBeLessThan(Infinity);
    const t0 = s.raid.now();
    s.admin.run(`assert(OGRH.Rollback.LoadDefaults())`);
    settleAdmin();
    const want = s.structure(s.admin);
    expect(s.until(() => s.outOfSync().length === 0, 60, 0.25)).toBeLessThan(Infinity);
    expect(s.raid.now() - t0).toBeLessThanOrEqual(15);
    for (const c of s.raid.clients) expect(s.structure(c)).toBe(want);
    expect(s.raid.allErrors()).toEqual([]);
  });
});
