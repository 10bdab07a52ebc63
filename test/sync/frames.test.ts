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

  /** A late joiner asks for the full structure; returns it once its job is rebuilding the admin's answer. */
  const applying = () => {
    lateJoiner();
    const m = s.member(1);
    m.run(`OGRH.SyncGranular.RequestRepair(${STRUCTURE})`);
    untilDelivered(delivered(), 1);
    s.raid.advance(0.04);
    expect(pending()).toBeGreaterThan(0);
    return m;
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

  test("an edit of the member just before the swap of a full sync: the rebuild starts again, and the plan and its checksums end as the admin's", () => {
    // MC travels as its differing components only (its player assignments): the rebuilt plan takes
    // MC's other tables from the live plan. A first run (the emulator is deterministic) counts the
    // frames the job takes; the second edits one of those tables in the job's last frame, after it
    // was checksummed: a job that did not start again would swap in data its checksums miss.
    let m = applying();
    let frames = 0;
    while (s.structure(m) !== s.structure(s.admin)) {
      s.raid.advance(0.04);
      if (++frames > 500) throw new Error("never applied");
    }
    expect(s.raid.allErrors()).toEqual([]);
    s.close();
    m = applying();
    for (let n = 0; n < frames - 1; n++) s.raid.advance(0.04);
    expect(s.structure(m)).not.toBe(s.structure(s.admin));
    m.run(`assert(OGRH.Store.Set({ "encounterMgmt", "roles", "MC", "Lucifron" }, { column1 = { "Meanwhile" } }))`);
    s.raid.advance(0.04);
    expect(cacheTrue()).toBe(true);
    expect(s.until(() => s.outOfSync().length === 0, 120, 0.04)).toBeLessThan(120);
    expect(cacheTrue()).toBe(true);
    expect(s.component(m, "MC", "Lucifron", "roles")).toBe(s.component(s.admin, "MC", "Lucifron", "roles"));
  });

  test("an admin edit pushed while the member applies a full sync is applied after it, in arrival order", () => {
    const m = applying();
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
