// Load benchmark: the shipped files' sizes and the time to load every file of the addon in the
// emulated 1.12 client (Lua 5.0.3 compiled to WebAssembly), as the client does at login: in .toc
// order, each file compiled (loadstring) and run in the client's global table; the last file runs
// the entry, which builds every module. For comparison, the same code as TSTL's one unstripped
// bundle (the shape before the build split and stripped it). kI = thousands of Lua VM instructions
// (count hook, deterministic; the compiler is C and not counted); ms = os.clock of the WASM VM
// (compile + run; median of 5 runs of 10 loads), an indication only.
// Usage: node scripts/bench-load.js [--write]   (npm run bench:load; builds the addon first)
"use strict";
require("./ts-register.js");
const fs = require("fs");
const path = require("path");
const { writeSection } = require("./bench-doc.js");
const { build, OUT, ADDON } = require("./build.js");
const { Raid } = require("../test/harness/raid.ts");
const { luaString } = require("../test/harness/lua-vm.ts");

build();
const toc = fs.readFileSync(path.join(OUT, ADDON + ".toc"), "utf8");
const files = toc.split(/\r?\n/).filter((l) => l !== "" && !l.startsWith("#"));
const texts = Object.fromEntries(files.map((f) => [f, fs.readFileSync(path.join(OUT, f), "utf8")]));
const bundle = fs.readFileSync(path.join(__dirname, "..", "build", "lua", ADDON + ".lua"), "utf8");

const raid = Raid.start({ size: 1, login: false });
const vm = raid.vm;
// Loads `list` (file names) into fresh globals of the (offline) client `loads` times; kI and seconds
// per file.
vm.exec(`
  function BenchLoad(list, sources, loads)
    local ticks, seconds, hookCount = {}, {}, 0
    local function hook() hookCount = hookCount + 1 end
    for _, file in ipairs(list) do ticks[file] = 0 seconds[file] = 0 end
    for i = 1, loads do
      local probe = W.clients["Tankmedady"]
      probe:buildEnv()
      for _, file in ipairs(list) do
        local c0 = os.clock()
        hookCount = 0
        debug.sethook(hook, "", 1000)
        local chunk = assert(loadstring(sources[file], "@${ADDON}\\\\" .. file))
        setfenv(chunk, probe.env)
        chunk()
        debug.sethook()
        seconds[file] = seconds[file] + os.clock() - c0
        ticks[file] = ticks[file] + hookCount
      end
    end
    local out = {}
    for _, file in ipairs(list) do out[file] = { k = ticks[file] / loads, ms = seconds[file] * 1000 / loads } end
    return out
  end`);

function measure(list, sources) {
  vm.exec("BENCH_SRC = {}");
  for (const f of list) vm.exec("BENCH_SRC[" + luaString(f) + "] = " + luaString(sources[f]));
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(vm.eval("BenchLoad(" + JSON.stringify(list).replace(/^\[/, "{").replace(/\]$/, "}") + ", BENCH_SRC, 10)"));
  const out = {};
  for (const f of list) {
    const ms = runs.map((r) => r[f].ms).sort((a, b) => a - b);
    out[f] = { k: runs[0][f].k, ms: ms[2] };
  }
  const totals = runs.map((r) => list.reduce((a, f) => a + r[f].ms, 0)).sort((a, b) => a - b);
  out.total = { k: list.reduce((a, f) => a + runs[0][f].k, 0), ms: totals[2] };
  return out;
}

const shipped = measure(files, texts);
const before = measure(["Prelude.lua", "Bundle.lua"], { "Prelude.lua": texts["Prelude.lua"], "Bundle.lua": bundle });
const errors = raid.allErrors();
raid.close();
if (errors.length > 0) throw new Error("client errors: " + errors.join("; "));

const n = (x) => Math.round(x).toLocaleString("en-US");
const kI = (x) => (x < 1 ? "< 1" : n(x));
const lines = (t) => t.split("\n").length - (t.endsWith("\n") ? 1 : 0);
const total = files.reduce((a, f) => a + texts[f].length, 0);
const out = [];
const say = (s) => out.push(s);
say("## Load");
say("");
say("`npm run bench:load` (scripts/bench-load.js). The shipped files in .toc order, loaded as the emulated 1.12 client");
say("loads them at login: each file compiled (`loadstring`) and run in the client's global table; the entry file (last)");
say("runs `main`, which builds every module, so its row holds the modules' construction. kI = thousands of Lua VM");
say("instructions (count hook, deterministic; the compiler is C code and not counted); ms = os.clock of the WASM VM,");
say("compile + run, per load (median of 5 runs of 10 loads), an indication only. The build strips indentation and");
say("comments and keeps every line (scripts/build.js), so a client error's line number still points at its code.");
say("");
say("| File | Bytes | Lines | kI | WASM ms |");
say("| --- | ---: | ---: | ---: | ---: |");
for (const f of files) say(`| ${f} | ${n(texts[f].length)} | ${n(lines(texts[f]))} | ${kI(shipped[f].k)} | ${shipped[f].ms.toFixed(2)} |`);
say(`| **All ${files.length} files** | **${n(total)}** | **${n(files.reduce((a, f) => a + lines(texts[f]), 0))}** | **${kI(shipped.total.k)}** | **${shipped.total.ms.toFixed(2)}** |`);
say(`| Before: Prelude.lua + TSTL's one unstripped bundle | ${n(texts["Prelude.lua"].length + bundle.length)} | ${n(lines(bundle) + lines(texts["Prelude.lua"]))} | ${kI(before.total.k)} | ${before.total.ms.toFixed(2)} |`);
say("");
say(`Reading: stripping takes the addon from ${n(texts["Prelude.lua"].length + bundle.length)} to ${n(total)} bytes (${Math.round((100 * total) / (texts["Prelude.lua"].length + bundle.length))}%); the files`);
say("run the same Lua either way (the kI differ only by the loader), so the load time moves only with the text the");
say("compiler reads, a little. Registering a file's modules is a few table writes; building them is the entry's row.");
const text = out.join("\n");
console.log(text);

if (process.argv.includes("--write")) writeSection(text);
