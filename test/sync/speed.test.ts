// Issue 5 benchmark figures kept honest as tests: a fresh client's full sync carries only what
// differs from the shipping defaults (bytes below a bound, still all or nothing), and a player's own
// repair goes out at once and is answered at once, while a repair found by a broadcast keeps its
// random delay and the admin's batching.
import { ADMIN, SyncRaid } from "./helpers";
import { loadFullPlan } from "../integrity/plan";

const COMP = `{ level = "COMPONENT", raid = "BWL", encounter = "Razorgore", component = "playerAssignments" }`;

/** Admin with the full-size plan; member 1 back on the plan it loaded (the shipping defaults), unnoticed by sync. */
function freshMember(s: SyncRaid): string {
  const m = s.member(1);
  const fresh = s.structure(m);
  m.run(`__fresh = OGRH.Store.DeepCopy(OGRH.Store.ExtractNode({ level = "STRUCTURE" }))`);
  loadFullPlan(s.admin);
  loadFullPlan(m);
  s.raid.advance(8);
  expect(s.outOfSync()).toEqual([]);
  m.run(`assert(OGRH.Store.ReplacePlan(__fresh, "test")) __fresh = nil`);
  expect(s.structure(m)).toBe(fresh);
  return fresh;
}

describe("sync speed without losing safety", () => {
  let s: SyncRaid;
  afterEach(() => s.close());

  test("full structure to a fresh client: only what differs from the shipping defaults travels (< 15,000 bytes), applied whole", () => {
    s = SyncRaid.start({ size: 2, quietPolls: true });
    s.raid.advance(6);
    freshMember(s);
    const m = s.member(1);
    const t0 = s.raid.now();
    m.run(`OGRH.SyncGranular.RequestRepair({ level = "STRUCTURE" })`);
    const t = s.until(() => s.outOfSync().length === 0, 60, 0.25);
    expect(t).toBeLessThan(20);
    // Whole raids: 17,222 bytes on the wire (69 messages); the defaults' raids now carry only their assignments.
    const bytes = s.frames(t0).reduce((n, f) => n + f.size, 0);
    expect(bytes).toBeLessThan(15000);
    expect(s.events(s.admin, "answer")[0]).toMatchObject({ ref: { level: "STRUCTURE" }, requesters: 1, whole: false });
    expect(s.payloadsOfType(t0, "SY.FULL_RES", ADMIN)).toBe(1);
    expect(s.repaired(m)).toEqual([{ level: "STRUCTURE" }]);
    expect(s.raid.allErrors()).toEqual([]);
  });

  test("a fresh client whose MC differs from the defaults gets MC whole, the other default raids as differences", () => {
    s = SyncRaid.start({ size: 2, quietPolls: true });
    s.raid.advance(6);
    freshMember(s);
    const m = s.member(1);
    s.corrupt(m, `OGRH_SV.encounterRaidMarks.MC.Lucifron = { [1] = { 1 } }`);
    m.run(`OGRH.SyncGranular.RequestRepair({ level = "STRUCTURE" })`);
    expect(s.until(() => s.outOfSync().length === 0, 60, 0.25)).toBeLessThan(30);
    expect(m.eval(`OGRH_SV.encounterRaidMarks.MC.Lucifron[1]`)).toEqual(s.admin.eval(`OGRH_SV.encounterRaidMarks.MC.Lucifron[1]`));
    expect(s.stats(m).discarded).toBe(0);
  });

  test("a differences-only full answer that does not rebuild the admin's plan changes nothing, then the whole plan is asked for", () => {
    s = SyncRaid.start({ size: 2, quietPolls: true });
    s.raid.advance(6);
    freshMember(s);
    const m = s.member(1);
    const before = s.structure(m);
    // The member claims the defaults' rollups but its MC differs (as a 32-bit collision would).
    m.run(`OGRH_SV.encounterAnnouncements.MC.Lucifron = { "changed behind the cache's back" }`);
    m.run(`OGRH.SyncGranular.RequestRepair({ level = "STRUCTURE" })`);
    expect(s.until(() => s.stats(m).discarded > 0, 30, 0.25)).toBeLessThan(30);
    expect(s.events(m, "discard")[0]).toMatchObject({ ref: { level: "STRUCTURE" }, peer: ADMIN, cause: "checksum" });
    expect(s.until(() => s.outOfSync().length === 0, 60, 0.25)).toBeLessThan(60);
    expect(before).not.toBe(s.structure(m));
    // The second request asked for the whole plan.
    expect(s.events(s.admin, "request")).toContainEqual(expect.objectContaining({ ref: { level: "STRUCTURE" }, peer: m.name, whole: true, own: true }));
  });

  test("a player's own component repair goes out at once and is answered at once: repaired within 0.5 s", () => {
    s = SyncRaid.start({ size: 3, quietPolls: true });
    s.raid.advance(6);
    const m = s.member(2);
    s.corrupt(m, `OGRH_SV.encounterAssignments.BWL = { Razorgore = { [1] = { "Wrong" } } }`);
    const want = s.component(s.admin, "BWL", "Razorgore", "playerAssignments");
    for (let run = 0; run < 3; run++) {
      if (run > 0) s.corrupt(m, `OGRH_SV.encounterAssignments.BWL.Razorgore = { [1] = { "Wrong${run}" } }`);
      s.raid.advance(1);
      m.run(`OGRH.SyncGranular.RequestRepair(${COMP})`);
      const t = s.until(() => s.component(m, "BWL", "Razorgore", "playerAssignments") === want, 5, 0.04);
      expect(t).toBeLessThanOrEqual(0.5);
    }
    const requests = s.events(s.admin, "request");
    expect(requests).toHaveLength(3);
    for (const e of requests) expect(e).toMatchObject({ peer: m.name, own: true });
  });

  test("a repair found by a broadcast still waits at random and is batched by the admin", () => {
    s = SyncRaid.start({ size: 3, quietPolls: true });
    s.raid.advance(6);
    const m = s.member(2);
    s.corrupt(m, `OGRH_SV.encounterAssignments.BWL = { Razorgore = { [1] = { "Wrong" } } }`);
    m.run(`OGRH.SyncGranular.QueueRepair({ raids = { BWL = { encounters = { Razorgore = { "playerAssignments" } } } } })`);
    expect(s.until(() => s.outOfSync().length === 0, 5, 0.04)).toBeGreaterThan(0.5);
    const requests = s.events(s.admin, "request").map((e) => ({ ref: e.ref, peer: e.peer, own: e.own }));
    expect(requests).toEqual([{ ref: { level: "COMPONENT", raid: "BWL", encounter: "Razorgore", component: "playerAssignments" }, peer: m.name, own: false }]);
  });
});
