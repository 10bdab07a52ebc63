// `npm test`: every test. Builds the addon, then runs
//   1. jest: Node tests of the TypeScript core and the built Lua in the emulated 1.12 client,
//   2. busted (Debian lua-busted, Lua 5.1) specs against the built bundle,
//   3. luacheck (Debian lua-check) with a Lua 5.0 + WoW 1.12 std over dist/,
//   4. the check that every test file ran and every src folder has a passed test (test-runs.js).
// Without the Debian packages 2 and 3 are skipped and said so; with CI=true a skip is a failure
// (.ci/run installs them). Ends with one line: "summary: N passed, M failed".
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const { build } = require("./build.js");
const { checkTestRuns } = require("./test-runs.js");

const ROOT = path.join(__dirname, "..");
const isCI = process.env.CI === "true" || process.env.CI === "1";

function have(command) {
  return spawnSync("sh", ["-c", "command -v " + command], { encoding: "utf8" }).status === 0;
}

let passed = 0;
let failed = 0;
const skipped = [];
const problems = [];

build();

// 1. jest
const jestJson = path.join(ROOT, "build", "jest-results.json");
fs.mkdirSync(path.dirname(jestJson), { recursive: true });
fs.rmSync(jestJson, { force: true });
const jestArgs = [path.join(ROOT, "node_modules", "jest", "bin", "jest.js"), "--json", "--outputFile=" + jestJson]
  .concat(process.argv.slice(2));
const jest = spawnSync(process.execPath, jestArgs, { stdio: "inherit", cwd: ROOT, env: { ...process.env, OGRH_BUILT: "1" } });
if (fs.existsSync(jestJson)) {
  const r = JSON.parse(fs.readFileSync(jestJson, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  if (r.numFailedTestSuites > 0 && r.numFailedTests === 0) {
    failed += r.numFailedTestSuites;
    problems.push("jest: " + r.numFailedTestSuites + " test file(s) failed to run");
  }
  if (r.numPendingTests > 0) {
    const names = r.testResults.flatMap((t) => t.assertionResults.filter((a) => a.status === "pending").map((a) => a.fullName));
    skipped.push("jest: " + r.numPendingTests + " test(s) skipped: " + names.slice(0, 5).join("; ") + (names.length > 5 ? "; ..." : ""));
  }
  if (process.argv.length > 2) {
    console.log("test runs: not checked (jest was given arguments, so not every test file runs)");
  } else {
    const runs = checkTestRuns(ROOT, r);
    console.log("passed tests per src folder: " + [...runs.passedPerFolder].map(([f, n]) => f + " " + n).join(", "));
    if (runs.problems.length === 0) passed += 1;
    failed += runs.problems.length;
    for (const p of runs.problems) problems.push("test runs: " + p);
  }
} else {
  failed += 1;
  problems.push("jest did not report results (exit " + jest.status + ")");
}

// 2. busted
if (have("busted")) {
  const busted = spawnSync("busted", ["-o", "TAP", "test/busted"], { cwd: ROOT, encoding: "utf8" });
  process.stdout.write(busted.stdout);
  process.stderr.write(busted.stderr);
  const ok = (busted.stdout.match(/^ok /gm) || []).length;
  const notOk = (busted.stdout.match(/^not ok /gm) || []).length;
  passed += ok;
  failed += notOk;
  if (busted.status !== 0 && notOk === 0) {
    failed += 1;
    problems.push("busted exited with " + busted.status);
  }
  console.log("busted: " + ok + " passed, " + notOk + " failed");
} else {
  skipped.push("busted specs (test/busted): busted not installed (apt-get install -y lua5.1 lua-busted)");
}

// 3. luacheck
if (have("luacheck")) {
  const lint = spawnSync("luacheck", ["--no-color", "dist/OGRH_Sync"], { cwd: ROOT, encoding: "utf8" });
  process.stdout.write(lint.stdout);
  if (lint.status === 0) passed += 1;
  else {
    failed += 1;
    problems.push("luacheck found Lua 5.0 / 1.12 global problems in dist/");
  }
} else {
  skipped.push("luacheck over dist/: luacheck not installed (apt-get install -y lua-check)");
}

for (const p of problems) console.log("problem: " + p);
for (const s of skipped) console.log("skipped: " + s);
if (isCI && skipped.length > 0) {
  console.log("problem: CI must run every test; nothing may be skipped");
  failed += skipped.length;
}
console.log("summary: " + passed + " passed, " + failed + " failed");
process.exit(failed === 0 && jest.status === 0 ? 0 : 1);
