// A real Lua 5.0.3 VM (npm lua-wasm-bindings) driven from jest.
// Strings cross JS <-> WASM as UTF-8, so values come back through EmuJSON (every byte outside
// printable ASCII escaped) and byte-exact data stays inside Lua.
import * as fs from "fs";
import * as path from "path";

const { lua, lauxlib, lualib } = require("lua-wasm-bindings/dist/lua.50");

const LUA_GLOBALSINDEX = -10001;
const EMU_DIR = path.join(__dirname, "..", "emu");
/** Emulator sources, in load order. */
const EMU_FILES = ["json.lua", "measure.lua", "savedvars.lua", "frames.lua", "layout.lua", "ctl.lua", "world.lua"];

export class LuaError extends Error {}

export class LuaVM {
  private readonly L: number;
  private closed = false;

  constructor() {
    this.L = lauxlib.luaL_newstate();
    lualib.luaL_openlibs(this.L);
  }

  /** A VM with the emulated client loaded. */
  static withEmulator(): LuaVM {
    const vm = new LuaVM();
    for (const file of EMU_FILES) {
      vm.exec(fs.readFileSync(path.join(EMU_DIR, file), "utf8"), "@" + file);
    }
    return vm;
  }

  /** Runs a chunk; throws LuaError with Lua's message on failure. */
  exec(source: string, chunkName = "=jest"): void {
    if (this.closed) throw new Error("Lua VM is closed");
    const L = this.L;
    // luaL_loadbuffer keeps the chunk name, so errors point at the file.
    const status = lauxlib.luaL_loadbuffer(L, source, Buffer.byteLength(source, "utf8"), chunkName);
    if (status !== 0) {
      const msg = lua.lua_tostring(L, -1);
      lua.lua_settop(L, 0);
      throw new LuaError(msg);
    }
    const runStatus = lua.lua_pcall(L, 0, 0, 0);
    if (runStatus !== 0) {
      const msg = lua.lua_tostring(L, -1);
      lua.lua_settop(L, 0);
      throw new LuaError(msg);
    }
  }

  /** Sets a global string without any escaping (the text must be valid UTF-8). */
  setString(name: string, value: string): void {
    lua.lua_pushstring(this.L, value);
    lua.lua_setfield(this.L, LUA_GLOBALSINDEX, name);
  }

  /** Reads a global string. */
  getString(name: string): string | undefined {
    lua.lua_getfield(this.L, LUA_GLOBALSINDEX, name);
    const value = lua.lua_isstring(this.L, -1) ? lua.lua_tostring(this.L, -1) : undefined;
    lua.lua_settop(this.L, 0);
    return value;
  }

  /** Evaluates a Lua expression list and returns its first value as JSON-decoded data. */
  eval<T = unknown>(expression: string): T {
    this.exec("__jest_result = EmuJSON.encode((function() return " + expression + " end)())");
    const json = this.getString("__jest_result");
    this.exec("__jest_result = nil");
    return JSON.parse(json ?? "null") as T;
  }

  close(): void {
    if (!this.closed) {
      lua.lua_close(this.L);
      this.closed = true;
    }
  }
}

/**
 * Lua source for a JS value in the fixture convention ("#N" keys are numeric). ASCII only.
 * Strings are written as their UTF-8 bytes, or with "latin1" as byte strings (one char per byte).
 */
export function toLuaLiteral(value: unknown, strings: "utf8" | "latin1" = "utf8"): string {
  const lit = (v: unknown): string => toLuaLiteral(v, strings);
  if (value === null || value === undefined) return "nil";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "(0/0)";
    if (!Number.isFinite(value)) return value > 0 ? "(1/0)" : "(-1/0)";
    return Number.isInteger(value) && Math.abs(value) < 2 ** 53 ? value.toFixed(0) : value.toPrecision(17);
  }
  if (typeof value === "string") return luaBytes(Buffer.from(value, strings));
  if (Array.isArray(value)) return "{" + value.map(lit).join(",") + "}";
  if (typeof value === "object") {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const numeric = /^#(.+)$/.exec(k);
      const key = numeric && !Number.isNaN(Number(numeric[1])) ? lit(Number(numeric[1])) : lit(k);
      parts.push("[" + key + "]=" + lit(v));
    }
    return "{" + parts.join(",") + "}";
  }
  throw new Error("cannot convert " + typeof value + " to Lua");
}

/** A Lua string literal holding the UTF-8 bytes of s, every non-printable byte as \ddd. */
export function luaString(s: string): string {
  return luaBytes(Buffer.from(s, "utf8"));
}

/** A Lua string literal for raw bytes. */
export function luaBytes(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += "\\\\";
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += "\\" + b.toString().padStart(3, "0");
  }
  return out + '"';
}
