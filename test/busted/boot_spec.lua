-- The built bundle under busted (Lua 5.1): boot creates and repairs OGRH_SV.
local helper = dofile("test/busted/helper.lua")

describe("OGRH_Sync bundle", function()
  it("creates OGRH_SV with the schema version on ADDON_LOADED", function()
    local env = helper.loadAddon(nil)
    assert.are.equal("table", type(env.OGRH_SV))
    assert.are.equal(env.OGRH.SCHEMA_VERSION, env.OGRH_SV.schemaVersion)
    assert.are.equal("table", type(env.OGRH_SV.encounterMgmt))
  end)

  it("keeps an unreadable value aside instead of losing it", function()
    local env = helper.loadAddon({ consumes = 42 })
    assert.are.equal(42, env.OGRH_SV.quarantine.consumes)
    assert.are.equal("table", type(env.OGRH_SV.consumes))
    assert.truthy(string.find(env.chat[1], "consumes", 1, true))
  end)

  it("EnsureSV is idempotent", function()
    local env = helper.loadAddon(nil)
    local before = env.OGRH_SV
    env.OGRH.EnsureSV()
    assert.are.equal(before, env.OGRH_SV)
  end)
end)
