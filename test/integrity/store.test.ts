// The write API (OGRH.Store): incremental checksums, listeners, whole-node extract/serialise/apply,
// and the property that an edit anywhere changes exactly the checksums on its path to the root.
import { Raid } from "../harness/raid";
import { loadFullPlan } from "./plan";

const FLATTEN = `
  function __flatten(h)
    local out = { structure = h.structure }
    for g, cs in pairs(h.global) do out["G:" .. g] = cs end
    for r, rs in pairs(h.raids) do
      out["R:" .. r] = rs.raid
      out["U:" .. r] = rs.rollup
      for e, es in pairs(rs.encounters or {}) do
        out["E:" .. r .. ">" .. e] = es.encounter
        for c, cs in pairs(es.components or {}) do out["C:" .. r .. ">" .. e .. ">" .. c] = cs end
      end
    end
    return out
  end
  function __diff(a, b)
    local keys = {}
    for k, v in pairs(a) do if b[k] ~= v then table.insert(keys, k) end end
    for k in pairs(b) do if a[k] == nil then table.insert(keys, k) end end
    table.sort(keys)
    return table.concat(keys, " ")
  end
  function __changeIds(change)
    local ids = {}
    for _, c in ipairs(change.changes) do
      local id
      if c.level == "STRUCTURE" then id = "structure"
      elseif c.level == "GLOBAL" then id = "G:" .. c.component
      elseif c.level == "RAID" then id = (c.what == "metadata" and "R:" or "U:") .. c.raid
      elseif c.level == "ENCOUNTER" then id = "E:" .. c.raid .. ">" .. c.encounter
      else id = "C:" .. c.raid .. ">" .. c.encounter .. ">" .. c.component end
      table.insert(ids, id)
    end
    table.sort(ids)
    return table.concat(ids, " ")
  end`;

/** Random edits through OGRH.Store.Set; returns mismatches (empty when the property holds). */
const PROPERTY = `
  local function sortedKeys(t, skip)
    local keys = {}
    for k in pairs(t) do if not (skip and skip[k]) then table.insert(keys, k) end end
    table.sort(keys, function(a, b)
      if type(a) ~= type(b) then return type(a) < type(b) end
      return a < b
    end)
    return keys
  end
  local function pick(list) return list[math.random(table.getn(list))] end
  local function leafPath(t, path, skip)
    local keys = sortedKeys(t, skip)
    if table.getn(keys) == 0 then table.insert(path, "added") return path end
    local k = pick(keys)
    table.insert(path, k)
    if type(t[k]) == "table" and math.random() < 0.75 then return leafPath(t[k], path) end
    return path
  end
  local function newValue(old, i)
    if type(old) == "string" then return old .. "+" .. i end
    if type(old) == "number" then return old + 1 end
    if type(old) == "boolean" then return not old end
    return "edit " .. i
  end
  local compTables = {
    roles = { "encounterMgmt", "roles" }, playerAssignments = { "encounterAssignments" },
    raidMarks = { "encounterRaidMarks" }, assignmentNumbers = { "encounterAssignmentNumbers" },
    announcements = { "encounterAnnouncements" },
  }
  local comps = { "encounterMetadata", "roles", "playerAssignments", "raidMarks", "assignmentNumbers", "announcements" }
  local heard
  OGRH.Store.OnChange(function(change) heard = change end)
  local failures = {}
  local before = __flatten(OGRH.GetAllHierarchicalChecksums())
  for i = 1, ITERATIONS do
    local raids = sortedKeys(OGRH_SV.encounterMgmt.raids)
    local kind = math.random(4)
    local path, expected
    if kind == 1 then
      local g = pick({ "tradeItems", "consumes", "rgo" })
      path = leafPath(OGRH_SV[g], { g })
      expected = { "G:" .. g, "structure" }
    elseif kind == 2 then
      local r = pick(raids)
      path = leafPath(OGRH_SV.encounterMgmt.raids[r], { "encounterMgmt", "raids", r }, { encounters = true, name = true })
      expected = { "R:" .. r, "U:" .. r, "structure" }
    else
      local withEncounters = {}
      for _, name in ipairs(raids) do
        if table.getn(OGRH_SV.encounterMgmt.raids[name].encounters or {}) > 0 then table.insert(withEncounters, name) end
      end
      local r = pick(withEncounters)
      local list = OGRH_SV.encounterMgmt.raids[r].encounters
      local idx = math.random(table.getn(list))
      local e = list[idx].name
      local dup = false
      for j, other in ipairs(list) do if j ~= idx and other.name == e then dup = true end end
      local c = pick(comps)
      if c == "encounterMetadata" then
        path = leafPath(list[idx], { "encounterMgmt", "raids", r, "encounters", idx }, { name = true })
      else
        path = {}
        for _, k in ipairs(compTables[c]) do table.insert(path, k) end
        table.insert(path, r)
        table.insert(path, e)
        local node = OGRH.Store.Get(path)
        if type(node) == "table" then path = leafPath(node, path) else table.insert(path, 1) end
      end
      expected = not dup and { "C:" .. r .. ">" .. e .. ">" .. c, "E:" .. r .. ">" .. e, "U:" .. r, "structure" } or nil
    end
    if expected then
      table.sort(expected)
      expected = table.concat(expected, " ")
      local old = OGRH.Store.Get(path)
      local ok, err = OGRH.Store.Set(path, newValue(old, i))
      local after = __flatten(OGRH.GetAllHierarchicalChecksums())
      local fresh = __diff(before, after)
      local cached = __diff(after, __flatten(OGRH.SyncIntegrity.GetCachedHierarchy()))
      local told = __changeIds(heard)
      if not ok or fresh ~= expected or cached ~= "" or told ~= expected then
        table.insert(failures, table.concat(path, ".") .. ": expected [" .. expected .. "] fresh [" .. fresh .. "] told [" .. told .. "] cache-diff [" .. cached .. "] " .. tostring(err))
      end
      before = after
    end
  end
  return failures`;

describe("OGRH.Store: the write API", () => {
  let raid: Raid;
  afterEach(() => {
    expect(raid.allErrors()).toEqual([]);
    raid.close();
  });

  test("property: an edit anywhere changes exactly the checksums on its path to the root (full-size plan)", () => {
    raid = Raid.start({ size: 1, seed: 42 });
    const c = raid.leader;
    loadFullPlan(c);
    c.run(FLATTEN);
    const failures = c.eval<string[]>(`(function() ${PROPERTY.replace("ITERATIONS", "120")} end)()`);
    expect(Array.isArray(failures) ? failures : []).toEqual([]);
  });

  test("a listener hears each write with its source, path and changed nodes; a failing listener harms nothing", () => {
    raid = Raid.start({ size: 1 });
    const c = raid.leader;
    c.run(FLATTEN);
    c.run(`
      __log = {}
      OGRH.Store.OnChange(function() error("listener bug") end)
      __id = OGRH.Store.OnChange(function(change) table.insert(__log, change.source .. " " .. __changeIds(change)) end)
      assert(OGRH.Store.Set({ "encounterAssignments", "BWL", "Razorgore", 1, 1 }, "Gnuzench"))
      assert(OGRH.Store.Set({ "encounterMgmt", "raids", "MC", "advancedSettings", "consumeTracking", "enabled" }, false, "sync"))
      assert(OGRH.Store.Edit({ "encounterAnnouncements", "BWL", "Broodlord" }, function(lines) table.insert(lines, "new line") end))
      assert(OGRH.Store.Set({ "schemaVersion" }, 1))
      OGRH.Store.RemoveListener(__id)
      OGRH.Store.Set({ "consumes", 1, "primaryId" }, 5)`);
    expect(c.eval("__log")).toEqual([
      "local C:BWL>Razorgore>playerAssignments E:BWL>Razorgore U:BWL structure",
      "sync R:MC U:MC structure",
      "local C:BWL>Broodlord>announcements E:BWL>Broodlord U:BWL structure",
      "local ",
    ]);
    expect(c.chatText()).toContain("listener failed");
    expect(c.eval("OGRH.SyncIntegrity.GetStructureChecksum() == OGRH.GetAllHierarchicalChecksums().structure")).toBe(true);
    expect(c.eval(`{ OGRH.Store.Set({ "consumes", 1, "primaryId", "y" }, 1) }`)).toEqual({ "#2": "not a table at position 3" });
    expect(c.eval(`{ OGRH.Store.Set({}, 1) }`)).toEqual({ "#2": "empty path" });
  });

  test("direct edits show in Compute*; VerifyCache brings the cache back to the data", () => {
    raid = Raid.start({ size: 1 });
    const c = raid.leader;
    const cached = c.eval("OGRH.SyncIntegrity.GetStructureChecksum()");
    c.run(`OGRH_SV.encounterAssignments.BWL = { Razorgore = { { "Gnuzench" } } }`);
    expect(c.eval("OGRH.GetAllHierarchicalChecksums().structure")).not.toBe(cached);
    expect(c.eval("OGRH.SyncIntegrity.GetStructureChecksum()")).toBe(cached);
    expect(c.eval("OGRH.SyncIntegrity.VerifyCache()")).toBe(false);
    expect(c.eval("OGRH.SyncIntegrity.GetStructureChecksum() == OGRH.GetAllHierarchicalChecksums().structure")).toBe(true);
    expect(c.eval("OGRH.SyncIntegrity.VerifyCache()")).toBe(true);
  });

  test.each([
    ["a component", `{ level = "COMPONENT", raid = "BWL", encounter = "Razorgore", component = "playerAssignments" }`],
    ["encounter metadata", `{ level = "COMPONENT", raid = "BWL", encounter = "Razorgore", component = "encounterMetadata" }`],
    ["an encounter", `{ level = "ENCOUNTER", raid = "BWL", encounter = "Vaelastrasz" }`],
    ["a raid", `{ level = "RAID", raid = "Naxxramas" }`],
    ["a global component", `{ level = "GLOBAL", component = "consumes" }`],
    ["the whole plan", `{ level = "STRUCTURE" }`],
  ])("%s travels as canonical text and applies atomically on another member", (_name, ref) => {
    raid = Raid.start({ size: 2 });
    const [leader, member] = [raid.member(0), raid.member(1)];
    leader.run(`
      OGRH.Store.Set({ "encounterAssignments", "BWL", "Razorgore", 1 }, { "Tankmedady", "Gnuzench" })
      OGRH.Store.Set({ "encounterAssignments", "BWL", "Vaelastrasz", 2 }, { "Sunderwhere" })
      OGRH.Store.Set({ "encounterMgmt", "raids", "BWL", "encounters", 1, "advancedSettings", "note" }, "pull at 8")
      OGRH.Store.Set({ "encounterMgmt", "raids", "Naxxramas", "advancedSettings", "consumeTracking", "readyThreshold" }, 90)
      OGRH.Store.Set({ "encounterAnnouncements", "Naxxramas", "Patchwerk", 1 }, "Hateful: [R3.P]")
      OGRH.Store.Set({ "consumes", 1, "primaryName" }, "Flask of the Titans")`);
    const text = leader.eval<string>(`OGRH.Store.SerializeNode(${ref})`);
    const expected = leader.eval<string>(`OGRH.SyncIntegrity.NodeChecksum(${ref}, OGRH.Store.ExtractNode(${ref}))`);
    expect(member.eval(`OGRH.SyncIntegrity.NodeChecksum(${ref}, OGRH.Store.ExtractNode(${ref}))`)).not.toBe(expected);
    // a corrupted payload or a wrong checksum changes nothing ({ nil, reason } reads as { "#2": reason })
    const before = member.eval<string>("OGRH.SyncIntegrity.Serialize(OGRH_SV)");
    const bad = text.substring(0, text.length - 1);
    expect(member.eval(`{ OGRH.Store.ApplyNode(${ref}, ${JSON.stringify(bad)}) }`)).toEqual({ "#2": expect.stringContaining("does not parse") });
    expect(member.eval(`{ OGRH.Store.ApplyNode(${ref}, ${JSON.stringify(text)}, "sync", "0000000000000") }`)).toEqual({ "#2": "payload checksum does not match" });
    expect(member.eval("OGRH.SyncIntegrity.Serialize(OGRH_SV)")).toBe(before);
    // the real payload, verified against the sender's checksum
    expect(member.eval(`OGRH.Store.ApplyNode(${ref}, ${JSON.stringify(text)}, "sync", ${JSON.stringify(expected)})`)).toBe(true);
    expect(member.eval(`OGRH.SyncIntegrity.NodeChecksum(${ref}, OGRH.Store.ExtractNode(${ref}))`)).toBe(expected);
    expect(member.eval("OGRH.SyncIntegrity.GetStructureChecksum() == OGRH.GetAllHierarchicalChecksums().structure")).toBe(true);
    if (ref.includes("STRUCTURE")) {
      expect(member.eval("OGRH.GetAllHierarchicalChecksums()")).toEqual(leader.eval("OGRH.GetAllHierarchicalChecksums()"));
    }
  });

  test("bad node references and payloads are refused with a reason", () => {
    raid = Raid.start({ size: 1 });
    const c = raid.leader;
    const cases: [string, string, string][] = [
      [`{ level = "COMPONENT", raid = "BWL", encounter = "Nope", component = "roles" }`, `{}`, "unknown encounter BWL > Nope (sync the raid)"],
      [`{ level = "COMPONENT", raid = "BWL", encounter = "Razorgore", component = "nope" }`, `{}`, "unknown component"],
      [`{ level = "COMPONENT", raid = "BWL", encounter = "Razorgore", component = "encounterMetadata" }`, `{ name = "Other" }`, "encounter metadata names another encounter"],
      [`{ level = "ENCOUNTER", raid = "BWL", encounter = "Razorgore" }`, `{ roles = {} }`, "encounter metadata missing or names another encounter"],
      [`{ level = "RAID", raid = "BWL" }`, `{ components = {} }`, "raid table missing"],
      [`{ level = "GLOBAL", component = "nope" }`, `{}`, "unknown global component"],
      [`{ level = "STRUCTURE" }`, `{ consumes = {} }`, "plan has no encounterMgmt.raids"],
      [`"junk"`, `{}`, "node reference is not a table"],
      [`{ level = "GLOBAL", component = "consumes" }`, `5`, "payload is not a table"],
    ];
    for (const [ref, payload, reason] of cases) {
      expect(c.eval(`{ OGRH.Store.ApplyNode(${ref}, ${payload}) }`)).toEqual({ "#2": reason });
    }
  });

  test("entry checksums and deltas: only the differing role of a component travels", () => {
    raid = Raid.start({ size: 2 });
    const [leader, member] = [raid.member(0), raid.member(1)];
    for (const c of [leader, member]) c.run(`OGRH.Store.Set({ "encounterAssignments", "BWL", "Razorgore" }, { { "Tankmedady" }, { "Gnuzench", "Sunderwhere" }, { "Aelindra" } })`);
    leader.run(`OGRH.Store.Set({ "encounterAssignments", "BWL", "Razorgore", 2, 2 }, "Brakkus")`);
    const ref = `{ level = "COMPONENT", raid = "BWL", encounter = "Razorgore", component = "playerAssignments" }`;
    const theirs = leader.eval<string[]>(`OGRH.SyncIntegrity.EntryChecksums(OGRH.Store.ExtractNode(${ref}))`);
    const mine = member.eval<string[]>(`OGRH.SyncIntegrity.EntryChecksums(OGRH.Store.ExtractNode(${ref}))`);
    const differing = theirs.map((cs, i) => (cs !== mine[i] ? i + 1 : 0)).filter((i) => i > 0);
    expect(differing).toEqual([2]);
    const entry = leader.eval<string>(`OGRH.SyncIntegrity.Serialize(OGRH.Store.ExtractNode(${ref})[2])`);
    expect(member.eval(`OGRH.Store.ApplyNodeDelta(${ref}, { [2] = OGRH.SyncIntegrity.Deserialize(${JSON.stringify(entry)}) }, nil, "sync")`)).toBe(true);
    expect(member.eval(`OGRH.ComputeComponentChecksum("BWL", "Razorgore", "playerAssignments")`)).toBe(leader.eval(`OGRH.ComputeComponentChecksum("BWL", "Razorgore", "playerAssignments")`));
  });
});
