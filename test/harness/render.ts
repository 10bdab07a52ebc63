// Draws the emulated client's visible frames (EmuLayout.visible) as an HTML page, and that page
// as a PNG through headless Chromium (Debian's `chromium`), so a person can look at a window
// without the game. Game art is not available: backdrops, buttons and edit boxes are drawn in
// the colours of the 1.12 UI, textures given as file paths as flat placeholders.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Client } from "./raid";

export interface LayoutItem {
  type: string;
  name?: string;
  depth: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  text?: string;
  color?: number[];
  texture?: string | number[];
  vertexColor?: number[];
  backdrop?: boolean;
  backdropColor?: number[];
  backdropBorderColor?: number[];
  enabled?: boolean;
  checked?: boolean;
  justifyH?: string;
  layer?: string;
  clip?: { left: number; right: number; top: number; bottom: number };
  /** Font object name (GameFontNormal, ...). */
  font?: string;
  /** The FrameXML template the frame inherits (UIPanelButtonTemplate, ...). */
  uiTemplate?: string;
  backdropEdge?: string;
  /** A button's label whose button is disabled. */
  disabled?: boolean;
  highlightLocked?: boolean;
  /** A font string without a width: as wide as its text, as in the client. */
  autoWidth?: boolean;
  value?: number;
  min?: number;
  max?: number;
  orientation?: string;
}

/** Colour and size of the 1.12 font objects. */
const FONTS: Record<string, { color: string; size: number }> = {
  GameFontNormal: { color: "#ffd100", size: 12 },
  GameFontHighlight: { color: "#ffffff", size: 12 },
  GameFontNormalSmall: { color: "#ffd100", size: 10 },
  GameFontHighlightSmall: { color: "#ffffff", size: 10 },
  GameFontDisable: { color: "#808080", size: 12 },
  GameFontNormalLarge: { color: "#ffd100", size: 16 },
  ChatFontNormal: { color: "#ffffff", size: 13 },
};

const SCREEN_W = 1024;
const SCREEN_H = 768;

export function layoutOf(client: Client): LayoutItem[] {
  const list = client.raid.vm.eval<LayoutItem[] | Record<string, never>>(
    'EmuLayout.visible(W.clients["' + client.name + '"])',
  );
  return Array.isArray(list) ? list : [];
}

function rgba(c: number[] | undefined, fallback: string): string {
  if (!c) return fallback;
  const [r, g, b, a = 1] = c;
  return `rgba(${Math.round(r * 255)},${Math.round(g * 255)},${Math.round(b * 255)},${a})`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** WoW colour codes |cAARRGGBB...|r become spans. */
function colourText(s: string): string {
  let out = "";
  let open = false;
  const re = /\|c([0-9a-fA-F]{2})([0-9a-fA-F]{6})|\|r/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    out += escapeHtml(s.slice(last, m.index));
    if (open) out += "</span>";
    open = false;
    if (m[2]) {
      out += `<span style="color:#${m[2]}">`;
      open = true;
    }
    last = re.lastIndex;
  }
  out += escapeHtml(s.slice(last));
  if (open) out += "</span>";
  return out.replace(/\n/g, "<br>");
}

/** A StaticPopup as the client shows it: text and up to two buttons, near the top of the screen. */
export interface PopupItem {
  text: string;
  button1?: string;
  button2?: string;
}

export function popupsOf(client: Client): PopupItem[] {
  const list = client.raid.vm.eval<PopupItem[] | Record<string, never>>(
    '(function() local l = {} for i, p in ipairs(W.clients["' + client.name + '"].popups) do l[i] = { text = p.text, button1 = p.info.button1, button2 = p.info.button2 } end return l end)()',
  );
  return Array.isArray(list) ? list : [];
}

function popupHtml(popups: PopupItem[]): string {
  return popups
    .map((p, i) => {
      const buttons = [p.button1, p.button2].filter((b) => b !== undefined).map((b) => `<span class="pbtn">${escapeHtml(b as string)}</span>`).join("");
      return `<div class="popup" style="top:${135 + i * 110}px">${colourText(p.text)}<div class="pbtns">${buttons}</div></div>`;
    })
    .join("\n");
}

export function toHtml(items: LayoutItem[], title = "OGRH Sync", popups: PopupItem[] = []): string {
  const boxes = items.map((it) => {
    const x = it.left;
    const y = SCREEN_H - it.top;
    const w = Math.max(0, it.right - it.left);
    const h = Math.max(0, it.top - it.bottom);
    let style = `left:${x}px;top:${y}px;width:${w}px;height:${h}px;`;
    if (it.clip) {
      const c = it.clip;
      style += `clip-path: inset(${Math.max(0, it.top - c.top)}px ${Math.max(0, it.right - c.right)}px ${Math.max(0, c.bottom - it.bottom)}px ${Math.max(0, c.left - it.left)}px);`;
    }
    let cls = "region";
    let inner = "";
    if (it.type === "FontString") {
      cls += " text";
      const h = (it.justifyH ?? "CENTER").toLowerCase();
      const flex = h === "left" ? "flex-start" : h === "right" ? "flex-end" : "center";
      const font = FONTS[it.font ?? "GameFontNormal"] ?? FONTS.GameFontNormal;
      const colour = it.disabled ? "#7f7f7f" : rgba(it.color, font.color);
      style += `color:${colour};text-align:${h};justify-content:${flex};font-size:${font.size}px;`;
      if (it.autoWidth) {
        const cx = x + w / 2;
        style = style
          .replace(/^left:[^;]*;/, `left:${h === "left" ? x : h === "right" ? x + w - 400 : cx - 200}px;`)
          .replace(/width:[^;]*;/, "width:400px;");
        style += "white-space:nowrap;";
      }
      inner = colourText(it.text ?? "");
    } else if (it.type === "Texture") {
      cls += " texture";
      if (Array.isArray(it.texture)) style += `background:${rgba(it.texture, "transparent")};`;
      else if (it.vertexColor) style += `background:${rgba(it.vertexColor, "transparent")};`;
      else if (typeof it.texture === "string" && /UI-DialogBox-Header/.test(it.texture)) {
        cls += " header";
        style = `left:${x + w * 0.2}px;top:${y + h * 0.22}px;width:${w * 0.6}px;height:${h * 0.4}px;`;
      } else style += "background:rgba(255,255,255,0.06);";
    } else if (it.uiTemplate === "UIPanelCloseButton") {
      cls += " close";
      style = `left:${x + 6}px;top:${y + 6}px;width:${w - 12}px;height:${h - 12}px;`;
      inner = "&#x2715;";
    } else if (it.type === "Button" && it.uiTemplate !== "UIPanelButtonTemplate") {
      cls += " flat";
    } else if (it.type === "Button" || it.type === "CheckButton") {
      cls += it.type === "CheckButton" ? " check" : " button";
      if (it.enabled === false) cls += " disabled";
      if (it.checked) cls += " checked";
      if (it.highlightLocked) cls += " locked";
    } else if (it.type === "Slider") {
      cls += " slider";
      const range = (it.max ?? 0) - (it.min ?? 0);
      const frac = range > 0 ? ((it.value ?? 0) - (it.min ?? 0)) / range : 0;
      const knob = 24;
      inner = `<div class="knob" style="top:${Math.round(frac * Math.max(0, h - knob))}px;height:${knob}px"></div>`;
    } else if (it.type === "EditBox") {
      cls += " editbox";
      inner = colourText(it.text ?? "");
    } else if (it.backdrop) {
      cls += " backdrop";
      if (it.backdropEdge && /DialogBox/.test(it.backdropEdge)) cls += " dialog";
      style += `background:${rgba(it.backdropColor, "rgba(0,0,0,0.85)")};border-color:${rgba(it.backdropBorderColor, "#9a8a6a")};`;
    }
    return `<div class="${cls}" style="${style}" title="${escapeHtml(it.name ?? it.type)}">${inner}</div>`;
  });
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>
    body{margin:0;width:${SCREEN_W}px;height:${SCREEN_H}px;overflow:hidden;position:relative;
      background:radial-gradient(ellipse at 60% 40%,#4a5a44 0%,#263021 55%,#141a12 100%);
      font-family:"Friz Quadrata TT","Palatino Linotype",Georgia,serif;}
    .region{position:absolute;box-sizing:border-box;}
    .backdrop{border:3px solid #9a8a6a;border-radius:6px;box-shadow:0 0 0 1px #000 inset,0 4px 14px rgba(0,0,0,.6);}
    .text{font-size:12px;line-height:1.25;white-space:pre-wrap;overflow:hidden;text-shadow:1px 1px 0 #000;display:flex;align-items:center;}
    .button{background:linear-gradient(#8b1d12,#5a0d07);border:1px solid #c9a14a;border-radius:3px;}
    .button.disabled{background:linear-gradient(#4a4a4a,#2c2c2c);border-color:#6d6d6d;}
    .check{background:#1d1d1d;border:1px solid #8a8a8a;border-radius:2px;}
    .check.checked::after{content:"\\2713";color:#ffd100;position:absolute;left:2px;top:-2px;font-size:14px;}
    .backdrop.dialog{border:5px ridge #b9b4a8;border-radius:10px;background:#0b0b0b !important;
      box-shadow:0 0 0 2px #2a2a2a inset,0 6px 18px rgba(0,0,0,.7);}
    .header{background:linear-gradient(#3b3b3b,#151515);border:2px solid #b9b4a8;border-radius:4px;box-shadow:0 2px 4px rgba(0,0,0,.6);}
    .button{box-shadow:0 1px 2px rgba(0,0,0,.7);}
    .button.locked{background:linear-gradient(#c2331f,#7a1a0e);border-color:#ffe08a;}
    .flat{background:transparent;}
    .close{background:linear-gradient(#8b1d12,#4a0b05);border:1px solid #c9a14a;border-radius:4px;color:#ffd100;
      font:bold 12px sans-serif;display:flex;align-items:center;justify-content:center;}
    .slider{background:rgba(0,0,0,.55);border:1px solid #555;border-radius:3px;}
    .slider .knob{position:absolute;left:1px;right:1px;background:linear-gradient(90deg,#9a9a9a,#dcdcdc,#9a9a9a);border-radius:3px;}
    .editbox{background:rgba(0,0,0,.7);border:1px solid #6b6b6b;border-radius:2px;color:#fff;font-size:12px;padding:2px 4px;overflow:hidden;white-space:pre-wrap;}
    .popup{position:absolute;left:${SCREEN_W / 2 - 160}px;width:320px;box-sizing:border-box;padding:16px 18px 12px;
      background:#0b0b0b;border:5px ridge #b9b4a8;border-radius:10px;color:#fff;font-size:12px;text-align:center;
      white-space:pre-wrap;box-shadow:0 6px 18px rgba(0,0,0,.7);}
    .pbtns{display:flex;justify-content:center;gap:8px;margin-top:12px;}
    .pbtn{display:inline-block;width:110px;padding:3px 0;color:#ffd100;background:linear-gradient(#8b1d12,#5a0d07);
      border:1px solid #c9a14a;border-radius:3px;}
  </style></head><body>${boxes.join("\n")}${popupHtml(popups)}</body></html>`;
}

/** Renders a client's screen to a PNG with headless Chromium; throws when Chromium is missing. */
export function renderPng(client: Client, file: string): void {
  const chromium = ["chromium", "chromium-browser"].find((c) => spawnSync("sh", ["-c", "command -v " + c]).status === 0);
  if (!chromium) throw new Error("headless Chromium is needed: apt-get install -y chromium");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ogrh-render-"));
  const html = path.join(dir, "screen.html");
  fs.writeFileSync(html, toHtml(layoutOf(client), "OGRH Sync", popupsOf(client)));
  const r = spawnSync(chromium, [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--user-data-dir=" + path.join(dir, "profile"),
    `--window-size=${SCREEN_W},${SCREEN_H}`, "--screenshot=" + path.resolve(file), "file://" + html,
  ], { encoding: "utf8", timeout: 60000 });
  fs.rmSync(dir, { recursive: true, force: true });
  if (!fs.existsSync(file)) throw new Error("Chromium did not write " + file + ": " + r.stderr);
}
