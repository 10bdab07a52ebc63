// Integrity benchmark: the checksum tree on a full-size plan in the emulated 1.12 client (Lua
// 5.0.3 compiled to WebAssembly). The plan: the shipping defaults plus the factory-default data
// (shared/data/ogrh-factory-defaults.json) merged in, every role slot assigned from a 40-player
// roster. Reports VM instructions (EmuMeasure, deterministic) and os.clock seconds of the WASM VM
// (an indication only: native Lua 5.0 in the client is faster), plus serialised sizes.
// Usage: node scripts/bench-integrity.js [--write]   (npm run bench:integrity writes docs/benchmarks.md
// "Integrity"; builds the addon first)
"use strict";
require("./ts-register.js");
const { build } = require("./build.js");
const { Raid } = require("../test/harness/raid.ts");
const { loadFullPlan } = require("../test/integrity/plan.ts");
const { writeSection } = require("./bench-doc.js");

build();
const raid = Raid.start({ size: 1 });
const c = raid.leader;
loadFullPlan(c);
const vm = raid.vm;
vm.exec(`E = W.clients["${c.name}"].env`);

function median(list) {
  const s = list.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function measure(luaBody, runs) {
  const ks = [];
  const secs = [];
  for (let i = 0; i < runs; i++) {
    const r = vm.eval(`EmuMeasure.run(function() ${luaBody} end)`);
    ks.push(r.kinstructions);
    secs.push(r.seconds);
  }
  return { kinstructions: median(ks), ms: median(secs) * 1000 };
}

const plan = vm.eval(`(function()
  local raids, encs, roles, slots = 0, 0, 0, 0
  for name, r in pairs(E.OGRH_SV.encounterMgmt.raids) do
    raids = raids + 1
    for _, e in ipairs(r.encounters) do encs = encs + 1 end
  end
  for _, perRaid in pairs(E.OGRH_SV.encounterAssignments) do
    for _, perEnc in pairs(perRaid) do
      for _, role in pairs(perEnc) do roles = roles + 1 for _ in pairs(role) do slots = slots + 1 end end
    end
  end
  return { raids = raids, encounters = encs, roles = roles, slots = slots }
end)()`);

const size = (ref) => vm.eval(`string.len((E.OGRH.Store.SerializeNode(${ref})))`);
const sizes = {
  "component (BWL > Razorgore > playerAssignments)": size(`{ level = "COMPONENT", raid = "BWL", encounter = "Razorgore", component = "playerAssignments" }`),
  "component (BWL > Razorgore > roles)": size(`{ level = "COMPONENT", raid = "BWL", encounter = "Razorgore", component = "roles" }`),
  "encounter (BWL > Razorgore, 6 components)": size(`{ level = "ENCOUNTER", raid = "BWL", encounter = "Razorgore" }`),
  "raid (BWL)": size(`{ level = "RAID", raid = "BWL" }`),
  "raid (Naxxramas)": size(`{ level = "RAID", raid = "Naxxramas" }`),
  "global component (consumes)": size(`{ level = "GLOBAL", component = "consumes" }`),
  "whole plan": size(`{ level = "STRUCTURE" }`),
};
const lightweight = vm.eval(`string.len((E.OGRH.SyncIntegrity.Serialize(E.OGRH.SyncIntegrity.GetLightweightChecksums())))`);
const drill = vm.eval(`string.len((E.OGRH.SyncIntegrity.Serialize(E.OGRH.SyncIntegrity.GetRaidDrillDown("BWL"))))`);

const perEdit = (r) => ({ kinstructions: r.kinstructions / 200, ms: r.ms / 200 });
const results = {
  fullCold: measure(`E.OGRH.SyncIntegrity.ResetMemo() E.OGRH.GetAllHierarchicalChecksums()`, 5),
  fullWarm: measure(`E.OGRH.GetAllHierarchicalChecksums()`, 5),
  cacheRebuild: measure(`E.OGRH.SyncIntegrity.VerifyCache()`, 5),
  // one edit through the write API, 200 times per run (os.clock is too coarse for one): a player
  // swapped in one slot (component, encounter, rollup, structure), a raid setting, a global component
  incremental: perEdit(measure(`for i = 1, 200 do
    E.OGRH.Store.Set({ "encounterAssignments", "BWL", "Razorgore", 1, 1 }, "Player" .. i) end`, 5)),
  incrementalMeta: perEdit(measure(`for i = 1, 200 do
    E.OGRH.Store.Set({ "encounterMgmt", "raids", "BWL", "advancedSettings", "consumeTracking", "readyThreshold" }, i) end`, 5)),
  incrementalGlobal: perEdit(measure(`for i = 1, 200 do
    E.OGRH.Store.Set({ "consumes", 1, "primaryId" }, i) end`, 5)),
  serializeWhole: measure(`E.OGRH.Store.SerializeNode({ level = "STRUCTURE" })`, 3),
};
const cacheOk = vm.eval(`E.OGRH.SyncIntegrity.GetStructureChecksum() == E.OGRH.GetAllHierarchicalChecksums().structure`);

raid.close();

const fmt = (r) =>
  `${r.kinstructions.toLocaleString("en-US", { maximumFractionDigits: 1 })} k instructions, ${r.ms.toFixed(r.ms < 1 ? 3 : 1)} ms (WASM)`;
console.log(`plan: ${plan.raids} raids, ${plan.encounters} encounters, ${plan.roles} assigned roles, ${plan.slots} assigned slots`);
console.log(`full hierarchy, cold (token memo empty):  ${fmt(results.fullCold)}`);
console.log(`full hierarchy, warm (token memo filled): ${fmt(results.fullWarm)}`);
console.log(`cache rebuild (VerifyCache):              ${fmt(results.cacheRebuild)}`);
console.log(`incremental, one assignment (per edit):    ${fmt(results.incremental)}`);
console.log(`incremental, raid setting (per edit):     ${fmt(results.incrementalMeta)}`);
console.log(`incremental, global component (per edit): ${fmt(results.incrementalGlobal)}`);
console.log(`serialise the whole plan:                 ${fmt(results.serializeWhole)}`);
console.log(`cache equals fresh computation after the edits: ${cacheOk}`);
for (const [name, bytes] of Object.entries(sizes)) console.log(`size ${name}: ${bytes} bytes`);
console.log(`size lightweight poll (global + raid level, serialised): ${lightweight} bytes`);
console.log(`size drill-down of BWL (encounter + component checksums): ${drill} bytes`);

// The section of docs/benchmarks.md. The milliseconds move with the machine's load; the target is
// read against the instructions at the rate assumed for this VM under load (as in "Frames").
const RATE = 60; // M instructions/s
const k = (n) => n.toLocaleString("en-US", { maximumFractionDigits: n < 100 ? 1 : 0 });
const ms = (r) => r.ms.toFixed(r.ms < 1 ? 2 : 0);
const atRate = (r) => r.kinstructions / RATE / 1000 * 1000; // ms
const meets = (r, target) => atRate(r) <= target;
const rows = [
  ["Full hierarchy, cold (first computation of a session: login)", results.fullCold, 30],
  ["Full hierarchy, warm (string tokens already hashed)", results.fullWarm, 30],
  ["Cache rebuild (`OGRH.SyncIntegrity.VerifyCache`)", results.cacheRebuild, undefined],
  ["Incremental: one slot assigned through `OGRH.Store.Set`", results.incremental, 1],
  ["Incremental: one raid setting", results.incrementalMeta, 1],
  ["Incremental: one global component entry", results.incrementalGlobal, 1],
  ["Serialise the whole plan (canonical text)", results.serializeWhole, undefined],
];
const sizeRows = [
  ["Component: BWL > Razorgore > playerAssignments", sizes["component (BWL > Razorgore > playerAssignments)"]],
  ["Component: BWL > Razorgore > roles", sizes["component (BWL > Razorgore > roles)"]],
  ["Global component: consumes", sizes["global component (consumes)"]],
  ["Encounter: BWL > Razorgore (6 components)", sizes["encounter (BWL > Razorgore, 6 components)"]],
  ["Raid: BWL (metadata, 8+ encounters, all components)", sizes["raid (BWL)"]],
  ["Raid: Naxxramas", sizes["raid (Naxxramas)"]],
  ["Whole plan", sizes["whole plan"]],
  ["Lightweight poll (structure + global + raid level checksums)", lightweight],
  ["Drill-down answer for BWL (encounter + component checksums)", drill],
];
const lines = [
  "## Integrity",
  "",
  "`npm run bench:integrity` (scripts/bench-integrity.js). The built addon in one emulated 1.12 client (Lua 5.0.3",
  "compiled to WebAssembly, `lua-wasm-bindings`). The plan is full size: the seven shipping raids plus the",
  "factory-default data (`shared/data/ogrh-factory-defaults.json`) merged in (" + plan.raids + " raids, " + plan.encounters + " encounters), every",
  "role slot assigned from the 40-player roster (" + k(plan.roles) + " roles, " + k(plan.slots) + " slots). Instructions are Lua VM instructions",
  "counted by a count hook (`EmuMeasure.run`, deterministic); WASM ms is `os.clock` of the WASM VM, median of 5",
  "runs (3 for the serialisation), and moves by +-50% with the machine's load (2 cores shared with other work);",
  `"at ${RATE} M/s" is the instructions at the ${RATE} M instructions/s assumed for this VM under load, against which the`,
  "target is read. Native Lua 5.0 in the client runs the same instructions several times faster; no native figure",
  "was measured.",
  "",
  `| What | Instructions | WASM ms (this run) | at ${RATE} M/s | Target | |`,
  "| --- | ---: | ---: | ---: | --- | --- |",
  ...rows.map(([name, r, target]) =>
    `| ${name} | ${k(r.kinstructions)} k | ${ms(r)} | ${atRate(r).toFixed(atRate(r) < 1 ? 2 : 0)} ms | ${target === undefined ? "" : target + " ms"} | ${target === undefined ? "" : meets(r, target) ? "met" : "**missed**"} |`),
  "",
  `The cache after the edits above equals a fresh computation: ${cacheOk ? "yes" : "**NO**"}. The full computation can also`,
  "run over frames (`VerifyCacheInBackground`, \"Frames\"), so its length makes no hitch; cold means the token",
  "memo is empty (`ResetMemo`; the key-order and key-prefix memos hold only key sets and are kept). The",
  "figures before the checksum work of issue 13 are in \"Integrity: before the checksum work\".",
  "",
  "Serialised sizes (canonical text, `OGRH.Store.SerializeNode`), before compression:",
  "",
  "| Node | Bytes |",
  "| --- | ---: |",
  ...sizeRows.map(([name, bytes]) => `| ${name} | ${k(bytes)} |`),
];
if (process.argv.includes("--write")) writeSection(lines.join("\n"));
