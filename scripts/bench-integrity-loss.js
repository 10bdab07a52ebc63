// Integrity benchmark (issue 12): direct changes (OGRH_SV written behind the store) repaired with
// nobody acting, at 0, 5, 10 and 20% loss, in the emulated 40-player raid (Lua 5.0.3 VM, simulated
// time, 0.2 s latency + up to 0.2 s jitter, 40 ms frames, the shipping plan); and the scrub's cost,
// per frame and per pass, on the full-size plan of bench:integrity in one client (VM instructions
// by count hook, deterministic).
//   time to repair: the direct change -> the member's data and cache equal the admin's data
//   (one member heard a poll first; a member that has not waits for the next one).
// Usage: node scripts/bench-integrity-loss.js [--write]   (npm run bench:direct)
"use strict";
require("./ts-register.js");
const { build } = require("./build.js");
const { Raid } = require("../test/harness/raid.ts");
const { startFullPlan } = require("./bench-lib.js");
const { writeSection } = require("./bench-doc.js");

build();
const LIMIT = 120;
const VICTIM = "Fizzlebang";
const ADMIN = "Tankmedady";
const SEEDS = [3, 7];
const CASES = [
  { key: "component", name: "component (BWL > Razorgore > playerAssignments)", lua: `OGRH_SV.encounterAssignments.BWL = OGRH_SV.encounterAssignments.BWL or {} OGRH_SV.encounterAssignments.BWL.Razorgore = { [1] = { "Impostor" } }` },
  { key: "wiped", name: "whole raid list wiped", lua: `OGRH_SV.encounterMgmt.raids = {}` },
];
const LOSSES = [0, 0.05, 0.1, 0.2];
const TARGET = { 0: 35, 0.05: 35, 0.1: 45, 0.2: 60 };

function runOne(k, loss, seed) {
  const raid = Raid.start({ size: 40, latency: 0.2, jitter: 0.2, loss, seed });
  try {
    const m = raid.player(VICTIM);
    const data = (name) => raid.player(name).eval("OGRH.GetAllHierarchicalChecksums().structure");
    const cache = (name) => raid.player(name).eval("OGRH.SyncIntegrity.GetStructureChecksum()");
    for (let i = 0; i < 140 && m.eval("OGRH.SyncGranular.Stats().pollsHeard") === 0; i++) raid.advance(0.5);
    raid.advance(1);
    m.run(k.lua);
    let t = 0;
    while (t < LIMIT) {
      raid.advance(0.5);
      t += 0.5;
      const want = data(ADMIN);
      if (data(VICTIM) === want && cache(VICTIM) === want) return t;
    }
    return Infinity;
  } finally {
    raid.close();
  }
}

const rows = [];
for (const k of CASES) {
  for (const loss of LOSSES) {
    const times = SEEDS.map((seed) => runOne(k, loss, seed));
    const worst = Math.max(...times);
    const row = { case: k.name, loss, times, worst, met: worst <= TARGET[loss] };
    console.log(JSON.stringify(row));
    rows.push(row);
  }
}

// The scrub's cost: frames of one pass on the full-size plan, against idle frames.
const { raid, vm } = startFullPlan();
vm.exec(`RB.k = 0 debug.sethook(RB.hook, "", 1000)`);
const frameSeconds = vm.eval("W.frameMs") / 1000;
const frame = () => {
  vm.exec("RB.k = 0");
  raid.advance(frameSeconds);
  return vm.eval("RB.k");
};
const units = () => vm.eval("E.OGRH.SyncIntegrity.ScrubStats().units");
raid.advance(12);
// Idle frames (no pass running): the emulator's and the addon's own per-frame work.
while (vm.eval("E.OGRH.SyncIntegrity.ScrubStats().passes") === 0 || units() === 0) raid.advance(frameSeconds);
while (true) {
  const before = units();
  frame();
  if (units() === before) break;
}
const idle = [];
for (let i = 0; i < 20; i++) idle.push(frame());
vm.exec("E.OGRH.SyncIntegrity.Scrub()");
const pass = [];
for (;;) {
  const before = units();
  const k = frame();
  if (units() === before) break;
  pass.push(k);
}
vm.exec("debug.sethook()");
const idleMean = idle.reduce((a, b) => a + b, 0) / idle.length;
const passTotal = pass.reduce((a, b) => a + b, 0) - idleMean * pass.length;
const scrub = { frames: pass.length, maxFrame: Math.max(...pass), idle: idleMean, total: passTotal, seconds: pass.length * frameSeconds };
console.log(JSON.stringify(scrub));

const fmt = (t) => (t === Infinity ? "> " + LIMIT : t.toFixed(1));
const lines = [
  "## Integrity under loss",
  "",
  "`npm run bench:direct` (scripts/bench-integrity-loss.js). A member's OGRH_SV written directly (behind the store), in the",
  "emulated 40-player raid (shipping plan, 0.2 s latency + up to 0.2 s jitter, 40 ms frames, simulated time), seeds " + SEEDS.join(", ") + ";",
  "time from the change until the member's data and cache equal the admin's data, nobody acting. The member heard one poll first.",
  "",
  "| Direct change | loss | seconds per seed | worst | target | met |",
  "| --- | ---: | --- | ---: | ---: | --- |",
  ...rows.map((r) => `| ${r.case} | ${r.loss * 100}% | ${r.times.map(fmt).join(", ")} | ${fmt(r.worst)} | ${TARGET[r.loss]} | ${r.met ? "met" : "**not met**"} |`),
  "",
  "The wiped raid list is repaired by one full-structure answer (tens of frames); the frames the member lost are asked",
  "for again (TX.NACK, transport/resend.ts), so loss costs a few seconds rather than the whole answer.",
  "",
  "Scrub cost (store/scrub.ts) on the full-size plan of bench:integrity, one client, count hook on the main thread:",
  "",
  "| | value |",
  "| --- | ---: |",
  `| frames per pass (one unit a frame) | ${scrub.frames} |`,
  `| pass length at 25 fps | ${scrub.seconds.toFixed(1)} s |`,
  `| most kI in one frame during a pass (emulator and addon included) | ${scrub.maxFrame} |`,
  `| kI in an idle frame (emulator and addon, no pass) | ${scrub.idle.toFixed(0)} |`,
  `| kI per pass, scrub only (pass frames minus idle) | ${Math.round(scrub.total)} |`,
  "",
];
if (process.argv.includes("--write")) writeSection(lines.join("\n"));
else console.log(lines.join("\n"));
