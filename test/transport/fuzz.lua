-- Fuzz: random and mutated frames straight into one client's CHAT_MSG_ADDON (test/transport/fuzz.test.ts).
-- FUZZ.run(victim, frames, count, seed) -> summary. `frames` are real frame texts captured from the
-- channel; payloads that may legitimately be delivered are in TGen.sent.
FUZZ = {}

function FUZZ.run(victim, frames, count, seed)
  local r = TGen.rng(seed)
  local function rand(n) return math.floor(r() * n) + 1 end
  local nframes = table.getn(frames)
  local senders = { "Mallory", "Trudy", "Eve", "Gnuzench2", "Tankmedady" }
  local maxBuffered, maxPartials = 0, 0
  local kinds = {}
  local function pickFrame() return frames[rand(nframes)] end
  local function randomBytes(n)
    local t = {}
    for i = 1, n do t[i] = string.char(rand(256) - 1) end
    return table.concat(t)
  end
  local DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  local function digit() local k = rand(64) return string.sub(DIGITS, k, k) end
  local function digits(n) local t = {} for i = 1, n do t[i] = digit() end return table.concat(t) end
  local stats = victim.env.OGRH.Transport.stats
  local lastFrames = {}
  for i = 1, count do
    local kind = rand(12)
    local text
    if kind == 1 then text = randomBytes(rand(254) - 1)                                     -- garbage
    elseif kind == 2 then text = "1" .. string.sub("SFMX", rand(4), rand(4)) .. randomBytes(rand(240)) -- plausible start
    elseif kind == 3 then                                                                   -- flip one byte
      local f = pickFrame()
      local p = rand(string.len(f))
      text = string.sub(f, 1, p - 1) .. string.char(rand(256) - 1) .. string.sub(f, p + 1)
    elseif kind == 4 then local f = pickFrame() text = string.sub(f, 1, rand(string.len(f)))  -- truncated
    elseif kind == 5 then text = pickFrame()                                                -- duplicate / replay
    elseif kind == 6 then                                                                   -- splice two frames
      local a, b = pickFrame(), pickFrame()
      text = string.sub(a, 1, rand(string.len(a))) .. string.sub(b, rand(string.len(b)))
    elseif kind == 7 then text = "1F" .. digits(3) .. "//" .. digits(11) .. "B" .. "T" .. randomBytes(rand(200))  -- absurd count, random envelope
    elseif kind == 8 then text = "1S" .. digits(3) .. "A////" .. digits(6) .. "BT" .. randomBytes(rand(200))   -- absurd rawLen
    elseif kind == 9 then text = "1M" .. digits(5) .. randomBytes(rand(240))                     -- orphan continuation
    elseif kind == 10 then text = tostring(rand(8) + 1) .. string.sub(pickFrame(), 2)          -- newer version
    elseif kind == 11 then                                                                   -- header digits replaced
      local f = pickFrame()
      local p = rand(12) + 2
      text = string.sub(f, 1, p - 1) .. digit() .. string.sub(f, p + 1)
    else                                                                                     -- frames of one payload in random order
      text = frames[rand(nframes)]
    end
    kinds[kind] = (kinds[kind] or 0) + 1
    if string.len(text) > 250 then text = string.sub(text, 1, 250) end
    -- The client truncates at \0 as the server would.
    local nul = string.find(text, "\0", 1, true)
    if nul then text = string.sub(text, 1, nul - 1) end
    victim:fireEvent("CHAT_MSG_ADDON", "OGSY", text, "RAID", senders[rand(5)])
    if math.mod(i, 50) == 0 then
      W:advance(0.04)
      local s = stats()
      if s.bufferedBytes > maxBuffered then maxBuffered = s.bufferedBytes end
      if s.partials > maxPartials then maxPartials = s.partials end
    end
  end
  return { maxBuffered = maxBuffered, maxPartials = maxPartials, kinds = kinds }
end
