// The sync's heavy paths over frames (issue 13, second round) in the emulated raid, full-size plan:
// a member decodes, rebuilds and checksums an answer in a job and swaps it in at once (never a
// half-applied plan); edits that come while the job runs are handled (the job rebuilds, or the
// answer is applied first and the edit after it, in arrival order); the admin builds its answer in a
// job and builds it again when its plan changes meanwhile, so the data always has the checksum it
// advertises. Frame costs are measured by `npm run bench:frames`, not asserted here.
import { loadFullPlan } from "../integrity/plan";
import { SyncRaid } from "./helpers";

const STRUCTURE = `{ level = "STRUCTURE" }`;
const NAXX = `{ level = "RAID", raid = "Naxxramas" }`;

describe("the sync over frames", () => {
  let s: SyncRaid;
  afterEach(() => {
    expect(s.raid.allErrors()).toEqual([]);
    s.close();
  });

  /** A raid of admin + one member; both hold the full plan, then the member gets its shipping defaults back. */
  const lateJoiner = (): SyncRaid => {
    s = SyncRaid.start({ size: 2, quietPolls: true });
    const m = s.member(1);
    for (const c of s.raid.clients) c.run("OGRH.SyncGranular.config.polling = false");
    m.run(`__fresh = OGRH.Store.DeepCopy(OGRH.Store.ExtractNode(${STRUCTURE}))`);
    loadFullPlan(s.admin);
    loadFullPlan(m);
    s.raid.advance(12);
    m.run(`assert(OGRH.Store.ReplacePlan(__fresh, "test")) __fresh = nil`);
    return s;
  };
  const delivered = (c = s.member(1)) => c.eval<number>("OGRH.Transport.stats().delivered");
  const pending = (c = s.member(1)) => c.eval<number>("OGRH.Jobs.pending()");
  const cacheTrue = (c = s.member(1)) => c.eval<boolean>("OGRH.SyncIntegrity.VerifyCache()");

  /** Advances frame by frame until the member has received `count` more payloads; returns the frames taken. */
  const untilDelivered = (from: number, count: number, max = 3000): number => {
    let frames = 0;
    while (delivered() < from + count) {
      s.raid.advance(0.04);
      if (++frames > max) throw new Error("payload never delivered");
    }
    return frames;
  };

  test("a late joiner's full sync is applied over frames and all at once: its plan is its own until the swap, then the admin's", () => {
    lateJoiner();
    const m = s.member(1);
    const own = s.structure(m);
    m.run(`OGRH.SyncGranular.RequestRepair(${STRUCTURE})`);
    // The member hears the answer (one payload) and starts rebuilding it aside.
    const base = delivered();
    untilDelivered(base, 1);
    const seen = new Set<string>();
    let frames = 0;
    while (s.structure(m) !== s.structure(s.admin)) {
      seen.add(s.structure(m));
      s.raid.advance(0.04);
      if (++frames > 500) throw new Error("never applied");
    }
    // Several frames of work, during which the plan was exactly the member's own; then the admin's.
    expect(frames).toBeGreaterThan(5);
    expect([...seen]).toEqual([own]);
    expect(cacheTrue()).toBe(true);
    expect(s.events(m, "apply").map((e) => e.text)).toContain("Full structure from Tankmedady");
    expect(s.events(m, "discard")).toEqual([]);
  });

  test("an edit of the member while the full sync is rebuilt aside: the rebuild starts again and the plan ends as the admin's", () => {
    lateJoiner();
    const m = s.member(1);
    m.run(`OGRH.SyncGranular.RequestRepair(${STRUCTURE})`);
    untilDelivered(delivered(), 1);
    s.raid.advance(0.04);
    expect(pending()).toBeGreaterThan(0);
    // MC is sent as differences from the member's own copy: the rebuilt plan shares MC's tables with
    // the live plan, and the edit lands while the job reads them.
    m.run(`assert(OGRH.Store.Set({ "encounterAssignments", "MC", "Lucifron", 1, 1 }, "Meanwhile"))`);
    expect(s.until(() => s.outOfSync().length === 0, 60, 0.04)).toBeLessThan(60);
    expect(cacheTrue()).toBe(true);
    expect(m.eval(`OGRH_SV.encounterAssignments.MC.Lucifron[1][1]`)).toBe(s.admin.eval(`OGRH_SV.encounterAssignments.MC.Lucifron[1][1]`));
  });

  test("an admin edit pushed while the member applies a full sync is applied after it, in arrival order", () => {
    lateJoiner();
    const m = s.member(1);
    m.run(`OGRH.SyncGranular.RequestRepair(${STRUCTURE})`);
    untilDelivered(delivered(), 1);
    s.raid.advance(0.04);
    expect(pending()).toBeGreaterThan(0);
    s.admin.run(`assert(OGRH.Store.Set({ "encounterAssignments", "BWL", "Razorgore", 1, 1 }, "LatestEdit"))`);
    expect(s.until(() => s.outOfSync().length === 0, 60, 0.04)).toBeLessThan(60);
    expect(m.eval(`OGRH_SV.encounterAssignments.BWL.Razorgore[1][1]`)).toBe("LatestEdit");
    const applied = s.events(m, "apply").map((e) => e.text);
    expect(applied.indexOf("Full structure from Tankmedady")).toBeGreaterThanOrEqual(0);
    expect(applied.indexOf("BWL > Razorgore > playerAssignments from Tankmedady (edit)")).toBeGreaterThan(applied.indexOf("Full structure from Tankmedady"));
    expect(cacheTrue()).toBe(true);
  });

  test("the admin edits the raid while building its answer: the answer is built again and matches its checksum", () => {
    s = SyncRaid.start({ size: 2, quietPolls: true });
    const m = s.member(1);
    for (const c of s.raid.clients) c.run("OGRH.SyncGranular.config.polling = false");
    loadFullPlan(s.admin);
    loadFullPlan(m);
    s.raid.advance(12);
    s.corrupt(m, `OGRH_SV.encounterMgmt.raids.Naxxramas = nil`);
    const before = delivered(s.admin);
    m.run(`OGRH.SyncGranular.RequestRepair(${NAXX})`);
    // The admin hears the request and starts building its answer; it edits Naxxramas meanwhile.
    let frames = 0;
    while (delivered(s.admin) === before) {
      s.raid.advance(0.04);
      if (++frames > 500) throw new Error("request never arrived");
    }
    expect(pending(s.admin)).toBeGreaterThan(0);
    s.admin.run(`assert(OGRH.Store.Set({ "encounterAssignments", "Naxxramas", "Anub'Rekhan", 1, 1 }, "DuringAnswer"))`);
    expect(s.until(() => s.outOfSync().length === 0, 30, 0.04)).toBeLessThan(30);
    expect(m.eval(`OGRH_SV.encounterAssignments.Naxxramas["Anub'Rekhan"][1][1]`)).toBe("DuringAnswer");
    // The answer itself carried the edit, with the checksum it advertised: nothing was discarded,
    // and the push of the edit that followed found nothing left to apply.
    expect(s.events(m, "discard")).toEqual([]);
    expect(s.events(m, "apply").map((e) => e.text)).toEqual(["Naxxramas from Tankmedady"]);
    expect(cacheTrue()).toBe(true);
  });
});
