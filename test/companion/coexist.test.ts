// OGRH Sync next to the real OG-RaidHelper 2.1.15 (vendored in ../shared, loaded as the client
// loads it). Raid A: five players run both addons, Celestia runs OG-RaidHelper alone. Raid B, its
// twin: the same six players, same seed, everyone runs OG-RaidHelper alone. OG-RaidHelper's state
// holds per-player values (names, GetTime stamps, timers), so each client of A is compared with
// the same player in B; the lone client of A is the in-raid reference for errors and schema.
import { PREFIX } from "../../src/transport/transport";
import { Client, OGRH_FOLDER, Raid, ROSTER_NAMES } from "../harness/raid";

const SIZE = 6;
const LONE = ROSTER_NAMES[5];
const OGRH_PREFIXES = ["OGRH", "OGAM", "TWT"];

function startRaid(companions: number): Raid {
  const addons: Record<string, string[]> = {};
  for (let i = companions; i < SIZE; i++) addons[ROSTER_NAMES[i]] = [OGRH_FOLDER];
  return Raid.start({ size: SIZE, turtleG: true, withOGRaidHelper: true, addons, seed: 3 });
}

/** Every error a client logged (load and script), without the time. */
function errorsOf(c: Client): string[] {
  return [...c.loadErrors(), ...c.errors().map((e) => e.script + ": " + e.message)];
}

/** Addon messages without our own, as OG-RaidHelper's clients saw the channel. */
function theirMessages(raid: Raid): string[] {
  return raid.messages().filter((m) => m.prefix !== PREFIX).map((m) => m.t + " " + m.from + " " + m.prefix + " " + m.text);
}

const STATE = ["OGRH", "OGRH.SVM", "OGRH_SV.schemaVersion", "OGRH_SV.v2"];

describe("OGRH Sync beside OG-RaidHelper", () => {
  let a: Raid;
  let b: Raid;
  beforeAll(() => {
    a = startRaid(5);
    b = startRaid(0);
    a.advance(60);
    b.advance(60);
  });
  afterAll(() => {
    a.close();
    b.close();
  });

  const companions = () => a.clients.slice(0, 5);
  const twin = (c: Client) => b.player(c.name);

  test("the clients load what the .toc files say, OG-RaidHelper first; we run in companion mode", () => {
    for (const c of companions()) {
      expect(c.loadedAddons()).toEqual([OGRH_FOLDER, "OGRH_Sync"]);
      expect(c.eval("OGRH_Sync.MODE")).toBe("companion");
      expect(c.eval("OGRH ~= OGRH_Sync and OGRH.SVM ~= nil and OGRH_Sync.SyncIntegrity ~= nil")).toBe(true);
      for (const name of ["SyncIntegrity", "SyncGranular", "Rollback", "DataManagement", "Store", "Transport"]) {
        expect(c.eval(`type(OGRH_Sync.${name})`)).toBe("table");
      }
    }
    expect(a.player(LONE).loadedAddons()).toEqual([OGRH_FOLDER]);
    expect(a.player(LONE).eval("OGRH_Sync == nil")).toBe(true);
  });

  test("(1)+(2) errors and OG-RaidHelper's state are those of OG-RaidHelper alone, after load and after a reload", () => {
    const lone = a.player(LONE);
    // Its own error at load (1.12 has no loadfile): the reference every client must match.
    expect(lone.loadErrors()).toEqual([expect.stringContaining("Invites.lua:13: attempt to call global `loadfile'")]);
    for (const round of ["load", "reload"]) {
      if (round === "reload") {
        for (const c of [...a.clients, ...b.clients]) c.reload();
        a.advance(60);
        b.advance(60);
      }
      for (const c of companions()) {
        expect({ round, who: c.name, errors: errorsOf(c) }).toEqual({ round, who: c.name, errors: errorsOf(lone) });
        expect(errorsOf(c)).toEqual(errorsOf(twin(c)));
        expect(c.eval("OGRH_SV.schemaVersion")).toBe("v2");
        expect(c.canonical("OGRH.SVM")).toBe(lone.canonical("OGRH.SVM"));
        for (const expr of STATE) {
          expect({ round, who: c.name, expr, same: c.canonical(expr) === twin(c).canonical(expr) }).toEqual({ round, who: c.name, expr, same: true });
        }
      }
    }
    // OG-RaidHelper's saved file is byte for byte what it writes alone.
    for (const c of companions()) {
      const mine = a.vm.eval<string>(`W.savedFiles["${c.name}"]["${OGRH_FOLDER}"]`);
      expect(mine).toContain('OGRH_SV = {\n\t["firstRun"]');
      expect(mine).toBe(b.vm.eval<string>(`W.savedFiles["${c.name}"]["${OGRH_FOLDER}"]`));
      expect(a.vm.eval<string>(`W.savedText["${c.name}"]`)).toMatch(/^OGRH_Sync_SV = \{[\s\S]*\nOGRH_Sync_Backups = \{/);
    }
  });

  test("(3) our messages use our prefix only; OG-RaidHelper's reach no handler of ours and its traffic is unchanged", () => {
    const ours = a.messages().filter((m) => m.prefix === PREFIX);
    expect(ours.length).toBeGreaterThan(0);
    expect(OGRH_PREFIXES).not.toContain(PREFIX);
    const mine = new Set(ROSTER_NAMES.slice(0, 5));
    for (const m of a.messages()) {
      if (!OGRH_PREFIXES.includes(m.prefix)) {
        expect(m.prefix).toBe(PREFIX);
        expect(mine.has(m.from)).toBe(true);
      }
    }
    expect(a.messages().filter((m) => OGRH_PREFIXES.includes(m.prefix)).length).toBeGreaterThan(0);
    // Same OG-RaidHelper traffic, to the message and the millisecond, as in the raid without us.
    expect(theirMessages(a)).toEqual(theirMessages(b));
    // Our transport took in our own frames only and dropped none of them.
    for (const c of companions()) {
      const s = c.eval<{ receivedFrames: number; dropped: Record<string, number> }>("OGRH_Sync.Transport.stats()");
      expect(Object.keys(s.dropped ?? {}).filter((k) => (s.dropped as Record<string, number>)[k] > 0)).toEqual([]);
    }
  });

  test("(4) /ogrh stays OG-RaidHelper's in companion mode; /ogrhsync is ours and names the mode", () => {
    for (const c of [companions()[1], twin(companions()[1])]) c.clearChat();
    const c = companions()[1];
    c.slash("/ogrh");
    twin(c).slash("/ogrh");
    expect(c.chatText()).toBe(twin(c).chatText());
    expect(c.chatText()).not.toContain("Type '/help'");
    expect(c.chatText()).not.toContain("Commands:");
    expect(c.eval("SLASH_OGRH1")).toBe("/ogrh");
    expect(c.eval("SlashCmdList.OGRH ~= nil and SlashCmdList.OGRH ~= SlashCmdList.OGRH_SYNC")).toBe(true);
    // Its replies go to its own logger window: listen on OGRH.Msg while /ogrh help runs.
    const help = (x: Client) => {
      x.run(`HEARD = {} local msg = OGRH.Msg OGRH.Msg = function(t) table.insert(HEARD, t) end SlashCmdList.OGRH("help") OGRH.Msg = msg`);
      return x.eval<string[]>("HEARD");
    };
    expect(help(c)).toEqual(expect.arrayContaining(["Usage: /ogrh <command>"]));
    expect(help(c)).toEqual(help(twin(c)));
    expect(c.eval("SlashCmdList.OGRH_SYNC ~= nil and SLASH_OGRH_SYNC1")).toBe("/ogrhsync");
    expect(c.eval("SLASH_OGRH_SYNC2 == nil")).toBe(true);
    c.clearChat();
    c.slash("/ogrhsync");
    expect(c.chatText()).toContain("companion mode");
    expect(c.chatText()).toContain("/ogrhsync test all | test <suite>");
    c.clearChat();
    c.slash("/ogrhsync test all");
    expect(c.chatText()).toMatch(/OGRH self test: \d+ passed, 0 failed/);
    c.clearChat();
    c.slash("/ogrhsync data");
    expect(c.eval("OGRHDataManagement:IsShown()")).toBe(1);
    expect(c.chatText()).toBe("");
    expect(errorsOf(c)).toEqual(errorsOf(a.player(LONE)));
  });

  test("both addons' traffic together never goes over the client's throttle model", () => {
    const leader = a.leader;
    const t0 = a.now();
    // OG-RaidHelper's library sends 6 KB while we send 12 KB of our own, at once.
    leader.run(`OGAddonMsg.Broadcast("OGRH_COEXIST_LOAD", string.rep("x", 6000))`);
    leader.run(`OGRH_Sync.Transport.send("LOAD", string.rep("abcdefghij", 1200), { compress = false, priority = "BULK" })`);
    a.advance(60);
    const sent = a.messages().filter((m) => m.from === leader.name && m.t >= t0);
    expect(sent.filter((m) => m.prefix === PREFIX).length).toBeGreaterThan(40);
    expect(sent.filter((m) => m.prefix === "OGAM").length).toBeGreaterThan(20);
    for (const c of a.clients) expect({ who: c.name, over: c.budgetViolations() }).toEqual({ who: c.name, over: [] });
    expect(leader.eval("OGRH_Sync.Transport.stats().viaCTL")).toBe(leader.eval("OGRH_Sync.Transport.stats().sentFrames"));
  });
});

describe("standalone (OG-RaidHelper not installed)", () => {
  let raid: Raid;
  afterEach(() => raid.close());

  test("(4)+(5) OGRH is OGRH_Sync, OGRH_SV is our plan under our SavedVariable, /ogrh and /ogrhsync are ours", () => {
    raid = Raid.start({ size: 2 });
    const c = raid.leader;
    expect(c.eval("OGRH == OGRH_Sync and OGRH_Sync.MODE")).toBe("standalone");
    expect(c.eval("OGRH_SV == OGRH_Sync_SV and OGRH_SV.schemaVersion")).toBe(1);
    c.slash("/ogrhsync");
    expect(c.chatText()).toContain("standalone mode");
    c.clearChat();
    c.slash("/ogrh test all");
    expect(c.chatText()).toMatch(/OGRH self test: \d+ passed, 0 failed/);
    expect(raid.allErrors()).toEqual([]);
  });

  test("a player who replaces OGRH_SV wholesale from /script gets that table saved and back after a reload", () => {
    raid = Raid.start({ size: 1 });
    const c = raid.leader;
    c.run(`local t = {} for k, v in pairs(OGRH_SV) do t[k] = v end t.rgo = { tanks = { "Replaced" } } OGRH_SV = t`);
    c.reload();
    expect(c.eval("OGRH_SV.rgo.tanks[1]")).toBe("Replaced");
    expect(c.eval("OGRH_SV == OGRH_Sync_SV")).toBe(true);
    expect(c.savedVariablesText()).not.toMatch(/^OGRH_SV =/m);
    expect(raid.allErrors()).toEqual([]);
  });

  test("0.1.0 data (OGRH_SV with schemaVersion 1, OGRH_Backups) moves to our own names", () => {
    raid = Raid.start({ size: 1, login: false });
    raid.vm.exec(`W.savedText["${ROSTER_NAMES[0]}"] = 'OGRH_SV = { schemaVersion = 1, rgo = { tanks = { "Old" } } }\\nOGRH_Backups = { format = 1, nextId = 1, backups = {}, chunks = {} }\\n'`);
    const c = raid.leader;
    c.login();
    expect(c.chatText()).toContain("The plan saved by version 0.1.0 (OGRH_SV) is now kept in OGRH_Sync_SV.");
    expect(c.chatText()).toContain("Backups saved by version 0.1.0 were moved to OGRH_Sync_Backups.");
    expect(c.eval("OGRH_Sync_SV.rgo.tanks[1]")).toBe("Old");
    expect(c.eval("OGRH_Backups == nil and type(OGRH_Sync_Backups.backups)")).toBe("table");
    c.logout();
    const text = c.savedVariablesText() ?? "";
    expect(text).toMatch(/^OGRH_Sync_SV = \{/);
    expect(text).not.toContain("OGRH_Backups =");
    expect(raid.allErrors()).toEqual([]);
  });
});

describe("companion mode never adopts OG-RaidHelper's OGRH_SV, even one left in 0.1.0's layout", () => {
  test("an OGRH_SV with a numeric schemaVersion stays OG-RaidHelper's: our plan is a fresh one of our own", () => {
    const raid = Raid.start({ size: 1, turtleG: true, withOGRaidHelper: true, login: false });
    const c = raid.leader;
    raid.vm.exec(`W.savedFiles = { ["${c.name}"] = { ["${OGRH_FOLDER}"] = 'OGRH_SV = { schemaVersion = 1, rgo = { tanks = { "Old" } } }\\n' } }`);
    raid.vm.exec(`W.clients["${c.name}"].addons = { "OGRH_Sync", "${OGRH_FOLDER}" }`);
    c.login();
    expect(c.eval("OGRH_Sync.MODE")).toBe("companion");
    expect(c.eval("OGRH_Sync_SV ~= OGRH_SV and OGRH_Sync_SV.schemaVersion")).toBe(1);
    expect(c.eval("OGRH_Sync_SV.rgo.tanks == nil or OGRH_Sync_SV.rgo.tanks[1] ~= 'Old'")).toBe(true);
    raid.close();
  });
});
