// Builds the addon from a Platform: the public OGRH table, boot on ADDON_LOADED, slash commands.
// Kept apart from main.ts so tests can build the whole addon over a fake platform.
import { Platform } from "./core/platform";
import { ensureSV, SCHEMA_VERSION, SV_NAME } from "./store/sv";
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
const CHAT_TAG = "|cff66ccffOGRH|r: ";

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
  /** Adds `/ogrh <name> ...`; modules register their own commands. */
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

  const api: OgrhApi = {
    EnsureSV: () => {
      const report = ensureSV(platform);
      for (const key of report.repaired) {
        say("Saved data '" + key + "' was unreadable; it was kept under OGRH_SV.quarantine and reset.");
      }
      return platform.getGlobal(SV_NAME);
    },
    SCHEMA_VERSION,
  };
  platform.setGlobal("OGRH", api);
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
    say("commands:");
    const names: string[] = [];
    for (const name in commands) names.push(name);
    names.sort();
    for (const name of names) {
      platform.print("  /ogrh " + commands[name].usage + " - " + commands[name].help);
    }
  };

  platform.registerSlash("OGRH", ["/ogrh"], (msg) => {
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
    api.EnsureSV();
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
