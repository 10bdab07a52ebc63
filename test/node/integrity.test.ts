// The integrity core (canonical serialisation, hash, checksum tree) in Node, and the same data
// giving the same results in Node and in the built addon's Lua 5.0.
import { hashString, hashStringToNumber } from "../../src/integrity/hash";
import { deserialize, serialize } from "../../src/integrity/serialize";
import { checksumValue, resetMemo } from "../../src/integrity/valuehash";
import { computeTree, hierarchyOf } from "../../src/integrity/tree";
import { validateTree } from "../../src/integrity/validate";
import { Raid, ROSTER_NAMES } from "../harness/raid";
import { fixtureText, loadFullPlan, luaLiteral, randomValue, rng, setGlobal } from "../integrity/plan";

function mustSerialize(v: unknown): string {
  const r = serialize(v);
  if (r.error !== undefined) throw new Error(r.error);
  return r.text as string;
}

describe("canonical serialisation (Node)", () => {
  test.each([
    ["a string", "Razorgore", "9:Razorgore"],
    ["an integer", -12, "#-12;"],
    ["zero and minus zero", -0, "#0;"],
    ["a float, exactly", 0.1, "d3602879701896397p-55;"],
    ["a big integer", 2 ** 60 + 4096, "d281474976710657p12;"],
    ["NaN", NaN, "xn"],
    ["a sequence", ["a", 1, true], "[1:a#1;t]"],
    ["a map: numbers before strings, strings by bytes", { b: 1, B: 2, "#2": 3, "#-1": 4, "1": 5 }, "{#-1;#4;#2;#3;1:1#5;1:B#2;1:b#1;}"],
    ["the empty table", {}, "{}"],
    ["a sparse table", { "#1": "x", "#3": "y" }, "{#1;1:x#3;1:y}"],
  ])("%s", (_name, value, text) => {
    expect(mustSerialize(value)).toBe(text);
    const back = deserialize(text);
    expect(back.ok).toBe(true);
    expect(mustSerialize(back.value)).toBe(text);
  });

  test("random values round-trip, and checksumValue equals HashString of the text", () => {
    const r = rng(7);
    for (let i = 0; i < 3000; i++) {
      const v = randomValue(r);
      const text = mustSerialize(v);
      const back = deserialize(text);
      expect(back.ok).toBe(true);
      expect(mustSerialize(back.value)).toBe(text);
      expect(checksumValue(v)).toBe(hashString(text));
      if (i === 1500) resetMemo();
    }
  });

  test("the parser is strict and never throws on bad input", () => {
    const bad = ["", "[", "[]", "{", "{1:a}", "{1:b#1;1:a#2;}", "{#1;t}", "{#1;t#1;f}", "#01;", "#-0;", "#1", "d4p0;", "d3p-1", "5:abc", "x", "xq", "tt",
      "99999999999:a", "1:", "{t#1;f#2;}", "#99999999999999999;", "d1p99999;", "[".repeat(200) + "t" + "]".repeat(200), "{xn;t}"];
    for (const text of bad) {
      const r = deserialize(text);
      expect({ text, ok: r.ok }).toEqual({ text, ok: false });
      expect(typeof r.error).toBe("string");
    }
    const r = rng(3);
    for (let i = 0; i < 3000; i++) {
      const text = mustSerialize(randomValue(r));
      const cut = Math.floor(r() * text.length);
      const mutated = text.substring(0, cut) + String.fromCharCode(Math.floor(r() * 128)) + text.substring(cut + 1);
      expect(() => deserialize(mutated)).not.toThrow();
      expect(() => deserialize(text.substring(0, cut))).not.toThrow();
    }
    expect(deserialize(42 as unknown as string).ok).toBe(false);
  });

  test("no collision among 100,000 distinct random components", () => {
    const r = rng(11);
    const names = ROSTER_NAMES;
    const texts = new Set<string>();
    const sums = new Set<string>();
    while (texts.size < 100000) {
      // a playerAssignments-like component: role -> slot -> player, sparse
      const comp: Record<string, Record<string, string>> = {};
      const roles = 1 + Math.floor(r() * 4);
      for (let role = 1; role <= roles; role++) {
        const slots: Record<string, string> = {};
        const n = 1 + Math.floor(r() * 4);
        for (let s = 1; s <= n; s++) slots["#" + (1 + Math.floor(r() * 8))] = names[Math.floor(r() * names.length)];
        comp["#" + role] = slots;
      }
      const text = mustSerialize(comp);
      if (texts.has(text)) continue;
      texts.add(text);
      sums.add(checksumValue(comp));
    }
    expect(sums.size).toBe(texts.size);
  });

  test("HashString is 13 hex digits; HashStringToNumber is below 2^52", () => {
    expect(hashString("")).toBe("0000000000000");
    expect(hashString("abc")).toMatch(/^[0-9a-f]{13}$/);
    expect(hashStringToNumber("abc")).toBeLessThan(2 ** 52);
    expect(parseInt(hashString("abc"), 16)).toBe(hashStringToNumber("abc"));
  });
});

describe("the same data gives the same checksums in Node and in Lua 5.0", () => {
  let raid: Raid;
  afterAll(() => raid.close());

  test("random values: serialisation and checksum", () => {
    raid = Raid.start({ size: 1 });
    const c = raid.leader;
    const r = rng(5);
    const values: unknown[] = [];
    for (let i = 0; i < 300; i++) values.push(randomValue(r));
    // wide tables (more keys than the insertion-sort path takes)
    for (let i = 0; i < 20; i++) {
      const wide: Record<string, unknown> = {};
      for (let k = 0; k < 40; k++) wide[r() < 0.3 ? "#" + Math.floor(r() * 100 - 20) : String.fromCharCode(65 + Math.floor(r() * 58)) + Math.floor(r() * 9)] = randomValue(r, 3);
      values.push(wide);
    }
    setGlobal(c, "__values", values);
    const lua = c.eval<{ text: string; sum: string; num: number }[]>(
      `(function() local out = {} for i, v in ipairs(__values) do
         local text = OGRH.SyncIntegrity.Serialize(v)
         out[i] = { text = text, sum = OGRH.SyncIntegrity.ChecksumValue(v), num = OGRH.HashStringToNumber(text), back = OGRH.SyncIntegrity.Serialize(OGRH.SyncIntegrity.Deserialize(text)) }
       end return out end)()`,
    );
    values.forEach((v, i) => {
      const text = mustSerialize(v);
      expect(lua[i]).toEqual({ text, sum: checksumValue(v), num: hashStringToNumber(text), back: text });
    });
  });

  test("the full-size plan (defaults + factory data, every slot assigned): the whole hierarchy", () => {
    raid = Raid.start({ size: 1 });
    const c = raid.leader;
    loadFullPlan(c);
    const plan = c.eval<unknown>("OGRH_SV");
    const luaHierarchy = c.eval<unknown>("OGRH.GetAllHierarchicalChecksums()");
    const nodeTree = computeTree(plan);
    expect(hierarchyOf(nodeTree, true)).toEqual(luaHierarchy);
    expect(validateTree(nodeTree, luaHierarchy).valid).toBe(true);
    // and the fixture as Node reads it, migrated by hand, hashes like Lua's migrated copy
    const fixture = JSON.parse(fixtureText());
    const raids: Record<string, unknown> = {};
    for (const r of fixture.encounterMgmt.raids) raids[r.name] = r;
    fixture.encounterMgmt.raids = raids;
    c.run("OGRH.Store.ReplacePlan(" + luaLiteral(JSON.parse(fixtureText())) + ")");
    expect(computeTree(fixture).structure).toBe(c.eval("OGRH.SyncIntegrity.GetStructureChecksum()"));
    expect(raid.allErrors()).toEqual([]);
  });
});
