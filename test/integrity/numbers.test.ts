// Number tokens (issue 14): exact and strict at the edges of the double range, the same in Node and
// in Lua 5.0, and a hostile exponent costs about what a normal token does.
import { deserialize, serialize } from "../../src/integrity/serialize";
import { Raid } from "../harness/raid";

const EDGES: [string, number][] = [
  ["the smallest subnormal", 2 ** -1074],
  ["a subnormal with a long mantissa", 12345 * 2 ** -1074],
  ["the largest subnormal", 2 ** -1022 - 2 ** -1074],
  ["the smallest normal", 2 ** -1022],
  ["the largest double", (2 - 2 ** -52) * 2 ** 1023],
  ["2^1023", 2 ** 1023],
  ["minus a third", -1 / 3],
  ["a half", 0.5],
  ["2^53", 2 ** 53],
  ["minus 2^60 + 1024", -(2 ** 60) - 1024],
];

describe("number tokens", () => {
  test.each(EDGES)("%s round-trips exactly (Node)", (_name, x) => {
    const text = serialize(x).text as string;
    const back = deserialize(text);
    expect(back).toEqual({ ok: true, value: x });
  });

  test("tokens naming no double, or not in canonical form, are refused (Node)", () => {
    for (const t of ["d1p-1075;", "d1p1024;", "d3p1023;", "d2p-3;", "d1p-0;", "d3p-1100;", "d1p1101;", "d9007199254740993p0;"]) {
      const r = deserialize(t);
      expect({ t, ok: r.ok }).toEqual({ t, ok: false });
    }
    expect(deserialize("d1p-1075;").error).toBe("non-canonical number at byte 1");
    expect(deserialize("d1p1101;").error).toBe("bad number at byte 1");
  });

  test("Lua 5.0 gives the same tokens and values, and a hostile exponent costs about a normal token", () => {
    const raid = Raid.start({ size: 1 });
    try {
      const c = raid.leader;
      const tokens = EDGES.map(([, x]) => serialize(x).text as string);
      const lua = c.eval<string[]>(`(function() local out = {} local I = OGRH.SyncIntegrity
        for i, t in ipairs({ ${tokens.map((t) => JSON.stringify(t)).join(", ")} }) do
          local v = I.Deserialize(t)
          out[i] = I.Serialize(v) .. "|" .. (v == v and "ok" or "nan")
        end return out end)()`);
      expect(lua).toEqual(tokens.map((t) => t + "|ok"));
      const cost = (t: string) =>
        raid.vm.eval<{ kinstructions: number }>(`EmuMeasure.run(function() local I = W.clients["${c.name}"].env.OGRH.SyncIntegrity for i = 1, 200 do I.Deserialize("${t}") end end)`).kinstructions;
      const normal = cost("d3p-1;");
      const hostile = cost("d1p-1074;");
      const refused = cost("d1p-1099;");
      expect(hostile).toBeLessThan(normal * 1.5);
      expect(refused).toBeLessThan(normal * 1.5);
      expect(raid.allErrors()).toEqual([]);
    } finally {
      raid.close();
    }
  });
});
