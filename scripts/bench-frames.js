// Frames benchmark (issue 13): the largest frame and the total cost of every heavy path, with the
// full-size plan of bench:integrity, in one emulated 1.12 client (Lua 5.0.3 compiled to
// WebAssembly). "In one frame" is the synchronous call (the old path, still there for small nodes
// and tests); "over frames" is the job (src/store/background.ts, src/rollback/*). kI = thousands of
// Lua VM instructions (count hook, deterministic); ms = os.clock of the WASM VM, an indication only.
// Then the sync as it runs, end to end in an emulated raid (admin + member): a late joiner's full
// sync, a raid repair and the admin's own validation, each client's work counted per frame
// (bench-lib.js hookClients); FRAMES_DEBUG=1 lists the frames over 200 kI and the sync timeline.
// Usage: node scripts/bench-frames.js [--write]   (npm run bench:frames; builds the addon first)
"use strict";
require("./ts-register.js");
const { startFullPlan, jobCost, writeSection, hookClients, resetClientCost, clientCost } = require("./bench-lib.js");
const { Raid } = require("../test/harness/raid.ts");
const { loadFullPlan } = require("../test/integrity/plan.ts");

const { raid, vm } = startFullPlan();
const idle = () => jobCost(raid, "", "E.OGRH.Jobs.pending() + E.OGRH.Rollback.Pending()");

const JOBS = "E.OGRH.Jobs.pending()";
const ROLLBACK = "E.OGRH.Rollback.Pending()";
const results = [];
// Run against an older build (the "before" column of docs/benchmarks.md), paths it lacks are skipped.
const hasBackground = vm.eval("E.OGRH.Store.ApplyNodeInBackground ~= nil");
const record = (name, r) => {
  if (r === undefined) return r;
  if (process.env.FRAMES_DEBUG) console.log(name, r.each.map(Math.round).join(" "));
  results.push({ name, ...r });
  return r;
};
// Before each measurement: timers started by the previous path (automatic backups after writes,
// sync timers) run out first, so each figure is the path alone.
const settle = () => {
  raid.advance(30);
  idle();
};
const once = (start) => {
  if (!hasBackground && start.includes("InBackground")) return undefined;
  settle();
  return jobCost(raid, start, JOBS);
};
const assertOk = (what) => {
  const err = vm.eval("BF_ERR");
  if (err !== null && err !== undefined) throw new Error(what + ": " + err);
};

vm.exec(`BF_PLAN = E.OGRH.Store.SerializeNode({ level = "STRUCTURE" })
  BF_RAID = E.OGRH.Store.SerializeNode({ level = "RAID", raid = "Naxxramas" })
  BF_DONE = function(ok, err) BF_ERR = err end
  function BF_FRESH() assert(E.OGRH.Store.ReplacePlan(E.OGRH.Store.BuildDefaults(), "bench")) end`);
const planBytes = vm.eval("string.len(BF_PLAN)");
const raidBytes = vm.eval("string.len(BF_RAID)");

// A late joiner's full sync: the admin's plan text applied on a client that has the defaults.
vm.exec("BF_FRESH()");
record("Full plan apply (late joiner), in one frame", once(`assert(E.OGRH.Store.ApplyNode({ level = "STRUCTURE" }, BF_PLAN, "sync"))`));
vm.exec("BF_FRESH() BF_ERR = nil");
record("Full plan apply (late joiner), over frames", once(`E.OGRH.Store.ApplyNodeInBackground({ level = "STRUCTURE" }, BF_PLAN, "sync", nil, BF_DONE)`));
assertOk("full apply");
const sameTree = vm.eval("E.OGRH.SyncIntegrity.VerifyCache()");
if (hasBackground && sameTree !== true) throw new Error("the tree built aside differs from a rebuild");

// A raid repair: Naxxramas (the largest raid) applied on a client whose Naxxramas differs.
vm.exec("BF_FRESH()");
record(`Raid apply (Naxxramas, ${raidBytes.toLocaleString("en-US")} bytes), in one frame`, once(`assert(E.OGRH.Store.ApplyNode({ level = "RAID", raid = "Naxxramas" }, BF_RAID, "sync"))`));
vm.exec("BF_FRESH() BF_ERR = nil");
record(`Raid apply (Naxxramas), over frames`, once(`E.OGRH.Store.ApplyNodeInBackground({ level = "RAID", raid = "Naxxramas" }, BF_RAID, "sync", nil, BF_DONE)`));
assertOk("raid apply");
vm.exec(`assert(E.OGRH.Store.ApplyNode({ level = "STRUCTURE" }, BF_PLAN, "bench"))`);

// Building an answer: the serialised text of the whole plan.
record("Answer text (whole plan), in one frame", once(`BF_T = E.OGRH.Store.SerializeNode({ level = "STRUCTURE" })`));
vm.exec("BF_ERR = nil");
record("Answer text (whole plan), over frames", once(`E.OGRH.Store.SerializeNodeInBackground({ level = "STRUCTURE" }, function(t, err) BF_ERR = err BF_T2 = t end)`));
assertOk("serialise");
if (hasBackground && vm.eval("BF_T2 == BF_PLAN") !== true) throw new Error("background text differs");

// Checksum rebuild, cold (token memo forgotten) and warm.
record("Checksum rebuild, cold, in one frame", once(`E.OGRH.SyncIntegrity.ResetMemo() E.OGRH.SyncIntegrity.VerifyCache()`));
record("Checksum rebuild, warm, in one frame", once(`E.OGRH.SyncIntegrity.VerifyCache()`));
record("Checksum rebuild, cold, over frames", once(`E.OGRH.SyncIntegrity.ResetMemo() E.OGRH.SyncIntegrity.VerifyCacheInBackground(BF_DONE)`));
record("Checksum rebuild, warm, over frames", once(`E.OGRH.SyncIntegrity.VerifyCacheInBackground(BF_DONE)`));
assertOk("rebuild");

// Backups (src/rollback, jobs already; the restore's swap and the chunk parses are now paced).
const rb = (start) => {
  settle();
  return jobCost(raid, start, ROLLBACK);
};
record("Backup create (first: everything new)", rb(`E.OGRH.Rollback.CreateManualBackup("first")`));
const id = vm.eval("E.OGRH.Rollback.ListBackups()[1].id");
record("Backup restore (verify, safety backup, swap)", rb(`E.OGRH.Rollback.RestoreBackup(${id})`));
record("Backup export", rb(`E.OGRH.Rollback.ExportBackup(${id}, BF_DONE)`));
vm.exec(`E.OGRH.Rollback.DeleteBackup(E.OGRH.Rollback.ListBackups()[1].id)`);
record("Backup import (a new backup entry)", rb(`E.OGRH.Rollback.ImportBackup(E.OGRH.Rollback.GetLastExport())`));

const errors = raid.allErrors();
raid.close();
if (errors.length > 0) throw new Error("client errors: " + errors.map((e) => JSON.stringify(e)).join("; "));

// ----- The sync as it runs: end to end in an emulated raid (admin + member, 0.2 s latency) -------
// Both clients' work is counted per frame (every script handler, every job coroutine), from the
// moment the sync starts until the member holds the admin's node, then 3 s more (what follows the
// apply: the automatic backup before a bulk apply is a rollback job).
const syncRows = [];
function syncPath(name, prepare, trigger, synced) {
  const r = Raid.start({ size: 2, latency: 0.2, seed: 1 });
  const [admin, member] = r.clients;
  for (const c of r.clients) c.run("OGRH.SyncGranular.config.polling = false");
  r.advance(5.5);
  hookClients(r.vm);
  prepare(r, admin, member);
  r.advance(15); // automatic backups after the loads, throttle refilled
  resetClientCost(r.vm);
  const found = () => r.clients.reduce((n, c) => n + (hasScrub(c) ? c.eval("OGRH.SyncIntegrity.ScrubStats().found") : 0), 0);
  const found0 = found();
  const t0 = r.now();
  // The call that starts the path runs outside any script handler: counted here, charged to its client.
  r.vm.exec("RB.t0 = RB.k");
  const started = trigger(admin, member);
  const startK = r.vm.eval("RB.k - RB.t0");
  let t = 0;
  while (!synced(admin, member) && t < 200) {
    r.advance(0.04);
    t += 0.04;
  }
  if (!synced(admin, member)) throw new Error(name + ": not synced after 200 s");
  const seconds = r.now() - t0;
  r.advance(3);
  const errs = r.allErrors();
  if (errs.length > 0) throw new Error(name + ": client errors: " + errs.map((e) => JSON.stringify(e)).join("; "));
  if (process.env.FRAMES_DEBUG) {
    console.log(name, "t0", t0, "frames over 200 kI: admin", clientCost(r.vm, admin.name).big, "member", clientCost(r.vm, member.name).big);
    for (const c of [admin, member]) for (const e of c.eval("OGRH.SyncGranular.Log()")) if (e.t >= t0 - 1) console.log(" ", c.name, e.t, e.kind, e.text);
  }
  const cost = (c) => {
    const x = clientCost(r.vm, c.name);
    return c === started ? { ...x, max: Math.max(x.max, startK), total: x.total + startK, busy: x.busy + (startK > 50 ? 1 : 0) } : x;
  };
  for (const c of [admin, member]) if (!clientCost(r.vm, c.name).scrubHooked && hasScrub(c)) throw new Error(name + ": the scrub of " + c.name + " was not found");
  syncRows.push({ name, seconds, admin: cost(admin), member: cost(member), scrubFound: found() - found0 });
  r.close();
}
const hasScrub = (c) => c.eval("OGRH.SyncIntegrity.ScrubStats ~= nil");
const root = (c) => c.eval("OGRH.SyncIntegrity.GetStructureChecksum()");
const naxx = (c) => c.eval("OGRH.GetAllHierarchicalChecksums().raids.Naxxramas.rollup");

// A late joiner: the member still holds the shipping defaults; the admin's poll finds most raids
// differing, so the member asks for the full structure (as in a raid, after a random delay).
syncPath(
  "Late joiner's full sync (poll, request, answer, apply)",
  (r, admin, member) => {
    member.run(`__fresh = OGRH.Store.DeepCopy(OGRH.Store.ExtractNode({ level = "STRUCTURE" }))`);
    loadFullPlan(admin);
    loadFullPlan(member);
    r.advance(10);
    member.run(`assert(OGRH.Store.ReplacePlan(__fresh, "test")) __fresh = nil`);
  },
  (admin) => {
    admin.run("OGRH.SyncGranular.BroadcastChecksums()");
    return admin;
  },
  (admin, member) => root(admin) === root(member),
);
// A raid repair: the member's Naxxramas differs in its metadata and every encounter.
syncPath(
  "Raid repair (Naxxramas, the player's own repair)",
  (r, admin, member) => {
    loadFullPlan(admin);
    loadFullPlan(member);
    r.advance(10);
    member.run(`OGRH_SV.encounterMgmt.raids.Naxxramas.advancedSettings = { corrupted = true }
      for _, e in ipairs(OGRH_SV.encounterMgmt.raids.Naxxramas.encounters) do OGRH_SV.encounterAssignments.Naxxramas[e.name] = { [1] = { "X" } } end
      OGRH.SyncIntegrity.VerifyCache()`);
  },
  (admin, member) => {
    member.run(`OGRH.SyncGranular.RequestRepair({ level = "RAID", raid = "Naxxramas" })`);
    return member;
  },
  (admin, member) => naxx(admin) === naxx(member),
);

const k = (n) => Math.round(n).toLocaleString("en-US");
// The admin's own full validation (/ogrh validate on the admin): its checksums recomputed.
syncPath(
  "Full validation on the admin (/ogrh validate)",
  (r, admin, member) => {
    loadFullPlan(admin);
    loadFullPlan(member);
    r.advance(10);
  },
  (admin) => {
    admin.run("__validated = nil OGRH.SyncGranular.ValidateFullStructure(function() __validated = true end)");
    return admin;
  },
  (admin) => admin.eval("__validated") === true,
);

const lines = [];
const say = (s) => lines.push(s);
say("## Frames");
say("");
say(`\`npm run bench:frames\` (scripts/bench-frames.js). The full-size plan of bench:integrity (${k(planBytes)} bytes of canonical`);
say("text) in one emulated 1.12 client. kI = thousands of Lua VM instructions (count hook on the main thread and on the");
say("job coroutines, deterministic); a frame's figure is everything run in it (the calling frame included). ms = os.clock");
say("of the WASM VM over all frames, an indication only. Target: no frame above 300 kI (5 ms at 60 M instructions/s).");
say("");
say("| Path | kI total | frames | most kI in one frame | WASM ms |");
say("| --- | ---: | ---: | ---: | ---: |");
for (const r of results) say(`| ${r.name} | ${k(r.total)} | ${r.frames + 1} | ${k(r.max)} | ${(r.seconds * 1000).toFixed(0)} |`);
const text = lines.join("\n");
lines.length = 0;
say("## Frames: the sync as it runs");
say("");
say("`npm run bench:frames`: the same full-size plan, end to end in the emulated raid (one admin, one member, 0.2 s");
say("one-way latency, 40 ms frames, the throttle model). Each client's work is counted per frame: every script handler");
say("(message arrival, OnUpdate, timers) and every job coroutine, from the start of the sync until the member holds the");
say("admin's node, then 3 s more (the automatic backup a bulk apply makes is a rollback job that runs then). Frames");
say("over 50 kI = frames in which that client ran more than 50 k instructions. The admin's 30 s poll is off");
say("(\`OGRH.SyncGranular.config.polling = false\`; the late joiner's path broadcasts one poll itself).");
say("");
say("| Path | seconds | member: most kI in a frame | member: kI total | member: frames over 50 kI | admin: most kI in a frame | admin: kI total | admin: frames over 50 kI |");
say("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of syncRows) {
  say(`| ${r.name} | ${r.seconds.toFixed(2)} | ${k(r.member.max)} | ${k(r.member.total)} | ${r.member.busy} | ${k(r.admin.max)} | ${k(r.admin.total)} | ${r.admin.busy} |`);
}
say("");
say("Of those totals, the checksum scrub's (src/store/scrub.ts, issue 12): every 10 s a pass re-checks the cached");
say("checksums against the data, one unit (the raid list, a global component, a raid's metadata, an encounter) a");
say("frame in frames without jobs, on every client whatever else it does, so a path's window holds whatever part of a");
say("pass falls in it (bench:direct, \"Integrity under loss\", has the cost of a whole pass). It is counted apart by");
const scrubFound = syncRows.filter((r) => r.scrubFound > 0).map((r) => r.name + ": " + r.scrubFound);
say("wrapping the scrub's step (bench-lib.js hookClients). Units it found differing from the cache (a sync that left a");
say("cache stale would show here): " + (scrubFound.length === 0 ? "none in any of these windows." : scrubFound.join("; ") + "."));
say("");
say("| Path | member: scrub kI | member: kI total without the scrub | admin: scrub kI | admin: kI total without the scrub |");
say("| --- | ---: | ---: | ---: | ---: |");
for (const r of syncRows) {
  say(`| ${r.name} | ${k(r.member.scrub)} | ${k(r.member.total - r.member.scrub)} | ${k(r.admin.scrub)} | ${k(r.admin.total - r.admin.scrub)} |`);
}
const syncText = lines.join("\n");
console.log(text + "\n\n" + syncText);

if (process.argv.includes("--write")) {
  writeSection(text);
  writeSection(syncText);
}
