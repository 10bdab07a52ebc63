// The attacks of issue 14 on the built addon in the emulated raid, as a raid member or a guild
// member outside the raid could make them with addon messages alone, and what the raid must still
// do meanwhile. One run (runAttack):
//   - a 10-player raid (admin Tankmedady; two groups of 5) settles for 12 s;
//   - the attack runs ATTACK_SECONDS: the attackers' frames go out at their byte rate;
//     at +1 s the member attacker also pushes a plan edit of its own (a member has no right to);
//     at +5 s the admin edits a slot: seconds until every other player has it ("edit");
//     at +10 s the victim's copy is corrupted: seconds until it equals the admin's again ("heal");
//   - then AFTER_SECONDS of quiet, and the VM's memory is compared with its level before the attack.
// Every frame of every player but the attackers is metered (VM instructions). Used by
// test/sync/attacks.test.ts (the limits) and scripts/bench-attacks.js (docs/benchmarks.md).
import { Meter, craftFrames, memoryKB } from "../harness/attack";
import { luaBytes, luaString } from "../harness/lua-vm";
import { Client, Raid } from "../harness/raid";
import { SyncRaid, corruptLua } from "./helpers";

export const ADMIN = "Tankmedady";
/** A raid member (group 2) who attacks. */
export const MEMBER = "Fizzlebang";
/** A guild member who is not in the raid (left it at the start). */
export const OUTSIDER = "Grimtooth";
/** The member whose copy is corrupted during the attack (group 2, like MEMBER). */
export const VICTIM = "Elowen";

export const ATTACK_SECONDS = 50;
export const AFTER_SECONDS = 60;
const STEP = 0.04;

/** A stream of frames from one player on one channel at a byte rate. */
export interface Stream {
  from: string;
  dist: string;
  /** Bytes per second on the wire (prefix, tab and text, as the server counts). */
  rate: number;
  /** The frames of the next payload; `id` is a fresh message id. */
  next: (id: number) => string[];
}

export interface AttackContext {
  raid: Raid;
  maxText: number;
  prefix: string;
  /** Canonical text of a Lua table expression, made by a player's own addon. */
  canonical: (luaTable: string) => string;
}

export interface Attack {
  key: string;
  title: string;
  /** Players who attack (not metered, not checked). */
  attackers: string[];
  /** Changes before the run (receivers' limits, extra players). */
  setup?: (ctx: AttackContext) => void;
  streams: (ctx: AttackContext) => Stream[];
  /** Corrupts the victim (default: one component). */
  corrupt?: string;
  /** Extra frames at a given second of the attack. */
  at?: (ctx: AttackContext) => PlannedFrame[];
}

export interface AttackResult {
  key: string;
  /** Seconds until every player but the attackers had the admin's edit. */
  edit: number;
  /** Seconds until the victim's plan equalled the admin's again. */
  heal: number;
  maxK: number;
  maxKClient: string;
  framesOver: number;
  memBeforeKB: number;
  memAfterKB: number;
  errors: string[];
  /** Players (not attackers) whose plan holds the member attacker's own edit. */
  applied: string[];
  /** Drill-down answers the admin sent. */
  adminDrillAnswers: number;
  /** Most frames the admin had queued to send at once during the attack. */
  adminQueue: number;
  /** Frames the attackers sent, and their bytes. */
  attackFrames: number;
  attackBytes: number;
  /** What a member (and the admin) dropped, by reason. */
  dropped: Record<string, number>;
  adminDropped: Record<string, number>;
  chat: string;
}

const RAZ = `OGRH_SV.encounterAssignments.BWL = OGRH_SV.encounterAssignments.BWL or {}
  OGRH_SV.encounterAssignments.BWL.Razorgore`;
export const CORRUPT_COMPONENT = `${RAZ} = { [1] = { "Impostor" } }`;
const MARKER = "MALLORY";

function serializeIn(c: Client, luaTable: string): string {
  const text = c.eval<string | null>(`OGRH.SyncIntegrity.Serialize(${luaTable})`);
  if (typeof text !== "string") throw new Error("cannot serialise " + luaTable);
  return text;
}

/** One raw frame of the attack plan, `t` seconds after the attack starts. */
interface PlannedFrame {
  t: number;
  from: string;
  dist: string;
  text: string;
}

/** Every stream's frames over the attack, each sent as soon as its stream's byte rate allows. */
function plan(ctx: AttackContext, streams: Stream[]): PlannedFrame[] {
  const out: PlannedFrame[] = [];
  let nextId = 5000;
  for (const st of streams) {
    let queue: string[] = [];
    let allowance = 0;
    for (let k = 0; k * STEP < ATTACK_SECONDS - 1e-9; k++) {
      allowance = Math.min(allowance + st.rate * STEP, 4000);
      for (;;) {
        if (queue.length === 0) queue = st.next(nextId++ % 262144);
        const size = ctx.prefix.length + 1 + queue[0].length;
        if (allowance < size) break;
        allowance -= size;
        out.push({ t: k * STEP, from: st.from, dist: st.dist, text: queue.shift() as string });
      }
    }
  }
  return out.sort((a, b) => a.t - b.t);
}

/**
 * The attack itself runs as one Lua chunk (sends, the timed events, the checks each step): the
 * harness then adds nothing to the VM's memory while the attack runs.
 */
const RUN_LUA = `
local A = AttackRun
local function c(name) return W.clients[name] end
local function structure(name) return c(name).env.OGRH.SyncIntegrity.GetStructureChecksum() end
local function hasEdit(name)
  local a = c(name).env.OGRH_SV.encounterAssignments.MC
  local l = a and a.Lucifron
  return l and l[1] and l[1][1] == A.editValue
end
local i, n = 1, table.getn(A.frames)
local k = 0
while k * A.step < A.duration - 1e-9 do
  local t = k * A.step
  while i <= n and A.frames[i].t <= t + 1e-9 do
    local f = A.frames[i]
    W:send(c(f.from), A.prefix, f.text, f.dist)
    A.sentFrames = A.sentFrames + 1
    A.sentBytes = A.sentBytes + string.len(A.prefix) + 1 + string.len(f.text)
    i = i + 1
  end
  for _, e in ipairs(A.events) do
    if not e.done and e.t <= t + 1e-9 then
      e.done = true
      c(e.who):run(e.lua)
      if e.mark == "edit" then A.edited = t end
      if e.mark == "corrupt" then
        A.corrupted = t
        if structure(e.who) == structure(A.admin) then error("the corruption changed nothing") end
      end
    end
  end
  W:advance(A.step)
  local now = t + A.step
  if A.edited and not A.edit then
    local all = true
    for _, name in ipairs(A.others) do if not hasEdit(name) then all = false break end end
    if all then A.edit = now - A.edited end
  end
  if A.corrupted and not A.heal and structure(A.victim) == structure(A.admin) then A.heal = now - A.corrupted end
  local queued = c(A.admin).env.OGRH.Transport.stats().queuedFrames
  if queued > A.adminQueue then A.adminQueue = queued end
  k = k + 1
  -- A full collection every second: how much memory the VM keeps then depends on what the addons
  -- hold, not on when the collector last ran (Lua 5.0 keeps some of its tables at their peak size).
  if math.mod(k, 25) == 0 then collectgarbage() end
end
A.frames = nil
for j = 1, A.after do
  W:advance(1)
  collectgarbage()
end`;

function luaList(items: string[]): string {
  return "{" + items.map((x) => luaString(x)).join(",") + "}";
}

export function runAttack(attack: Attack, seed = 1): AttackResult {
  const s = SyncRaid.start({ size: 10, latency: 0.2, jitter: 0.1, seed });
  const raid = s.raid;
  try {
    raid.vm.exec("W.logEnabled = false");
    const prefix = raid.player(ADMIN).eval<string>("OGRH.Transport.config.prefix");
    const ctx: AttackContext = { raid, maxText: 254 - prefix.length, prefix, canonical: (t) => serializeIn(raid.player(ADMIN), t) };
    raid.leave(OUTSIDER);
    attack.setup?.(ctx);
    const frames = plan(ctx, attack.streams(ctx)).concat(attack.at?.(ctx) ?? []).sort((a, b) => a.t - b.t);
    const editValue = "Edit" + seed;
    const events: { t: number; who: string; lua: string; mark?: string }[] = [
      { t: 5, who: ADMIN, lua: `OGRH.Store.Set({ "encounterAssignments", "MC", "Lucifron", 1, 1 }, "${editValue}")`, mark: "edit" },
      { t: 10, who: VICTIM, lua: corruptLua(attack.corrupt ?? CORRUPT_COMPONENT), mark: "corrupt" },
    ];
    if (attack.attackers.includes(MEMBER)) {
      // A member's own edit, pushed as plan data (the member has no right to).
      events.push({ t: 1, who: MEMBER, lua: `OGRH.Store.Set({ "encounterAssignments", "BWL", "Razorgore", 1, 1 }, "${MARKER}")
        OGRH.SyncGranular.SyncComponent("BWL", "Razorgore", "playerAssignments")` });
    }
    const honest = raid.clients.map((c) => c.name).filter((n) => !attack.attackers.includes(n) && n !== OUTSIDER);
    const others = honest.filter((n) => n !== ADMIN);
    raid.vm.exec(
      "AttackRun = { step = " + STEP + ", duration = " + ATTACK_SECONDS + ", after = " + AFTER_SECONDS + ", prefix = " + luaString(prefix) +
        ", admin = " + luaString(ADMIN) + ", victim = " + luaString(VICTIM) + ", editValue = " + luaString(editValue) +
        ", others = " + luaList(others) + ", sentFrames = 0, sentBytes = 0, adminQueue = 0, events = {" +
        events.map((e) => "{ t = " + e.t + ", who = " + luaString(e.who) + ", lua = " + luaString(e.lua) + (e.mark ? ", mark = " + luaString(e.mark) : "") + " }").join(",") +
        "}, frames = {" +
        frames.map((f) => "{ t = " + f.t.toFixed(2) + ", from = " + luaString(f.from) + ", dist = " + luaString(f.dist) + ", text = " + luaBytes(Buffer.from(f.text, "latin1")) + " }").join(",\n") +
        "} }",
    );
    raid.vm.exec("for j = 1, 12 do W:advance(1) collectgarbage() end");
    const meter = new Meter(raid);
    const memBeforeKB = memoryKB(raid);
    meter.start();
    raid.vm.exec(RUN_LUA, "=attack");
    meter.stop();
    const chat = raid.player(VICTIM).chatText();
    const memAfterKB = memoryKB(raid);
    const run = raid.vm.eval<{ edit?: number; heal?: number; sentFrames: number; sentBytes: number; adminQueue: number }>(
      "{ edit = AttackRun.edit, heal = AttackRun.heal, sentFrames = AttackRun.sentFrames, sentBytes = AttackRun.sentBytes, adminQueue = AttackRun.adminQueue }",
    );
    const frame = meter.result(honest);
    const applied = honest.filter((n) => raid.player(n).eval<boolean>(`string.find(OGRH.SyncIntegrity.Serialize(OGRH_SV.encounterAssignments) or "", "${MARKER}", 1, true) ~= nil`));
    const dropped = raid.player(VICTIM).eval<{ dropped: Record<string, number> }>("OGRH.Transport.stats()").dropped;
    const adminDropped = s.admin.eval<{ dropped: Record<string, number> }>("OGRH.Transport.stats()").dropped;
    return {
      key: attack.key,
      edit: run.edit ?? Infinity,
      heal: run.heal ?? Infinity,
      maxK: frame.maxK,
      maxKClient: frame.client,
      framesOver: frame.framesOver,
      memBeforeKB,
      memAfterKB,
      errors: raid.allErrors(),
      applied,
      adminQueue: run.adminQueue,
      adminDrillAnswers: s.stats(s.admin).drillAnswers,
      attackFrames: run.sentFrames,
      attackBytes: run.sentBytes,
      dropped: Array.isArray(dropped) ? {} : dropped,
      adminDropped: Array.isArray(adminDropped) ? {} : adminDropped,
      chat,
    };
  } finally {
    raid.close();
  }
}

/** The same payload again and again under fresh ids. */
function repeat(ctx: AttackContext, payload: string, type: string, compress: boolean, target?: string, version?: string, firstOnly?: boolean): (id: number) => string[] {
  return (id) => craftFrames(payload, type, ctx.maxText, { id, compress, target, version, firstOnly });
}

/** A canonical list of n numbers whose exponent is far from 0 (d1p-1000;): costly to parse by a loop per unit of exponent. */
const numberBomb = (n: number) => `(function() local l = {} for i = 1, ${n} do l[i] = math.ldexp(1, -1000) end return l end)()`;

const ALL_RAIDS = `(function() local q = {} for name in pairs(OGRH_SV.encounterMgmt.raids) do q[name] = { m = "x", e = {} } end return q end)()`;

export const ATTACKS: Attack[] = [
  {
    key: "numbers",
    title: "1. Number-parsing bomb: canonical numbers with exponent -1000 (d1p-1000;), from a guild member outside the raid as checksums on GUILD (2 frames each, 970 B/s), and from a raid member as drill-down requests (15 KB of numbers compressed into 1 frame, one every 4 s)",
    attackers: [MEMBER],
    streams: (ctx) => [
      { from: OUTSIDER, dist: "GUILD", rate: 970, next: repeat(ctx, ctx.canonical(`{ r = ${numberBomb(24)}, s = "x", v = 1 }`), "CK.POLL", false) },
      // (30 B/s: one 15 KB bomb every 4 s already costs every receiver 17 frames of parsing; more only queues up)
      { from: MEMBER, dist: "RAID", rate: 30, next: repeat(ctx, ctx.canonical(`{ q = ${numberBomb(1700)}, v = 1 }`), "CK.DRILL_REQ", true, ADMIN) },
    ],
  },
  {
    key: "suppress",
    title: "2. Repair suppressed from outside: drill-down requests for every raid, on GUILD from a guild member outside the raid (970 B/s) and on PARTY from a member of the victim's group (800 B/s)",
    attackers: [MEMBER],
    streams: (ctx) => [
      { from: OUTSIDER, dist: "GUILD", rate: 970, next: repeat(ctx, ctx.canonical(`{ q = ${ALL_RAIDS}, v = 1 }`), "CK.DRILL_REQ", false, ADMIN) },
      { from: MEMBER, dist: "PARTY", rate: 800, next: repeat(ctx, ctx.canonical(`{ q = ${ALL_RAIDS}, v = 1 }`), "SY.COMP_REQ", false, ADMIN) },
      { from: MEMBER, dist: "PARTY", rate: 200, next: repeat(ctx, ctx.canonical(`{ q = ${ALL_RAIDS}, v = 1 }`), "CK.DRILL_REQ", false, ADMIN) },
    ],
  },
  {
    key: "upload",
    title: "3. The admin's upload exhausted: a member's own-repair requests (o) for whole nodes (f), every encounter of Naxxramas, BWL and AQ40 in turn (SY.ENC_REQ, 4 a second) and whole raids (SY.RAID_REQ, 1 a second)",
    attackers: [MEMBER],
    streams: (ctx) => {
      const encounters = ctx.raid.player(ADMIN).eval<string[]>(`(function() local l = {}
        for _, r in ipairs({ "Naxxramas", "BWL", "AQ40" }) do
          for _, e in ipairs(OGRH_SV.encounterMgmt.raids[r].encounters) do table.insert(l, r .. "|" .. e.name) end
        end return l end)()`);
      const raids = ["BWL", "MC", "AQ40", "Naxxramas"];
      let k = 0;
      let r = 0;
      return [
        {
          from: MEMBER,
          dist: "RAID",
          rate: 4 * (ctx.prefix.length + 1 + 80),
          next: (id) => {
            const [ra, en] = encounters[k++ % encounters.length].split("|");
            return craftFrames(ctx.canonical(`{ ra = "${ra}", en = "${en}", f = true, o = true, v = 1 }`), "SY.ENC_REQ", ctx.maxText, { id, target: ADMIN });
          },
        },
        {
          from: MEMBER,
          dist: "RAID",
          rate: ctx.prefix.length + 1 + 60,
          next: (id) => craftFrames(ctx.canonical(`{ ra = "${raids[r++ % raids.length]}", f = true, o = true, v = 1 }`), "SY.RAID_REQ", ctx.maxText, { id, target: ADMIN }),
        },
      ];
    },
  },
  {
    key: "inflate",
    title: "4. Decompression bombs: 512 KB of zeros compressed (about 500 bytes), as a full-sync answer (a member may not send data) and as a drill-down request, 763 B/s",
    attackers: [MEMBER],
    streams: (ctx) => {
      const zeros = "\0".repeat(524288);
      const res = repeat(ctx, zeros, "SY.FULL_RES", true);
      const req = repeat(ctx, zeros, "CK.DRILL_REQ", true, ADMIN);
      let k = 0;
      return [{ from: MEMBER, dist: "RAID", rate: 763, next: (id) => (k++ % 2 === 0 ? res(id) : req(id)) }];
    },
  },
  {
    key: "names",
    title: "5. Made-up raid names: drill-down requests naming 400 raids nobody has (new names each time, about the most a request may carry), 800 B/s; and the first frame of one naming 20,000",
    attackers: [MEMBER],
    streams: (ctx) => {
      const names = (n: number, from: number) => `(function() local q = {} for i = ${from}, ${from + n - 1} do q["Fake" .. i] = { m = "x", e = {} } end return q end)()`;
      let k = 0;
      const big = repeat(ctx, ctx.canonical(`{ q = ${names(20000, 1)}, v = 1 }`), "CK.DRILL_REQ", true, ADMIN, undefined, true);
      return [
        {
          from: MEMBER,
          dist: "RAID",
          rate: 800,
          next: (id) => (k++ === 0 ? big(id) : craftFrames(ctx.canonical(`{ q = ${names(400, 100000 + k * 400)}, v = 1 }`), "CK.DRILL_REQ", ctx.maxText, { id, compress: true, target: ADMIN })),
        },
      ];
    },
  },
  {
    key: "evict",
    title: "6. Reassembly flooded: three members keep drill-down requests of the largest size open (first frame and more, never the last), 800 B/s each, against a 64 KB shared pool; the victim's repair is a whole raid (several frames)",
    attackers: [MEMBER, "Dornak", "Celestia"],
    setup: (ctx) => {
      for (const c of ctx.raid.clients) c.run("OGRH.Transport.config.maxBuffered = 65536");
    },
    corrupt: `OGRH_SV.encounterMgmt.raids.BWL.advancedSettings = { corrupted = true }`,
    streams: (ctx) => {
      // Incompressible text under the size limit: many frames, all but the last sent.
      let x = 12345;
      let junk = "";
      while (junk.length < 15000) {
        x = (x * 1103515245 + 12345) % 2147483648;
        junk += String.fromCharCode(33 + (x % 90));
      }
      return [MEMBER, "Dornak", "Celestia"].map((from) => ({
        from,
        dist: "RAID",
        rate: 800,
        next: (id: number) => {
          const frames = craftFrames(junk, "CK.DRILL_REQ", ctx.maxText, { id, target: ADMIN });
          return frames.slice(0, frames.length - 1);
        },
      }));
    },
  },
  {
    key: "version",
    title: "7. Version warnings spoofed: a member sends frames of protocol version 2 (and sync payloads of version 2) once a second; at +20 s a real newer client speaks",
    attackers: [MEMBER],
    streams: (ctx) => {
      const poll = ctx.canonical(`{ q = {}, v = 2 }`);
      let k = 0;
      return [{ from: MEMBER, dist: "RAID", rate: 250, next: (id) => craftFrames(poll, "CK.DRILL_REQ", ctx.maxText, { id, target: ADMIN, version: k++ % 2 === 0 ? "2" : undefined }) }];
    },
    at: (ctx) => {
      // A real newer client: a frame of protocol version 3, and a sync payload of version 2.
      const poll = ctx.canonical(`{ q = {}, v = 2 }`);
      const frames = craftFrames(poll, "CK.DRILL_REQ", ctx.maxText, { id: 77, target: ADMIN, version: "3" }).concat(
        craftFrames(poll, "CK.DRILL_REQ", ctx.maxText, { id: 78, target: ADMIN }),
      );
      return frames.map((text) => ({ t: 20, from: "Brakkus", dist: "RAID", text }));
    },
  },
];
