// The emulated raid night, driven from jest: the built addon running as real Lua 5.0 in up to 40
// emulated 1.12 clients that share one simulated clock and one addon channel.
//
//   const raid = Raid.start({ size: 40 });
//   raid.leader.slash("/ogrh test all");
//   raid.advance(5);
//   expect(raid.member(7).chatText()).toContain("...");
import * as fs from "fs";
import * as path from "path";
import { LuaVM, luaString } from "./lua-vm";

export const DIST_DIR = path.join(__dirname, "..", "..", "dist", "OGRH_Sync");
export const ADDON_FOLDER = "OGRH_Sync";
/** The real OG-RaidHelper (third-party, never copied into the project: read from ../shared). */
export const OGRH_FOLDER = "OG-RaidHelper";
export const OGRH_DIR = path.join(__dirname, "..", "..", "..", "shared", "vendor", "addons", OGRH_FOLDER);

/** Names of a 40-player raid; the first three are the players of the spec's in-game test. */
export const ROSTER_NAMES = [
  "Tankmedady", "Gnuzench", "Sunderwhere", "Aelindra", "Brakkus", "Celestia", "Dornak", "Elowen",
  "Fizzlebang", "Grimtooth", "Holyhoof", "Ironveil", "Jorunn", "Kaelthos", "Lunara", "Morgrim",
  "Nythera", "Orgath", "Pyrelia", "Quillon", "Rhastak", "Sylvane", "Thoradin", "Ulyssa",
  "Varkoth", "Wyndra", "Xalvar", "Yseline", "Zugroth", "Ashbringer", "Bloodfang", "Cinderra",
  "Duskwhisper", "Emberlyn", "Frostmane", "Gloomrot", "Hexweaver", "Ivorybane", "Jadeclaw", "Kragmor",
];

export interface RaidOptions {
  /** Number of players (1-40). The first is the raid leader. */
  size?: number;
  /** Names of assistants (rank 1). */
  assistants?: string[];
  seed?: number;
  /** One-way latency in seconds. */
  latency?: number;
  jitter?: number;
  /** Probability that one delivery of one message is lost. */
  loss?: number;
  /** Load a ChatThrottleLib v13 global in every client. */
  ctl?: boolean;
  /** Define _G as Turtle WoW's UI does (stock 1.12 has none). */
  turtleG?: boolean;
  /** Log in every client at start (default true). */
  login?: boolean;
  /** SavedVariables text per player, as if written by an earlier session. */
  savedVariables?: Record<string, string>;
  /** Also install the vendored OG-RaidHelper (Interface\AddOns\OG-RaidHelper). */
  withOGRaidHelper?: boolean;
  /** Addon folders a player has enabled (default: every installed addon). */
  addons?: Record<string, string[]>;
}

export interface ChatLine {
  t: number;
  text: string;
}

export interface ClientError {
  t: number;
  script: string;
  message: string;
}

export interface AddonMessage {
  t: number;
  from: string;
  prefix: string;
  text: string;
  dist: string;
  size: number;
}

let cachedAddon: { toc: string; files: Record<string, string> } | undefined;

/** Reads the built addon folder (npm run build writes it). */
export function loadBuiltAddon(): { toc: string; files: Record<string, string> } {
  if (cachedAddon) return cachedAddon;
  const tocPath = path.join(DIST_DIR, ADDON_FOLDER + ".toc");
  if (!fs.existsSync(tocPath)) throw new Error("addon not built: run `npm run build` (missing " + tocPath + ")");
  const toc = fs.readFileSync(tocPath, "utf8");
  const files: Record<string, string> = {};
  for (const file of fs.readdirSync(DIST_DIR)) {
    if (file.endsWith(".lua")) files[file] = fs.readFileSync(path.join(DIST_DIR, file), "utf8");
  }
  cachedAddon = { toc, files };
  return cachedAddon;
}

let cachedOgrh: { toc: string; files: Record<string, string> } | undefined;

/** The vendored OG-RaidHelper: its .toc and every .lua/.xml file by backslash path. */
export function loadVendoredOgrh(): { toc: string; files: Record<string, string> } {
  if (cachedOgrh) return cachedOgrh;
  const files: Record<string, string> = {};
  const walk = (dir: string, rel: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const relPath = rel === "" ? entry.name : rel + "\\" + entry.name;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), relPath);
      else if (/\.(lua|xml)$/i.test(entry.name)) files[relPath] = fs.readFileSync(path.join(dir, entry.name), "utf8");
    }
  };
  walk(OGRH_DIR, "");
  cachedOgrh = { toc: fs.readFileSync(path.join(OGRH_DIR, OGRH_FOLDER + ".toc"), "utf8"), files };
  return cachedOgrh;
}

function installAddon(vm: LuaVM, folder: string, addon: { toc: string; files: Record<string, string> }): void {
  vm.exec("__files = {}");
  for (const [file, source] of Object.entries(addon.files)) {
    vm.setString("__file", source);
    vm.exec("__files[" + luaString(file) + "] = __file __file = nil");
  }
  vm.setString("__toc", addon.toc);
  vm.exec("W:installAddon(" + luaString(folder) + ", __toc, __files) __toc = nil __files = nil");
}

export class Client {
  constructor(
    readonly raid: Raid,
    readonly name: string,
  ) {}

  private get ref(): string {
    return "W.clients[" + luaString(this.name) + "]";
  }

  /** Runs Lua in this client's global environment. */
  run(source: string): void {
    this.raid.vm.exec(this.ref + ":run(" + luaString(source) + ")");
  }

  /** Evaluates a Lua expression in this client's global environment. */
  eval<T = unknown>(expression: string): T {
    return this.raid.vm.eval<T>(this.ref + ":run(" + luaString("return " + expression) + ")");
  }

  /** The canonical text (EmuSavedVars.canonical) of a Lua expression in this client. */
  canonical(expression: string): string {
    return this.raid.vm.eval<string>(
      "EmuSavedVars.canonical(" + this.ref + ":run(" + luaString("return " + expression) + "))",
    );
  }

  /** Types a slash command into the chat box. */
  slash(line: string): void {
    this.raid.vm.exec(this.ref + ":slash(" + luaString(line) + ")");
  }

  chat(): ChatLine[] {
    return this.raid.vm.eval<ChatLine[] | Record<string, never>>(this.ref + ".chat") as ChatLine[];
  }

  /** Chat lines without colour codes, joined by newlines. */
  chatText(): string {
    const lines = this.chat();
    return (Array.isArray(lines) ? lines : []).map((l) => stripColours(l.text)).join("\n");
  }

  clearChat(): void {
    this.raid.vm.exec(this.ref + ".chat = {}");
  }

  errors(): ClientError[] {
    const list = this.raid.vm.eval<ClientError[] | Record<string, never>>(this.ref + ".errors");
    return Array.isArray(list) ? list : [];
  }

  loadErrors(): string[] {
    const list = this.raid.vm.eval<string[] | Record<string, never> | null>(this.ref + ".loadErrors");
    return Array.isArray(list) ? list : [];
  }

  /** The addon folders this client loaded, in load order. */
  loadedAddons(): string[] {
    const list = this.raid.vm.eval<string[] | Record<string, never> | null>(
      "(function() local l = {} for i, f in ipairs(" + this.ref + ".loaded or {}) do l[i] = f end return l end)()",
    );
    return Array.isArray(list) ? list : [];
  }

  /** The SavedVariables file the client wrote at its last logout, byte-exact in Lua. */
  savedVariablesText(): string | undefined {
    return this.raid.vm.eval<string | null>("W.savedText[" + luaString(this.name) + "]") ?? undefined;
  }

  stats(): { sentMsgs: number; sentBytes: number; sentCost: number; recvMsgs: number; recvBytes: number } {
    return this.raid.vm.eval(this.ref + ".stats");
  }

  login(): void {
    this.raid.vm.exec(this.ref + ":login()");
  }

  logout(): void {
    this.raid.vm.exec(this.ref + ":logout()");
  }

  /** /reload: logout (SavedVariables written) and login again. */
  reload(): void {
    this.raid.vm.exec(this.ref + ":reload()");
  }

  loadingScreen(seconds: number): void {
    this.raid.vm.exec(this.ref + ":loadingScreen(" + seconds + ")");
  }

  popups(): { which: string; text: string }[] {
    const list = this.raid.vm.eval<{ which: string; text: string }[] | Record<string, never>>(
      "(function() local l = {} for i, p in ipairs(" + this.ref + ".popups) do l[i] = { which = p.which, text = p.text } end return l end)()",
    );
    return Array.isArray(list) ? list : [];
  }

  clickPopup(button: 1 | 2, editText?: string): void {
    this.raid.vm.exec(this.ref + ":clickPopup(" + button + ", " + (editText === undefined ? "nil" : luaString(editText)) + ")");
  }

  /** Sends a raw addon message from this client, bypassing the addon (for bad-input tests). */
  sendRaw(prefix: string, text: string, distribution = "RAID"): void {
    this.raid.vm.exec("W:send(" + this.ref + ", " + luaString(prefix) + ", " + luaString(text) + ", " + luaString(distribution) + ")");
  }

  budgetViolations(): { t: number; deficit: number }[] {
    const list = this.raid.vm.eval<{ t: number; deficit: number }[] | Record<string, never>>(
      "W:budgetViolations(" + luaString(this.name) + ")",
    );
    return Array.isArray(list) ? list : [];
  }
}

export class Raid {
  readonly vm: LuaVM;
  readonly clients: Client[] = [];

  private constructor(vm: LuaVM) {
    this.vm = vm;
  }

  static start(options: RaidOptions = {}): Raid {
    const size = options.size ?? 40;
    if (size < 1 || size > ROSTER_NAMES.length) throw new Error("raid size 1-40");
    const vm = LuaVM.withEmulator();
    const raid = new Raid(vm);
    const addon = loadBuiltAddon();
    vm.exec(
      "W = EmuWorld.new({ seed = " + (options.seed ?? 1) +
        ", latency = " + (options.latency ?? 0.2) +
        ", jitter = " + (options.jitter ?? 0) +
        ", loss = " + (options.loss ?? 0) +
        ", ctl = " + (options.ctl ? "true" : "false") +
        ", turtleG = " + (options.turtleG ? "true" : "false") + " })",
    );
    installAddon(vm, ADDON_FOLDER, addon);
    if (options.withOGRaidHelper) installAddon(vm, OGRH_FOLDER, loadVendoredOgrh());
    const assistants = new Set(options.assistants ?? []);
    for (let i = 0; i < size; i++) {
      const name = ROSTER_NAMES[i];
      const rank = i === 0 ? 2 : assistants.has(name) ? 1 : 0;
      const enabled = options.addons?.[name];
      const list = enabled === undefined ? "nil" : "{" + enabled.map(luaString).join(", ") + "}";
      vm.exec("W:addClient(" + luaString(name) + ", " + rank + ", nil, " + list + ")");
      raid.clients.push(new Client(raid, name));
      const saved = options.savedVariables?.[name];
      if (saved !== undefined) {
        vm.setString("__sv", saved);
        vm.exec("W.savedText[" + luaString(name) + "] = __sv __sv = nil");
      }
    }
    if (options.login ?? true) {
      for (const client of raid.clients) client.login();
    }
    return raid;
  }

  get leader(): Client {
    return this.clients[0];
  }

  /** The n-th player (0 is the leader). */
  member(n: number): Client {
    return this.clients[n];
  }

  player(name: string): Client {
    const client = this.clients.find((c) => c.name === name);
    if (!client) throw new Error("no player " + name);
    return client;
  }

  /** Lets simulated time pass: messages are delivered, every client's OnUpdate runs. */
  advance(seconds: number): void {
    this.vm.exec("W:advance(" + seconds + ")");
  }

  now(): number {
    return this.vm.eval<number>("W:now()");
  }

  messages(): AddonMessage[] {
    const list = this.vm.eval<AddonMessage[] | Record<string, never>>("W.log");
    return Array.isArray(list) ? list : [];
  }

  /** Channel rule breaks (oversized messages, newlines, tab in prefix). */
  violations(): { t: number; client: string; what: string }[] {
    const list = this.vm.eval<{ t: number; client: string; what: string }[] | Record<string, never>>("W.violations");
    return Array.isArray(list) ? list : [];
  }

  /** Every Lua error any client raised (load errors and script errors). */
  allErrors(): string[] {
    const out: string[] = [];
    for (const c of this.clients) {
      for (const e of c.loadErrors()) out.push(c.name + " (load): " + e);
      for (const e of c.errors()) out.push(c.name + " (" + e.script + "): " + e.message);
    }
    return out;
  }

  setRank(name: string, rank: 0 | 1 | 2): void {
    this.vm.exec("W:setRank(" + luaString(name) + ", " + rank + ")");
  }

  /** The player leaves the raid (stays online). */
  leave(name: string): void {
    this.vm.exec("W:leaveRaid(" + luaString(name) + ")");
  }

  join(name: string): void {
    this.vm.exec("W:joinRaid(" + luaString(name) + ")");
  }

  close(): void {
    this.vm.close();
  }
}

export function stripColours(text: string): string {
  return text.replace(/\|c[0-9a-fA-F]{8}/g, "").replace(/\|r/g, "");
}
