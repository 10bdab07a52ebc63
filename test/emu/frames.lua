-- 1.12 frames, regions and widgets for the emulated client. Methods exist only where the 1.12
-- client has them, so addon code that calls a later API fails here as it would in game.
-- Script handlers are called 1.12-style: no parameters, `this`/`event`/`arg1..arg9` as globals.

EmuFrames = {}

local function newMethods(base)
  local m = {}
  if base then for k, v in pairs(base) do m[k] = v end end
  return m
end

-- Region: anything with a size, anchors and visibility.
local Region = newMethods()
function Region:GetName() return self.name end
function Region:GetParent() return self.parent end
function Region:Show()
  if not self.shown then
    self.shown = true
    if self.scripts and self.scripts.OnShow and self:IsVisible() then self.client:callScript(self, "OnShow") end
  end
end
function Region:Hide()
  if self.shown then
    self.shown = false
    if self.scripts and self.scripts.OnHide then self.client:callScript(self, "OnHide") end
  end
end
function Region:IsShown() if self.shown then return 1 end return nil end
function Region:IsVisible()
  local r = self
  while r do
    if not r.shown then return nil end
    r = r.parent
  end
  return 1
end
function Region:SetWidth(w) self.width = w end
function Region:SetHeight(h) self.height = h end
function Region:GetWidth() return self.width or 0 end
function Region:GetHeight() return self.height or 0 end
function Region:SetPoint(point, relativeTo, relativePoint, x, y)
  -- SetPoint(point, x, y): offsets from the same point of the parent (OG-RaidHelper uses this form)
  if type(relativeTo) == "number" then relativeTo, relativePoint, x, y = nil, nil, relativeTo, relativePoint end
  if type(relativeTo) == "string" then relativeTo = self.client.env[relativeTo] end
  self.points = self.points or {}
  self.points[point] = { relativeTo = relativeTo, relativePoint = relativePoint or point, x = x or 0, y = y or 0 }
end
function Region:SetAllPoints(relativeTo)
  self.points = { ALL = { relativeTo = relativeTo or self.parent } }
end
function Region:ClearAllPoints() self.points = {} end
function Region:GetPoint(i)
  local n = 0
  for point, p in pairs(self.points or {}) do
    n = n + 1
    if n == (i or 1) then return point, p.relativeTo, p.relativePoint, p.x, p.y end
  end
end
-- Screen coordinates from the anchors (EmuLayout, 1024x768, y upwards), as the client resolves them.
function Region:GetLeft() return EmuLayout.rect(self.client, self).left end
function Region:GetRight() return EmuLayout.rect(self.client, self).right end
function Region:GetTop() return EmuLayout.rect(self.client, self).top end
function Region:GetBottom() return EmuLayout.rect(self.client, self).bottom end
function Region:GetCenter()
  local r = EmuLayout.rect(self.client, self)
  return (r.left + r.right) / 2, (r.bottom + r.top) / 2
end
function Region:SetAlpha(a) self.alpha = a end
function Region:GetAlpha() return self.alpha or 1 end
function Region:GetObjectType() return self.objectType end
function Region:IsObjectType(t) if self.objectType == t then return 1 end return nil end

local FontString = newMethods(Region)
function FontString:SetText(t) if t == nil then self.text = nil else self.text = tostring(t) end end
function FontString:GetText() return self.text end
function FontString:SetTextColor(r, g, b, a) self.color = { r, g, b, a or 1 } end
function FontString:GetTextColor() local c = self.color or { 1, 1, 1, 1 } return c[1], c[2], c[3], c[4] end
function FontString:SetJustifyH(j) self.justifyH = j end
function FontString:SetJustifyV(j) self.justifyV = j end
function FontString:SetFontObject(f) self.fontObject = f end
function FontString:SetFont(path, size, flags) self.font = { path, size, flags } end
function FontString:SetNonSpaceWrap(w) self.nonSpaceWrap = w end
function FontString:GetStringWidth() return string.len(self.text or "") * 6 end

local Texture = newMethods(Region)
function Texture:SetTexture(a, g, b, alpha)
  if type(a) == "number" then self.texture = { a, g, b, alpha or 1 } else self.texture = a end
end
function Texture:GetTexture() return self.texture end
function Texture:SetVertexColor(r, g, b, a) self.vertexColor = { r, g, b, a or 1 } end
function Texture:SetTexCoord(l, r, t, b) self.texCoord = { l, r, t, b } end
function Texture:SetBlendMode(m) self.blendMode = m end

-- Frame: scripts, events, children.
local Frame = newMethods(Region)
local FRAME_SCRIPTS = {
  OnEvent = true, OnUpdate = true, OnShow = true, OnHide = true, OnMouseDown = true,
  OnMouseUp = true, OnMouseWheel = true, OnDragStart = true, OnDragStop = true, OnEnter = true,
  OnLeave = true, OnSizeChanged = true, OnLoad = true, OnKeyDown = true, OnKeyUp = true,
}
function Frame:SetScript(name, fn)
  if not self.validScripts[name] then
    error(self.objectType .. " has no script '" .. tostring(name) .. "'", 2)
  end
  if fn ~= nil and type(fn) ~= "function" then error("SetScript: handler must be a function", 2) end
  self.scripts[name] = fn
end
function Frame:GetScript(name) return self.scripts[name] end
function Frame:HasScript(name) if self.validScripts[name] then return 1 end return nil end
function Frame:RegisterEvent(e) self.events[e] = true end
function Frame:UnregisterEvent(e) self.events[e] = nil end
function Frame:UnregisterAllEvents() self.events = {} end
function Frame:SetParent(p)
  if self.parent and self.parent.children then self.parent.children[self] = nil end
  self.parent = p
  if p and p.children then p.children[self] = true end
end
function Frame:GetChildren()
  local list = {}
  for child in pairs(self.children) do table.insert(list, child) end
  table.sort(list, function(a, b) return a.id < b.id end)
  return unpack(list)
end
function Frame:SetFrameStrata(s) self.strata = s end
function Frame:GetFrameStrata() return self.strata or "MEDIUM" end
function Frame:SetFrameLevel(l) self.level = l end
function Frame:GetFrameLevel() return self.level or 0 end
function Frame:SetToplevel(t) self.toplevel = t end
function Frame:EnableMouse(e) self.mouseEnabled = e and true or false end
function Frame:EnableMouseWheel(e) self.mouseWheelEnabled = e and true or false end
function Frame:EnableKeyboard(e) self.keyboardEnabled = e and true or false end
function Frame:SetMovable(m) self.movable = m and true or false end
function Frame:IsMovable() if self.movable then return 1 end return nil end
function Frame:SetResizable(r) self.resizable = r and true or false end
function Frame:SetClampedToScreen(c) self.clamped = c and true or false end
function Frame:RegisterForDrag(b) self.dragButton = b end
function Frame:StartMoving() self.moving = true end
function Frame:StopMovingOrSizing() self.moving = false end
function Frame:SetBackdrop(b) self.backdrop = b end
function Frame:SetBackdropColor(r, g, b, a) self.backdropColor = { r, g, b, a or 1 } end
function Frame:SetBackdropBorderColor(r, g, b, a) self.backdropBorderColor = { r, g, b, a or 1 } end
function Frame:GetID() return self.frameId or 0 end
function Frame:SetID(i) self.frameId = i end
function Frame:CreateFontString(name, layer, template)
  local fs = self.client:newRegion("FontString", FontString, name, self)
  fs.layer = layer
  fs.template = template
  return fs
end
function Frame:CreateTexture(name, layer)
  local tex = self.client:newRegion("Texture", Texture, name, self)
  tex.layer = layer
  return tex
end

local Button = newMethods(Frame)
function Button:SetText(t)
  if not self.fontString then self.fontString = self:CreateFontString(nil, "OVERLAY") end
  self.fontString:SetText(t)
end
function Button:GetText() if self.fontString then return self.fontString:GetText() end return nil end
function Button:GetFontString() return self.fontString end
function Button:SetFontString(fs) self.fontString = fs end
function Button:Enable() self.enabled = true end
function Button:Disable() self.enabled = false end
function Button:IsEnabled() if self.enabled then return 1 end return nil end
-- A state texture given by path becomes a texture region of the button (Get*Texture returns it);
-- nil until one is set, as in 1.12.
local function stateTexture(button, key, t)
  button[key] = t
  local regionKey = key .. "Region"
  if type(t) == "table" then button[regionKey] = t return end
  if t == nil then button[regionKey] = nil return end
  if not button[regionKey] then button[regionKey] = button:CreateTexture(nil, "ARTWORK") end
  button[regionKey]:SetTexture(t)
end
function Button:SetNormalTexture(t) stateTexture(self, "normalTexture", t) end
function Button:SetPushedTexture(t) stateTexture(self, "pushedTexture", t) end
function Button:SetHighlightTexture(t) stateTexture(self, "highlightTexture", t) end
function Button:SetDisabledTexture(t) stateTexture(self, "disabledTexture", t) end
function Button:GetNormalTexture() return self.normalTextureRegion end
function Button:GetPushedTexture() return self.pushedTextureRegion end
function Button:GetHighlightTexture() return self.highlightTextureRegion end
function Button:GetDisabledTexture() return self.disabledTextureRegion end
function Button:RegisterForClicks(a) self.clickButtons = a end
function Button:SetTextColor(r, g, b) self.textColor = { r, g, b } end
function Button:LockHighlight() self.highlightLocked = true end
function Button:UnlockHighlight() self.highlightLocked = false end
function Button:Click(button)
  if self.enabled and self:IsVisible() and self.scripts.OnClick then
    self.client:callScript(self, "OnClick", button or "LeftButton")
  end
end

local CheckButton = newMethods(Button)
function CheckButton:SetChecked(c) self.checked = c and true or false end
function CheckButton:GetChecked() if self.checked then return 1 end return nil end
function CheckButton:Click(button)
  if self.enabled and self:IsVisible() then
    self.checked = not self.checked
    if self.scripts.OnClick then self.client:callScript(self, "OnClick", button or "LeftButton") end
  end
end

local EditBox = newMethods(Frame)
function EditBox:SetText(t)
  self.text = tostring(t or "")
  if self.maxLetters and self.maxLetters > 0 and string.len(self.text) > self.maxLetters then
    self.text = string.sub(self.text, 1, self.maxLetters)
  end
  if self.scripts.OnTextChanged then self.client:callScript(self, "OnTextChanged") end
end
function EditBox:GetText() return self.text or "" end
function EditBox:SetMaxLetters(n) self.maxLetters = n end
function EditBox:SetMultiLine(m) self.multiLine = m and true or false end
function EditBox:SetAutoFocus(a) self.autoFocus = a and true or false end
function EditBox:SetFocus() self.client.focus = self end
function EditBox:ClearFocus() if self.client.focus == self then self.client.focus = nil end end
function EditBox:HighlightText(a, b) self.highlight = { a or 0, b or -1 } end
function EditBox:SetFontObject(f) self.fontObject = f end
function EditBox:SetTextInsets(l, r, t, b) self.insets = { l, r, t, b } end
function EditBox:SetNumeric(n) self.numeric = n and true or false end
function EditBox:GetNumber() return tonumber(self.text) or 0 end
function EditBox:Insert(t) self:SetText((self.text or "") .. t) end

local ScrollFrame = newMethods(Frame)
function ScrollFrame:SetScrollChild(c) self.scrollChild = c; c:SetParent(self) end
function ScrollFrame:GetScrollChild() return self.scrollChild end
function ScrollFrame:SetVerticalScroll(v)
  self.verticalScroll = v
  if self.scripts.OnVerticalScroll then self.client:callScript(self, "OnVerticalScroll", v) end
end
function ScrollFrame:GetVerticalScroll() return self.verticalScroll or 0 end
function ScrollFrame:GetVerticalScrollRange()
  local child = self.scrollChild
  if not child then return 0 end
  return math.max(0, (child.height or 0) - (self.height or 0))
end
function ScrollFrame:UpdateScrollChildRect() end

local Slider = newMethods(Frame)
function Slider:SetMinMaxValues(a, b) self.min, self.max = a, b end
function Slider:GetMinMaxValues() return self.min or 0, self.max or 0 end
function Slider:SetValue(v)
  v = math.max(self.min or 0, math.min(self.max or 0, v))
  local changed = v ~= self.value
  self.value = v
  if changed and self.scripts.OnValueChanged then self.client:callScript(self, "OnValueChanged", v) end
end
function Slider:GetValue() return self.value or 0 end
function Slider:SetValueStep(s) self.step = s end
function Slider:SetOrientation(o) self.orientation = o end
function Slider:SetThumbTexture(t) self.thumb = t end

local StatusBar = newMethods(Frame)
function StatusBar:SetMinMaxValues(a, b) self.min, self.max = a, b end
function StatusBar:GetMinMaxValues() return self.min or 0, self.max or 0 end
function StatusBar:SetValue(v)
  self.value = math.max(self.min or 0, math.min(self.max or 0, v))
  if self.scripts.OnValueChanged then self.client:callScript(self, "OnValueChanged", self.value) end
end
function StatusBar:GetValue() return self.value or 0 end
function StatusBar:SetStatusBarTexture(t)
  if not self.barTexture then self.barTexture = self:CreateTexture(nil, "ARTWORK") end
  if type(t) == "table" then self.barTexture = t else self.barTexture:SetTexture(t) end
end
function StatusBar:GetStatusBarTexture() return self.barTexture end
function StatusBar:SetStatusBarColor(r, g, b, a) self.barColor = { r, g, b, a or 1 } end
function StatusBar:SetOrientation(o) self.orientation = o end

local function scriptSet(extra)
  local s = {}
  for k in pairs(FRAME_SCRIPTS) do s[k] = true end
  for _, k in ipairs(extra or {}) do s[k] = true end
  return s
end

EmuFrames.types = {
  Frame = { methods = Frame, scripts = scriptSet() },
  Button = { methods = Button, scripts = scriptSet({ "OnClick", "OnDoubleClick" }) },
  CheckButton = { methods = CheckButton, scripts = scriptSet({ "OnClick", "OnDoubleClick" }) },
  EditBox = { methods = EditBox, scripts = scriptSet({ "OnEnterPressed", "OnEscapePressed",
    "OnTextChanged", "OnEditFocusGained", "OnEditFocusLost", "OnTabPressed", "OnChar" }) },
  ScrollFrame = { methods = ScrollFrame, scripts = scriptSet({ "OnVerticalScroll", "OnScrollRangeChanged" }) },
  Slider = { methods = Slider, scripts = scriptSet({ "OnValueChanged" }) },
  StatusBar = { methods = StatusBar, scripts = scriptSet({ "OnValueChanged" }) },
}
-- The FrameXML templates of the 1.12 client that the addon inherits from, reduced to what they
-- give a frame (a font string, textures, default scripts). An unknown template is an error, as the
-- client refuses to create a frame that inherits a template it does not define.
EmuFrames.templates = {
  UIPanelButtonTemplate = function(client, f)
    local fs = f:CreateFontString(nil, "OVERLAY")
    fs:SetFontObject(client.env.GameFontNormal)
    fs:SetPoint("CENTER", f, "CENTER", 0, 0)
    f:SetFontString(fs)
    f:SetNormalTexture("Interface\\Buttons\\UI-Panel-Button-Up")
    f:SetPushedTexture("Interface\\Buttons\\UI-Panel-Button-Down")
    f:SetDisabledTexture("Interface\\Buttons\\UI-Panel-Button-Disabled")
    f:SetHighlightTexture("Interface\\Buttons\\UI-Panel-Button-Highlight")
    f.uiTemplate = "UIPanelButtonTemplate"
  end,
  UIPanelCloseButton = function(client, f)
    f:SetWidth(32)
    f:SetHeight(32)
    f:SetNormalTexture("Interface\\Buttons\\UI-Panel-MinimizeButton-Up")
    f:SetPushedTexture("Interface\\Buttons\\UI-Panel-MinimizeButton-Down")
    f:SetHighlightTexture("Interface\\Buttons\\UI-Panel-MinimizeButton-Highlight")
    f.scripts.OnClick = function() if f.parent then f.parent:Hide() end end
    f.uiTemplate = "UIPanelCloseButton"
  end,
  InputBoxTemplate = function(client, f)
    f:SetFontObject(client.env.ChatFontNormal)
    f:SetTextInsets(0, 0, 0, 0)
    f.scripts.OnEscapePressed = function() f:ClearFocus() end
    f.scripts.OnEditFocusGained = function() f:HighlightText() end
    f.uiTemplate = "InputBoxTemplate"
  end,
}

function EmuFrames.applyTemplates(client, f, list)
  for name in string.gfind(list, "[^,%s]+") do
    local apply = EmuFrames.templates[name]
    if not apply then error("CreateFrame: unknown template '" .. name .. "'", 4) end
    apply(client, f)
  end
end

EmuFrames.FontString = FontString
EmuFrames.Texture = Texture
