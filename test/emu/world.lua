-- The emulated 1.12 world: a simulated clock, a raid of clients (each with its own global table),
-- the addon channel between them, loading screens, logout/login with SavedVariables.
-- Runs inside one Lua 5.0.3 state; every client's addon code runs with setfenv(chunk, env).

EmuWorld = {}
local World = {}
World.__index = World
local Client = {}
Client.__index = Client
EmuWorld.Client = Client

local VALID_DISTRIBUTIONS = { PARTY = true, RAID = true, GUILD = true, BATTLEGROUND = true }
local realGetfenv, realSetfenv, realLoadstring = getfenv, setfenv, loadstring
local osDate = os and os.date

-- Park-Miller minimal standard generator: exact in doubles, deterministic for a seed.
local function newRandom(seed)
  local state = math.mod(math.abs(math.floor(seed or 1)), 2147483646) + 1
  local rng = {}
  function rng.next()
    state = math.mod(state * 16807, 2147483647)
    return (state - 1) / 2147483646
  end
  function rng.seed(s) state = math.mod(math.abs(math.floor(s or 1)), 2147483646) + 1 end
  -- math.random semantics of Lua 5.0
  function rng.random(m, n)
    local r = rng.next()
    if m == nil then return r end
    if n == nil then return math.floor(r * m) + 1 end
    return math.floor(r * (n - m + 1)) + m
  end
  return rng
end
EmuWorld.newRandom = newRandom

function EmuWorld.new(opts)
  opts = opts or {}
  local w = setmetatable({}, World)
  w.nowMs = 0
  w.frameMs = opts.frameMs or 40
  w.epoch0 = opts.epoch or 1769100000 -- 2026-01-22 16:40 UTC
  w.rng = newRandom(opts.seed or 1)
  w.seed = opts.seed or 1
  w.latency = opts.latency or 0.2
  w.jitter = opts.jitter or 0
  w.loss = opts.loss or 0
  w.ctl = opts.ctl and true or false
  w.turtleG = opts.turtleG and true or false
  w.clients = {}
  w.order = {}
  w.files = {}
  w.toc = nil
  w.savedText = {}
  w.inflight = {}
  w.seq = 0
  w.log = {}
  w.logEnabled = opts.log ~= false
  w.violations = {}
  w.lastDelivery = {}
  return w
end

function World:now() return self.nowMs / 1000 end

-- An addon as the client finds it in Interface\AddOns: the .toc text and its files by path
-- (backslashes, as the .toc writes them). Several addons may be installed; the first one is the
-- primary (its SavedVariables file is W.savedText[player], the others W.savedFiles[player][folder]).
function World:installAddon(folder, tocText, files)
  local toc = { folder = folder, files = {}, savedVariables = {}, savedVariablesPerCharacter = {},
    meta = {}, deps = {}, optionalDeps = {}, sources = files }
  for line in string.gfind(tocText .. "\n", "([^\r\n]*)\r?\n") do
    local _, _, key, value = string.find(line, "^##%s*([%w%-]+)%s*:%s*(.-)%s*$")
    if key then
      toc.meta[key] = value
      if key == "SavedVariables" or key == "SavedVariablesPerCharacter" then
        local list = key == "SavedVariables" and toc.savedVariables or toc.savedVariablesPerCharacter
        for name in string.gfind(value, "[^,%s]+") do table.insert(list, name) end
      elseif key == "Dependencies" or key == "RequiredDeps" or string.find(key, "^Dep") then
        for name in string.gfind(value, "[^,%s]+") do table.insert(toc.deps, name) end
      elseif key == "OptionalDeps" then
        for name in string.gfind(value, "[^,%s]+") do table.insert(toc.optionalDeps, name) end
      end
    elseif not string.find(line, "^%s*#") and string.find(line, "%S") then
      local _, _, file = string.find(line, "^%s*(.-)%s*$")
      table.insert(toc.files, file)
    end
  end
  self.addons = self.addons or {}
  self.addonNames = self.addonNames or {}
  if not self.addons[folder] then table.insert(self.addonNames, folder) end
  self.addons[folder] = toc
  if not self.toc then
    self.toc = toc
    self.files = files
  end
end

-- The load order of a set of addon folders: alphabetical (case-insensitive), each addon's
-- Dependencies and OptionalDeps first when they are in the set; a missing required dependency
-- leaves the addon unloaded.
function World:loadOrder(folders)
  local present = {}
  for _, f in ipairs(folders) do present[f] = self.addons[f] ~= nil end
  local sorted = {}
  for _, f in ipairs(folders) do if present[f] then table.insert(sorted, f) end end
  table.sort(sorted, function(a, b) return string.lower(a) < string.lower(b) end)
  local order, state = {}, {}
  local visit
  visit = function(f)
    if state[f] then return state[f] == "done" end
    state[f] = "visiting"
    local toc = self.addons[f]
    for _, d in ipairs(toc.deps) do
      if not present[d] or not visit(d) then state[f] = "failed" return false end
    end
    for _, d in ipairs(toc.optionalDeps) do if present[d] then visit(d) end end
    table.insert(order, f)
    state[f] = "done"
    return true
  end
  for _, f in ipairs(sorted) do visit(f) end
  return order
end

function World:violation(client, what)
  table.insert(self.violations, { t = self:now(), client = client and client.name, what = what })
end

-- Roster ------------------------------------------------------------------------------------

-- addons: the folders this player has enabled (default: every installed addon).
function World:addClient(name, rank, subgroup, addons)
  if self.clients[name] then error("client " .. name .. " exists") end
  local c = setmetatable({}, Client)
  c.addons = addons
  c.world = self
  c.name = name
  c.rank = rank or 0
  c.subgroup = subgroup or (math.floor(table.getn(self.order) / 5) + 1)
  c.inRaid = true
  c.online = false
  c.bootOffset = 1000 + table.getn(self.order) * 37.5
  c.chat = {}
  c.errors = {}
  c.popups = {}
  c.stats = { sentMsgs = 0, sentBytes = 0, sentCost = 0, recvMsgs = 0, recvBytes = 0 }
  c.sends = {}
  c.loadingUntil = -1
  c.clampUntil = -1
  self.clients[name] = c
  table.insert(self.order, name)
  return c
end

function World:raidMembers()
  local list = {}
  for _, name in ipairs(self.order) do
    local c = self.clients[name]
    if c.inRaid then table.insert(list, c) end
  end
  return list
end

function World:fireAll(eventName, a1, a2, a3, a4)
  for _, c in ipairs(self:raidMembers()) do
    if c.online then c:fireEvent(eventName, a1, a2, a3, a4) end
  end
end

function World:rosterChanged() self:fireAll("RAID_ROSTER_UPDATE") end

function World:setRank(name, rank)
  self.clients[name].rank = rank
  self:rosterChanged()
end

function World:leaveRaid(name)
  local c = self.clients[name]
  c.inRaid = false
  self:rosterChanged()
  if c.online then c:fireEvent("RAID_ROSTER_UPDATE") end
end

function World:joinRaid(name)
  self.clients[name].inRaid = true
  self:rosterChanged()
end

-- Clock -------------------------------------------------------------------------------------

-- Advances simulated time frame by frame: deliver due messages, then run every client's OnUpdate.
function World:advance(seconds)
  local stopMs = self.nowMs + math.floor(seconds * 1000 + 0.5)
  while self.nowMs < stopMs do
    local step = math.min(self.frameMs, stopMs - self.nowMs)
    self.nowMs = self.nowMs + step
    self:deliverDue()
    for _, name in ipairs(self.order) do
      local c = self.clients[name]
      if c.online then
        if c.loadingUntil >= 0 and self.nowMs >= c.loadingUntil then
          c.loadingUntil = -1
          c.clampUntil = self.nowMs + 5000
          c:fireEvent("PLAYER_ENTERING_WORLD")
        end
        if c.loadingUntil < 0 then c:runOnUpdate(step / 1000) end
      end
    end
  end
end

-- The channel -------------------------------------------------------------------------------

function World:receiversOf(sender, distribution)
  local list = {}
  if distribution == "RAID" or distribution == "PARTY" then
    if not sender.inRaid then return list end
    for _, c in ipairs(self:raidMembers()) do
      if distribution == "RAID" or c.subgroup == sender.subgroup then table.insert(list, c) end
    end
  elseif distribution == "GUILD" then
    for _, name in ipairs(self.order) do table.insert(list, self.clients[name]) end
  end
  return list
end

function World:send(sender, prefix, text, distribution)
  if type(prefix) ~= "string" or type(text) ~= "string" or type(distribution) ~= "string" then
    error('Usage: SendAddonMessage("prefix", "text", "type")', 3)
  end
  if not VALID_DISTRIBUTIONS[distribution] then
    error("SendAddonMessage: unknown distribution '" .. distribution .. "'", 3)
  end
  if string.find(prefix, "\t", 1, true) then
    self:violation(sender, "tab in prefix")
    return
  end
  if string.len(prefix) + string.len(text) > 254 then
    self:violation(sender, "message of " .. (string.len(prefix) + string.len(text)) .. " bytes (limit 254)")
    return
  end
  if string.find(text, "\n", 1, true) then
    self:violation(sender, "newline in addon message")
    return
  end
  local nul = string.find(text, "\0", 1, true)
  if nul then text = string.sub(text, 1, nul - 1) end
  local size = string.len(prefix) + 1 + string.len(text)
  local cost = size + 40
  local t = self:now()
  sender.stats.sentMsgs = sender.stats.sentMsgs + 1
  sender.stats.sentBytes = sender.stats.sentBytes + size
  sender.stats.sentCost = sender.stats.sentCost + cost
  table.insert(sender.sends, { t = t, cost = cost })
  if self.logEnabled then
    table.insert(self.log, { t = t, from = sender.name, prefix = prefix, text = text, dist = distribution, size = size })
  end
  for _, receiver in ipairs(self:receiversOf(sender, distribution)) do
    if receiver.online and self.rng.next() >= self.loss then
      local delay = self.latency + self.jitter * self.rng.next()
      local at = self.nowMs + math.floor(delay * 1000 + 0.5)
      -- One sender's messages reach a receiver in order (one server stream).
      local pair = sender.name .. ">" .. receiver.name
      if self.lastDelivery[pair] and at < self.lastDelivery[pair] then at = self.lastDelivery[pair] end
      self.lastDelivery[pair] = at
      self.seq = self.seq + 1
      table.insert(self.inflight, { at = at, seq = self.seq, to = receiver, from = sender.name,
        prefix = prefix, text = text, dist = distribution, size = size })
    end
  end
end

function World:deliverDue()
  if table.getn(self.inflight) == 0 then return end
  local due, pending = {}, {}
  for _, m in ipairs(self.inflight) do
    if m.at <= self.nowMs then table.insert(due, m) else table.insert(pending, m) end
  end
  if table.getn(due) == 0 then return end
  self.inflight = pending
  table.sort(due, function(a, b) if a.at ~= b.at then return a.at < b.at end return a.seq < b.seq end)
  for _, m in ipairs(due) do
    local c = m.to
    -- Offline or behind a loading screen: the message is gone for that client.
    if c.online and c.loadingUntil < 0 then
      c.stats.recvMsgs = c.stats.recvMsgs + 1
      c.stats.recvBytes = c.stats.recvBytes + m.size
      c:fireEvent("CHAT_MSG_ADDON", m.prefix, m.text, m.dist, m.from)
    end
  end
end

-- Replays a client's sends through the throttle model (shared/docs/platform.md): 800 per second,
-- burst 4000, 10% refill for 5 s after login or a loading screen. Returns the sends that would
-- have overdrawn the budget.
function World:budgetViolations(name)
  local c = self.clients[name]
  local over = {}
  local avail, last = 4000, nil
  for _, s in ipairs(c.sends) do
    if last then
      local rate = 800
      if c.clampWindows then
        for _, w in ipairs(c.clampWindows) do
          if s.t > w[1] and last < w[2] then rate = 80 end
        end
      end
      avail = math.min(4000, avail + (s.t - last) * rate)
    end
    last = s.t
    avail = avail - s.cost
    if avail < -0.001 then table.insert(over, { t = s.t, deficit = -avail }) end
  end
  return over
end

-- Clients: login, logout, reload ---------------------------------------------------------------

function Client:buildEnv()
  local client, world = self, self.world
  local env = {}
  self.env = env
  self.frames = {}
  self.regions = {}
  self.frameSeq = 0
  self.rng = newRandom(world.seed * 7919 + table.getn(world.order) + string.len(self.name) * 131)
  for _, k in ipairs({ "assert", "error", "gcinfo", "getmetatable", "ipairs", "next", "pairs",
    "pcall", "rawequal", "rawget", "rawset", "setmetatable", "tonumber", "tostring", "type",
    "unpack", "xpcall", "collectgarbage", "_VERSION" }) do
    env[k] = _G[k]
  end
  local function copy(t) local c = {} for k, v in pairs(t) do c[k] = v end return c end
  env.string = copy(string)
  env.table = copy(table)
  env.coroutine = copy(coroutine)
  env.math = copy(math)
  env.math.random = function(m, n) return client.rng.random(m, n) end
  env.math.randomseed = function(s) client.rng.seed(s) end
  env.getfenv = function(f)
    if f == 0 then return env end
    if f == nil then f = 1 end
    if type(f) == "number" then local e = realGetfenv(f + 1) return e end
    local e = realGetfenv(f)
    return e
  end
  env.setfenv = function(f, t)
    if f == 0 then error("setfenv(0) is not supported by the emulator") end
    if type(f) == "number" then f = f + 1 end
    local r = realSetfenv(f, t)
    return r
  end
  env.loadstring = function(s, chunkname)
    local chunk, err = realLoadstring(s, chunkname)
    if chunk then realSetfenv(chunk, env) end
    return chunk, err
  end
  env.print = function(...)
    local parts = {}
    for i = 1, arg.n do parts[i] = tostring(arg[i]) end
    client:addChat(table.concat(parts, " "))
  end
  -- WoW's aliases of the standard library
  env.strsub, env.strlen, env.strfind, env.strlower, env.strupper = string.sub, string.len, string.find, string.lower, string.upper
  env.strrep, env.strbyte, env.strchar, env.format, env.gsub = string.rep, string.byte, string.char, string.format, string.gsub
  env.strgfind = string.gfind
  env.getn, env.tinsert, env.tremove, env.sort, env.foreach, env.foreachi = table.getn, table.insert, table.remove, table.sort, table.foreach, table.foreachi
  env.floor, env.ceil, env.mod, env.abs, env.max, env.min, env.sqrt = math.floor, math.ceil, math.mod, math.abs, math.max, math.min, math.sqrt
  env.random = env.math.random
  env.GetTime = function() return world.nowMs / 1000 + client.bootOffset end
  env.time = function(t)
    if t ~= nil then return os.time(t) end
    return world.epoch0 + math.floor(world.nowMs / 1000)
  end
  env.date = function(fmt, t) return osDate(fmt, t or env.time()) end
  env.GetFramerate = function() return 1000 / world.frameMs end
  if world.turtleG then env._G = env end
  -- frames
  env.CreateFrame = function(kind, name, parent, template)
    return client:createFrame(kind, name, parent, template)
  end
  env.UIParent = client:createFrame("Frame", "UIParent")
  env.UIParent.width, env.UIParent.height = 1024, 768
  env.WorldFrame = client:createFrame("Frame", "WorldFrame")
  env.UISpecialFrames = {}
  env.DEFAULT_CHAT_FRAME = { AddMessage = function(_, text, r, g, b) client:addChat(text, r, g, b) end }
  env.ChatFrame1 = env.DEFAULT_CHAT_FRAME
  env.SlashCmdList = {}
  env.StaticPopupDialogs = {}
  env.StaticPopup_Show = function(which, text1, text2, data) return client:showPopup(which, text1, text2, data) end
  env.StaticPopup_Hide = function(which)
    for i = table.getn(client.popups), 1, -1 do
      if client.popups[i].which == which then table.remove(client.popups, i) end
    end
  end
  env.GameFontNormal, env.GameFontHighlight, env.GameFontNormalSmall = {}, {}, {}
  env.GameFontHighlightSmall, env.GameFontDisable, env.GameFontNormalLarge = {}, {}, {}
  env.ChatFontNormal = {}
  -- the channel and the roster
  env.SendAddonMessage = function(prefix, text, distribution) world:send(client, prefix, text, distribution) end
  env.UnitName = function(unit)
    if unit == "player" then return client.name end
    local _, _, i = string.find(unit or "", "^raid(%d+)$")
    if i then
      local members = world:raidMembers()
      local m = client.inRaid and members[tonumber(i)]
      if m then return m.name end
    end
    return nil
  end
  env.GetNumRaidMembers = function()
    if not client.inRaid then return 0 end
    return table.getn(world:raidMembers())
  end
  env.GetNumPartyMembers = function()
    if not client.inRaid then return 0 end
    local n = 0
    for _, m in ipairs(world:raidMembers()) do
      if m.subgroup == client.subgroup and m ~= client then n = n + 1 end
    end
    return math.min(n, 4)
  end
  env.GetRaidRosterInfo = function(i)
    if not client.inRaid then return nil end
    local m = world:raidMembers()[i]
    if not m then return nil end
    local online = nil
    if m.online then online = 1 end
    return m.name, m.rank, m.subgroup, 60, "Warrior", "WARRIOR", "Blackwing Lair", online, nil
  end
  env.IsRaidLeader = function() if client.inRaid and client.rank == 2 then return 1 end return nil end
  env.IsRaidOfficer = function() if client.inRaid and client.rank >= 1 then return 1 end return nil end
  env.UnitInRaid = function(unit) if unit == "player" and client.inRaid then return 1 end return nil end
  env.GetRealmName = function() return "Emulated" end
  local function unitClient(unit)
    if unit == "player" then return client end
    local name = env.UnitName(unit or "")
    return name and world.clients[name]
  end
  env.UnitAffectingCombat = function() return nil end
  env.UnitIsDeadOrGhost = function() return nil end
  env.UnitIsDead = function() return nil end
  -- Every emulated player is a healthy level-60 warrior without buffs (as GetRaidRosterInfo says).
  env.UnitExists = function(unit) if unitClient(unit) then return 1 end return nil end
  env.UnitIsPlayer = env.UnitExists
  env.UnitIsUnit = function(a, b)
    local ca, cb = unitClient(a), unitClient(b)
    if ca and ca == cb then return 1 end
    return nil
  end
  env.UnitClass = function(unit) if unitClient(unit) then return "Warrior", "WARRIOR" end return nil end
  env.UnitRace = function(unit) if unitClient(unit) then return "Human", "Human" end return nil end
  env.UnitLevel = function(unit) if unitClient(unit) then return 60 end return 0 end
  env.UnitHealth = function(unit) if unitClient(unit) then return 5000 end return 0 end
  env.UnitHealthMax = env.UnitHealth
  env.UnitMana = function(unit) if unitClient(unit) then return 100 end return 0 end
  env.UnitManaMax = env.UnitMana
  env.UnitPowerType = function() return 1 end
  env.UnitBuff = function() return nil end
  env.UnitDebuff = function() return nil end
  -- An empty spellbook: no spell has a cooldown.
  env.GetSpellName = function() return nil end
  env.GetSpellCooldown = function() return 0, 0, 1 end
  env.UnitIsConnected = function(unit)
    local c = unitClient(unit)
    if c and c.online then return 1 end
    return nil
  end
  -- Installed addons: loaded means its files ran (set as each addon finishes loading).
  local function addonToc(which)
    if type(which) == "number" then return world.addons[world.addonNames[which]] end
    for folder, toc in pairs(world.addons) do
      if string.lower(folder) == string.lower(tostring(which)) then return toc end
    end
  end
  local function enabled(folder)
    if not client.addons then return true end
    for _, f in ipairs(client.addons) do if f == folder then return true end end
    return false
  end
  env.IsAddOnLoaded = function(which)
    local toc = addonToc(which)
    if toc and client.loaded and client.loaded[toc.folder] then return 1 end
    return nil
  end
  env.GetAddOnMetadata = function(which, field)
    local toc = addonToc(which)
    return toc and toc.meta[field]
  end
  env.GetNumAddOns = function() return table.getn(world.addonNames) end
  -- name, title, notes, enabled, loadable, reason, security
  env.GetAddOnInfo = function(which)
    local toc = addonToc(which)
    if not toc then return nil end
    local on = enabled(toc.folder)
    return toc.folder, toc.meta.Title, toc.meta.Notes, on and 1 or nil, on and 1 or nil,
      (not on) and "DISABLED" or nil, "INSECURE"
  end
  if world.ctl then EmuCTL.install(client) end
  return env
end

function Client:addChat(text, r, g, b)
  table.insert(self.chat, { t = self.world:now(), text = tostring(text), r = r, g = g, b = b })
end

function Client:newRegion(kind, methods, name, parent)
  self.frameSeq = self.frameSeq + 1
  local region = setmetatable({ client = self, objectType = kind, name = name, parent = parent,
    shown = true, id = self.frameSeq }, { __index = methods })
  if name then self.env[name] = region end
  table.insert(self.regions, region)
  return region
end

function Client:createFrame(kind, name, parent, template)
  local spec = EmuFrames.types[kind]
  if not spec then error("CreateFrame: unknown frame type '" .. tostring(kind) .. "'", 3) end
  local f = self:newRegion(kind, spec.methods, name, nil)
  f.validScripts = spec.scripts
  f.scripts = {}
  f.events = {}
  f.children = {}
  f.template = template
  f.enabled = true
  if parent then f:SetParent(parent) end
  table.insert(self.frames, f)
  if template then EmuFrames.applyTemplates(self, f, template) end
  return f
end

-- Calls a script handler with the 1.12 globals set; an error goes to the client's error list
-- (the in-game error frame) and never into the emulator.
function Client:callScript(frame, script, ...)
  local fn = frame.scripts[script]
  if not fn then return end
  local env = self.env
  local saved = { env.this, env.event, env.arg1, env.arg2, env.arg3, env.arg4, env.arg5, env.arg6,
    env.arg7, env.arg8, env.arg9 }
  env.this = frame
  if script == "OnEvent" then
    env.event = arg[1]
    for i = 1, 9 do env["arg" .. i] = arg[i + 1] end
  else
    for i = 1, 9 do env["arg" .. i] = arg[i] end
  end
  local ok, err = pcall(fn)
  env.this, env.event = saved[1], saved[2]
  for i = 1, 9 do env["arg" .. i] = saved[i + 2] end
  if not ok then
    table.insert(self.errors, { t = self.world:now(), script = script, message = tostring(err) })
  end
end

function Client:fireEvent(eventName, a1, a2, a3, a4, a5)
  if not self.frames then return end
  local list = {}
  for _, f in ipairs(self.frames) do
    if f.events[eventName] then table.insert(list, f) end
  end
  for _, f in ipairs(list) do
    self:callScript(f, "OnEvent", eventName, a1, a2, a3, a4, a5)
  end
end

function Client:runOnUpdate(elapsed)
  local list = {}
  for _, f in ipairs(self.frames) do
    if f.scripts.OnUpdate and f:IsVisible() then table.insert(list, f) end
  end
  for _, f in ipairs(list) do self:callScript(f, "OnUpdate", elapsed) end
end

function Client:showPopup(which, text1, text2, data)
  local info = self.env.StaticPopupDialogs[which]
  if not info then return nil end
  local text = info.text or ""
  if text1 or text2 then text = string.format(text, text1 or "", text2 or "") end
  local popup = { which = which, text = text, data = data, info = info }
  table.insert(self.popups, popup)
  return popup
end

-- Clicks button 1 (accept) or 2 (cancel) of the newest popup.
function Client:clickPopup(button, editText)
  local popup = table.remove(self.popups)
  if not popup then error("no popup is shown") end
  popup.editText = editText
  local handler = button == 1 and popup.info.OnAccept or popup.info.OnCancel
  if handler then
    local env = self.env
    env.this = { data = popup.data, editText = editText }
    local ok, err = pcall(handler, popup.data, editText)
    env.this = nil
    if not ok then table.insert(self.errors, { t = self.world:now(), script = "StaticPopup", message = tostring(err) }) end
  end
end

function Client:slash(line)
  local _, _, cmd, rest = string.find(line, "^(/%S+)%s*(.-)%s*$")
  if not cmd then error("not a slash command: " .. line) end
  cmd = string.lower(cmd)
  for key, handler in pairs(self.env.SlashCmdList) do
    local i = 1
    while self.env["SLASH_" .. key .. i] do
      if string.lower(self.env["SLASH_" .. key .. i]) == cmd then
        local ok, err = pcall(handler, rest)
        if not ok then table.insert(self.errors, { t = self.world:now(), script = "slash", message = tostring(err) }) end
        return true
      end
      i = i + 1
    end
  end
  self:addChat("Type '/help' for a listing of a few commands.")
  return false
end

-- The Escape key: hides every shown frame named in UISpecialFrames (CloseSpecialWindows).
function Client:pressEscape()
  local closed = false
  for _, name in ipairs(self.env.UISpecialFrames) do
    local f = self.env[name]
    if f and f.IsShown and f:IsShown() then
      f:Hide()
      closed = true
    end
  end
  return closed
end

-- Visible buttons (or any region with text) whose text is exactly `text`.
function Client:findByText(text, objectType)
  local found = {}
  for _, r in ipairs(self.regions or {}) do
    if (objectType == nil or r.objectType == objectType) and r.IsVisible and r:IsVisible() then
      local t = r.text
      if r.fontString then t = r.fontString.text end
      if t == text then table.insert(found, r) end
    end
  end
  return found
end

-- Runs Lua source inside this client's global environment; returns what it returns.
function Client:run(source)
  local chunk, err = realLoadstring(source, "=" .. self.name)
  if not chunk then error(err) end
  realSetfenv(chunk, self.env)
  return chunk()
end

-- The folders this client loads, in load order.
function Client:addonOrder()
  return self.world:loadOrder(self.addons or self.world.addonNames)
end

-- Runs one file of an addon: Lua, or an XML file whose <Script file=> and <Include file=>
-- elements name more files relative to its own folder (the only XML the emulator understands;
-- frames declared in XML are not emulated).
function Client:runAddonFile(toc, file)
  local source = toc.sources[file]
  if not source then
    -- The Windows client finds files whatever the case of their names.
    for name, text in pairs(toc.sources) do
      if string.lower(name) == string.lower(file) then source = text end
    end
  end
  if not source then
    table.insert(self.loadErrors, toc.folder .. "\\" .. file .. ": file not found")
    return
  end
  if string.find(string.lower(file), "%.xml$") then
    local _, _, dir = string.find(file, "^(.*\\)[^\\]*$")
    local body = string.gsub(source, "<!%-%-.-%-%->", "")
    for tag, ref in string.gfind(body, "<(%a+)%s+file%s*=%s*\"([^\"]+)\"") do
      if tag == "Script" or tag == "Include" then
        self:runAddonFile(toc, (dir or "") .. string.gsub(ref, "/", "\\"))
      end
    end
    return
  end
  local chunk, err = realLoadstring(source, "@" .. toc.folder .. "\\" .. file)
  if not chunk then
    table.insert(self.loadErrors, tostring(err))
  else
    realSetfenv(chunk, self.env)
    local ok, runErr = pcall(chunk)
    if not ok then table.insert(self.loadErrors, tostring(runErr)) end
  end
end

-- The SavedVariables file of one addon for this player (nil when it has none yet).
function Client:savedFile(folder)
  local world = self.world
  if folder == world.toc.folder then return world.savedText[self.name] end
  local files = world.savedFiles and world.savedFiles[self.name]
  return files and files[folder]
end

function Client:setSavedFile(folder, text)
  local world = self.world
  if folder == world.toc.folder then
    world.savedText[self.name] = text
    return
  end
  world.savedFiles = world.savedFiles or {}
  world.savedFiles[self.name] = world.savedFiles[self.name] or {}
  world.savedFiles[self.name][folder] = text
end

-- Logs in: a fresh global table; per addon in load order its files, its SavedVariables file and
-- ADDON_LOADED; then the login events.
function Client:login()
  local world = self.world
  if self.online then error(self.name .. " is already online") end
  if not world.toc then error("no addon installed") end
  self.online = true
  self:buildEnv()
  self.loadErrors = {}
  self.loaded = {}
  for _, folder in ipairs(self:addonOrder()) do
    local toc = world.addons[folder]
    for _, file in ipairs(toc.files) do self:runAddonFile(toc, file) end
    self.loaded[folder] = true
    table.insert(self.loaded, folder)
    local text = self:savedFile(folder)
    if text then
      local ok, err = EmuSavedVars.read(self.env, text)
      if not ok then table.insert(self.loadErrors, "SavedVariables: " .. tostring(err)) end
    end
    self:fireEvent("ADDON_LOADED", folder)
  end
  self:fireEvent("VARIABLES_LOADED")
  self:fireEvent("PLAYER_LOGIN")
  self.clampUntil = world.nowMs + 5000
  self:noteClamp()
  self:fireEvent("PLAYER_ENTERING_WORLD")
  world:rosterChanged()
end

function Client:noteClamp()
  self.clampWindows = self.clampWindows or {}
  table.insert(self.clampWindows, { self.world:now(), self.world:now() + 5 })
end

-- Logs out: PLAYER_LOGOUT, then the client writes its SavedVariables and forgets everything.
function Client:logout()
  if not self.online then return end
  self:fireEvent("PLAYER_LOGOUT")
  -- Every loaded addon's file gets its declared globals; two addons that declare one name both
  -- write the same value.
  for _, folder in ipairs(self.loaded or {}) do
    local toc = self.world.addons[folder]
    local names = {}
    for _, n in ipairs(toc.savedVariables) do table.insert(names, n) end
    for _, n in ipairs(toc.savedVariablesPerCharacter) do table.insert(names, n) end
    self:setSavedFile(folder, EmuSavedVars.write(self.env, names))
  end
  self.online = false
  self.env = nil
  self.frames = nil
  self.world:rosterChanged()
end

function Client:reload()
  self:logout()
  self:login()
end

-- A loading screen: nothing is received and no frame updates until it ends.
function Client:loadingScreen(seconds)
  self.loadingUntil = self.world.nowMs + math.floor(seconds * 1000 + 0.5)
  self.clampWindows = self.clampWindows or {}
  table.insert(self.clampWindows, { self.world:now(), self.world:now() + seconds + 5 })
end
