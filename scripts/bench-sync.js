// Sync benchmark: time from detection to repaired and bytes on the wire, on the full-size plan
// (the shipping raids plus the factory-default data, every slot assigned: see bench-integrity.js),
// in the emulated raid (Lua 5.0.3 VM, simulated time, the throttle model of platform.md, 0.2 s
// one-way latency, 40 ms frames). One admin and one member; the member's copy of a node is
// corrupted, then the member asks for that node: OGRH.SyncGranular.RequestRepair (a repair by name,
// the player's own: asked at once and answered without batching) or, for the "broadcast" row,
// OGRH.SyncGranular.QueueRepair (the path of a detection every member made at once from a poll or
// a drill-down answer: random 0-0.4 s delay, then the admin's 0.25 s batching).
//   detection -> repaired : repair queued -> the member's node checksum equals the admin's
//   request -> applied    : the request's first frame left -> applied (without the random delay)
//   bytes                 : every addon message of both players in that window (prefix + tab + text)
// The fresh client holds the full plan while the admin loads it (else it would start its own full
// sync when that load is pushed and polled) and gets its own first plan, the shipping defaults,
// back just before it asks.
// Usage: node scripts/bench-sync.js [--write]   (npm run bench:sync writes docs/benchmarks.md "Sync")
"use strict";
require("./ts-register.js");
const fs = require("fs");
const path = require("path");
const { build } = require("./build.js");
const { Raid } = require("../test/harness/raid.ts");
const { loadFullPlan } = require("../test/integrity/plan.ts");

const RUNS = 5;
build();

const RAZ_ALL = `
  local e = OGRH.FindEncounterByName("BWL", "Razorgore") e.advancedSettings = { corrupted = true }
  OGRH_SV.encounterMgmt.roles.BWL.Razorgore = { column1 = {} }
  OGRH_SV.encounterAssignments.BWL.Razorgore = { [1] = { "X" } }
  OGRH_SV.encounterRaidMarks.BWL.Razorgore = { [1] = 1 }
  OGRH_SV.encounterAssignmentNumbers.BWL = OGRH_SV.encounterAssignmentNumbers.BWL or {}
  OGRH_SV.encounterAssignmentNumbers.BWL.Razorgore = { [1] = 2 }
  OGRH_SV.encounterAnnouncements.BWL.Razorgore = { "corrupted" }`;
const WHOLE_RAID = (raid) => `
  OGRH_SV.encounterMgmt.raids["${raid}"].advancedSettings = { corrupted = true }
  for _, e in ipairs(OGRH_SV.encounterMgmt.raids["${raid}"].encounters) do
    OGRH_SV.encounterAssignments["${raid}"][e.name] = { [1] = { "X" } }
  end`;

const SCENARIOS = [
  {
    key: "component",
    name: "one component (BWL > Razorgore > playerAssignments, one slot)",
    ref: `{ level = "COMPONENT", raid = "BWL", encounter = "Razorgore", component = "playerAssignments" }`,
    corrupt: `OGRH_SV.encounterAssignments.BWL.Razorgore[2][1] = "Impostor"`,
    target: 0.5,
  },
  {
    key: "componentWhole",
    name: "one component (BWL > Razorgore > roles, every entry differs)",
    ref: `{ level = "COMPONENT", raid = "BWL", encounter = "Razorgore", component = "roles" }`,
    corrupt: `OGRH_SV.encounterMgmt.roles.BWL.Razorgore = { column1 = {}, column2 = {} }`,
    target: 0.5,
  },
  {
    key: "componentBroadcast",
    name: "one component as above, found by a broadcast check (poll / drill-down): random delay and batching",
    ref: `{ level = "COMPONENT", raid = "BWL", encounter = "Razorgore", component = "playerAssignments" }`,
    queue: `{ raids = { BWL = { raidLevel = false, encounters = { Razorgore = { "playerAssignments" } } } } }`,
    corrupt: `OGRH_SV.encounterAssignments.BWL.Razorgore[2][1] = "Impostor"`,
    target: 0.5,
  },
  { key: "encounter", name: "one encounter (BWL > Razorgore, all 6 components)", ref: `{ level = "ENCOUNTER", raid = "BWL", encounter = "Razorgore" }`, corrupt: RAZ_ALL, target: 1 },
  { key: "raid", name: "one raid (BWL: metadata and every encounter)", ref: `{ level = "RAID", raid = "BWL" }`, corrupt: WHOLE_RAID("BWL"), target: 3 },
  { key: "naxx", name: "Naxxramas (15 encounters, metadata and every encounter)", ref: `{ level = "RAID", raid = "Naxxramas" }`, corrupt: WHOLE_RAID("Naxxramas"), target: 3 },
  { key: "full", name: "full structure to a fresh client (shipping defaults only)", ref: `{ level = "STRUCTURE" }`, corrupt: null, fresh: true, target: 20 },
];

function runScenario(sc, seed) {
  const raid = Raid.start({ size: 2, latency: 0.2, seed: seed });
  const [admin, member] = raid.clients;
  // The admin polls as in a raid (its bucket state is realistic); the plans are loaded after the
  // first poll, so the next one (35 s) comes after every repair but the full one.
  raid.advance(5.5);
  const cs = (c) => c.eval(`OGRH.SyncIntegrity.GetStructureChecksum()`);
  // A fresh client: its own plan as it loaded (the shipping defaults), put back just before the
  // request. It holds the full plan meanwhile, so that it does not start a full sync on its own
  // when the admin's plan load is pushed and polled (every admin write is, since 76742e5).
  const freshCs = cs(member);
  if (sc.fresh) member.run(`__fresh = OGRH.Store.DeepCopy(OGRH.Store.ExtractNode({ level = "STRUCTURE" }))`);
  loadFullPlan(admin);
  loadFullPlan(member);
  raid.advance(10); // throttle refilled
  if (cs(admin) !== cs(member)) throw new Error("plans differ before corruption");
  if (sc.fresh) {
    member.run(`assert(OGRH.Store.ReplacePlan(__fresh, "test")) __fresh = nil`);
    if (cs(member) !== freshCs) throw new Error("the fresh plan did not come back");
  }
  if (sc.corrupt) member.run(sc.corrupt + " OGRH.SyncIntegrity.VerifyCache()");
  const nodeCs = (c) =>
    c.eval(`(function() local r = ${sc.ref}
      local h = OGRH.SyncIntegrity.GetCachedHierarchy()
      if r.level == "STRUCTURE" then return h.structure end
      local raid = h.raids[r.raid]
      if r.level == "RAID" then return raid and raid.rollup end
      local e = raid and raid.encounters[r.encounter]
      if r.level == "ENCOUNTER" then return e and e.encounter end
      return e and e.components[r.component] end)()`);
  if (nodeCs(member) === nodeCs(admin)) throw new Error(sc.key + ": corruption did not change the node");
  raid.vm.exec("W.log = {}");
  const t0 = raid.now();
  // RequestRepair: this player's own repair (no random delay, answered without batching);
  // QueueRepair: the path of a detection every member made at once (poll or drill-down answer).
  if (sc.queue) member.run(`assert(OGRH.SyncGranular.QueueRepair(${sc.queue}) == 1)`);
  else member.run(`OGRH.SyncGranular.RequestRepair(${sc.ref})`);
  let t = 0;
  const step = 0.04;
  while (nodeCs(member) !== nodeCs(admin) && t < 300) {
    raid.advance(step);
    t += step;
  }
  const repaired = raid.now();
  raid.advance(1);
  const msgs = raid.messages().filter((m) => m.t <= repaired + 0.001);
  const firstRequest = msgs.find((m) => m.from === member.name);
  const bytes = msgs.reduce((n, m) => n + m.size, 0);
  const adminBytes = msgs.filter((m) => m.from === admin.name).reduce((n, m) => n + m.size, 0);
  const frames = msgs.length;
  const size = admin.eval(`string.len((OGRH.Store.SerializeNode(${sc.ref})))`);
  const ok = nodeCs(member) === nodeCs(admin) && cs(member) === cs(admin);
  const errors = raid.allErrors();
  const violations = raid.clients.reduce((n, c) => n + c.budgetViolations().length, 0);
  raid.close();
  return {
    seconds: repaired - t0,
    transfer: firstRequest ? repaired - firstRequest.t : NaN,
    bytes,
    adminBytes,
    frames,
    size,
    ok,
    errors: errors.length,
    violations,
  };
}

const results = {};
for (const sc of SCENARIOS) {
  const runs = [];
  for (let i = 0; i < (sc.fresh ? 1 : RUNS); i++) runs.push(runScenario(sc, i + 1));
  const mean = (k) => runs.reduce((n, r) => n + r[k], 0) / runs.length;
  const r = {
    seconds: mean("seconds"),
    min: Math.min(...runs.map((x) => x.seconds)),
    max: Math.max(...runs.map((x) => x.seconds)),
    transfer: mean("transfer"),
    bytes: Math.round(mean("bytes")),
    adminBytes: Math.round(mean("adminBytes")),
    frames: Math.round(mean("frames")),
    size: runs[0].size,
    ok: runs.every((x) => x.ok),
    errors: runs.reduce((n, x) => n + x.errors, 0),
    violations: runs.reduce((n, x) => n + x.violations, 0),
    runs: runs.length,
  };
  results[sc.key] = r;
  console.log(
    `${sc.name}: detection->repaired ${r.seconds.toFixed(2)} s (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)}, ${r.runs} runs), ` +
      `request->applied ${r.transfer.toFixed(2)} s, ${r.bytes} bytes on the wire (${r.frames} messages), node ${r.size} bytes serialised, ` +
      `target ${sc.target} s: ${r.seconds <= sc.target ? "met" : "MISSED"}${r.ok ? "" : " (NOT REPAIRED)"}${r.errors ? " errors " + r.errors : ""}${r.violations ? " budget violations " + r.violations : ""}`,
  );
}
const ratio = results.component.bytes / results.full.bytes;
console.log(`component repair bytes / full sync bytes: ${(ratio * 100).toFixed(2)} % (target <= 5 %)`);

if (process.argv.includes("--write")) {
  const fmt = (x) => x.toFixed(2);
  const rows = SCENARIOS.map((sc) => {
    const r = results[sc.key];
    return `| ${sc.name} | ${fmt(r.seconds)} (${fmt(r.min)}-${fmt(r.max)}) | ${fmt(r.transfer)} | ${sc.target} | ${r.seconds <= sc.target ? "met" : "**missed**"} | ${r.size.toLocaleString("en-US")} | ${r.bytes.toLocaleString("en-US")} | ${r.frames} |`;
  });
  const section = `## Sync

Measured by \`npm run bench:sync\` (scripts/bench-sync.js): the built addon, one admin and one member in
the emulated raid, full-size plan (12 raids, 104 encounters, every slot assigned), simulated time, 0.2 s
one-way latency, 40 ms frames, the throttle model (800/s, burst 4000, 40 bytes per message). The member's
copy is corrupted and it asks for the node by name: \`OGRH.SyncGranular.RequestRepair\`, the player's own
repair (the window's Repair, what the repair queue runs once the player's own check named the node), which
goes out at once and which the admin answers at once. The "broadcast check" row queues the same repair the
way a detection from a poll or a drill-down answer does (\`QueueRepair\`): every member heard that
broadcast, so the request waits a random 0-0.4 s and the admin batches requests for 0.25 s. The admin polls
every 30 s as in a raid. "Detection -> repaired": from the repair being queued to the member's node
checksum equal to the admin's (mean of ${RUNS} runs, min-max). "Request -> applied": from the request's
first frame to applied. The fresh client is a member whose plan is still the shipping defaults it loaded.
Bytes: every addon message of both players in that window (prefix + tab + text, as the throttle counts).

| What | Detection -> repaired s | Request -> applied s | Target s | | Node bytes (canonical) | Bytes on the wire | Messages |
|---|---:|---:|---:|---|---:|---:|---:|
${rows.join("\n")}

Component repair (one slot) against a full sync: ${results.component.bytes} / ${results.full.bytes} bytes = **${(ratio * 100).toFixed(2)} %** (target <= 5 %).

Honest reading: a component the player's own repair names is applied ${fmt(results.component.seconds)} s after the request
(one round trip and a frame or two), within the 0.5 s target. The same repair started by a broadcast
check takes ${fmt(results.componentBroadcast.seconds)} s on average and misses the target on purpose: a poll or a drill-down answer reaches
all 39 members at the same moment, so every member that differs queues the same request at the same moment.
The random 0-0.4 s delay spreads them, and a member that hears another's request first stays silent; with
0.2 s latency plus a frame, by that model about 1 + 38 x 0.24 / 0.4 = 24 of 39 such members still ask
within ~0.25 s (about 100 messages/s received by everyone, half the ~200/s at which disconnects were
seen); with a 0.2 s window all 39 would ask within 0.2 s (~195/s), without the delay in one frame. The admin's 0.25 s batch then turns
those requests, which may need different entries, into one broadcast answer (test/sync/acceptance.test.ts,
5 corrupted members: one answer); answering the first at once would leave a second answer for any member
whose request arrived after it and needed more. So the request of a broadcast detection keeps both waits
(\`OGRH.SyncGranular.config.requestJitter\` / \`requestBatch\`); only a repair no other member can be
making at that moment skips them (it says so with \`o\` in the request). Admin edits do not wait at all:
they are pushed 0.5 s after the last edit and reach every member in one message. Only the differences
travel: the encounter answer carries the differing components, the raid answer the differing encounters
(here all of them: the corruption touched every one), the full sync the differing raids and global
components, each payload compressed by the transport as a whole.

The full structure to a fresh client: ${fmt(results.full.seconds)} s (target 20 s; 23.52 s with whole raids, measured on 4d0caf0 before 37d4684). A fresh client's raids
are the shipping defaults of its addon version, and its full-sync request already carries each raid's
rollup: where that rollup is the rollup of the admin's own \`buildDefaults()\` raid, the admin knows the
member's raid exactly and sends only the components that differ from it (here only the player
assignments of MC, Onyxia, ZG, AQ20 and Naxxramas; for BWL and AQ40, whose metadata and every encounter
the full-size plan changed, the raid table and every component that differs; the 5 raids the defaults
lack travel whole: ~83.7 KB of canonical text at 37d4684 instead of the plan's ${(results.full.size / 1000).toFixed(1)} KB, before compression). The member
rebuilds the whole plan from its own copy and the differences and applies it only when it has the
admin's structure checksum; otherwise it asks for the whole plan.
The throttle sets the floor: ${results.full.frames} messages cost about ${Math.round(results.full.bytes + 40 * results.full.frames).toLocaleString("en-US")} of the budget, of which 4,000 may go at once and
the rest at 800/s: ${fmt((results.full.bytes + 40 * results.full.frames - 4000) / 800)} s of sending alone, plus the admin building, serialising and compressing the
answer and the member parsing, rebuilding and checksumming it, each in frame-sized slices (which added
about 1.5 s when it came, so that no frame holds more than ~300 k instructions: "Frames: the sync before and
after issue 13 (second round)"). A member whose plan is neither the admin's nor the defaults (an older plan)
still gets every differing raid whole. The original design measured 76.5 s (1a9e0c7).

`;
  const file = path.join(__dirname, "..", "docs", "benchmarks.md");
  let doc = fs.readFileSync(file, "utf8");
  const start = doc.indexOf("## Sync\n");
  if (start >= 0) {
    const next = doc.indexOf("\n## ", start + 1);
    doc = doc.slice(0, start) + section + (next >= 0 ? doc.slice(next + 1) : "");
  } else {
    doc = doc.replace(/\s*$/, "\n\n") + section;
  }
  fs.writeFileSync(file, doc);
  console.log("wrote docs/benchmarks.md (Sync)");
}
