// A full-size OG-RaidHelper v2 plan for the companion tests and the benchmark: OG-RaidHelper's own
// defaults (the Active Raid) plus every raid of our shipping plan written in OG-RaidHelper's layout
// (an Admin encounter first, roles with column/slots/fillOrder/sortOrder, every slot assigned,
// raid marks and assignment numbers per slot, announcements per encounter). The plan is built once
// in a client and saved the way the client saves it; every raid then starts from that file.
import { Client, OGRH_FOLDER, Raid, ROSTER_NAMES } from "../harness/raid";

const NAMES_LUA = "{" + ROSTER_NAMES.map((n) => JSON.stringify(n)).join(", ") + "}";

/** Writes the full-size plan into OGRH_SV.v2 (in a client running both addons). */
export const BUILD_V2_PLAN = `
local d = OGRH_Sync.Store.BuildDefaults()
local names = ${NAMES_LUA}
local raids = OGRH_SV.v2.encounterMgmt.raids
local function copy(t) if type(t) ~= "table" then return t end local o = {} for k, v in pairs(t) do o[k] = copy(v) end return o end
local admin = raids[1].encounters[1]
local order = {}
for name in pairs(d.encounterMgmt.raids) do table.insert(order, name) end
table.sort(order)
local who = 0
for r, raidName in ipairs(order) do
  local src = d.encounterMgmt.raids[raidName]
  local raid = { id = string.lower(raidName), name = raidName, displayName = raidName, sortOrder = r, enabled = true, autoRank = false,
    advancedSettings = copy(src.advancedSettings), encounters = { copy(admin) } }
  for e, enc in ipairs(src.encounters) do
    local defs = d.encounterMgmt.roles[raidName][enc.name]
    local marks = d.encounterRaidMarks[raidName] and d.encounterRaidMarks[raidName][enc.name] or {}
    local roles = {}
    for col = 1, 2 do
      for _, def in ipairs(defs["column" .. col]) do
        local role = { roleId = def.roleId, name = def.name, column = col, slots = def.slots, fillOrder = def.fillOrder,
          sortOrder = def.roleId, showRaidIcons = marks[def.roleId] and 1 or 0, defaultRoles = copy(def.defaultRoles),
          assignedPlayers = {}, raidMarks = {}, assignmentNumbers = {} }
        for s = 1, def.slots do
          role.assignedPlayers[s] = names[math.mod(who, table.getn(names)) + 1]
          who = who + 1
          role.raidMarks[s] = marks[def.roleId] and marks[def.roleId][s] or 0
          role.assignmentNumbers[s] = s
        end
        roles[def.roleId] = role
      end
    end
    table.insert(raid.encounters, { id = string.lower(enc.name), name = enc.name, displayName = enc.name, sortOrder = e + 1,
      enabled = true, autoRank = false, advancedSettings = copy(enc.advancedSettings), roles = roles,
      announcements = copy(d.encounterAnnouncements[raidName][enc.name]) })
  end
  table.insert(raids, raid)
end
OGRH_SV.v2.tradeItems = copy(d.tradeItems)
OGRH_SV.v2.consumes = copy(d.consumes)
`;

let savedPlan: string | undefined;

/** OG-RaidHelper's SavedVariables file holding the full-size plan. */
export function fullPlanFile(): string {
  if (savedPlan !== undefined) return savedPlan;
  const raid = Raid.start({ size: 1, turtleG: true, withOGRaidHelper: true });
  const c = raid.leader;
  c.run(BUILD_V2_PLAN);
  c.logout();
  savedPlan = raid.vm.eval<string>(`W.clients["${c.name}"]:savedFile("${OGRH_FOLDER}")`);
  raid.close();
  return savedPlan;
}

export interface CompanionOptions {
  size: number;
  loss?: number;
  seed?: number;
}

/** A raid where everyone runs both addons and starts from the full-size plan. */
export function startCompanionRaid(options: CompanionOptions): Raid {
  const file = fullPlanFile();
  const raid = Raid.start({ size: options.size, turtleG: true, withOGRaidHelper: true, login: false, loss: options.loss ?? 0, seed: options.seed ?? 7 });
  raid.vm.setString("__plan", file);
  for (const c of raid.clients) raid.vm.exec(`W.clients["${c.name}"]:setSavedFile("${OGRH_FOLDER}", __plan)`);
  for (const c of raid.clients) c.login();
  return raid;
}

/**
 * The canonical text of the v2 plan we sync: every raid after the Active Raid, tradeItems, consumes.
 * withoutBossMobs: each raid without its bossMobs (each client's own, never in a backup).
 */
export function v2Plan(c: Client, withoutBossMobs = false): string {
  const raid = withoutBossMobs ? `(function(x) local o = {} for k, y in pairs(x) do if k ~= "bossMobs" then o[k] = y end end return o end)(v.encounterMgmt.raids[i])` : "v.encounterMgmt.raids[i]";
  return c.canonical(`(function() local v = OGRH_SV.v2 local r = {} for i = 2, table.getn(v.encounterMgmt.raids) do r[i] = ${raid} end return { raids = r, tradeItems = v.tradeItems, consumes = v.consumes } end)()`);
}

/** The path of one assignment slot in v2, as OG-RaidHelper's own code writes it. */
export function slotPath(raidIdx: number, encIdx: number, roleIdx: number, slot: number): string {
  return `encounterMgmt.raids.${raidIdx}.encounters.${encIdx}.roles.${roleIdx}.assignedPlayers.${slot}`;
}

/** Every error beyond OG-RaidHelper's own one at load (Invites.lua calls loadfile, which 1.12 lacks). */
export function errorsBeyondOgrh(raid: Raid): string[] {
  return raid.allErrors().filter((e) => !e.includes("Invites.lua:13: attempt to call global `loadfile'"));
}

/** Lets frames pass until the client's rollback jobs are done. */
export function settleBackups(raid: Raid, c: Client, max = 30): void {
  for (let t = 0; t < max; t += 0.25) {
    if (c.eval<number>("OGRH_Sync.Rollback.Pending()") === 0) return;
    raid.advance(0.25);
  }
  throw new Error("rollback jobs still pending");
}

/**
 * The canonical text of what is OG-RaidHelper's alone and never ours to write: the Active Raid, every
 * v2 part that is not plan data (settings, UI state, rosters, ...), each raid's bossMobs by name, and
 * OGRH_SV outside v2. encounterMgmt's "raids[i]" keys are skipped: OG-RaidHelper's own SetPath with a
 * bracketed path (EncounterAdmin.lua) makes them as aliases of raids[i], so they follow the raid table.
 */
export function notPlanData(c: Client): string {
  return c.canonical(`(function()
    local v = OGRH_SV.v2 local o = { top = {}, v2 = {}, mgmt = {}, bossMobs = {} }
    for k, x in pairs(OGRH_SV) do if k ~= "v2" then o.top[k] = x end end
    for k, x in pairs(v) do if k ~= "tradeItems" and k ~= "consumes" and k ~= "encounterMgmt" then o.v2[k] = x end end
    for k, x in pairs(v.encounterMgmt) do if string.sub(k, 1, 5) ~= "raids" then o.mgmt[k] = x end end
    local raids = v.encounterMgmt.raids
    o.active = raids[1]
    for i = 2, table.getn(raids) do o.bossMobs[raids[i].name] = raids[i].bossMobs end
    return o end)()`);
}

/** Lua: damage in three encounters of MC (raids[5]) directly in OG-RaidHelper's tables: its Admin encounter's loot settings, its Planning encounter's name shown, Lucifron's main tank. */
export const DAMAGE_MC = `local mc = OGRH_SV.v2.encounterMgmt.raids[5]
  mc.encounters[1].roles[1].lootMethod = "freeforall"
  mc.encounters[2].displayName = "Someone's planning"
  mc.encounters[3].roles[1].assignedPlayers[1] = "Corrupted"`;

/**
 * An admin and a member whose OG-RaidHelper lost every raid but the Active Raid (read into its store
 * already); no polls. `before` runs just before the raids are removed (e.g. hooks that count frames).
 */
export function memberWithoutRaids(before?: (raid: Raid) => void): { raid: Raid; admin: Client; member: Client } {
  const raid = startCompanionRaid({ size: 2, seed: 1 });
  const [admin, member] = raid.clients;
  for (const c of raid.clients) c.run("OGRH_Sync.SyncGranular.config.polling = false");
  raid.advance(15);
  if (before !== undefined) before(raid);
  member.run(`local raids = OGRH_SV.v2.encounterMgmt.raids for i = table.getn(raids), 2, -1 do table.remove(raids, i) end`);
  raid.advance(2);
  return { raid, admin, member };
}

/** A companion raid whose member `n` holds DAMAGE_MC; no polls, so the damage stays until repaired by hand. */
export function damagedCompanionRaid(size: number, n: number): Raid {
  const raid = startCompanionRaid({ size, seed: 3 });
  // A member that heard a poll compares with it as soon as OG-RaidHelper's plan changes and repairs on its own.
  for (const c of raid.clients) c.run("OGRH_Sync.SyncGranular.config.polling = false");
  raid.advance(5);
  raid.member(n).run(DAMAGE_MC);
  raid.advance(2);
  return raid;
}
