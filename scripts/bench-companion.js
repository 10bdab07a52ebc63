// Companion benchmark: repair of OG-RaidHelper's own plan (OGRH_SV.v2) next to the vendored
// OG-RaidHelper 2.1.15, in the emulated raid (Lua 5.0.3 VM, Turtle flavour, simulated time, the
// throttle model, 0.2 s one-way latency, 40 ms frames). Full-size v2 plan: OG-RaidHelper's defaults
// (the Active Raid) plus every shipping raid in its layout, every role slot assigned
// (test/companion/v2fixture.ts). One admin, one member; the member's v2 is corrupted directly, its
// bridge reads it (Companion.refresh(), what the 1 s tick does), then it asks for the node by name
// (RequestRepair). Measured: request -> the member's v2 part equals the admin's again (written
// through OGRH.SVM.SetPath), bytes on the wire, and VM instructions of one bridge refresh.
// Usage: node scripts/bench-companion.js [--write]   (writes docs/benchmarks.md "Companion")
"use strict";
require("./ts-register.js");
const { writeSection } = require("./bench-doc.js");
const { build } = require("./build.js");
const { startCompanionRaid } = require("../test/companion/v2fixture.ts");

build();
const RUNS = 3;
const BWL = 4; // v2 index: the Active Raid, then AQ20, AQ40, BWL, MC, Naxxramas, Onyxia, ZG
const RAZ = 3; // Admin, Planning, Razorgore

const SCENARIOS = [
  {
    key: "component",
    name: "one component (BWL > Razorgore > playerAssignments, one slot)",
    ref: `{ level = "COMPONENT", raid = "BWL", encounter = "Razorgore", component = "playerAssignments" }`,
    corrupt: `OGRH_SV.v2.encounterMgmt.raids[${BWL}].encounters[${RAZ}].roles[2].assignedPlayers[1] = "Impostor"`,
    target: 0.5,
  },
  {
    key: "encounter",
    name: "one encounter (BWL > Razorgore, all 6 components)",
    ref: `{ level = "ENCOUNTER", raid = "BWL", encounter = "Razorgore" }`,
    corrupt: `local e = OGRH_SV.v2.encounterMgmt.raids[${BWL}].encounters[${RAZ}]
      e.advancedSettings = { corrupted = true } e.announcements = { "corrupted" }
      for _, r in ipairs(e.roles) do r.name = r.name .. "?" r.assignedPlayers = { "X" } r.raidMarks = { 1 } r.assignmentNumbers = { 2 } end`,
    target: 1,
  },
  {
    key: "raid",
    name: "one raid (BWL: metadata and every encounter)",
    ref: `{ level = "RAID", raid = "BWL" }`,
    corrupt: `local r = OGRH_SV.v2.encounterMgmt.raids[${BWL}] r.advancedSettings = { corrupted = true }
      for j = 3, table.getn(r.encounters) do r.encounters[j].roles[1].assignedPlayers = { "X" } end`,
    target: 3,
  },
  {
    key: "full",
    name: "full plan to a member whose OG-RaidHelper has only its defaults (Active Raid)",
    ref: `{ level = "STRUCTURE" }`,
    corrupt: `local raids = OGRH_SV.v2.encounterMgmt.raids for i = table.getn(raids), 2, -1 do table.remove(raids, i) end
      OGRH_SV.v2.tradeItems = {} OGRH_SV.v2.consumes = {}`,
    target: 20,
  },
];

const V2_PLAN = `(function() local v = OGRH_SV.v2 local r = {} for i = 2, table.getn(v.encounterMgmt.raids) do r[i] = v.encounterMgmt.raids[i] end
  return OGRH_Sync.SyncIntegrity.ChecksumValue({ raids = r, tradeItems = v.tradeItems, consumes = v.consumes }) end)()`;

function runScenario(sc, seed) {
  const raid = startCompanionRaid({ size: 2, seed });
  const [admin, member] = raid.clients;
  raid.advance(15);
  const v2cs = (c) => c.eval(V2_PLAN);
  if (v2cs(admin) !== v2cs(member)) throw new Error("plans differ before corruption");
  member.run(sc.corrupt);
  member.run(`OGRH_Sync.Companion.refresh()`);
  if (v2cs(admin) === v2cs(member)) throw new Error(sc.key + ": corruption did not change v2");
  raid.vm.exec("W.log = {}");
  const t0 = raid.now();
  member.run(`OGRH_Sync.SyncGranular.RequestRepair(${sc.ref})`);
  let t = 0;
  while (v2cs(member) !== v2cs(admin) && t < 300) {
    raid.advance(0.04);
    t += 0.04;
  }
  const repaired = raid.now();
  const msgs = raid.messages().filter((m) => m.t <= repaired + 0.001 && m.prefix === "OGSY");
  const bytes = msgs.reduce((n, m) => n + m.size, 0);
  const ok = v2cs(member) === v2cs(admin);
  const errors = raid.allErrors().filter((e) => !e.includes("Invites.lua:13")).length;
  raid.close();
  return { seconds: repaired - t0, bytes, frames: msgs.length, ok, errors };
}

/** VM instructions of one bridge refresh with nothing changed, and with one slot changed. */
function refreshCost() {
  const raid = startCompanionRaid({ size: 1 });
  const c = raid.leader;
  raid.advance(5);
  const count = (lua) =>
    raid.vm.eval(`(function() local n = 0 local cl = W.clients["${c.name}"]
      debug.sethook(function() n = n + 1 end, "", 1000) cl:run(${JSON.stringify(lua)}) debug.sethook() return n * 1000 end)()`);
  // One frame's check: the largest unit over a whole cycle (the global parts and every raid).
  let check = 0;
  for (let i = 0; i < 8; i++) check = Math.max(check, count(`assert(not OGRH_Sync.Companion.check())`));
  const changed = count(`OGRH_SV.v2.encounterMgmt.raids[${BWL}].encounters[${RAZ}].roles[2].assignedPlayers[1] = "Impostor" OGRH_Sync.Companion.refresh()`);
  raid.close();
  return { check, changed };
}

const results = {};
for (const sc of SCENARIOS) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(runScenario(sc, i + 1));
  const mean = (k) => runs.reduce((n, r) => n + r[k], 0) / runs.length;
  const r = {
    seconds: mean("seconds"),
    min: Math.min(...runs.map((x) => x.seconds)),
    max: Math.max(...runs.map((x) => x.seconds)),
    bytes: Math.round(mean("bytes")),
    frames: Math.round(mean("frames")),
    ok: runs.every((x) => x.ok),
    errors: runs.reduce((n, x) => n + x.errors, 0),
  };
  results[sc.key] = r;
  console.log(`${sc.name}: ${r.seconds.toFixed(2)} s (${r.min.toFixed(2)}-${r.max.toFixed(2)}), ${r.bytes} bytes, ${r.frames} messages, target ${sc.target} s: ${r.seconds <= sc.target ? "met" : "MISSED"}${r.ok ? "" : " (NOT REPAIRED)"}${r.errors ? " errors " + r.errors : ""}`);
}
const cost = refreshCost();
console.log(`bridge: ${cost.check} VM instructions for one frame's check at most, ${cost.changed} for a read after one slot changed`);

if (process.argv.includes("--write")) {
  const fmt = (x) => x.toFixed(2);
  const rows = SCENARIOS.map((sc) => {
    const r = results[sc.key];
    return `| ${sc.name} | ${fmt(r.seconds)} (${fmt(r.min)}-${fmt(r.max)}) | ${sc.target} | ${r.seconds <= sc.target && r.ok ? "met" : "**missed**"} | ${r.bytes.toLocaleString("en-US")} | ${r.frames} |`;
  });
  const section = `## Companion (OG-RaidHelper's v2 plan)

Measured by \`npm run bench:companion\` (scripts/bench-companion.js): the built addon next to the vendored
OG-RaidHelper 2.1.15 (Turtle flavour), one admin and one member, a full-size v2 plan (OG-RaidHelper's
defaults plus the 7 shipping raids in its layout: 73 encounters with its Admin and Planning
encounters, every role slot assigned; test/companion/v2fixture.ts), simulated time, 0.2 s latency, 40 ms
frames, the throttle model. The member's \`OGRH_SV.v2\` is corrupted directly, its bridge reads it, then
it asks for the node by name (\`RequestRepair\`, as bench-sync.js). Seconds: request -> the member's v2
part equals the admin's again (written back through \`OGRH.SVM.SetPath\`), mean of ${RUNS} runs (min-max).
Bytes and messages: our addon messages (prefix OGSY) in that window.

| What | Request -> v2 repaired s | Target s | | Bytes on the wire | Messages |
|---|---:|---:|---|---:|---:|
${rows.join("\n")}

Finding OG-RaidHelper's edits: every frame the bridge compares one unit of v2 (the global parts or
one raid) with a copy of its last read: at most ${cost.check.toLocaleString("en-US")} VM instructions (the largest raid), so
a change is seen within 8 frames (0.32 s at 40 ms frames). Only a change pays for a full read (the
projection of the whole plan and its checksum tree, then the components that moved applied to the
store): ${cost.changed.toLocaleString("en-US")} VM instructions, in one frame, once per OG-RaidHelper edit (several frame
budgets of ~200,000: a known hitch, see "not done" in the companion notes of docs/architecture.md).

`;
  writeSection(section.replace(/\s*$/, ""));
}
