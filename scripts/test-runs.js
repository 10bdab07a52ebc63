// The guard that a module's tests ran (used by scripts/test.js after jest):
//   - every test file under test/ ran and reported at least one test (a file jest never ran, or
//     whose tests all vanished, fails);
//   - every src folder has at least one passed test that asserted something, in a test file that
//     tests it: a file under test/<folder>/, a file importing from src/<folder>/, or a file whose
//     header says `Covers: src/<folder>` (for the tests that drive the built addon).
"use strict";
const fs = require("fs");
const path = require("path");

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

/** The src folders a test file tests (see the header of this file). */
function foldersTested(root, file, text) {
  const folders = new Set();
  const rel = path.relative(path.join(root, "test"), file).split(path.sep);
  if (rel.length > 1) folders.add(rel[0]);
  for (const m of text.matchAll(/from "(?:\.\.\/)+src\/(\w+)\//g)) folders.add(m[1]);
  for (const m of text.matchAll(/^\/\/.*\bCovers: ([^\n]+)/gm)) {
    for (const f of m[1].matchAll(/src\/(\w+)/g)) folders.add(f[1]);
  }
  return folders;
}

/**
 * Problems (strings) found in jest's --json results for the project at root; empty when every test
 * file ran and every src folder has a passed test. Also returns the passed-test count per folder.
 */
function checkTestRuns(root, results) {
  const problems = [];
  const byFile = new Map(results.testResults.map((r) => [path.resolve(r.name), r]));
  const srcFolders = fs
    .readdirSync(path.join(root, "src"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const passedPerFolder = new Map(srcFolders.map((f) => [f, 0]));
  for (const file of walk(path.join(root, "test"))) {
    const name = path.relative(root, file);
    const r = byFile.get(path.resolve(file));
    if (!r) {
      problems.push(name + " did not run");
      continue;
    }
    if (r.assertionResults.length === 0) {
      problems.push(name + " ran no test");
      continue;
    }
    const passed = r.assertionResults.filter((a) => a.status === "passed" && a.numPassingAsserts !== 0).length;
    for (const folder of foldersTested(root, file, fs.readFileSync(file, "utf8"))) {
      if (passedPerFolder.has(folder)) passedPerFolder.set(folder, passedPerFolder.get(folder) + passed);
    }
  }
  for (const [folder, n] of passedPerFolder) {
    if (n === 0) problems.push("src/" + folder + "/ has no passed test (a test file tests it when it is under test/" + folder + "/, imports from it, or says `Covers: src/" + folder + "`)");
  }
  return { problems, passedPerFolder };
}

module.exports = { checkTestRuns, foldersTested };
