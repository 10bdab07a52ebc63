// The shipped addon's shape (scripts/build.js): one file per src folder registering its modules
// into one private loader, the entry file last; an error names the module's own file and line;
// indentation and comments are stripped with every line kept in place.
import * as fs from "fs";
import * as path from "path";
import { Raid, DIST_DIR } from "../harness/raid";

const { stripLua } = require("../../scripts/build.js");
const { where } = require("../../scripts/where.js");
const TSTL_BUNDLE = path.join(__dirname, "..", "..", "build", "lua", "OGRH_Sync.lua");

function tocFiles(): string[] {
  return fs
    .readFileSync(path.join(DIST_DIR, "OGRH_Sync.toc"), "utf8")
    .split(/\r?\n/)
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/** Module name -> body lines in TSTL's bundle, where each module ends with " end,". */
function bundleBodies(text: string): Map<string, string[]> {
  const bodies = new Map<string, string[]>();
  const re = /^\["([^"]+)"\] = function\(\.\.\.\) \n([\s\S]*?)\n end,$/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) bodies.set(m[1], m[2].split("\n"));
  return bodies;
}

/** Module name -> body lines in a shipped file: up to the last "end" before the next module. */
function shippedBodies(text: string): Map<string, string[]> {
  const bodies = new Map<string, string[]>();
  const lines = text.split("\n");
  const starts = lines.flatMap((l, i) => (/^____modules\["[^"]+"\] = function\(\.\.\.\)$/.test(l) ? [i] : []));
  starts.forEach((start, k) => {
    let stop = k + 1 < starts.length ? starts[k + 1] : lines.length;
    while (lines[stop - 1] !== "end") stop--;
    bodies.set(/"([^"]+)"/.exec(lines[start])![1], lines.slice(start + 1, stop - 1));
  });
  return bodies;
}

describe("the shipped files", () => {
  let raid: Raid;
  afterEach(() => raid?.close());

  test("the .toc loads the prelude, the runtime, one file per src folder and the entry last; nothing else ships", () => {
    const files = tocFiles();
    expect(files.slice(0, 2)).toEqual(["Prelude.lua", "Runtime.lua"]);
    expect(files[files.length - 1]).toBe("OGRH_Sync.lua");
    expect(files).toEqual(expect.arrayContaining(["Core.lua", "Store.lua", "Transport.lua", "SyncIntegrity.lua", "SyncGranular.lua", "Rollback.lua", "DataManagement.lua"]));
    const shipped = fs.readdirSync(DIST_DIR).filter((f) => f.endsWith(".lua"));
    expect([...shipped].sort()).toEqual([...files].sort());
    // Every src folder is in exactly one file, named in that file's first line.
    const folders = fs.readdirSync(path.join(__dirname, "..", "..", "src"), { withFileTypes: true }).filter((d) => d.isDirectory());
    for (const d of folders) {
      const owners = files.filter((f) => fs.readFileSync(path.join(DIST_DIR, f), "utf8").split("\n")[0].includes("src/" + d.name + "/"));
      expect([d.name, owners.length]).toEqual([d.name, 1]);
    }
  });

  test("each public handle's functions are defined in their module's own file; the loader leaves no global behind", () => {
    raid = Raid.start({ size: 1 });
    expect(raid.allErrors()).toEqual([]);
    const where = raid.vm.eval<Record<string, string[]>>(`(function()
      local env, out = W.clients["Tankmedady"].env, {}
      for _, handle in ipairs({ "SyncIntegrity", "SyncGranular", "Rollback", "DataManagement", "Transport" }) do
        local sources, seen = {}, {}
        for _, f in pairs(env.OGRH[handle]) do
          if type(f) == "function" then
            local s = debug.getinfo(f, "S").source
            if not seen[s] then seen[s] = true table.insert(sources, s) end
          end
        end
        table.sort(sources)
        out[handle] = sources
      end
      return out
    end)()`);
    expect(where).toEqual({
      SyncIntegrity: ["@OGRH_Sync\\SyncIntegrity.lua"],
      SyncGranular: ["@OGRH_Sync\\SyncGranular.lua"],
      Rollback: ["@OGRH_Sync\\Rollback.lua"],
      DataManagement: ["@OGRH_Sync\\DataManagement.lua"],
      Transport: ["@OGRH_Sync\\Transport.lua"],
    });
    // The globals the addon adds to a fresh client: its public table, saved data, slash commands and
    // the prelude's _G (stock 1.12 has none).
    const added = raid.vm.eval<string[]>(`(function()
      local probe = setmetatable({ world = W, name = "Probe" }, EmuWorld.Client)
      probe:buildEnv()
      local out = {}
      for k in pairs(W.clients["Tankmedady"].env) do
        if probe.env[k] == nil then table.insert(out, k) end
      end
      table.sort(out)
      return out
    end)()`);
    // Standalone: OGRH and OGRH_SV are the spec's runtime names for OGRH_Sync and OGRH_Sync_SV.
    expect(added).toEqual(["OGRH", "OGRH_SV", "OGRH_Sync", "OGRH_Sync_Backups", "OGRH_Sync_SV", "SLASH_OGRH_SYNC1", "SLASH_OGRH_SYNC2", "_G"]);
  });

  test("an error while loading names the module's own file and line, and a missing runtime is named", () => {
    raid = Raid.start({ size: 1 });
    const file = fs.readFileSync(path.join(DIST_DIR, "Rollback.lua"), "utf8").split("\n");
    const at = file.findIndex((l) => l.startsWith('____modules["rollback.')) + 2;
    file.splice(at - 1, 0, 'error("probe")');
    raid.vm.exec("W.files['Rollback.lua'] = " + JSON.stringify(file.join("\n")));
    raid.leader.reload();
    expect(raid.leader.loadErrors()).toEqual(["OGRH_Sync\\Rollback.lua:" + at + ": probe"]);

    raid.vm.exec("W.files['Runtime.lua'] = nil");
    raid.leader.reload();
    expect(raid.leader.loadErrors()).toContain("OGRH_Sync\\Core.lua:3: OGRH_Sync: Core.lua loaded without Runtime.lua");
  });

  test("stripping keeps every line of every module in place, without indentation or comments", () => {
    const tstl = bundleBodies(fs.readFileSync(TSTL_BUNDLE, "utf8"));
    const shipped = new Map<string, string[]>();
    for (const f of tocFiles().filter((f) => f !== "Prelude.lua")) {
      for (const [k, v] of shippedBodies(fs.readFileSync(path.join(DIST_DIR, f), "utf8"))) shipped.set(k, v);
    }
    expect([...shipped.keys()].sort()).toEqual([...tstl.keys()].sort());
    let before = 0;
    let after = 0;
    for (const [name, lines] of tstl) {
      const out = shipped.get(name)!;
      expect([name, out.length]).toEqual([name, lines.length]);
      for (let i = 0; i < lines.length; i++) {
        const code = lines[i].trim();
        expect(out[i] === code || (code.startsWith("--") && out[i] === "")).toBe(true);
      }
      before += lines.join("\n").length;
      after += out.join("\n").length;
    }
    expect(after).toBeLessThan(before * 0.75);
  });
});

test("npm run where names the TypeScript line of a shipped line (each file's first exported function)", () => {
  const checked: string[] = [];
  for (const file of tocFiles().filter((f) => f !== "Prelude.lua" && f !== "Runtime.lua")) {
    const lines = fs.readFileSync(path.join(DIST_DIR, file), "utf8").split("\n");
    const line = lines.findIndex((l) => /^function ____exports\.\w+\(/.test(l)) + 1;
    if (line === 0) continue;
    const fn = /^function ____exports\.(\w+)\(/.exec(lines[line - 1])![1];
    const found = where(file, line);
    const source = fs.readFileSync(path.join(__dirname, "..", "..", found.ts), "utf8").split("\n");
    expect([file, source[found.line - 1]]).toEqual([file, expect.stringContaining("export function " + fn + "(")]);
    // The TypeScript file is in the folder the shipped file says it holds (its first line).
    expect(lines[0]).toContain(path.dirname(found.ts).split(path.sep).join("/") + "/");
    checked.push(file);
  }
  expect(checked).toEqual(expect.arrayContaining(["SyncIntegrity.lua", "SyncGranular.lua", "Rollback.lua", "DataManagement.lua"]));
  expect(where("Core.lua", 2)).toMatchObject({ error: expect.stringContaining("loader") });
});

describe("stripLua", () => {
  test.each([
    ["indentation and trailing blanks", "  local a = 1  \n\tif a then\n    return a\n  end", "local a = 1\nif a then\nreturn a\nend"],
    ["a comment line becomes an empty line", "-- why\nlocal a = 1 -- note\nreturn a", "\nlocal a = 1\nreturn a"],
    ["a long comment keeps its lines", "--[[ one\n  two ]] local a = 1\nreturn a", "\nlocal a = 1\nreturn a"],
    ["'--' inside strings is code", 'local s = "a -- b"\nlocal t = \'--\' -- c', 'local s = "a -- b"\nlocal t = \'--\''],
    ["escaped quotes and an escaped newline", 'local s = "x\\" -- y"\nlocal u = "a\\\n  b"', 'local s = "x\\" -- y"\nlocal u = "a\\\n  b"'],
    ["long strings are kept as they are", "local s = [==[\n  -- kept\n]==]\n  return s", "local s = [==[\n  -- kept\n]==]\nreturn s"],
  ])("%s", (_, input, expected) => {
    expect(stripLua(input)).toBe(expected);
  });
});
