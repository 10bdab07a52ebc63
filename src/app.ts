// Builds the addon from a Platform: the public OGRH_Sync table, boot on ADDON_LOADED, slash commands.
// Kept apart from main.ts so tests can build the whole addon over a fake platform.
// Two modes, chosen at load (docs/architecture.md "Modes"): standalone (OG-RaidHelper absent: the
// spec's OGRH, OGRH_SV and /ogrh are ours) and companion (OG-RaidHelper loaded: its OGRH, OGRH_SV
// and /ogrh are never touched; we live under OGRH_Sync, OGRH_Sync_SV and /ogrhsync only).
import { Platform } from "./core/platform";
import { ensureSV, planGlobal, SAVED_SV_NAME, SCHEMA_VERSION, setPlanGlobal, SPEC_SV_NAME } from "./store/sv";
import { adoptLegacy } from "./store/legacy";
import { runSuites, suiteNames } from "./selftest/registry";
import { registerBootSuite } from "./selftest/boot";
import { registerChecksumsSuite } from "./selftest/checksums";
import { registerValidationSuite } from "./selftest/validation";
import { registerRollbackSuite } from "./selftest/rollback";
import { registerGranularSuite } from "./selftest/granular";
import { installIntegrity } from "./integrity/api";
import type { Store } from "./store/store";
import { createJobRunner, JobRunner } from "./core/jobs";
import { createTransport, Transport } from "./transport/transport";
import { installRollback, Rollback } from "./rollback/rollback";
import { installSync } from "./sync/install";
import type { Granular } from "./sync/granular";

export const ADDON_NAME = "OGRH_Sync";
export const OTHER_ADDON = "OG-RaidHelper";
const CHAT_TAG = "|cff66ccffOGRH|r: ";

export type Mode = "standalone" | "companion";

/** Companion when OG-RaidHelper is loaded (it loads first: our .toc names it in OptionalDeps). */
export function detectMode(platform: Platform): Mode {
  const ogrh = platform.getGlobal("OGRH") as { SVM?: unknown } | undefined;
  if (typeof ogrh === "object" && ogrh.SVM !== undefined) return "companion";
  return platform.addonLoaded(OTHER_ADDON) ? "companion" : "standalone";
}

/** @noSelf */
export interface OgrhApi {
  EnsureSV: () => unknown;
  [name: string]: unknown;
}

/** @noSelf */
export interface App {
  api: OgrhApi;
  platform: Platform;
  say: (message: string) => void;
  jobs: JobRunner;
  transport: Transport;
  /** The write API over OGRH_SV (set once integrity is installed). */
  store: Store;
  /**
   * Called before anything replaces a whole raid or the whole plan (raid/full sync, Load
   * Defaults, admin transfer): rollback registers here to take its automatic backup first.
   */
  beforeBulkApply: (label: string, reason: string) => void;
  onBeforeBulkApply: (fn: (label: string, reason: string) => void) => void;
  mode: Mode;
  /** The plan layout of this mode: undefined standalone (the spec's), LAYOUT_V2 (core/schema.ts) in companion mode. */
  layout: string | undefined;
  /** The slash command to show in messages: /ogrh standalone, /ogrhsync in companion mode. */
  slash: string;
  /** Adds `/ogrhsync <name> ...` (and `/ogrh <name>` standalone); modules register their own. */
  addCommand: (name: string, usage: string, help: string, run: (rest: string) => void) => void;
  /** The typed handles of the modules (set once each is installed), for the window's backend. */
  rollback: Rollback;
  sync: Granular;
}

/** @noSelf */
interface SlashCommand {
  usage: string;
  help: string;
  run: (rest: string) => void;
}

export function createApp(platform: Platform): App {
  const say = (message: string) => platform.print(CHAT_TAG + message);
  const mode = detectMode(platform);
  const standalone = mode === "standalone";
  setPlanGlobal(standalone ? SPEC_SV_NAME : SAVED_SV_NAME);
  const slash = standalone ? "/ogrh" : "/ogrhsync";

  const api: OgrhApi = {
    EnsureSV: () => {
      const report = ensureSV(platform);
      for (const key of report.repaired) {
        say("Saved data '" + key + "' was unreadable; it was kept under " + planGlobal() + ".quarantine and reset.");
      }
      const sv = platform.getGlobal(planGlobal());
      // Standalone: OGRH_SV is only a runtime name; the client saves OGRH_Sync_SV.
      if (standalone) platform.setGlobal(SAVED_SV_NAME, sv);
      return sv;
    },
    SCHEMA_VERSION,
    MODE: mode,
  };
  platform.setGlobal("OGRH_Sync", api);
  if (standalone) platform.setGlobal("OGRH", api);
  const jobs = createJobRunner(platform);
  const transport = createTransport(platform, jobs);
  api.Jobs = jobs;
  api.Transport = transport;
  const commands: { [name: string]: SlashCommand } = {};
  const addCommand = (name: string, usage: string, help: string, run: (rest: string) => void) => {
    commands[name] = { usage, help, run };
  };
  const bulkHooks: ((label: string, reason: string) => void)[] = [];
  const app: App = {
    api,
    platform,
    say,
    jobs,
    transport,
    mode,
    // LAYOUT_V2 of core/schema.ts, written out: one more import would be createApp's 25th upvalue.
    layout: standalone ? undefined : "2",
    slash,
    store: undefined as unknown as Store,
    rollback: undefined as unknown as Rollback,
    sync: undefined as unknown as Granular,
    addCommand,
    beforeBulkApply: (label, reason) => {
      for (const fn of bulkHooks) fn(label, reason);
    },
    onBeforeBulkApply: (fn) => {
      bulkHooks.push(fn);
    },
  };
  // First of our ADDON_LOADED handlers: 0.1.0 data must be under our names before any module loads it.
  platform.on("ADDON_LOADED", (addonName) => {
    if (addonName === ADDON_NAME) for (const line of adoptLegacy(platform, standalone)) say(line);
  });
  app.store = installIntegrity(app).store;
  app.rollback = installRollback(app);
  // The app registers the self tests (in `/ogrh test all` order), so no module imports them.
  registerBootSuite(platform);
  registerChecksumsSuite(api, app.store);
  registerValidationSuite(api, app.store);
  registerRollbackSuite();
  app.sync = installSync(app);
  registerGranularSuite(app, app.sync);

  const builtIn: { [name: string]: SlashCommand } = {
    debug: {
      usage: "debug",
      help: "toggle debug lines (dropped messages and why)",
      run: () => {
        transport.setDebug(!transport.debugEnabled());
        say("debug output " + (transport.debugEnabled() ? "on" : "off") + ".");
      },
    },
    printable: {
      usage: "printable on | off",
      help: "send only printable bytes (for servers that mangle bytes >= 128)",
      run: (rest) => {
        if (rest === "on" || rest === "off") transport.setPrintable(rest === "on");
        say("printable-only encoding is " + (transport.config.printable ? "on" : "off") + ".");
      },
    },
    test: {
      usage: "test all | test <suite>",
      help: "run the in-game self tests",
      run: (rest) => {
        const which = rest === "" ? "all" : rest;
        const result = runSuites(which, (line) => platform.print(line));
        if (result === undefined) {
          say("Unknown test suite '" + which + "'. Suites: all, " + suiteNames().join(", "));
        }
      },
    },
  };

  for (const name in builtIn) commands[name] = builtIn[name];

  const printHelp = () => {
    say(
      standalone
        ? "standalone mode (OG-RaidHelper not loaded): /ogrh and /ogrhsync are ours. Commands:"
        : "companion mode (next to OG-RaidHelper, whose data and /ogrh are left alone). Commands:",
    );
    const names: string[] = [];
    for (const name in commands) names.push(name);
    names.sort();
    for (const name of names) {
      platform.print("  " + slash + " " + commands[name].usage + " - " + commands[name].help);
    }
  };

  platform.registerSlash("OGRH_SYNC", standalone ? ["/ogrhsync", "/ogrh"] : ["/ogrhsync"], (msg) => {
    const trimmed = trim(msg);
    const space = trimmed.indexOf(" ");
    const name = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase();
    const rest = space < 0 ? "" : trim(trimmed.substring(space + 1));
    const command = commands[name];
    if (name === "" || name === "help" || command === undefined) {
      if (name !== "" && name !== "help") say("Unknown command '" + name + "'.");
      printHelp();
      return;
    }
    command.run(rest);
  });

  platform.on("ADDON_LOADED", (addonName) => {
    if (addonName !== ADDON_NAME) return;
    if (standalone) platform.setGlobal(SPEC_SV_NAME, platform.getGlobal(SAVED_SV_NAME));
    api.EnsureSV();
  });

  // Standalone: a player may replace OGRH_SV wholesale (/script OGRH_SV = {...}); the client
  // saves only OGRH_Sync_SV, so point it at whatever OGRH_SV is when the session ends.
  platform.on("PLAYER_LOGOUT", () => {
    if (!standalone) return;
    const live = platform.getGlobal(SPEC_SV_NAME);
    if (typeof live === "object") platform.setGlobal(SAVED_SV_NAME, live);
  });

  return app;
}

function trim(s: string): string {
  let start = 0;
  let stop = s.length;
  while (start < stop && isSpace(s.charAt(start))) start++;
  while (stop > start && isSpace(s.charAt(stop - 1))) stop--;
  return s.substring(start, stop);
}

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}
