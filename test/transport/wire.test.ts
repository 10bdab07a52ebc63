// Escaping, the printable encodings, header numbers, Adler-32 and framing, in Node.
import * as zlib from "zlib";
import {
  adler32,
  decodeNumber,
  encodeNumber,
  escapeBinary,
  escapePrintable,
  fromRadix64,
  toRadix64,
  unescapeBinary,
  unescapePrintable,
} from "../../src/transport/encoding";
import { buildFrames, Envelope, parseFrame, validType } from "../../src/transport/wire";
import { randomBytes, raidPlanText } from "./corpus";

const ALL = Array.from({ length: 512 }, (_, i) => String.fromCharCode(i % 256)).join("");

describe("escaping", () => {
  test.each([["all bytes", ALL], ["random", randomBytes(3000, 2)], ["empty", ""], ["escapes only", "~|\n\r\u0000~~"]])(
    "%s: binary escaping removes \\0 \\n \\r | and round-trips",
    (_n, s) => {
      const e = escapeBinary(s);
      expect(e).not.toMatch(/[\u0000\n\r|]/);
      expect(unescapeBinary(e)).toBe(s);
      const p = escapePrintable(s)[0];
      expect(p).toMatch(/^[\u0020-\u007b\u007d~]*$/);
      expect(unescapePrintable(p)).toBe(s);
      const r = toRadix64(s);
      expect(r).toMatch(/^[A-Za-z0-9+/]*$/);
      expect(fromRadix64(r)).toBe(s);
      expect(r.length).toBe(Math.ceil((s.length * 4) / 3));
    },
  );

  test("printable text passes almost unchanged; truncated or bad sequences are rejected", () => {
    const text = raidPlanText(1000, 1);
    expect(escapePrintable(text)).toEqual([text, 0]);
    expect(unescapeBinary("ab~")).toBeUndefined();
    expect(unescapeBinary("ab~x")).toBeUndefined();
    expect(unescapePrintable("ab~4")).toBeUndefined();
    expect(unescapePrintable("ab~ZZ")).toBeUndefined();
    expect(fromRadix64("A")).toBeUndefined();
    expect(fromRadix64("A|BC")).toBeUndefined();
  });

  test("numbers and Adler-32 (checked against zlib's trailer)", () => {
    for (const v of [0, 1, 63, 64, 4095, 262143, 16777215]) expect(decodeNumber(encodeNumber(v, 4), 1, 4)).toBe(v % 16777216);
    expect(decodeNumber("A|", 1, 2)).toBeUndefined();
    for (const s of ["", "a", raidPlanText(20000, 2), randomBytes(70000, 3)]) {
      const z = zlib.deflateSync(Buffer.from(s, "latin1"));
      expect(adler32(s)).toBe(z.readUInt32BE(z.length - 4));
    }
  });
});

describe("frames", () => {
  const env: Envelope = { flags: 0, rawLen: 9, check: 12345, type: "SYNC.RAID", target: undefined };

  test("a small payload is one S frame; a large one F + M frames of at most 250 bytes", () => {
    const one = buildFrames(5, env, "hello", 250)!;
    expect(one).toHaveLength(1);
    expect(one[0].startsWith("1SAAF")).toBe(true);
    const body = escapeBinary(randomBytes(5000, 4));
    const frames = buildFrames(262143, { ...env, target: "Gnuzench", flags: 8 }, body, 250)!;
    expect(frames.length).toBeGreaterThan(20);
    for (const f of frames) expect(f.length).toBeLessThanOrEqual(250);
    const parsed = frames.map((f) => parseFrame(f));
    let joined = "";
    parsed.forEach((p, i) => {
      expect(p.ok).toBe(true);
      if (!p.ok) return;
      const fr = p.frame;
      expect(fr.id).toBe(262143);
      if (i === 0) {
        expect(fr.kind).toBe("F");
        if (fr.kind === "F") {
          expect(fr.count).toBe(frames.length);
          expect(fr.env).toEqual({ ...env, target: "Gnuzench", flags: 8 });
        }
      } else {
        expect(fr).toMatchObject({ kind: "M", index: i });
      }
      joined += fr.body;
    });
    expect(joined).toBe(body);
  });

  test("a body needing more than 4095 frames is refused", () => {
    expect(buildFrames(1, env, "x".repeat(243 * 4096), 250)).toBeUndefined();
  });

  test.each([
    ["", "short frame", false],
    ["2SAAAAAAAA", "protocol version 2", true],
    ["xSAAAAAAAA", "not a frame", false],
    ["1XAAAAAAAA", "unknown frame kind", false],
    ["1S|AAAAAAAAAAAA", "bad id", false],
    ["1MAAAAA", "bad index", false],
    ["1FAAAAB", "bad count", false],
    ["1S" + "A".repeat(14) + "CT", "truncated envelope", false],
    ["1SAAA/" + "A".repeat(10) + "BT", "bad flags", false],
    ["1S" + "A".repeat(14) + "B ", "bad type", false],
    ["1SAAAI" + "A".repeat(10) + "BTA", "bad target", false],
  ])("parse %j: %s", (text, error, newer) => {
    expect(parseFrame(text)).toEqual({ ok: false, error, newerVersion: newer });
  });

  test("type names", () => {
    expect(validType("SYNC.COMPONENT_REQUEST")).toBe(true);
    for (const bad of ["", "a b", "a|b", "a~b", "x".repeat(64), "\u00e9"]) expect(validType(bad)).toBe(false);
  });
});

test("the example frame of docs/protocol.md", () => {
  expect(buildFrames(5, { flags: 0, rawLen: 5, check: adler32("hello"), type: "T", target: undefined }, "hello", 250)).toEqual([
    "1SAAFAAAAFAGLAIVBThello",
  ]);
});
