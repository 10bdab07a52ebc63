// The same codec in Lua 5.0 (the built addon) and in Node: identical bytes, and zlib agrees.
import * as zlib from "zlib";
import { Raid } from "../harness/raid";
import { deflate } from "../../src/transport/deflate";
import { adler32, escapeBinary, escapePrintable, toRadix64 } from "../../src/transport/encoding";
import { randomBytes, raidPlanText } from "./corpus";
import { GEN_LUA } from "./helpers";

const hex = (s: string) => Buffer.from(s, "latin1").toString("hex");

describe("codec: Lua 5.0 and Node produce the same bytes", () => {
  let raid: Raid;
  beforeAll(() => {
    raid = Raid.start({ size: 1 });
    raid.vm.exec(GEN_LUA);
    raid.vm.exec(`C = W.clients["Tankmedady"].env.OGRH.Transport.codec`);
  });
  afterAll(() => raid.close());

  test.each([
    ["text", 0, raidPlanText(0, 1)],
    ["text", 1, raidPlanText(1, 1)],
    ["text", 777, raidPlanText(777, 2)],
    ["text", 30000, raidPlanText(30000, 3)],
    ["bytes", 1, randomBytes(1, 4)],
    ["bytes", 5000, randomBytes(5000, 5)],
    ["bytes", 70000, randomBytes(70000, 6)],
  ])("%s %d", (kind, size, node) => {
    const seed = kind === "text" ? [1, 1, 2, 3][[0, 1, 777, 30000].indexOf(size)] : [4, 5, 6][[1, 5000, 70000].indexOf(size)];
    raid.vm.exec(`P = TGen.${kind}(${size}, ${seed})`);
    // Generators agree (compared through a digest of the Lua bytes).
    expect(raid.vm.eval(`string.len(P)`)).toBe(node.length);
    expect(raid.vm.eval(`C.adler32(P)`)).toBe(adler32(node));
    const z = deflate(node);
    raid.vm.exec(`Z = C.deflate(P)`);
    expect(raid.vm.eval(`TGen.hex(Z)`)).toBe(hex(z));
    expect(Buffer.from(zlib.inflateRawSync(Buffer.from(z, "latin1"))).toString("latin1")).toBe(node);
    expect(raid.vm.eval(`C.inflate(Z, ${size}).data == P`)).toBe(true);
    expect(raid.vm.eval(`TGen.hex(C.escapeBinary(Z))`)).toBe(hex(escapeBinary(z)));
    expect(raid.vm.eval(`TGen.hex(C.escapePrintable(Z))`)).toBe(hex(escapePrintable(z)[0]));
    expect(raid.vm.eval(`C.toRadix64(Z)`)).toBe(toRadix64(z));
    expect(raid.vm.eval(`C.unescapeBinary(C.escapeBinary(Z)) == Z and C.unescapePrintable(C.escapePrintable(Z)) == Z and C.fromRadix64(C.toRadix64(Z)) == Z`)).toBe(true);
  });

  test("zlib's output (levels 1, 6, 9) inflates in Lua", () => {
    const node = raidPlanText(20000, 8);
    for (const level of [1, 6, 9]) {
      const z = zlib.deflateRawSync(Buffer.from(node, "latin1"), { level });
      raid.vm.exec(`Z = ${luaHex(z)}`);
      raid.vm.exec(`P = TGen.text(20000, 8)`);
      expect(raid.vm.eval(`C.inflate(Z, 20000).data == P`)).toBe(true);
    }
  });
});

function luaHex(b: Buffer): string {
  return "(string.gsub(\"" + b.toString("hex") + "\", \"(%x%x)\", function(h) return string.char(tonumber(h, 16)) end))";
}
