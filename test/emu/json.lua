-- Lossless JSON for values crossing from the Lua 5.0 VM to jest. Strings cross JS <-> WASM as
-- UTF-8, so every byte outside printable ASCII is written as \u00XX: JS sees one char per byte.
-- Tables follow the fixture convention (shared/data/README.md): a sequence 1..n is an array, any
-- other table an object whose numeric keys are written "#N" so key types survive.

EmuJSON = {}

local function escapeString(s)
  return '"' .. string.gsub(s, '[%c"\\\128-\255]', function(c)
    if c == '"' then return '\\"' end
    if c == "\\" then return "\\\\" end
    return string.format("\\u%04x", string.byte(c))
  end) .. '"'
end

local function formatNumber(n)
  if n ~= n then return '"#nan"' end
  if n == 1/0 then return '"#inf"' end
  if n == -1/0 then return '"#-inf"' end
  if n == math.floor(n) and math.abs(n) < 2^53 then return string.format("%.0f", n) end
  return string.format("%.17g", n)
end

local function isSequence(t)
  local count = 0
  for _ in pairs(t) do count = count + 1 end
  for i = 1, count do
    if t[i] == nil then return false end
  end
  return count > 0
end

local encode
encode = function(v, seen)
  local kind = type(v)
  if kind == "nil" then return "null" end
  if kind == "boolean" then return v and "true" or "false" end
  if kind == "number" then return formatNumber(v) end
  if kind == "string" then return escapeString(v) end
  if kind ~= "table" then return escapeString("<" .. kind .. ">") end
  if seen[v] then return escapeString("<cycle>") end
  seen[v] = true
  local parts = {}
  local n = 0
  if isSequence(v) then
    for i = 1, table.getn(v) do
      n = n + 1
      parts[n] = encode(v[i], seen)
    end
    seen[v] = nil
    return "[" .. table.concat(parts, ",") .. "]"
  end
  local keys = {}
  local kn = 0
  for k in pairs(v) do
    kn = kn + 1
    keys[kn] = k
  end
  table.sort(keys, function(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return ta < tb end
    if ta == "number" or ta == "string" then return a < b end
    return tostring(a) < tostring(b)
  end)
  for i = 1, kn do
    local k = keys[i]
    local name
    if type(k) == "number" then name = "#" .. formatNumber(k)
    elseif type(k) == "string" then name = k
    else name = "<" .. type(k) .. ">" end
    n = n + 1
    parts[n] = escapeString(name) .. ":" .. encode(v[k], seen)
  end
  seen[v] = nil
  if n == 0 then return "{}" end
  return "{" .. table.concat(parts, ",") .. "}"
end

function EmuJSON.encode(v)
  return encode(v, {})
end
