-- luacheck over the built addon (dist/OGRH_Sync): the standard library of Lua 5.0 plus the
-- WoW 1.12 API, so any Lua 5.1+ function (select, string.match, string.gmatch, ...) or an
-- unknown client global fails. Only the global-variable checks (1xx) apply: the bundle is
-- generated code, its style is TypeScriptToLua's.

local function fields(list)
  local t = {}
  for _, name in ipairs(list) do t[name] = {} end
  return { fields = t }
end

stds.lua50 = {
  read_globals = {
    "_VERSION", "assert", "collectgarbage", "error", "gcinfo", "getfenv", "getmetatable",
    "ipairs", "loadstring", "next", "pairs", "pcall", "print", "rawequal", "rawget", "rawset",
    "setfenv", "setmetatable", "tonumber", "tostring", "type", "unpack", "xpcall", "arg",
    string = fields({ "byte", "char", "dump", "find", "format", "gfind", "gsub", "len", "lower",
      "rep", "sub", "upper" }),
    table = fields({ "concat", "foreach", "foreachi", "getn", "insert", "remove", "setn", "sort" }),
    math = fields({ "abs", "acos", "asin", "atan", "atan2", "ceil", "cos", "deg", "exp", "floor",
      "frexp", "ldexp", "log", "log10", "max", "min", "mod", "pi", "pow", "rad", "random",
      "randomseed", "sin", "sqrt", "tan" }),
    coroutine = fields({ "create", "resume", "status", "wrap", "yield" }),
  },
}

stds.wow112 = {
  read_globals = {
    -- WoW's aliases of the standard library
    "strsub", "strlen", "strfind", "strlower", "strupper", "strrep", "strbyte", "strchar",
    "format", "gsub", "getn", "tinsert", "tremove", "floor", "ceil", "mod", "abs", "max", "min",
    "sqrt", "random", "time", "date", "GetTime",
    -- the API the addon uses (src/wow/api.d.ts)
    "CreateFrame", "UIParent", "DEFAULT_CHAT_FRAME", "SendAddonMessage", "GetNumRaidMembers",
    "GetNumPartyMembers", "GetRaidRosterInfo", "UnitName", "IsRaidLeader", "IsRaidOfficer",
    "StaticPopup_Show", "StaticPopup_Hide", "GetFramerate", "ChatThrottleLib", "IsAddOnLoaded",
    "GameFontNormal", "GameFontHighlight", "GameFontNormalSmall", "GameFontHighlightSmall",
    "GameFontDisable", "GameFontNormalLarge",
    -- handler globals set by the client
    "this", "event", "arg1", "arg2", "arg3", "arg4", "arg5", "arg6", "arg7", "arg8", "arg9",
  },
  globals = {
    -- globals the addon defines or writes
    "_G", "OGRH", "OGRH_SV", "OGRH_Sync", "OGRH_Sync_SV", "OGRH_Sync_Backups", "OGRH_Backups", "SlashCmdList", "StaticPopupDialogs", "UISpecialFrames",
    -- the module loader the built files share while loading (scripts/build.js; the entry file clears it)
    "OGRH_SyncLoader",
  },
}

std = "lua50+wow112"
only = { "1" }
-- SLASH_OGRH1, ... are written through getfenv(0), not as named globals.
files["dist/OGRH_Sync/Prelude.lua"] = { globals = { "_G" } }
