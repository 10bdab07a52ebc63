-- SavedVariables as the 1.12 client writes them at logout or /reload: a Lua source file of
-- assignments, one per saved global, read back by running it before ADDON_LOADED.
-- Exact for strings with any bytes (%q), for every float (%.17g), for nested and sparse tables.

EmuSavedVars = {}

local function literalNumber(n)
  if n ~= n then return "(0/0)" end
  if n == 1/0 then return "(1/0)" end
  if n == -1/0 then return "(-1/0)" end
  if n == math.floor(n) and math.abs(n) < 2^53 then return string.format("%.0f", n) end
  return string.format("%.17g", n)
end

local function literalString(s)
  -- %q writes a newline as backslash-newline; keep the file line-oriented with \n instead.
  local q = string.format("%q", s)
  return (string.gsub(q, "\\\n", "\\n"))
end

local function keyOrder(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta < tb end
  if ta == "number" or ta == "string" then return a < b end
  return tostring(a) < tostring(b)
end

local write
write = function(out, v, indent, seen)
  local kind = type(v)
  if kind == "string" then
    table.insert(out, literalString(v))
  elseif kind == "number" then
    table.insert(out, literalNumber(v))
  elseif kind == "boolean" then
    table.insert(out, v and "true" or "false")
  elseif kind == "table" then
    if seen[v] then error("SavedVariables: a table appears twice (cycle or shared reference)") end
    seen[v] = true
    local keys = {}
    for k in pairs(v) do
      local tk = type(k)
      if (tk == "string" or tk == "number" or tk == "boolean") then
        local tv = type(v[k])
        if tv == "string" or tv == "number" or tv == "boolean" or tv == "table" then
          table.insert(keys, k)
        end
      end
    end
    table.sort(keys, keyOrder)
    table.insert(out, "{\n")
    local inner = indent .. "\t"
    for _, k in ipairs(keys) do
      table.insert(out, inner .. "[")
      write(out, k, inner, seen)
      table.insert(out, "] = ")
      write(out, v[k], inner, seen)
      table.insert(out, ",\n")
    end
    table.insert(out, indent .. "}")
    seen[v] = nil
  else
    table.insert(out, "nil")
  end
end

-- Serialises the named globals of env; a nil global is written as `name = nil`.
function EmuSavedVars.write(env, names)
  local out = {}
  for _, name in ipairs(names) do
    table.insert(out, name .. " = ")
    write(out, env[name], "", {})
    table.insert(out, "\n")
  end
  return table.concat(out)
end

-- Runs a SavedVariables file inside env. A file that does not parse is ignored whole, as the
-- client does: the addon then sees its saved globals as nil.
function EmuSavedVars.read(env, text)
  local chunk, err = loadstring(text, "SavedVariables")
  if not chunk then return false, err end
  setfenv(chunk, env)
  local ok, runErr = pcall(chunk)
  if not ok then return false, runErr end
  return true
end

-- Deep equality with Lua semantics (number and string keys distinct, NaN equal to NaN).
function EmuSavedVars.deepEqual(a, b)
  if a == b then return true end
  if type(a) == "number" and type(b) == "number" then return a ~= a and b ~= b end
  if type(a) ~= "table" or type(b) ~= "table" then return false end
  for k, v in pairs(a) do
    if not EmuSavedVars.deepEqual(v, b[k]) then return false end
  end
  for k in pairs(b) do
    if a[k] == nil then return false end
  end
  return true
end

-- A canonical text of any value, for comparing the state of two clients: keys sorted, functions
-- as "function", emulated frames and regions as their type and name (their fields belong to the
-- emulator), a table met again (a cycle or a shared reference) as the path where it was first seen.
function EmuSavedVars.canonical(value)
  local out, seen = {}, {}
  local function isRegion(t)
    local mt = getmetatable(t)
    return rawget(t, "client") ~= nil and rawget(t, "objectType") ~= nil and mt ~= nil
  end
  local walk
  walk = function(v, path)
    local kind = type(v)
    if kind == "string" then table.insert(out, string.format("%q", v))
    elseif kind == "number" then table.insert(out, string.format("%.17g", v))
    elseif kind == "boolean" then table.insert(out, v and "true" or "false")
    elseif kind == "function" then table.insert(out, "function")
    elseif kind == "table" then
      if isRegion(v) then
        table.insert(out, "<" .. tostring(v.objectType) .. " " .. tostring(v.name) .. ">")
        return
      end
      if seen[v] then table.insert(out, "<ref " .. seen[v] .. ">") return end
      seen[v] = path
      local keys = {}
      for k in pairs(v) do table.insert(keys, k) end
      table.sort(keys, keyOrder)
      table.insert(out, "{")
      for _, k in ipairs(keys) do
        local ks = type(k) == "string" and string.format("%q", k) or tostring(k)
        table.insert(out, "[" .. ks .. "]=")
        walk(v[k], path .. "." .. ks)
        table.insert(out, ",")
      end
      table.insert(out, "}")
    else
      table.insert(out, kind)
    end
  end
  walk(value, "")
  return table.concat(out)
end
