-- Loaded first (see OGRH_Sync.toc). Stock 1.12 has no _G; TypeScriptToLua's runtime helpers and
-- 2006-era libraries expect one. Turtle WoW's UI defines it already, and then this changes nothing.
_G = _G or getfenv(0)
