import { createRepairQueue, planRepairs, RepairJob, RepairOutcome } from "../../src/sync/repair";
import { createFakePlatform } from "../harness/fake-platform";

describe("planRepairs: the cheapest sufficient level, ordered by relevance", () => {
  test("1-2 components: component syncs; 3 or more: one encounter sync (spec 6.4.1 test 2)", () => {
    const jobs = planRepairs(
      { raids: { BWL: { raidLevel: false, encounters: { Razorgore: ["playerAssignments", "announcements", "raidMarks"] } }, MC: { raidLevel: false, encounters: { Ragnaros: ["roles"] } } } },
      {},
    );
    expect(jobs.map((j) => [j.level, j.label])).toEqual([
      ["ENCOUNTER", "BWL > Razorgore"],
      ["COMPONENT", "MC > Ragnaros > roles"],
    ]);
  });

  test("several encounters or raid metadata: a raid sync; selected raid and encounter first", () => {
    const jobs = planRepairs(
      {
        global: ["tradeItems", "consumes"],
        raids: {
          AQ40: { raidLevel: true },
          BWL: { encounters: { Razorgore: ["roles"], Vaelastrasz: ["roles"] } },
          MC: { encounters: { Lucifron: ["raidMarks"], } },
          Naxx: { encounters: { Patchwerk: ["roles", "raidMarks"] } },
        },
      },
      { raid: "Naxx", encounter: "Patchwerk" },
    );
    expect(jobs.map((j) => j.priority + " " + j.level + " " + j.label)).toEqual([
      "CRITICAL COMPONENT Naxx > Patchwerk > roles",
      "CRITICAL COMPONENT Naxx > Patchwerk > raidMarks",
      "NORMAL GLOBAL Global component 'consumes'",
      "NORMAL RAID AQ40",
      "NORMAL RAID BWL",
      "NORMAL COMPONENT MC > Lucifron > raidMarks",
      "LOW GLOBAL Global component 'tradeItems'",
    ]);
  });
});

describe("the repair queue", () => {
  function setup(adminOnline = true) {
    const p = createFakePlatform();
    const said: string[] = [];
    const runs: { job: RepairJob; done: (o: RepairOutcome) => void }[] = [];
    const state = { admin: adminOnline };
    const q = createRepairQueue(p, { run: (job, done) => runs.push({ job, done }), adminOnline: () => state.admin }, (l) => said.push(l));
    return { p, said, runs, q, state };
  }
  const report = { raids: { BWL: { encounters: { Razorgore: ["playerAssignments"] } } } };

  test("runs one job at a time and reports each with the spec's lines", () => {
    const { said, runs, q } = setup();
    q.queue({ global: ["consumes"], raids: report.raids }, {});
    expect(runs.length).toBe(1);
    runs[0].done({ ok: true });
    expect(runs.length).toBe(2);
    runs[1].done({ ok: true });
    expect(said).toEqual([
      "Requesting repair from raid admin... (Global component 'consumes')",
      "Repair completed successfully (Global component 'consumes')",
      "Requesting repair from raid admin... (BWL > Razorgore > playerAssignments)",
      "Repair completed successfully (BWL > Razorgore > playerAssignments)",
    ]);
    expect(q.busy()).toBe(false);
  });

  test("retries with backoff, then gives up with one clear line", () => {
    const { p, said, runs, q } = setup();
    q.queue(report, {});
    runs[0].done({ ok: false, reason: "timed out" });
    p.advance(1.9);
    expect(runs.length).toBe(1);
    p.advance(0.2);
    expect(runs.length).toBe(2);
    runs[1].done({ ok: false, reason: "timed out" });
    p.advance(5);
    runs[2].done({ ok: false, reason: "timed out" });
    p.advance(60);
    expect(runs.length).toBe(3);
    expect(said[said.length - 1]).toBe("Repair failed after 3 attempts (BWL > Razorgore > playerAssignments): timed out");
  });

  test("no admin online: one message, no retry storm, resumes when an admin appears (spec 6.4.1 test 3)", () => {
    const { p, said, runs, q, state } = setup(false);
    q.queue(report, {});
    q.queue(report, {});
    p.advance(300);
    q.adminAvailable();
    expect(runs.length).toBe(0);
    expect(said).toEqual(["No raid admin is online to repair from; the repair will run when one is."]);
    state.admin = true;
    q.adminAvailable();
    expect(runs.length).toBe(1);
  });

  test("the player's own request for what a running or queued job covers makes that job ask at once", () => {
    const p = createFakePlatform();
    const runs: RepairJob[] = [];
    const hurried: string[] = [];
    const q = createRepairQueue(p, { run: (job) => runs.push(job), adminOnline: () => true, hurry: (job) => hurried.push(job.label) }, () => undefined);
    q.queue({ raids: { BWL: { raidLevel: true }, MC: { raidLevel: true } } }, {});
    expect(runs.map((j) => j.label)).toEqual(["BWL"]);
    const own = (raid: string): RepairJob => ({ level: "COMPONENT", raid, encounter: "X", component: "roles", priority: "NORMAL", label: raid + " > X > roles", own: true });
    expect(q.queueJobs([own("BWL")])).toEqual([]);
    expect(hurried).toEqual(["BWL"]);
    expect(q.queueJobs([own("MC")])).toEqual([]);
    expect(q.pending().map((j) => [j.label, j.own === true])).toEqual([["MC", true]]);
  });

  test("the player's own request for a node holding the running job's withdraws it when it has not asked yet", () => {
    const p = createFakePlatform();
    const said: string[] = [];
    const runs: { job: RepairJob; done: (o: RepairOutcome) => void }[] = [];
    let unsent = true;
    const q = createRepairQueue(
      p,
      {
        run: (job, done) => runs.push({ job, done }),
        adminOnline: () => true,
        withdraw: (job) => {
          if (!unsent) return false;
          runs.find((r) => r.job === job)?.done({ ok: false, reason: "withdrawn" });
          return true;
        },
      },
      (l) => said.push(l),
    );
    q.queue({ raids: { BWL: { encounters: { Razorgore: ["roles"] } } } }, {});
    const enc: RepairJob = { level: "ENCOUNTER", raid: "BWL", encounter: "Razorgore", priority: "CRITICAL", label: "BWL > Razorgore", own: true };
    q.queueJobs([enc]);
    // The withdrawn job neither fails nor retries; the player's runs now.
    expect(runs.map((r) => r.job.label)).toEqual(["BWL > Razorgore > roles", "BWL > Razorgore"]);
    expect(said.filter((l) => l.includes("failed"))).toEqual([]);
    p.advance(10);
    expect(runs.length).toBe(2);
    runs[1].done({ ok: true });
    expect(q.idle()).toBe(true);
    // Once it asked, the running job stays and the player's waits its turn.
    unsent = false;
    q.queue({ raids: { MC: { encounters: { Lucifron: ["roles"] } } } }, {});
    q.queueJobs([{ ...enc, raid: "MC", encounter: "Lucifron", label: "MC > Lucifron" }]);
    expect(runs.map((r) => r.job.label)).toEqual(["BWL > Razorgore > roles", "BWL > Razorgore", "MC > Lucifron > roles"]);
  });

  test("a raid repair absorbs queued component repairs of that raid; duplicates are dropped", () => {
    const { runs, q } = setup();
    q.queue({ raids: { MC: { encounters: { Lucifron: ["roles"] } } } }, {});
    q.queue({ raids: { BWL: { encounters: { Razorgore: ["roles"] }, }, } }, {});
    q.queue({ raids: { BWL: { raidLevel: true } } }, {});
    q.queue({ raids: { BWL: { encounters: { Broodlord: ["raidMarks"] } } } }, {});
    expect(q.pending().map((j) => j.label)).toEqual(["BWL"]);
    expect(runs.map((r) => r.job.label)).toEqual(["MC > Lucifron > roles"]);
  });
});
