// The emulated 1.12 addon channel itself: the rules every later test relies on.
import { Raid } from "../harness/raid";

describe("emulated addon channel", () => {
  let raid: Raid;
  afterEach(() => raid.close());

  // A tiny listener installed with raw Lua in a client, independent of the addon.
  function listen(r: Raid, name: string): void {
    r.player(name).run(`
      received = {}
      local f = CreateFrame("Frame")
      f:RegisterEvent("CHAT_MSG_ADDON")
      f:SetScript("OnEvent", function()
        table.insert(received, { prefix = arg1, text = arg2, dist = arg3, from = arg4, t = GetTime() })
      end)`);
  }

  test("a RAID message reaches every online member, the sender too, after the latency", () => {
    raid = Raid.start({ size: 5, latency: 0.3 });
    for (const c of raid.clients) listen(raid, c.name);
    raid.member(2).logout();
    raid.leader.run(`SendAddonMessage("T", "hello", "RAID")`);
    raid.advance(0.2);
    expect(raid.member(1).eval("table.getn(received)")).toBe(0);
    raid.advance(0.2);
    for (const i of [0, 1, 3, 4]) {
      expect(raid.member(i).eval("received[1]")).toMatchObject({ prefix: "T", text: "hello", dist: "RAID", from: "Tankmedady" });
    }
    expect(raid.allErrors()).toEqual([]);
  });

  test("prefix + text over 254 bytes, a newline or a tab in the prefix is a violation and is not delivered", () => {
    raid = Raid.start({ size: 2 });
    listen(raid, "Gnuzench");
    raid.leader.run(`SendAddonMessage("P", string.rep("x", 253), "RAID")`);
    raid.leader.run(`SendAddonMessage("P", string.rep("x", 254), "RAID")`);
    raid.leader.run(`SendAddonMessage("P", "a\\nb", "RAID")`);
    raid.leader.run(`SendAddonMessage("P\\t", "a", "RAID")`);
    raid.advance(1);
    expect(raid.member(1).eval("table.getn(received)")).toBe(1);
    expect(raid.violations().map((v) => v.what)).toEqual([
      "message of 255 bytes (limit 254)",
      "newline in addon message",
      "tab in prefix",
    ]);
  });

  test("\\0 truncates the text; WHISPER does not exist on 1.12", () => {
    raid = Raid.start({ size: 2 });
    listen(raid, "Gnuzench");
    raid.leader.run(`SendAddonMessage("P", "ab\\0cd", "RAID")`);
    raid.advance(1);
    expect(raid.member(1).eval("received[1].text")).toBe("ab");
    expect(() => raid.leader.run(`SendAddonMessage("P", "x", "WHISPER", "Gnuzench")`)).toThrow(/unknown distribution 'WHISPER'/);
  });

  test("a client behind a loading screen receives nothing and gets PLAYER_ENTERING_WORLD after it", () => {
    raid = Raid.start({ size: 3 });
    listen(raid, "Gnuzench");
    raid.member(1).run(`entered = 0
      local f = CreateFrame("Frame") f:RegisterEvent("PLAYER_ENTERING_WORLD")
      f:SetScript("OnEvent", function() entered = entered + 1 end)`);
    raid.member(1).loadingScreen(3);
    raid.leader.run(`SendAddonMessage("P", "during", "RAID")`);
    raid.advance(4);
    raid.leader.run(`SendAddonMessage("P", "after", "RAID")`);
    raid.advance(1);
    expect(raid.member(1).eval("received")).toEqual([expect.objectContaining({ text: "after" })]);
    expect(raid.member(1).eval("entered")).toBe(1);
  });

  test("loss is deterministic for a seed and drops about the configured share", () => {
    const counts: number[] = [];
    for (const seed of [7, 7, 8]) {
      raid = Raid.start({ size: 10, loss: 0.25, seed });
      for (const c of raid.clients) listen(raid, c.name);
      raid.leader.run(`for i = 1, 40 do SendAddonMessage("P", "m" .. i, "RAID") end`);
      raid.advance(1);
      let total = 0;
      for (const c of raid.clients) total += c.eval<number>("table.getn(received)");
      counts.push(total);
      raid.close();
    }
    raid = Raid.start({ size: 1 });
    expect(counts[0]).toBe(counts[1]);
    expect(counts[0]).toBeGreaterThan(400 * 0.65);
    expect(counts[0]).toBeLessThan(400 * 0.85);
    expect(counts[2]).not.toBe(counts[0]);
  });

  test("one sender's messages arrive in order at each receiver even with jitter", () => {
    raid = Raid.start({ size: 4, jitter: 0.5, seed: 3 });
    listen(raid, "Aelindra");
    raid.leader.run(`for i = 1, 30 do SendAddonMessage("P", tostring(i), "RAID") end`);
    raid.advance(2);
    const texts = raid.member(3).eval<{ text: string }[]>("received").map((m) => Number(m.text));
    expect(texts).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  test("the budget check flags a client that sends faster than the throttle model allows", () => {
    raid = Raid.start({ size: 2 });
    raid.advance(10);
    // 20 full messages at once: 20 * 295 = 5900 > the 4000 burst.
    raid.leader.run(`for i = 1, 20 do SendAddonMessage("P", string.rep("x", 252), "RAID") end`);
    expect(raid.leader.budgetViolations().length).toBeGreaterThan(0);
    // 13 messages (3835) fit the burst; after 10 quiet seconds more fit again.
    raid.advance(10);
    raid.member(1).run(`for i = 1, 13 do SendAddonMessage("P", string.rep("x", 252), "RAID") end`);
    expect(raid.member(1).budgetViolations()).toEqual([]);
  });

  test("the ChatThrottleLib v13 double queues and never exceeds the budget", () => {
    raid = Raid.start({ size: 2, ctl: true });
    listen(raid, "Gnuzench");
    raid.advance(6);
    raid.leader.run(`for i = 1, 60 do ChatThrottleLib:SendAddonMessage("BULK", "P", string.rep("y", 250) .. string.format("%03d", i), "RAID") end`);
    raid.advance(5);
    const got5 = raid.member(1).eval<number>("table.getn(received)");
    raid.advance(30);
    // (the addon's own sync traffic, prefix OGRH, shares the channel)
    const texts = raid.member(1).eval<{ prefix: string; text: string }[]>("received").filter((m) => m.prefix === "P").map((m) => Number(m.text.slice(-3)));
    expect(texts).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    // 800 per second after the burst: about 2.7 full messages a second.
    expect(got5).toBeGreaterThan(10);
    expect(got5).toBeLessThan(35);
    expect(raid.leader.budgetViolations()).toEqual([]);
    expect(raid.leader.eval("ChatThrottleLib.version")).toBe(13);
  });
});
