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

// The checksum scrub's step (src/store/scrub.ts) in a client: a timer of the platform's OnUpdate
// (src/wow/adapter.ts) whose function holds the upvalues step and endPass (the step itself) or
// startedAt (the pass start). BenchScrub(name, make) sets that shared "step" upvalue to make(step)
// and returns true when the scrub was found.
const SCRUB_LUA = `
function BenchScrub(name, make)
  local function upvalues(fn)
    local t, i = {}, 1
    while type(fn) == "function" do
      local n, v = debug.getupvalue(fn, i)
      if n == nil then break end
      t[n] = { i = i, v = v }
      i = i + 1
    end
    return t
  end
  for _, f in ipairs(W.clients[name].frames or {}) do
    local timers = f.scripts and upvalues(f.scripts.OnUpdate).timers
    for _, timer in ipairs(timers and timers.v or {}) do
      local u = upvalues(timer.fn)
      if u.step and (u.endPass or u.startedAt) then
        local orig = u.step.v
        local step = make(orig)
        debug.setupvalue(timer.fn, u.step.i, step)
        if timer.fn == orig then timer.fn = step end
        return true
      end
    end
  end
  return false
end`;

/**
 * Holds the checksum scrub of every client (its passes stop: each client's own check of its cache
 * against the data, 10 s apart, whatever else runs), for benchmarks of something else whose totals
 * count every frame. Throws when a client has a scrub that was not found.
 */
function holdScrub(vm) {
  vm.exec(SCRUB_LUA);
  const missed = vm.eval(`(function()
    local missed = {}
    for name, c in pairs(W.clients) do
      if c.env.OGRH and c.env.OGRH.SyncIntegrity and c.env.OGRH.SyncIntegrity.ScrubStats and not BenchScrub(name, function() return function() end end) then
        table.insert(missed, name)
      end
    end
    return table.concat(missed, ", ")
  end)()`);
  if (missed !== "") throw new Error("scrub not found in " + missed);
}

/**
 * Per-client, per-frame CPU in a raid of several clients in one VM: every client's coroutines get
 * the count hook, and each client's script handlers (OnEvent, OnUpdate: everything the addon runs)
 * are wrapped so that the instructions they run are charged to that client and that frame.
 * clientCost(vm) then reads, per client, the most kI in one frame, the total and the frames that ran
 * more than 50 kI; resetClientCost(vm) starts a new measurement.
 * The checksum scrub (src/store/scrub.ts: a pass of one unit a frame every 10 s, whatever else runs)
 * is counted apart as well (`scrub`, included in the total): its step (SCRUB_LUA) is swapped for a
 * wrapper that counts it. A build without a scrub reports 0.
 */
function hookClients(vm) {
  vm.exec(SCRUB_LUA);
  vm.exec(`
  RB = RB or { k = 0 }
  function RB.hook() RB.k = RB.k + 1 end
  RB.per = {}
  RB.depth = 0
  local realCreate = coroutine.create
  for name, c in pairs(W.clients) do
    RB.per[name] = { at = -1, cur = 0, max = 0, total = 0, busy = 0, big = {}, scrub = 0 }
    c.env.coroutine.create = function(f)
      return realCreate(function() debug.sethook(RB.hook, "", 1000) return f() end)
    end
    local orig = c.callScript
    c.callScript = function(self, frame, script, ...)
      if RB.depth > 0 then return orig(self, frame, script, unpack(arg)) end
      local p = RB.per[self.name]
      if p.at ~= W.nowMs then
        if p.cur > p.max then p.max = p.cur end
        if p.cur > 50 then p.busy = p.busy + 1 end
        if p.cur > 200 then table.insert(p.big, p.at .. ":" .. p.cur) end
        p.at = W.nowMs
        p.cur = 0
      end
      RB.depth = 1
      local k0 = RB.k
      orig(self, frame, script, unpack(arg))
      RB.depth = 0
      p.cur = p.cur + RB.k - k0
      p.total = p.total + RB.k - k0
    end
  end
  for name in pairs(W.clients) do
    local p = RB.per[name]
    p.scrubHooked = BenchScrub(name, function(orig)
      return function() local k0 = RB.k orig() p.scrub = p.scrub + RB.k - k0 end
    end)
  end
  debug.sethook(RB.hook, "", 1000)
  function RB.reset() for _, p in pairs(RB.per) do p.at = -1 p.cur = 0 p.max = 0 p.total = 0 p.busy = 0 p.big = {} p.scrub = 0 end end
  function RB.read(name)
    local p = RB.per[name]
    local max, busy = p.max, p.busy
    if p.cur > max then max = p.cur end
    if p.cur > 50 then busy = busy + 1 end
    return { max = max, total = p.total, busy = busy, big = table.concat(p.big, " "), scrub = p.scrub, scrubHooked = p.scrubHooked == true }
  end`);
}

function resetClientCost(vm) {
  vm.exec("RB.reset()");
}

/** { max, total, busy, scrub } kI of one client since the last reset (scrubHooked: the scrub was found). */
function clientCost(vm, name) {
  return vm.eval(`RB.read("${name}")`);
}

/** Replaces the section of docs/benchmarks.md that starts with `heading` (or appends it). */
const { writeSection } = require("./bench-doc.js");

module.exports = { startFullPlan, jobCost, writeSection, hookClients, resetClientCost, clientCost, holdScrub };
