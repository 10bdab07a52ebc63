// `npm run sim`: a raid night in the emulated 1.12 raid, from the command line. The built addon runs
// as real Lua 5.0 in every client; nobody types anything unless the script says so. Prints a
// readable timeline of the sync (checksum polls, detection, drill-downs, requests, answers, pushes,
// repairs, with bytes) and a summary.
//   node scripts/sim.js [--size 40] [--loss 0.02] [--latency 0.2] [--jitter 0.2] [--seed 7] [--seconds 90] [--quiet]
// The script: after the first poll, 3 members have corrupted data (one component, one encounter,
// one global component); at 20 s the admin edits an assignment; at 25 s one member is in a loading
// screen for 8 s; at 40 s a member without rights pushes its copy.
"use strict";
require("./ts-register.js");
const { build } = require("./build.js");
const { Raid, stripColours } = require("../test/harness/raid.ts");

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf("--" + name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const size = Math.max(3, Math.min(40, opt("size", 40)));
const seconds = opt("seconds", 90);
const quiet = argv.includes("--quiet");

build();
const raid = Raid.start({ size, latency: opt("latency", 0.2), jitter: opt("jitter", 0.2), loss: opt("loss", 0.02), seed: opt("seed", 7) });
const admin = raid.leader;
const names = raid.clients.map((c) => c.name);
const pick = (i) => raid.clients[Math.min(i, size - 1)];
const bootOffset = {};
for (const c of raid.clients) bootOffset[c.name] = c.eval("GetTime()") - raid.now();

const events = [];
const say = (t, who, text) => events.push({ t, who, text });
const structure = (c) => c.eval("OGRH.SyncIntegrity.GetStructureChecksum()");
const outOfSync = () => raid.clients.filter((c) => structure(c) !== structure(admin)).map((c) => c.name);

const script = [
  {
    at: 5.6,
    what: "corruption on 3 members",
    run: () => {
      const [a, b, c] = [pick(5), pick(11), pick(23)];
      a.run(`OGRH_SV.encounterAssignments.BWL = OGRH_SV.encounterAssignments.BWL or {} OGRH_SV.encounterAssignments.BWL.Razorgore = { [1] = { "Impostor" } } OGRH.SyncIntegrity.VerifyCache()`);
      b.run(`OGRH_SV.encounterRaidMarks.MC.Lucifron = { [1] = 1 } OGRH_SV.encounterAnnouncements.MC.Lucifron = { "x" } OGRH_SV.encounterMgmt.roles.MC.Lucifron = {} OGRH.SyncIntegrity.VerifyCache()`);
      c.run(`OGRH_SV.consumes[1] = { primaryName = "Corrupt" } OGRH.SyncIntegrity.VerifyCache()`);
      return `${a.name}: BWL > Razorgore > playerAssignments; ${b.name}: MC > Lucifron (3 components); ${c.name}: consumes`;
    },
  },
  {
    at: 20,
    what: "the admin assigns a player",
    run: () => {
      admin.run(`OGRH.Store.Set({ "encounterAssignments", "Onyxia", "Onyxia", 1, 1 }, "Newtank")`);
      return `${admin.name}: Onyxia > Onyxia > playerAssignments`;
    },
  },
  {
    at: 25,
    what: "loading screen",
    run: () => {
      pick(30).loadingScreen(8);
      return `${pick(30).name} for 8 s`;
    },
  },
  {
    at: 40,
    what: "a push from a member without rights",
    run: () => {
      const m = pick(2);
      m.run(`OGRH.Store.Set({ "encounterAssignments", "BWL", "Vaelastrasz", 1, 1 }, "Rogue") OGRH.SyncGranular.SyncComponent("BWL", "Vaelastrasz", "playerAssignments")`);
      return `${m.name}: BWL > Vaelastrasz > playerAssignments`;
    },
  },
];

const t0 = raid.now();
let step = 0;
const convergedAt = {};
for (let t = 0; t < seconds; t += 0.5) {
  while (step < script.length && script[step].at <= t) {
    const s = script[step++];
    say(t0 + t, "script", s.what + ": " + s.run());
  }
  raid.advance(0.5);
  const bad = outOfSync();
  const key = bad.length === 0 ? "in sync" : bad.length + " out of sync";
  if (convergedAt.last !== key) {
    say(raid.now(), "state", key + (bad.length > 0 && bad.length <= 5 ? " (" + bad.join(", ") + ")" : ""));
    convergedAt.last = key;
  }
}

// Gather the sync timelines of every client (their clocks have a per-client boot offset).
for (const c of raid.clients) {
  const log = c.eval("OGRH.SyncGranular.Log()");
  for (const e of Array.isArray(log) ? log : []) {
    if (e.kind === "poll" && c.name !== admin.name) continue;
    events.push({ t: e.t - bootOffset[c.name], who: c.name, text: e.kind.padEnd(8) + " " + e.text });
  }
  const chat = c.chat();
  for (const l of Array.isArray(chat) ? chat : []) {
    const text = stripColours(l.text);
    if (/^OGRH: (Detected|Requesting|Repair|Ignored|No raid admin)/.test(text)) events.push({ t: l.t, who: c.name, text: "chat     " + text.slice(6) });
  }
}
events.sort((a, b) => a.t - b.t);
// The same line from many players within half a second: one line with a count.
const merged = [];
for (const e of events) {
  const same = merged.find((m) => m.text === e.text && e.t - m.t < 0.5 && m.who !== "script" && m.who !== "state");
  if (same) same.count++;
  else merged.push({ ...e, count: 1 });
}
const ignored = events.filter((e) => e.text.startsWith("chat     Ignored")).length;
const frames = raid.messages().filter((m) => m.prefix === "OGSY");
const bySender = {};
for (const m of frames) bySender[m.from] = (bySender[m.from] || 0) + m.size;
console.log(`OGRH Sync simulation: ${size} players, latency ${opt("latency", 0.2)} s, jitter ${opt("jitter", 0.2)} s, loss ${opt("loss", 0.02) * 100} %, ${seconds} s\n`);
let shownIgnored = 0;
for (const e of merged) {
  if (e.count > 1) e.text += `  (${e.count} players)`;
  if (quiet && !/script|state|chat/.test(e.who + e.text)) continue;
  if (e.text.startsWith("chat     Ignored")) {
    if (shownIgnored++ > 0) continue;
    e.text += ignored > 1 ? `  (and ${ignored - 1} more players)` : "";
  }
  console.log(`${(e.t - t0).toFixed(2).padStart(7)}  ${e.who.padEnd(12)} ${e.text}`);
}
const total = frames.reduce((n, m) => n + m.size, 0);
const stat = (c, k) => c.eval(`OGRH.SyncGranular.Stats().${k}`);
const sum = (k) => raid.clients.reduce((n, c) => n + stat(c, k), 0);
console.log("\nsummary");
console.log(`  players out of sync at the end: ${outOfSync().length}`);
console.log(`  addon messages: ${frames.length}, ${total.toLocaleString("en-US")} bytes (admin ${(bySender[admin.name] || 0).toLocaleString("en-US")}, members ${(total - (bySender[admin.name] || 0)).toLocaleString("en-US")})`);
console.log(`  admin: ${stat(admin, "pollsSent")} polls, ${stat(admin, "drillAnswers")} drill-down answers, ${stat(admin, "answers")} answers, ${stat(admin, "pushes")} pushes, ${stat(admin, "answersSkipped")} requests covered by an answer already sent`);
console.log(`  members: ${sum("detections")} detections, ${sum("drillRequests")} drill-down requests (${sum("drillSuppressed")} suppressed), ${sum("requests")} requests (${sum("requestsSuppressed")} suppressed), ${sum("applied")} applied, ${sum("discarded")} discarded, ${sum("rejected")} rejected`);
const violations = raid.clients.reduce((n, c) => n + c.budgetViolations().length, 0);
console.log(`  throttle budget violations: ${violations}; Lua errors: ${raid.allErrors().length}`);
raid.close();
void names;
