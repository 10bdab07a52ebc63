// The guard of scripts/test.js that a module's tests ran (scripts/test-runs.js), on a made-up
// project: a test file that did not run, ran nothing, or only passed without asserting leaves its
// src folder untested, and that fails `npm test`.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const { checkTestRuns } = require("../../scripts/test-runs.js");

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "ogrh-runs-"));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  for (const folder of ["sync", "store", "wow"]) fs.mkdirSync(path.join(root, "src", folder), { recursive: true });
  write("test/sync/a.test.ts", "test('x', () => {});\n");
  write("test/node/b.test.ts", 'import { x } from "../../src/store/store";\n');
  write("test/addon/c.test.ts", "// The built addon.\n// Covers: src/wow\n");
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

type Status = "passed" | "failed" | "pending";
function results(files: Record<string, [Status, number][]>) {
  return {
    testResults: Object.entries(files).map(([file, tests]) => ({
      name: path.join(root, file),
      assertionResults: tests.map(([status, numPassingAsserts]) => ({ status, numPassingAsserts })),
    })),
  };
}

test("every file ran and every folder has a passed test: no problem, and the count per folder", () => {
  const r = checkTestRuns(root, results({ "test/sync/a.test.ts": [["passed", 2], ["passed", 1]], "test/node/b.test.ts": [["passed", 1]], "test/addon/c.test.ts": [["passed", 3]] }));
  expect(r.problems).toEqual([]);
  expect(Object.fromEntries(r.passedPerFolder)).toEqual({ sync: 2, store: 1, wow: 1 });
});

test("a test file that did not run, or ran no test, is named, and so is the folder left untested", () => {
  const r = checkTestRuns(root, results({ "test/sync/a.test.ts": [["passed", 1]], "test/addon/c.test.ts": [] }));
  expect(r.problems).toEqual([
    path.join("test", "addon", "c.test.ts") + " ran no test",
    path.join("test", "node", "b.test.ts") + " did not run",
    expect.stringContaining("src/store/ has no passed test"),
    expect.stringContaining("src/wow/ has no passed test"),
  ]);
});

test("tests that failed, were skipped, or passed without asserting anything do not cover their folder", () => {
  const r = checkTestRuns(root, results({ "test/sync/a.test.ts": [["failed", 0], ["pending", 0]], "test/node/b.test.ts": [["passed", 0]], "test/addon/c.test.ts": [["passed", 1]] }));
  expect(r.problems).toEqual([expect.stringContaining("src/store/ has no passed test"), expect.stringContaining("src/sync/ has no passed test")]);
});
