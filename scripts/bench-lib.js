// Shared by the benchmarks (bench-rollback, bench-frames). Per-frame CPU of jobs in the emulated
// client: every coroutine the client creates gets the count hook (a Lua 5.0 coroutine loses
// the hook when resumed from an unhooked thread, so the main thread is hooked too), and each frame's
// figure is everything run in that frame (our code and the emulator's small per-frame work).
"use strict";

/**
 * Builds the addon and starts one client with the full-size plan of bench:integrity, its job
 * coroutines hooked, after the login's background check of the checksum cache has finished.
 */
function startFullPlan() {
  require("./ts-register.js");
  const { build } = require("./build.js");
  const { Raid } = require("../test/harness/raid.ts");
  const { loadFullPlan } = require("../test/integrity/plan.ts");
  build();
  const raid = Raid.start({ size: 1 });
  const c = raid.leader;
  loadFullPlan(c);
  hookJobs(raid.vm, c.name);
  jobCost(raid, "", "E.OGRH.Jobs.pending()");
  return { raid, c, vm: raid.vm };
}

/** Hooks the client's coroutines; sets E to the client's environment in the VM. */
function hookJobs(vm, clientName) {
  vm.exec(`
  E = W.clients["${clientName}"].env
  RB = { k = 0 }
  function RB.hook() RB.k = RB.k + 1 end
  local realCreate = coroutine.create
  E.coroutine.create = function(f)
    return realCreate(function() debug.sethook(RB.hook, "", 1000) return f() end)
  end`);
}

/**
 * Runs `start` (Lua), then frames until `pendingExpr` (Lua) is 0. Returns kI in total, frames,
 * the most kI in one frame (the calling frame included), kI in the calling frame, os.clock seconds.
 */
function jobCost(raid, start, pendingExpr) {
  const vm = raid.vm;
  const frameSeconds = vm.eval("W.frameMs") / 1000;
  const c0 = vm.eval("os.clock()");
  vm.exec(`RB.k = 0 debug.sethook(RB.hook, "", 1000) ${start} RB.sync = RB.k`);
  const sync = vm.eval("RB.sync");
  const frames = [];
  while (vm.eval(pendingExpr) > 0) {
    vm.exec("RB.k = 0");
    raid.advance(frameSeconds);
    frames.push(vm.eval("RB.k"));
    if (frames.length > 5000) throw new Error("job did not finish");
  }
  vm.exec("debug.sethook()");
  const seconds = vm.eval("os.clock()") - c0;
  const total = frames.reduce((a, b) => a + b, 0) + sync;
  return { total, frames: frames.length, max: Math.max(sync, ...frames), sync, seconds, each: [sync, ...frames] };
}

/** Replaces the section of docs/benchmarks.md that starts with `heading` (or appends it). */
const { writeSection } = require("./bench-doc.js");

module.exports = { startFullPlan, jobCost, writeSection };
