// Bad input: more than 10,000 random and mutated frames into a client running the built addon.
import * as fs from "fs";
import * as path from "path";
import { TransportRaid } from "./helpers";

const FUZZ_LUA = fs.readFileSync(path.join(__dirname, "fuzz.lua"), "utf8");

describe("bad input", () => {
  let t: TransportRaid;
  afterEach(() => t.close());

  test("12,000 random, mutated, truncated, duplicated and reordered frames: no Lua error, nothing corrupt delivered, bounded memory", () => {
    t = TransportRaid.start({ size: 2, seed: 4 });
    t.raid.vm.exec(FUZZ_LUA, "@fuzz.lua");
    t.recordAll("T");
    t.raid.advance(6);
    // Real traffic to mutate: payloads of several sizes, compressed and not.
    t.send("Tankmedady", "T", "TGen.bytes(40, 1)");
    t.send("Tankmedady", "T", "TGen.text(3000, 2)");
    t.send("Tankmedady", "T", "TGen.bytes(2500, 3)", "{ target = 'Gnuzench' }");
    t.raid.advance(30);
    expect(t.check("T")).toMatchObject({ missing: 0, corrupt: 0 });
    t.raid.vm.exec(`FRAMES = {} for _, m in ipairs(W.log) do if m.prefix == "OGSY" then table.insert(FRAMES, m.text) end end`);
    expect(t.raid.vm.eval<number>("table.getn(FRAMES)")).toBeGreaterThan(12);
    const memBefore = t.raid.vm.eval<number>(`(function() collectgarbage() return gcinfo() end)()`);
    const victim = 'W.clients["Gnuzench"]';
    const summary = t.raid.vm.eval<{ maxBuffered: number; maxPartials: number }>(`FUZZ.run(${victim}, FRAMES, 12000, 77)`);
    t.raid.advance(40);
    const errors = t.raid.allErrors();
    expect(errors).toEqual([]);
    // Every delivery is a payload that was really sent (replays count as duplicates, never corrupt).
    const rec = t.raid.vm.eval<{ n: number; corrupt: number }>(
      `(function() local g = ${victim}.env.TREC.T local bad = 0
         for i = 1, g.n do local ok = false for _, s in ipairs(TGen.sent) do if s.payload == g.got[i].payload then ok = true end end
           if not ok then bad = bad + 1 end end return { n = g.n, corrupt = bad } end)()`,
    );
    // (at least the three real payloads sent before the fuzzing)
    expect(rec.n).toBeGreaterThanOrEqual(3);
    expect(rec.corrupt).toBe(0);
    const stats = t.stats("Gnuzench");
    if (process.env.FUZZ_VERBOSE) console.log(JSON.stringify(summary), JSON.stringify(stats.dropped));
    expect(summary.maxBuffered).toBeLessThanOrEqual(1572864);
    expect(stats.partials).toBe(0);
    expect(stats.bufferedBytes).toBe(0);
    expect(stats.receivedFrames).toBeGreaterThanOrEqual(12000);
    for (const reason of ["bad frame", "duplicate", "newer protocol", "payload failed its check", "incomplete payload timed out"]) {
      expect(stats.dropped[reason] ?? 0).toBeGreaterThan(0);
    }
    const memAfter = t.raid.vm.eval<number>(`(function() collectgarbage() return gcinfo() end)()`);
    expect(memAfter - memBefore).toBeLessThan(2048);
    // The newer-version notice came once, with no debug spam in chat by default.
    const chat = t.raid.player("Gnuzench").chatText();
    expect(chat.match(/Please update the addon/g)?.length).toBe(1);
    expect(chat).not.toContain("debug");
  });

  test("the memory cap holds: a payload larger than the receive buffer is dropped, later ones still arrive", () => {
    t = TransportRaid.start({ size: 3 });
    t.recordAll("T");
    const g = t.raid.player("Gnuzench");
    g.run("OGRH.Transport.config.maxBuffered = 3000");
    t.raid.advance(6);
    t.send("Tankmedady", "T", "TGen.bytes(20000, 1)");
    t.send("Tankmedady", "T", "TGen.bytes(2000, 2)");
    let maxBuffered = 0;
    for (let i = 0; i < 60; i++) {
      t.raid.advance(1);
      maxBuffered = Math.max(maxBuffered, g.eval<number>("OGRH.Transport.stats().bufferedBytes"));
    }
    expect(maxBuffered).toBeLessThanOrEqual(3000);
    expect(g.eval<number>("TREC.T.n")).toBe(1);
    expect(g.eval<number>("TREC.T.got[1].len")).toBe(2000);
    expect(t.raid.player("Sunderwhere").eval<number>("TREC.T.n")).toBe(2);
    expect(t.raid.allErrors()).toEqual([]);
  });

  test("a newer protocol version is reported once, clearly; /ogrh debug shows dropped frames", () => {
    t = TransportRaid.start({ size: 2 });
    const g = t.raid.player("Gnuzench");
    t.raid.leader.sendRaw("OGSY", "2S" + "A".repeat(20));
    t.raid.leader.sendRaw("OGSY", "3S" + "A".repeat(20));
    t.raid.advance(1);
    expect(g.chatText()).toBe(
      "OGRH: Tankmedady runs a newer OGRH Sync (protocol version 2, this client speaks version 1). Please update the addon to sync with them.",
    );
    g.slash("/ogrh debug");
    t.raid.leader.sendRaw("OGSY", "garbage");
    t.raid.leader.sendRaw("OTHER", "not ours");
    t.raid.advance(1);
    expect(g.chatText()).toContain("debug output on");
    expect(g.chatText()).toContain("transport: bad frame (Tankmedady: not a frame)");
    expect(g.chatText()).not.toContain("not ours");
    expect(g.eval("OGRH.Transport.stats().dropped['unknown type']")).toBeNull();
  });
});
