// Integrity benchmark: the checksum tree on a full-size plan in the emulated 1.12 client (Lua
// 5.0.3 compiled to WebAssembly). The plan: the shipping defaults plus the factory-default data
// (shared/data/ogrh-factory-defaults.json) merged in, every role slot assigned from a 40-player
// roster. Reports VM instructions (EmuMeasure, deterministic) and os.clock seconds of the WASM VM
// (an indication only: native Lua 5.0 in the client is faster), plus serialised sizes.
// Usage: node scripts/bench-integrity.js   (npm run bench:integrity; builds the addon first)
"use strict";
require("./ts-register.js");
const { build } = require("./build.js");
const { Raid } = require("../test/harness/raid.ts");
const { loadFullPlan } = require("../test/integrity/plan.ts");

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
