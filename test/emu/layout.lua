-- Screen layout of the emulated client's frames: resolves 1.12 anchors (SetPoint, SetAllPoints)
-- into rectangles on a 1024x768 UIParent, y upwards as in the game, and lists what is visible in
-- drawing order. The PNG renderer (scripts/render-ui.js) draws this list.

EmuLayout = {}

local SCREEN_W, SCREEN_H = 1024, 768

-- Where a named point lies on a rect, as fractions of width and height from the bottom-left.
local POINTS = {
  TOPLEFT = { 0, 1 }, TOP = { 0.5, 1 }, TOPRIGHT = { 1, 1 },
  LEFT = { 0, 0.5 }, CENTER = { 0.5, 0.5 }, RIGHT = { 1, 0.5 },
  BOTTOMLEFT = { 0, 0 }, BOTTOM = { 0.5, 0 }, BOTTOMRIGHT = { 1, 0 },
}

local function pointOn(rect, point)
  local p = POINTS[point] or POINTS.CENTER
  return rect.left + (rect.right - rect.left) * p[1], rect.bottom + (rect.top - rect.bottom) * p[2]
end

local function naturalWidth(r)
  if r.width and r.width > 0 then return r.width end
  if r.objectType == "FontString" then return string.len(r.text or "") * 6 end
  return 0
end

local function naturalHeight(r)
  if r.height and r.height > 0 then return r.height end
  if r.objectType == "FontString" then return 12 end
  return 0
end

function EmuLayout.rect(client, region, cache)
  cache = cache or {}
  if cache[region] then return cache[region] end
  if region == client.env.UIParent or not region.points or next(region.points) == nil then
    if region == client.env.UIParent or not region.parent then
      local r = { left = 0, bottom = 0, right = SCREEN_W, top = SCREEN_H }
      if region ~= client.env.UIParent and region.points == nil then
        -- an unanchored top-level frame sits at the centre of the screen
        local w, h = naturalWidth(region), naturalHeight(region)
        r = { left = (SCREEN_W - w) / 2, right = (SCREEN_W + w) / 2, bottom = (SCREEN_H - h) / 2, top = (SCREEN_H + h) / 2 }
      end
      cache[region] = r
      return r
    end
  end
  cache[region] = { left = 0, bottom = 0, right = 0, top = 0 } -- guards against anchor cycles
  local left, right, top, bottom, cx, cy
  local points = region.points or {}
  if points.ALL then
    local rel = points.ALL.relativeTo or region.parent or client.env.UIParent
    local r = EmuLayout.rect(client, rel, cache)
    cache[region] = { left = r.left, right = r.right, top = r.top, bottom = r.bottom }
    return cache[region]
  end
  if next(points) == nil then
    -- no anchor: fill the parent (what a fresh texture or child frame looks like in game)
    local r = EmuLayout.rect(client, region.parent or client.env.UIParent, cache)
    cache[region] = { left = r.left, right = r.right, top = r.top, bottom = r.bottom }
    return cache[region]
  end
  for point, a in pairs(points) do
    local rel = a.relativeTo or region.parent or client.env.UIParent
    local x, y = pointOn(EmuLayout.rect(client, rel, cache), a.relativePoint or point)
    x, y = x + (a.x or 0), y + (a.y or 0)
    local p = POINTS[point] or POINTS.CENTER
    if p[1] == 0 then left = x elseif p[1] == 1 then right = x else cx = x end
    if p[2] == 0 then bottom = y elseif p[2] == 1 then top = y else cy = y end
  end
  local w, h = naturalWidth(region), naturalHeight(region)
  if not left and not right then left = (cx or 0) - w / 2; right = left + w
  elseif not left then left = right - w
  elseif not right then right = left + w end
  if not top and not bottom then bottom = (cy or 0) - h / 2; top = bottom + h
  elseif not top then top = bottom + h
  elseif not bottom then bottom = top - h end
  cache[region] = { left = left, right = right, top = top, bottom = bottom }
  return cache[region]
end

local FONT_NAMES = { "GameFontNormal", "GameFontHighlight", "GameFontNormalSmall", "GameFontHighlightSmall",
  "GameFontDisable", "GameFontNormalLarge", "ChatFontNormal" }

-- The name of the font object a font string or edit box uses (SetFontObject or its template).
local function fontName(client, r)
  local obj = r.fontObject
  if obj == nil and type(r.template) == "string" then return r.template end
  if obj == nil then return nil end
  for _, name in ipairs(FONT_NAMES) do
    if client.env[name] == obj then return name end
  end
  return nil
end

local LAYERS = { BACKGROUND = 1, BORDER = 2, ARTWORK = 3, OVERLAY = 4, HIGHLIGHT = 5 }
local STRATA = { BACKGROUND = 1, LOW = 2, MEDIUM = 3, HIGH = 4, DIALOG = 5, FULLSCREEN = 6,
  FULLSCREEN_DIALOG = 7, TOOLTIP = 8 }

-- Visible regions in drawing order: frames by strata, then parents before children; a frame's
-- textures and font strings by layer right after it.
function EmuLayout.visible(client)
  local regions = {}
  local cache = {}
  local byParent = {}
  for _, f in ipairs(client.frames) do
    if f ~= client.env.UIParent and f ~= client.env.WorldFrame then
      local p = f.parent or false
      byParent[p] = byParent[p] or {}
      table.insert(byParent[p], f)
    end
  end
  local function strataOf(f)
    while f do
      if f.strata then return STRATA[f.strata] or 3 end
      f = f.parent
    end
    return 3
  end
  local out = {}
  local function add(r, depth, clip)
    local rect = EmuLayout.rect(client, r, cache)
    local item = {
      type = r.objectType, name = r.name, depth = depth,
      left = rect.left, right = rect.right, top = rect.top, bottom = rect.bottom,
      text = r.text or (r.fontString and r.fontString.text), color = r.color,
      texture = r.texture, vertexColor = r.vertexColor, backdrop = r.backdrop and true or nil,
      backdropEdge = type(r.backdrop) == "table" and r.backdrop.edgeFile or nil,
      backdropColor = r.backdropColor, backdropBorderColor = r.backdropBorderColor,
      enabled = r.enabled, checked = r.checked, justifyH = r.justifyH, layer = r.layer,
      clip = clip, font = fontName(client, r), uiTemplate = r.uiTemplate,
      autoWidth = (r.objectType == "FontString" and not (r.width and r.width > 0)) or nil,
      value = r.value, min = r.min, max = r.max, orientation = r.orientation,
      highlightLocked = r.highlightLocked,
    }
    table.insert(out, item)
  end
  local walk
  walk = function(f, depth, clip)
    if not f:IsVisible() then return end
    add(f, depth, clip)
    local childClip = clip
    if f.objectType == "ScrollFrame" then
      local r = EmuLayout.rect(client, f, cache)
      childClip = { left = r.left, right = r.right, top = r.top, bottom = r.bottom }
    end
    local owned = {}
    for _, r in ipairs(client.regions or {}) do
      if r.parent == f and r.objectType ~= "Frame" and (r.objectType == "Texture" or r.objectType == "FontString") then
        if r.shown and not (f.fontString == r) then table.insert(owned, r) end
      end
    end
    table.sort(owned, function(a, b)
      local la, lb = LAYERS[a.layer or "ARTWORK"] or 3, LAYERS[b.layer or "ARTWORK"] or 3
      if la ~= lb then return la < lb end
      return a.id < b.id
    end)
    for _, r in ipairs(owned) do add(r, depth + 1, childClip) end
    if f.fontString and f.fontString.shown then
      add(f.fontString, depth + 1, childClip)
      out[table.getn(out)].disabled = f.enabled == false or nil
    end
    local kids = byParent[f] or {}
    table.sort(kids, function(a, b)
      local sa, sb = strataOf(a), strataOf(b)
      if sa ~= sb then return sa < sb end
      if (a.level or 0) ~= (b.level or 0) then return (a.level or 0) < (b.level or 0) end
      return a.id < b.id
    end)
    for _, k in ipairs(kids) do walk(k, depth + 1, childClip) end
  end
  local roots = {}
  for _, f in ipairs(byParent[false] or {}) do table.insert(roots, f) end
  for _, f in ipairs(byParent[client.env.UIParent] or {}) do table.insert(roots, f) end
  table.sort(roots, function(a, b)
    local sa, sb = strataOf(a), strataOf(b)
    if sa ~= sb then return sa < sb end
    return a.id < b.id
  end)
  for _, f in ipairs(roots) do walk(f, 0, nil) end
  return out
end
