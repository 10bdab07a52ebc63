// Driving the Data Management window through the emulated client's frames: click buttons by name
// or by their visible text, read font strings, type into edit boxes, as a player would.
import { Client } from "../harness/raid";
import { luaString } from "../harness/lua-vm";

export const WIN = "OGRHDataManagement";

/** The nodes a client's sync timeline records for `kind` ("request", "repaired", ...) since time t0. */
export function syncRefs(c: Client, kind: string, t0 = 0): { level: string; raid?: string; encounter?: string; component?: string }[] {
  const list = c.eval<{ t: number; kind: string; ref?: { level: string } }[] | Record<string, never>>("OGRH.SyncGranular.Log()");
  const events = Array.isArray(list) ? list : [];
  return events.filter((e) => e.kind === kind && e.t >= t0).map((e) => e.ref as { level: string });
}

/** Lua expression for the client object inside the VM. */
function ref(c: Client): string {
  return "W.clients[" + luaString(c.name) + "]";
}

export class Screen {
  constructor(readonly client: Client) {}

  /** Clicks a button by global name; fails when it is hidden or disabled. */
  click(name: string): void {
    const state = this.client.eval<string>(
      `(function() local b = ${name} if not b then return "missing" end if not b:IsVisible() then return "hidden" end if b.enabled == false then return "disabled" end b:Click() return "ok" end)()`,
    );
    if (state !== "ok") throw new Error("cannot click " + name + ": " + state);
  }

  /** Clicks the one visible button whose text is `text`. */
  clickText(text: string): void {
    const n = this.client.raid.vm.eval<number>(
      `(function() local l = ${ref(this.client)}:findByText(${luaString(text)}) local b = nil local n = 0
        for _, r in ipairs(l) do if r.objectType == "Button" or r.objectType == "CheckButton" then b = r n = n + 1 end end
        if n == 1 then b:Click() end return n end)()`,
    );
    if (n !== 1) throw new Error("expected one visible button '" + text + "', found " + n);
  }

  enabled(name: string): boolean {
    return this.client.eval<boolean>(`${name}.enabled ~= false and ${name}:IsVisible() == 1`);
  }

  visible(name: string): boolean {
    return this.client.eval<boolean>(`${name} ~= nil and ${name}:IsVisible() == 1`);
  }

  /** Text of a button, font string or edit box (by global name). */
  text(name: string): string {
    return this.client.eval<string | null>(`${name}:GetText()`) ?? "";
  }

  type(name: string, text: string): void {
    this.client.run(`${name}:SetFocus() ${name}:SetText(${luaString(text)})`);
  }

  /** Every visible font string text inside frame `name` (depth-first, creation order). */
  textsIn(name: string): string[] {
    const list = this.client.raid.vm.eval<string[] | Record<string, never>>(
      `(function() local c = ${ref(this.client)} local root = c.env[${luaString(name)}] local out = {}
        for _, r in ipairs(c.regions) do
          if r.objectType == "FontString" and r.shown and r:IsVisible() and r.text and r.text ~= "" then
            local p = r.parent local inside = false
            while p do if p == root then inside = true break end p = p.parent end
            if inside then table.insert(out, r.text) end
          end
        end return out end)()`,
    );
    return Array.isArray(list) ? list.map((t) => t.replace(/\|c[0-9a-fA-F]{8}/g, "").replace(/\|r/g, "")) : [];
  }

  /** The cells of the visible pooled rows of a list ("Tree" or "Backup"), one array per row. */
  rows(list: "Tree" | "Backup"): string[][] {
    const out: string[][] = [];
    for (let i = 1; i <= 12; i++) {
      const name = `${WIN}${list}Row${i}`;
      if (!this.visible(name)) continue;
      out.push(this.textsIn(name));
    }
    return out;
  }

  /** Colour (r, g, b) of the i-th font string of a row. */
  rowColour(list: "Tree" | "Backup", row: number, cell: number): number[] {
    return this.client.raid.vm.eval<number[]>(
      `(function() local c = ${ref(this.client)} local root = c.env[${luaString(`${WIN}${list}Row${row}`)}] local n = 0
        for _, r in ipairs(c.regions) do
          if r.objectType == "FontString" and r.parent == root then n = n + 1 if n == ${cell} then local x = r.color or {1,1,1} return {x[1], x[2], x[3]} end end
        end return {} end)()`,
    );
  }

  /** Turns the mouse wheel over a frame (1 up, -1 down). */
  wheel(name: string, delta: number): void {
    this.client.raid.vm.exec(`${ref(this.client)}:callScript(${ref(this.client)}.env[${luaString(name)}], "OnMouseWheel", ${delta})`);
  }

  popupTexts(): string[] {
    return this.client.popups().map((p) => p.text);
  }
}
