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
}

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

export function toHtml(items: LayoutItem[], title = "OGRH Sync"): string {
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
      style += `color:${rgba(it.color, "#ffd100")};text-align:${h};justify-content:${flex};`;
      inner = colourText(it.text ?? "");
    } else if (it.type === "Texture") {
      cls += " texture";
      if (Array.isArray(it.texture)) style += `background:${rgba(it.texture, "transparent")};`;
      else if (it.vertexColor) style += `background:${rgba(it.vertexColor, "transparent")};`;
      else style += "background:rgba(255,255,255,0.06);";
    } else if (it.type === "Button" || it.type === "CheckButton") {
      cls += it.type === "CheckButton" ? " check" : " button";
      if (it.enabled === false) cls += " disabled";
      if (it.checked) cls += " checked";
    } else if (it.type === "EditBox") {
      cls += " editbox";
      inner = colourText(it.text ?? "");
    } else if (it.backdrop) {
      cls += " backdrop";
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
    .editbox{background:rgba(0,0,0,.7);border:1px solid #6b6b6b;border-radius:2px;color:#fff;font-size:12px;padding:2px 4px;overflow:hidden;white-space:pre-wrap;}
  </style></head><body>${boxes.join("\n")}</body></html>`;
}

/** Renders a client's screen to a PNG with headless Chromium; throws when Chromium is missing. */
export function renderPng(client: Client, file: string): void {
  const chromium = ["chromium", "chromium-browser"].find((c) => spawnSync("sh", ["-c", "command -v " + c]).status === 0);
  if (!chromium) throw new Error("headless Chromium is needed: apt-get install -y chromium");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ogrh-render-"));
  const html = path.join(dir, "screen.html");
  fs.writeFileSync(html, toHtml(layoutOf(client)));
  const r = spawnSync(chromium, [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--user-data-dir=" + path.join(dir, "profile"),
    `--window-size=${SCREEN_W},${SCREEN_H}`, "--screenshot=" + path.resolve(file), "file://" + html,
  ], { encoding: "utf8", timeout: 60000 });
  fs.rmSync(dir, { recursive: true, force: true });
  if (!fs.existsSync(file)) throw new Error("Chromium did not write " + file + ": " + r.stderr);
}
