-- Payload generators and recorders for the transport tests, loaded into the root Lua state of
-- the emulated raid (test/transport/helpers.ts). Byte-exact data stays inside Lua; only lengths,
-- counts and hex digests cross to jest. The generators match test/transport/corpus.ts.
TGen = {}

local function rng(seed)
  local state = math.mod(math.abs(math.floor(seed)), 2147483646) + 1
  return function()
    state = math.mod(state * 16807, 2147483647)
    return (state - 1) / 2147483646
  end
end
TGen.rng = rng

function TGen.bytes(n, seed)
  local r = rng(seed or 1)
  local parts = {}
  for i = 1, n do parts[i] = string.char(math.floor(r() * 256)) end
  return table.concat(parts)
end

local NAMES = { "Tankmedady", "Gnuzench", "Sunderwhere", "Aelindra", "Brakkus", "Celestia", "Dornak", "Elowen", "Fizzlebang", "Grimtooth" }
local BOSSES = { "Razorgore", "Vaelastrasz", "Broodlord", "Firemaw", "Ebonroc", "Flamegor", "Chromaggus", "Nefarian" }
local ROLES = { "MT", "OT1", "OT2", "Heal", "Kick", "Decurse", "Dispel", "Fear Ward" }
local NOTES = { "", "stack left", "tank swap at 3", "kite adds" }

function TGen.text(n, seed)
  local r = rng(seed or 1)
  local function pick(list) return list[math.floor(r() * table.getn(list)) + 1] end
  local parts, len, k = {}, 0, 0
  while len < n do
    local boss = pick(BOSSES)
    local role = pick(ROLES)
    local name = pick(NAMES)
    local mark = math.floor(r() * 9)
    local note = pick(NOTES)
    local line = '{enc="' .. boss .. '",role="' .. role .. '",slot=' .. math.mod(k, 8) .. ',player="' .. name ..
      '",mark=' .. mark .. ',note="' .. note .. '"},'
    k = k + 1
    parts[k] = line
    len = len + string.len(line)
  end
  return string.sub(table.concat(parts), 1, n)
end

local HEXD = "0123456789abcdef"
function TGen.hex(s)
  local parts = {}
  for i = 1, string.len(s) do
    local b = string.byte(s, i)
    parts[i] = string.sub(HEXD, math.floor(b / 16) + 1, math.floor(b / 16) + 1) .. string.sub(HEXD, math.mod(b, 16) + 1, math.mod(b, 16) + 1)
  end
  return table.concat(parts)
end

-- A recorder in a client: every delivery of `type`, with the payload kept for byte comparison.
function TGen.record(client, type)
  local env = client.env
  local rec = { n = 0, got = {} }
  env.TREC = env.TREC or {}
  env.TREC[type] = rec
  env.OGRH.Transport.register(type, function(sender, payload, meta)
    rec.n = rec.n + 1
    rec.got[rec.n] = { from = sender, payload = payload, len = string.len(payload), target = meta.target,
      forMe = meta.forMe, compressed = meta.compressed, frames = meta.frames, t = W:now() }
  end)
  return rec
end

-- Sends `payload` of `type` from a client; the payload is remembered for comparison.
TGen.sent = {}
function TGen.send(client, type, payload, opts)
  table.insert(TGen.sent, { from = client.name, type = type, payload = payload, t = W:now(),
    prio = opts and opts.priority or "NORMAL" })
  local ok = client.env.OGRH.Transport.send(type, payload, opts)
  return ok
end

-- Checks every recorder of `type` against TGen.sent. Per receiver and sender the deliveries
-- must be sent payloads (else corrupt), each at most once (else duplicate), in send order among
-- the sender's payloads of the same priority (else outOfOrder); missing counts sent payloads a
-- receiver never got.
function TGen.check(type, names)
  local out = { receivers = 0, missing = 0, corrupt = 0, duplicate = 0, outOfOrder = 0, delivered = 0 }
  for _, name in ipairs(names or W.order) do
    local c = W.clients[name]
    local rec = c.env and c.env.TREC and c.env.TREC[type]
    if rec then
      out.receivers = out.receivers + 1
      local expected = {}
      for _, s in ipairs(TGen.sent) do
        if s.type == type and s.from ~= name then
          expected[s.from] = expected[s.from] or {}
          table.insert(expected[s.from], s)
        end
      end
      local last, done = {}, {}
      for i = 1, rec.n do
        local g = rec.got[i]
        out.delivered = out.delivered + 1
        local list = expected[g.from] or {}
        local found
        for j = 1, table.getn(list) do if list[j].payload == g.payload then found = j break end end
        local key = g.from .. "#" .. tostring(found)
        if not found then out.corrupt = out.corrupt + 1
        elseif done[key] then out.duplicate = out.duplicate + 1
        else
          local lane = g.from .. "/" .. list[found].prio
          if found < (last[lane] or 0) then out.outOfOrder = out.outOfOrder + 1
          else last[lane] = found end
          done[key] = true
        end
      end
      for from, list in pairs(expected) do
        for j = 1, table.getn(list) do
          if not done[from .. "#" .. j] then out.missing = out.missing + 1 end
        end
      end
    end
  end
  return out
end

-- Thousands of VM instructions spent in each of the next `frames` frames, all clients together.
-- A Lua 5.0 count hook is per thread, so TGen.countCoroutines(client) makes the coroutines of a
-- client (the job runner's) set it on themselves; every hook forwards to one counter.
TGen.k = 0
function TGen.hookForward() TGen.k = TGen.k + 1 end

function TGen.countCoroutines(client)
  local realCreate = coroutine.create
  client.env.coroutine.create = function(f)
    return realCreate(function()
      debug.sethook(TGen.hookForward, "", 1000)
      return f()
    end)
  end
end

function TGen.frameCosts(frames)
  local list = {}
  debug.sethook(TGen.hookForward, "", 1000)
  for i = 1, frames do
    local before = TGen.k
    W:advance(W.frameMs / 1000)
    list[i] = TGen.k - before
  end
  debug.sethook()
  return list
end
