// The DEFLATE codec in Node, checked against zlib both ways. The same TypeScript runs in Lua 5.0
// (test/transport/lua-codec.test.ts compares the bytes).
import * as zlib from "zlib";
import { deflate, inflate } from "../../src/transport/deflate";
import { randomBytes, raidPlanText } from "./corpus";

const latin1 = (s: string) => Buffer.from(s, "latin1");
const str = (b: Buffer) => b.toString("latin1");

const corpora: [string, string][] = [
  ["empty", ""],
  ["1 byte", "x"],
  ["2 bytes", "\u0000\u00ff"],
  ["3 equal bytes", "aaa"],
  ["raid plan 300 B", raidPlanText(300, 3)],
  ["raid plan 20 KB", raidPlanText(20000, 4)],
  ["random 5 KB", randomBytes(5000, 5)],
  ["zeros 70 KB", "\u0000".repeat(70000)],
  ["64 KB - 1 mixed", (raidPlanText(40000, 6) + randomBytes(25535, 7))],
  ["64 KB + 1 random", randomBytes(65537, 8)],
  ["all bytes", Array.from({ length: 256 * 4 }, (_, i) => String.fromCharCode(i % 256)).join("")],
  ["raid plan 200 KB", raidPlanText(200000, 9)],
];

describe("DEFLATE codec against zlib", () => {
  test.each(corpora)("%s: zlib inflates ours, we inflate zlib's", (_name, data) => {
    const ours = deflate(data);
    expect(str(zlib.inflateRawSync(latin1(ours)))).toBe(data);
    for (const level of [1, 6, 9]) {
      const theirs = str(zlib.deflateRawSync(latin1(data), { level }));
      const back = inflate(theirs, data.length);
      expect(back).toEqual({ ok: true, data });
    }
    expect(inflate(ours, data.length)).toEqual({ ok: true, data });
  });

  test("compresses a raid plan at least 3x, random data grows by at most 0.1%", () => {
    const plan = raidPlanText(20000, 4);
    expect(deflate(plan).length).toBeLessThan(plan.length / 3);
    const rnd = randomBytes(20000, 5);
    expect(deflate(rnd).length).toBeLessThanOrEqual(rnd.length * 1.001 + 10);
  });

  test("bad input is an error result, never an exception; output is capped", () => {
    const good = deflate(raidPlanText(5000, 1));
    expect(inflate(good, 4999)).toEqual({ ok: false, error: "output too large" });
    expect(inflate(good.substring(0, good.length - 20), 5000).ok).toBe(false);
    expect(inflate("", 10).ok).toBe(false);
    expect(inflate("\u00ff\u00ff\u00ff", 10).ok).toBe(false);
    // Random junk (none of these 300 happens to be a valid stream): each one an error with a reason.
    for (let seed = 1; seed <= 300; seed++) {
      expect(inflate(randomBytes(1 + (seed % 200), seed), 100000)).toEqual({ ok: false, error: expect.any(String) });
    }
    // Mutations of a valid stream: an error result or the same output zlib gives. Both happen.
    let accepted = 0;
    let refused = 0;
    for (let k = 0; k < 300; k++) {
      const pos = (k * 7919) % good.length;
      const bad = good.substring(0, pos) + String.fromCharCode((good.charCodeAt(pos) + 1 + k) % 256) + good.substring(pos + 1);
      const r = inflate(bad, 100000);
      if (r.ok) {
        accepted++;
        expect(str(zlib.inflateRawSync(latin1(bad)))).toBe(r.data);
      } else {
        refused++;
        expect(typeof r.error).toBe("string");
      }
    }
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});
