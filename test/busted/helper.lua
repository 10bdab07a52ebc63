-- Loads the built addon (dist/OGRH_Sync, its files in .toc order) into a fresh environment with
-- the least of the 1.12 API that boot needs, so busted specs can call the addon's pure functions through OGRH.
local helper = {}

local function readFile(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

-- The file lines of the built .toc, in load order.
local function tocFiles()
  local files = {}
  for line in string.gfind(readFile("dist/OGRH_Sync/OGRH_Sync.toc"), "([^\r\n]+)") do
    if not string.find(line, "^#") then table.insert(files, line) end
  end
  return files
end

function helper.loadAddon(savedVariables)
  local env = setmetatable({}, { __index = _G })
  env._G = env
  local frames = {}
  env.CreateFrame = function()
    local f = { scripts = {}, events = {} }
    function f:SetScript(name, fn) self.scripts[name] = fn end
    function f:RegisterEvent(e) self.events[e] = true end
    table.insert(frames, f)
    return f
  end
  env.GetTime = function() return 100 end
  env.time = os.time
  env.date = os.date
  env.chat = {}
  env.DEFAULT_CHAT_FRAME = { AddMessage = function(_, text) table.insert(env.chat, text) end }
  env.SlashCmdList = {}
  env.UnitName = function() return "Tester" end
  env.GetNumRaidMembers = function() return 0 end
  env.SendAddonMessage = function() end
  env.getfenv = function(level)
    if level == 0 then return env end
    return getfenv(level)
  end
  for _, file in ipairs(tocFiles()) do
    local chunk = assert(loadstring(readFile("dist/OGRH_Sync/" .. file), "@" .. file))
    setfenv(chunk, env)
    chunk()
  end
  env.OGRH_Sync_SV = savedVariables -- our SavedVariable; OGRH_SV is its runtime alias
  env.event, env.arg1 = "ADDON_LOADED", "OGRH_Sync"
  for _, f in ipairs(frames) do
    if f.events.ADDON_LOADED and f.scripts.OnEvent then f.scripts.OnEvent() end
  end
  return env
end

return helper
