// Store work over frames (issue 13, src/store/background.ts) in the Lua 5.0 harness: a full plan or
// a raid applied over several frames is all-or-nothing and ends as the synchronous apply does, bad
// payloads change nothing, edits meanwhile are kept or overwritten as if they came first, a tree
// rebuild restarts when the plan changes under it, and other code serialising, parsing or hashing
// while a paced job is suspended gets right answers (and so does the job).
import { Client, Raid } from "../harness/raid";
import { loadFullPlan } from "./plan";

const STRUCTURE = `{ level = "STRUCTURE" }`;
const NAXX = `{ level = "RAID", raid = "Naxxramas" }`;

describe("store work over frames", () => {
  let raid: Raid;
  let c: Client;
  beforeAll(() => {
    raid = Raid.start({ size: 1 });
    c = raid.leader;
    loadFullPlan(c);
    c.run(`BG_PLAN = OGRH.Store.SerializeNode(${STRUCTURE}) BG_RAID = OGRH.Store.SerializeNode(${NAXX})
      BG_ROOT = OGRH.SyncIntegrity.GetStructureChecksum()
      function BG_FRESH() assert(OGRH.Store.ReplacePlan(OGRH.Store.BuildDefaults(), "test")) BG_DEFAULTS = OGRH.SyncIntegrity.GetStructureChecksum() end`);
  });
  afterAll(() => raid.close());
  afterEach(() => expect(raid.allErrors()).toEqual([]));

  /** Starts Lua that calls BG_CB(a, b) at the end; returns the frames it took and the callback's values. */
  const run = (lua: string, during?: () => void): { frames: number; a: unknown; b: unknown } => {
    c.run(`BG_DONE = false BG_A = nil BG_B = nil function BG_CB(a, b) BG_DONE = true BG_A = a BG_B = b end`);
    c.run(lua);
    let frames = 0;
    while (c.eval("BG_DONE") !== true) {
      if (during !== undefined && frames === 1) during();
      raid.advance(0.04);
      frames++;
      if (frames > 2000) throw new Error("job did not finish");
    }
    return { frames, a: c.eval("BG_A"), b: c.eval("BG_B") };
  };
  const structure = () => c.eval<string>("OGRH.SyncIntegrity.GetStructureChecksum()");
  const cacheTrue = () => c.eval<boolean>("OGRH.SyncIntegrity.VerifyCache()");

  test("a late joiner's full plan over frames: unchanged until the swap, then the admin's plan with a true tree", () => {
    c.run("BG_FRESH()");
    let midway = "";
    const r = run(`OGRH.Store.ApplyNodeInBackground(${STRUCTURE}, BG_PLAN, "sync", BG_ROOT, BG_CB)`, () => {
      midway = structure();
    });
    expect(r).toMatchObject({ a: true });
    expect(r.frames).toBeGreaterThan(5);
    expect(midway).toBe(c.eval("BG_DEFAULTS"));
    expect(structure()).toBe(c.eval("BG_ROOT"));
    expect(cacheTrue()).toBe(true);
    expect(c.eval("OGRH.Store.SerializeNode({ level = 'STRUCTURE' }) == BG_PLAN")).toBe(true);
  });

  test("a raid over frames ends as the synchronous apply does", () => {
    c.run("BG_FRESH()");
    const r = run(`OGRH.Store.ApplyNodeInBackground(${NAXX}, BG_RAID, "sync", nil, BG_CB)`);
    expect(r).toMatchObject({ a: true });
    expect(r.frames).toBeGreaterThan(1);
    const viaJob = structure();
    expect(cacheTrue()).toBe(true);
    c.run(`BG_FRESH() assert(OGRH.Store.ApplyNode(${NAXX}, BG_RAID, "sync"))`);
    expect(structure()).toBe(viaJob);
    expect(c.eval(`OGRH.Store.SerializeNode(${NAXX}) == BG_RAID`)).toBe(true);
  });

  test.each([
    ["text that does not parse", `string.sub(BG_PLAN, 1, 5000)`, `nil`, "payload does not parse"],
    ["a wrong expected checksum", `BG_PLAN`, `"0123456789abc"`, "payload checksum does not match"],
    ["a plan without raids", `"{}"`, `nil`, "plan has no encounterMgmt.raids"],
  ])("%s: a clear reason and nothing changed", (_name, payload, expected, reason) => {
    c.run("BG_FRESH()");
    const before = structure();
    const r = run(`OGRH.Store.ApplyNodeInBackground(${STRUCTURE}, ${payload}, "sync", ${expected}, BG_CB)`);
    expect(r.a).toBeNull();
    expect(String(r.b)).toContain(reason);
    expect(structure()).toBe(before);
    expect(cacheTrue()).toBe(true);
  });

  test("an edit arriving during a raid apply lands and is replaced at the swap, as if it came first", () => {
    c.run("BG_FRESH()");
    const r = run(`OGRH.Store.ApplyNodeInBackground(${NAXX}, BG_RAID, "sync", nil, BG_CB)`, () => {
      c.run(`assert(OGRH.Store.Set({ "encounterAssignments", "Naxxramas", "Anub'Rekhan", 1, 1 }, "Meanwhile"))
        assert(OGRH.Store.Set({ "encounterAssignments", "BWL", "Razorgore", 1, 1 }, "Elsewhere"))`);
    });
    expect(r.a).toBe(true);
    expect(c.eval(`OGRH.Store.SerializeNode(${NAXX}) == BG_RAID`)).toBe(true);
    expect(c.eval(`OGRH_SV.encounterAssignments.BWL.Razorgore[1][1]`)).toBe("Elsewhere");
    expect(cacheTrue()).toBe(true);
  });

  test("a tree rebuild over frames restarts when the plan changes under it, and ends true", () => {
    c.run(`assert(OGRH.Store.ApplyNode(${STRUCTURE}, BG_PLAN, "test"))`);
    // Make the cache stale behind the store's back, then edit through the store while the job runs.
    c.run(`OGRH_SV.encounterAssignments.BWL.Razorgore[1][2] = "Behind"`);
    const r = run(`OGRH.SyncIntegrity.VerifyCacheInBackground(BG_CB)`, () => {
      c.run(`assert(OGRH.Store.Set({ "encounterAssignments", "MC", "Lucifron", 1, 1 }, "During"))`);
    });
    expect(r.a).toBe(false);
    expect(r.frames).toBeGreaterThan(2);
    expect(cacheTrue()).toBe(true);
  });

  test("serialising over frames gives SerializeNode's text, also after an edit meanwhile", () => {
    c.run(`assert(OGRH.Store.ApplyNode(${STRUCTURE}, BG_PLAN, "test"))`);
    const r = run(`OGRH.Store.SerializeNodeInBackground(${STRUCTURE}, BG_CB)`, () => {
      c.run(`assert(OGRH.Store.Set({ "encounterAssignments", "MC", "Lucifron", 1, 1 }, "Changed"))`);
    });
    expect(r.frames).toBeGreaterThan(2);
    expect(c.eval(`BG_A == OGRH.Store.SerializeNode(${STRUCTURE})`)).toBe(true);
    expect(c.eval(`string.find(BG_A, "7:Changed", 1, true) ~= nil`)).toBe(true);
  });

  test("other code serialising, parsing and hashing while a paced job is suspended: both get right answers", () => {
    c.run(`assert(OGRH.Store.ApplyNode(${STRUCTURE}, BG_PLAN, "test"))
      BG_V = { a = { 1, 2, 3 }, b = "x", c = { d = 0.5 } }
      BG_VT = OGRH.SyncIntegrity.Serialize(BG_V) BG_VS = OGRH.SyncIntegrity.ChecksumValue(BG_V)`);
    const checks: boolean[] = [];
    const probe = () =>
      checks.push(
        c.eval<boolean>(`OGRH.SyncIntegrity.Serialize(BG_V) == BG_VT and OGRH.SyncIntegrity.ChecksumValue(BG_V) == BG_VS
          and OGRH.SyncIntegrity.Serialize(OGRH.SyncIntegrity.Deserialize(BG_VT)) == BG_VT`),
      );
    c.run(`BG_N = 0 BG_OK = {}
      OGRH.Store.SerializeNodeInBackground(${STRUCTURE}, function(t) BG_OK[1] = (t == BG_PLAN) BG_N = BG_N + 1 end)
      OGRH.SyncIntegrity.VerifyCacheInBackground(function(same) BG_OK[2] = same BG_N = BG_N + 1 end)
      OGRH.Store.ApplyNodeInBackground(${NAXX}, BG_RAID, "sync", nil, function(ok) BG_OK[3] = ok BG_N = BG_N + 1 end)`);
    let frames = 0;
    while (c.eval("BG_N") < 3) {
      probe();
      raid.advance(0.04);
      if (++frames > 2000) throw new Error("jobs did not finish");
    }
    expect(frames).toBeGreaterThan(5);
    expect(checks.every((x) => x)).toBe(true);
    expect(c.eval("BG_OK")).toEqual([true, true, true]);
    expect(cacheTrue()).toBe(true);
  });
});
