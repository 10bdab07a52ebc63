// Helpers for the integrity tests: the fixture, a full-size plan, random values in both worlds.
import * as fs from "fs";
import * as path from "path";
import { Client, ROSTER_NAMES } from "../harness/raid";
import { toLuaLiteral } from "../harness/lua-vm";

export const FIXTURE_PATH = path.join(__dirname, "..", "..", "..", "shared", "data", "ogrh-factory-defaults.json");
const FIXTURE_FALLBACK = "/work/shared/data/ogrh-factory-defaults.json";

export function fixtureText(): string {
  return fs.readFileSync(fs.existsSync(FIXTURE_PATH) ? FIXTURE_PATH : FIXTURE_FALLBACK, "utf8");
}

/** Lua source for a JS value in the fixture convention; strings are byte strings (latin1). */
export function luaLiteral(value: unknown): string {
  return toLuaLiteral(value, "latin1");
}

/** Puts a JS value (fixture convention) into the client's global `name`. */
export function setGlobal(client: Client, name: string, value: unknown): void {
  client.run(name + " = " + luaLiteral(value));
}

/** Lua: assigns every role slot of every encounter from the 40-player roster (deterministic). */
export const ASSIGN_ALL_LUA = `
  local roster = { ${ROSTER_NAMES.map((n) => JSON.stringify(n)).join(", ")} }
  local sv = OGRH_SV
  local names = {}
  for name in pairs(sv.encounterMgmt.raids) do table.insert(names, name) end
  table.sort(names)
  local k = 0
  for _, raidName in ipairs(names) do
    local raid = sv.encounterMgmt.raids[raidName]
    sv.encounterAssignments[raidName] = sv.encounterAssignments[raidName] or {}
    for _, enc in ipairs(raid.encounters or {}) do
      local roles = sv.encounterMgmt.roles[raidName] and sv.encounterMgmt.roles[raidName][enc.name]
      local a = {}
      if type(roles) == "table" then
        for _, column in ipairs({ "column1", "column2" }) do
          for _, role in ipairs(roles[column] or {}) do
            if type(role) == "table" and role.roleId then
              a[role.roleId] = {}
              for s = 1, (tonumber(role.slots) or 1) do
                k = math.mod(k, 40) + 1
                a[role.roleId][s] = roster[k]
              end
            end
          end
        end
      end
      sv.encounterAssignments[raidName][enc.name] = a
    end
  end
  OGRH.SyncIntegrity.VerifyCache()`;

/** Loads the fixture (older layout) into the client's plan on top of the defaults, then fills every slot. */
export function loadFullPlan(client: Client): void {
  setGlobal(client, "__fixture", JSON.parse(fixtureText()));
  client.run(`assert(OGRH.Store.MergePlan(__fixture, "test")) __fixture = nil`);
  client.run(ASSIGN_ALL_LUA);
}

/** A deterministic PRNG for tests (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random value in the fixture convention: nested tables, sparse keys, odd strings and floats. */
export function randomValue(r: () => number, depth = 0): unknown {
  const pick = r();
  if (depth > 3 || pick < 0.55) {
    const kind = Math.floor(r() * 7);
    if (kind === 0) return Math.floor(r() * 2000) - 1000;
    if (kind === 1) return (r() - 0.5) * Math.pow(10, Math.floor(r() * 40) - 20);
    if (kind === 2) return r() < 0.5;
    if (kind === 3) return [0, -0.5, 2 ** 53, 2 ** 60 + 4096, 1e300, 5e-324, 1 / 3][Math.floor(r() * 7)];
    let s = "";
    const len = Math.floor(r() * 12);
    for (let i = 0; i < len; i++) s += String.fromCharCode(kind === 4 ? Math.floor(r() * 256) : 32 + Math.floor(r() * 95));
    return s;
  }
  if (pick < 0.75) {
    const n = 1 + Math.floor(r() * 5);
    const a: unknown[] = [];
    for (let i = 0; i < n; i++) a.push(randomValue(r, depth + 1));
    return a;
  }
  const o: Record<string, unknown> = {};
  const n = Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    const key = r() < 0.4 ? "#" + (Math.floor(r() * 20) - 5) : ["name", "slots", "1", "Name", "a b", "", "\u00e9t\u00e9", "roleId"][Math.floor(r() * 8)];
    o[key] = randomValue(r, depth + 1);
  }
  return o;
}
