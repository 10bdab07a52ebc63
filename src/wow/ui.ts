// The Toolkit (src/ui/toolkit.ts) over the 1.12 frame API: thin, no window logic. Only templates
// the 1.12 FrameXML defines are used (UIPanelButtonTemplate, UIPanelCloseButton, InputBoxTemplate);
// script handlers read the 1.12 globals (arg1) here and call plain callbacks.
import type { FontKind, Toolkit } from "../ui/toolkit";

const DIALOG_BACKDROP = {
  bgFile: "Interface\\DialogFrame\\UI-DialogBox-Background",
  edgeFile: "Interface\\DialogFrame\\UI-DialogBox-Border",
  tile: true,
  tileSize: 32,
  edgeSize: 32,
  insets: { left: 11, right: 12, top: 12, bottom: 11 },
};

const PANEL_BACKDROP = {
  bgFile: "Interface\\Tooltips\\UI-Tooltip-Background",
  edgeFile: "Interface\\Tooltips\\UI-Tooltip-Border",
  tile: true,
  tileSize: 16,
  edgeSize: 16,
  insets: { left: 4, right: 4, top: 4, bottom: 4 },
};

const SLIDER_BACKDROP = {
  bgFile: "Interface\\Buttons\\UI-SliderBar-Background",
  edgeFile: "Interface\\Buttons\\UI-SliderBar-Border",
  tile: true,
  tileSize: 8,
  edgeSize: 8,
  insets: { left: 3, right: 3, top: 6, bottom: 6 },
};

function fontObject(kind: FontKind): WowFontObject {
  if (kind === "highlight") return GameFontHighlight;
  if (kind === "small") return GameFontNormalSmall;
  if (kind === "smallHighlight") return GameFontHighlightSmall;
  if (kind === "large") return GameFontNormalLarge;
  if (kind === "disable") return GameFontDisable;
  return GameFontNormal;
}

export function createWowToolkit(): Toolkit {
  return {
    window: (name, title, width, height) => {
      const f = CreateFrame("Frame", name, UIParent);
      f.SetWidth(width);
      f.SetHeight(height);
      f.SetPoint("CENTER", UIParent, "CENTER", 0, 40);
      f.SetFrameStrata("HIGH");
      f.SetBackdrop(DIALOG_BACKDROP);
      f.EnableMouse(1);
      f.SetMovable(1);
      f.RegisterForDrag("LeftButton");
      f.SetScript("OnDragStart", () => f.StartMoving());
      f.SetScript("OnDragStop", () => f.StopMovingOrSizing());
      const header = f.CreateTexture(undefined, "ARTWORK");
      header.SetTexture("Interface\\DialogFrame\\UI-DialogBox-Header");
      header.SetWidth(360);
      header.SetHeight(64);
      header.SetPoint("TOP", f, "TOP", 0, 12);
      const caption = f.CreateFontString(undefined, "OVERLAY");
      caption.SetFontObject(GameFontNormal);
      caption.SetPoint("TOP", header, "TOP", 0, -14);
      caption.SetText(title);
      const close = CreateFrame("Button", name + "CloseButton", f, "UIPanelCloseButton");
      close.SetPoint("TOPRIGHT", f, "TOPRIGHT", -3, -3);
      UISpecialFrames.push(name);
      f.Hide();
      return f;
    },
    panel: (parent, name) => {
      const p = CreateFrame("Frame", name, parent);
      p.SetBackdrop(PANEL_BACKDROP);
      p.SetBackdropColor(0, 0, 0, 0.6);
      p.SetBackdropBorderColor(0.6, 0.6, 0.6, 1);
      return p;
    },
    text: (parent, font, justify) => {
      const fs = parent.CreateFontString(undefined, "OVERLAY");
      fs.SetFontObject(fontObject(font));
      fs.SetJustifyH(justify ?? "LEFT");
      return fs;
    },
    button: (parent, name, label, width, height, onClick) => {
      const b = CreateFrame("Button", name, parent, "UIPanelButtonTemplate") as WowButton;
      b.SetWidth(width);
      b.SetHeight(height);
      b.SetText(label);
      b.SetScript("OnClick", () => onClick());
      return b;
    },
    rowButton: (parent, name, height, onClick) => {
      const b = CreateFrame("Button", name, parent) as WowButton;
      b.SetHeight(height);
      b.EnableMouse(1);
      b.RegisterForClicks("LeftButtonUp");
      b.SetHighlightTexture("Interface\\QuestFrame\\UI-QuestTitleHighlight");
      b.SetScript("OnClick", () => onClick());
      return b;
    },
    fill: (parent, layer, r, g, b, a) => {
      const t = parent.CreateTexture(undefined, layer);
      t.SetTexture(r, g, b, a);
      return t;
    },
    input: (parent, name, width, maxLetters, onEnter) => {
      const e = CreateFrame("EditBox", name, parent, "InputBoxTemplate") as WowEditBox;
      e.SetWidth(width);
      e.SetHeight(20);
      e.SetAutoFocus(false);
      e.SetMaxLetters(maxLetters);
      e.SetScript("OnEnterPressed", () => onEnter());
      e.SetScript("OnEscapePressed", () => e.ClearFocus());
      return e;
    },
    textArea: (parent, name, width, height) => {
      const frame = CreateFrame("Frame", name, parent);
      frame.SetWidth(width);
      frame.SetHeight(height);
      frame.SetBackdrop(PANEL_BACKDROP);
      frame.SetBackdropColor(0, 0, 0, 0.8);
      frame.SetBackdropBorderColor(0.6, 0.6, 0.6, 1);
      const scroll = CreateFrame("ScrollFrame", name + "Scroll", frame) as WowScrollFrame;
      scroll.SetPoint("TOPLEFT", frame, "TOPLEFT", 8, -8);
      scroll.SetPoint("BOTTOMRIGHT", frame, "BOTTOMRIGHT", -8, 8);
      const box = CreateFrame("EditBox", name + "Box", scroll) as WowEditBox;
      box.SetWidth(width - 16);
      box.SetHeight(height - 16);
      box.SetMultiLine(1);
      box.SetAutoFocus(false);
      box.SetFontObject(GameFontHighlightSmall);
      box.SetScript("OnEscapePressed", () => box.ClearFocus());
      scroll.SetScrollChild(box);
      scroll.EnableMouseWheel(1);
      scroll.SetScript("OnMouseWheel", () => {
        const delta = arg1 as number;
        const range = scroll.GetVerticalScrollRange();
        let v = scroll.GetVerticalScroll() - delta * 24;
        if (v < 0) v = 0;
        if (v > range) v = range;
        scroll.SetVerticalScroll(v);
      });
      frame.EnableMouse(1);
      frame.SetScript("OnMouseUp", () => box.SetFocus());
      return { frame, box, scroll };
    },
    scrollBar: (parent, name, onChange) => {
      const s = CreateFrame("Slider", name, parent) as WowSlider;
      s.SetOrientation("VERTICAL");
      s.SetWidth(16);
      s.SetBackdrop(SLIDER_BACKDROP);
      s.SetThumbTexture("Interface\\Buttons\\UI-ScrollBar-Knob");
      s.SetMinMaxValues(0, 0);
      s.SetValueStep(1);
      s.SetValue(0);
      s.SetScript("OnValueChanged", () => onChange(s.GetValue()));
      return s;
    },
    onWheel: (frame, fn) => {
      frame.EnableMouseWheel(1);
      frame.SetScript("OnMouseWheel", () => fn(arg1 as number));
    },
    onShow: (frame, fn) => frame.SetScript("OnShow", () => fn()),
    onHide: (frame, fn) => frame.SetScript("OnHide", () => fn()),
    onUpdate: (frame, fn) => {
      if (fn === undefined) frame.SetScript("OnUpdate", undefined);
      else frame.SetScript("OnUpdate", () => fn(arg1 as number));
    },
    confirm: (key, text, accept, cancel, onAccept) => {
      StaticPopupDialogs[key] = {
        text,
        button1: accept,
        button2: cancel,
        timeout: 0,
        whileDead: 1,
        hideOnEscape: 1,
        OnAccept: () => onAccept(),
      };
      StaticPopup_Show(key);
    },
    hideConfirm: (key) => StaticPopup_Hide(key),
  };
}
