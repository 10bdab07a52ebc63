-- A double of ChatThrottleLib v13 (the copy many 1.12 UIs load as a global): the same API and
-- bandwidth model, driven by the emulated client's own frame so loading screens pause it.
-- MAX_CPS 800, MSG_OVERHEAD 40, BURST 4000, 10% refill for 5 s after PLAYER_ENTERING_WORLD, half
-- below 20 FPS; priorities ALERT, NORMAL, BULK share bandwidth; FIFO per priority.

EmuCTL = {}

function EmuCTL.install(client)
  local env = client.env
  local CTL = {
    version = 13, MAX_CPS = 800, MSG_OVERHEAD = 40, BURST = 4000, MIN_FPS = 20,
    avail = 0, queued = 0, sentByPrio = { ALERT = 0, NORMAL = 0, BULK = 0 },
  }
  local queues = { ALERT = {}, NORMAL = {}, BULK = {} }
  local ORDER = { "ALERT", "NORMAL", "BULK" }
  local lastUpdate = env.GetTime()
  local clampBegin = lastUpdate

  local function updateAvail()
    local now = env.GetTime()
    local gain = CTL.MAX_CPS * (now - lastUpdate)
    if now - clampBegin < 5 then
      gain = gain * 0.1
    elseif 1000 / client.world.frameMs < CTL.MIN_FPS then
      gain = gain * 0.5
    end
    CTL.avail = math.min(CTL.avail + gain, CTL.BURST)
    lastUpdate = now
    return CTL.avail
  end

  local function rawSend(prio, m)
    CTL.avail = CTL.avail - m.cost
    CTL.sentByPrio[prio] = CTL.sentByPrio[prio] + m.cost
    client.world:send(client, m.prefix, m.text, m.chattype)
  end

  function CTL:SendAddonMessage(prio, prefix, text, chattype)
    if not queues[prio] or type(prefix) ~= "string" or type(text) ~= "string" or type(chattype) ~= "string" then
      error('Usage: ChatThrottleLib:SendAddonMessage("{BULK||NORMAL||ALERT}", "prefix", "text", "chattype")', 2)
    end
    local m = { prefix = prefix, text = text, chattype = chattype,
      cost = string.len(prefix) + 1 + string.len(text) + CTL.MSG_OVERHEAD }
    if CTL.queued == 0 and m.cost < updateAvail() then
      rawSend(prio, m)
      return
    end
    table.insert(queues[prio], m)
    CTL.queued = CTL.queued + 1
    CTL.bQueueing = true
  end

  -- Like the library: refills and returns the budget; bQueueing is true while anything waits.
  function CTL:UpdateAvail() return updateAvail() end

  -- The real library also offers SendChatMessage; the addon never uses it.
  function CTL:SendChatMessage() error("ChatThrottleLib double: SendChatMessage is not emulated", 2) end

  local frame = client:createFrame("Frame")
  local delay = 0
  frame:SetScript("OnUpdate", function()
    delay = delay + env.arg1
    if delay < 0.08 then return end
    delay = 0
    if CTL.queued == 0 then return end
    updateAvail()
    if CTL.avail < 0 then return end
    local active = 0
    for _, p in ipairs(ORDER) do if table.getn(queues[p]) > 0 then active = active + 1 end end
    local share = CTL.avail / active
    for _, p in ipairs(ORDER) do
      local q = queues[p]
      local budget = share
      while table.getn(q) > 0 and q[1].cost <= budget do
        local m = table.remove(q, 1)
        budget = budget - m.cost
        CTL.queued = CTL.queued - 1
        rawSend(p, m)
      end
    end
    CTL.bQueueing = CTL.queued > 0
  end)
  frame:RegisterEvent("PLAYER_ENTERING_WORLD")
  frame:SetScript("OnEvent", function() clampBegin = env.GetTime() end)
  env.ChatThrottleLib = CTL
end
