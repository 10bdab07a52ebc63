// The lint is a real guard: a Lua 5.1-only call injected into the built output must fail it.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const haveLuacheck = spawnSync("sh", ["-c", "command -v luacheck"]).status === 0;
const mustRun = process.env.CI === "true" || process.env.CI === "1";

const DIST = path.join(ROOT, "dist", "OGRH_Sync");
// Lints a copy of the built addon in which `file` has the text `text`.
function lint(file: string, text: string): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ogrh-lint-"));
  const target = path.join(dir, "dist", "OGRH_Sync");
  fs.mkdirSync(target, { recursive: true });
  for (const f of fs.readdirSync(DIST)) if (f.endsWith(".lua")) fs.copyFileSync(path.join(DIST, f), path.join(target, f));
  fs.writeFileSync(path.join(target, file), text);
  const r = spawnSync("luacheck", ["--no-color", "--config", path.join(ROOT, ".luacheckrc"), "dist/OGRH_Sync"], { cwd: dir, encoding: "utf8" });
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe("luacheck with the Lua 5.0 + WoW 1.12 std", () => {
  if (!haveLuacheck && mustRun) {
    test("luacheck is installed in CI", () => {
      throw new Error("luacheck missing: .ci/run must install lua-check");
    });
    return;
  }
  const maybe = haveLuacheck ? test : test.skip;
  const built = (file: string) => fs.readFileSync(path.join(DIST, file), "utf8");

  maybe("passes on the built addon", () => {
    expect(lint("OGRH_Sync.lua", built("OGRH_Sync.lua"))).toMatchObject({ status: 0 });
  });

  maybe.each([
    ['local n = select("#", 1, 2)', "select"],
    ['local a = string.match("ab", "a")', "match"],
    ['for w in string.gmatch("a b", "%a") do end', "gmatch"],
    ["local t = table.unpack({})", "unpack"],
    ["local m = math.fmod(5, 3)", "fmod"],
  ])("fails when the output calls %s (Lua 5.1+ only)", (line, name) => {
    const result = lint("SyncGranular.lua", line + "\n" + built("SyncGranular.lua"));
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(name);
  });
});
