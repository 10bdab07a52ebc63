// The transport in emulated raids: 40 clients, latency, jitter, loss, loading screens.
import { TransportRaid } from "./helpers";

const LEADER = "Tankmedady";
const ASSIST = "Celestia";

describe("transport in a 40-player raid", () => {
  let t: TransportRaid;
  afterEach(() => t.close());

  test("without loss every payload from 1 byte to 200 KB arrives intact, exactly once, in order per sender and priority", () => {
    t = TransportRaid.start({ size: 40, latency: 0.15, jitter: 0.3, seed: 11 });
    t.recordAll("T");
    t.raid.advance(6);
    const sizes = [1, 2, 100, 200, 250, 251, 1000, 5000, 50000];
    sizes.forEach((n, i) => expect(t.send(LEADER, "T", `TGen.bytes(${n}, ${i + 1})`)).toBe(true));
    t.send(LEADER, "T", `TGen.text(200000, 5)`, "{ priority = 'BULK' }");
    t.send(LEADER, "T", `TGen.bytes(200000, 6)`, "{ priority = 'BULK' }");
    t.send(LEADER, "T", `""`);
    // A second sender at the same time, with targets.
    for (let i = 0; i < 5; i++) t.send(ASSIST, "T", `TGen.text(${300 + i * 700}, ${20 + i})`, "{ target = 'Gnuzench' }");
    t.raid.advance(500);
    const result = t.check("T");
    expect(result).toEqual({ receivers: 40, missing: 0, corrupt: 0, duplicate: 0, outOfOrder: 0, delivered: 39 * 12 + 39 * 5 });
    expect(t.violations()).toEqual([]);
    expect(t.raid.violations()).toEqual([]);
    expect(t.raid.allErrors()).toEqual([]);
    // The target is visible to everyone; forMe only for the target.
    const got = t.raid.vm.eval<{ target: string; forMe: boolean }[]>(
      `(function() local l = {} for _, n in ipairs({ "Gnuzench", "Brakkus" }) do local g = W.clients[n].env.TREC.T.got
         for i = 1, table.getn(g) do if g[i].from == "${ASSIST}" then table.insert(l, { target = g[i].target, forMe = g[i].forMe }) break end end end return l end)()`,
    );
    expect(got).toEqual([{ target: "Gnuzench", forMe: true }, { target: "Gnuzench", forMe: false }]);
    for (const c of t.raid.clients) {
      expect(c.eval("OGRH.Transport.stats().bufferedBytes")).toBe(0);
      expect(c.eval("OGRH.Transport.stats().partials")).toBe(0);
    }
  });

  test("with loss and loading screens nothing corrupt or duplicate is delivered; incomplete payloads are dropped after the timeout", () => {
    t = TransportRaid.start({ size: 40, latency: 0.2, jitter: 0.2, loss: 0.02, seed: 5 });
    t.recordAll("T");
    t.raid.advance(6);
    for (let i = 0; i < 12; i++) t.send(LEADER, "T", `TGen.bytes(${1 + i * 900}, ${40 + i})`);
    t.send(ASSIST, "T", `TGen.text(20000, 3)`);
    t.raid.advance(4);
    t.raid.player("Dornak").loadingScreen(6);
    t.raid.player(ASSIST).loadingScreen(3);
    t.raid.advance(160);
    const result = t.check("T");
    expect(result.corrupt).toBe(0);
    expect(result.duplicate).toBe(0);
    expect(result.outOfOrder).toBe(0);
    expect(result.missing).toBeGreaterThan(0);
    // Most small payloads still arrive everywhere (one frame each: 98% of the time).
    expect(result.delivered).toBeGreaterThan(39 * 13 * 0.6);
    expect(t.violations()).toEqual([]);
    const dornak = t.stats("Dornak");
    expect(dornak.dropped["incomplete payload timed out"] ?? 0).toBeGreaterThan(0);
    for (const c of t.raid.clients) {
      expect(c.eval("OGRH.Transport.stats().partials")).toBe(0);
      expect(c.eval("OGRH.Transport.stats().bufferedBytes")).toBe(0);
    }
    expect(t.raid.allErrors()).toEqual([]);
  });

  test("at 20% loss a large payload addressed to one player arrives whole: its lost frames are asked for and sent again", () => {
    t = TransportRaid.start({ size: 40, latency: 0.2, jitter: 0.2, loss: 0.2, seed: 9 });
    t.recordAll("T");
    t.raid.advance(6);
    // ~60 frames: without re-requests all of them arrive at one player 0.8^60 of the time (never).
    t.send(LEADER, "T", `TGen.bytes(12000, 7)`, "{ target = 'Gnuzench' }");
    t.raid.advance(90);
    expect(t.check("T", ["Gnuzench"])).toMatchObject({ missing: 0, corrupt: 0, duplicate: 0 });
    expect(t.stats(LEADER).resentFrames as number).toBeGreaterThan(0);
    // Only the target asks (and players who lost the first frame, who cannot know the target).
    const asks = t.raid.messages().filter((m) => m.prefix === "OGRH" && m.text.includes("TX.NACK"));
    expect(new Set(asks.map((m) => m.from)).size).toBeLessThanOrEqual(1 + 40 * 0.2 * 2);
    // Everyone else lost frames too and did not ask: their copies time out.
    expect(t.violations()).toEqual([]);
    expect(t.raid.allErrors()).toEqual([]);
  });

  test("control messages overtake queued bulk data; the budget holds through the sender's loading screen", () => {
    t = TransportRaid.start({ size: 5, seed: 3 });
    t.recordAll("BULK");
    t.recordAll("CTRL");
    t.raid.advance(10);
    t.send(LEADER, "BULK", `TGen.bytes(30000, 1)`, "{ priority = 'BULK' }");
    t.raid.advance(5);
    t.send(LEADER, "CTRL", `"poll"`, "{ priority = 'ALERT' }");
    t.raid.advance(1);
    const ctrl = t.raid.player("Gnuzench").eval<number>("TREC.CTRL.n");
    const bulk = t.raid.player("Gnuzench").eval<number>("TREC.BULK.n");
    expect([ctrl, bulk]).toEqual([1, 0]);
    t.raid.player(LEADER).loadingScreen(2);
    t.raid.advance(70);
    expect(t.check("BULK")).toMatchObject({ missing: 0, corrupt: 0, duplicate: 0 });
    expect(t.violations()).toEqual([]);
    expect(t.raid.vm.eval(`table.getn(W.clients["${LEADER}"].clampWindows)`)).toBe(2);
  });

  test("with a ChatThrottleLib every frame goes through it and the budget holds", () => {
    t = TransportRaid.start({ size: 10, ctl: true, seed: 9 });
    t.recordAll("T");
    t.raid.advance(6);
    t.send(LEADER, "T", `TGen.bytes(20000, 1)`, "{ priority = 'BULK' }");
    t.send(LEADER, "T", `TGen.text(3000, 2)`, "{ priority = 'NORMAL' }");
    t.send(ASSIST, "T", `TGen.bytes(5000, 3)`);
    t.raid.advance(60);
    expect(t.check("T")).toMatchObject({ missing: 0, corrupt: 0, duplicate: 0, outOfOrder: 0, receivers: 10 });
    const s = t.stats(LEADER);
    expect(s.viaCTL).toBe(s.sentFrames);
    expect(t.raid.player(LEADER).eval("ChatThrottleLib.sentByPrio.BULK")).toBeGreaterThan(20000);
    expect(t.violations()).toEqual([]);
  });

  test("printable-only mode, switched at run time, puts no byte >= 128 or control byte on the wire", () => {
    t = TransportRaid.start({ size: 3 });
    t.recordAll("T");
    t.raid.advance(6);
    t.raid.vm.exec(`W.log = {}`);
    t.raid.leader.slash("/ogrh printable on");
    expect(t.raid.leader.chatText()).toContain("printable-only encoding is on");
    t.send(LEADER, "T", `TGen.bytes(3000, 1)`);
    t.send(LEADER, "T", `TGen.text(3000, 2)`);
    t.send(LEADER, "T", `TGen.text(100, 2) .. "\\0\\1\\255|~"`);
    t.raid.advance(30);
    expect(t.check("T")).toMatchObject({ missing: 0, corrupt: 0, duplicate: 0 });
    const bad = t.raid.vm.eval<number>(
      `(function() local n = 0 for _, m in ipairs(W.log) do if string.find(m.text, "[^ -{}~]") then n = n + 1 end end return n end)()`,
    );
    expect(bad).toBe(0);
    t.raid.leader.slash("/ogrh printable off");
    t.raid.vm.exec(`W.log = {}`);
    t.send(LEADER, "T", `TGen.bytes(3000, 4)`);
    t.raid.advance(10);
    expect(t.raid.vm.eval<number>(`(function() local n = 0 for _, m in ipairs(W.log) do if string.find(m.text, "[\\128-\\255]") then n = n + 1 end end return n end)()`)).toBeGreaterThan(0);
    expect(t.check("T")).toMatchObject({ missing: 0, corrupt: 0 });
  });

  test("no frame spends more than about 5 ms (300 thousand VM instructions) compressing or decompressing 200 KB of text and 50 KB of random bytes", () => {
    t = TransportRaid.start({ size: 2 });
    t.raid.vm.exec(`for _, n in ipairs(W.order) do TGen.countCoroutines(W.clients[n]) end`);
    t.recordAll("T");
    t.raid.advance(6);
    t.send(LEADER, "T", `TGen.text(200000, 3)`);
    t.send(LEADER, "T", `TGen.bytes(50000, 4)`);
    const costs = t.raid.vm.eval<number[]>(`TGen.frameCosts(3000)`);
    expect(t.check("T")).toMatchObject({ missing: 0, corrupt: 0 });
    expect(Math.max(...costs)).toBeLessThanOrEqual(300);
    // It did take many frames: the work was spread.
    expect(costs.filter((c) => c > 100).length).toBeGreaterThan(40);
  });
});
