// The receive path of the built addon against frames crafted here (wire.ts builds them in Node):
// order, repeats, a reused id, and the gate at the first frame. Each case checks what the
// receiving player gets (deliveries) and what it counted (stats().dropped).
import { adler32, ENC_BINARY, escapeBinary } from "../../src/transport/encoding";
import { buildFrames, Envelope } from "../../src/transport/wire";
import { raidPlanText } from "./corpus";
import { TransportRaid } from "./helpers";

const SENDER = "Tankmedady";
const RECEIVER = "Gnuzench";

let t: TransportRaid;
afterEach(() => t.close());

function start(): void {
  t = TransportRaid.start({ size: 2 });
  t.recordAll("T");
  t.raid.advance(6);
}

/** The frame texts of `payload` under message id `id`, as the sender's transport would build them. */
function framesOf(id: number, payload: string, type = "T"): string[] {
  const prefix = t.raid.player(RECEIVER).eval<string>("OGRH.Transport.config.prefix");
  const env: Envelope = { flags: ENC_BINARY, rawLen: payload.length, check: adler32(payload), type, target: undefined };
  return buildFrames(id, env, escapeBinary(payload), 254 - prefix.length)!;
}

function sendFrames(frames: string[]): void {
  const prefix = t.raid.player(RECEIVER).eval<string>("OGRH.Transport.config.prefix");
  for (const f of frames) t.raid.player(SENDER).sendRaw(prefix, f);
  t.raid.advance(1);
}

function received(): string[] {
  const list = t.raid.player(RECEIVER).eval<string[] | Record<string, never>>(
    "(function() local l = {} for i = 1, TREC.T.n do l[i] = TREC.T.got[i].payload end return l end)()",
  );
  // (an empty Lua table comes back as {})
  return Array.isArray(list) ? list : [];
}

const dropped = (reason: string) => t.stats(RECEIVER).dropped[reason] ?? 0;

test("frames in any order make one payload; a repeated frame or payload is a duplicate", () => {
  start();
  const payload = raidPlanText(600, 1);
  const frames = framesOf(7, payload);
  expect(frames.length).toBe(3);
  sendFrames([frames[2], frames[1], frames[0]]);
  expect(received()).toEqual([payload]);
  sendFrames([frames[0], frames[1]]);
  expect(received()).toEqual([payload]);
  expect(dropped("duplicate")).toBe(2);
  expect(t.stats(RECEIVER)).toMatchObject({ partials: 0, bufferedBytes: 0 });
});

test("a sender that reuses an id for another payload replaces the incomplete one", () => {
  start();
  const first = raidPlanText(600, 2);
  const second = raidPlanText(700, 3);
  sendFrames(framesOf(9, first).slice(0, 2));
  expect(t.stats(RECEIVER).partials).toBe(1);
  sendFrames(framesOf(9, second));
  expect(received()).toEqual([second]);
  expect(dropped("replaced incomplete payload")).toBe(1);
  expect(t.stats(RECEIVER)).toMatchObject({ partials: 0, bufferedBytes: 0 });
});

test("the first frame decides: an unknown type or an absurd size is refused with all its later frames", () => {
  start();
  const unknown = framesOf(11, raidPlanText(600, 4), "NOPE");
  sendFrames(unknown);
  expect(dropped("unknown type")).toBe(1);
  expect(dropped("duplicate")).toBe(unknown.length - 1);
  t.raid.player(RECEIVER).run("OGRH.Transport.config.maxPayload = 500");
  const big = framesOf(12, raidPlanText(600, 5));
  sendFrames(big);
  expect(dropped("absurd size")).toBe(1);
  expect(dropped("duplicate")).toBe(unknown.length - 1 + big.length - 1);
  // Frames that came before the refused first frame are let go as well.
  const early = framesOf(13, raidPlanText(900, 6));
  sendFrames(early.slice(1));
  expect(t.stats(RECEIVER).bufferedBytes).toBeGreaterThan(0);
  sendFrames(early.slice(0, 1));
  expect(dropped("absurd size")).toBe(2);
  expect(received()).toEqual([]);
  expect(t.stats(RECEIVER)).toMatchObject({ partials: 0, bufferedBytes: 0 });
});

test("a frame index beyond the count is refused; more than 8 incomplete payloads from one sender drop the oldest", () => {
  start();
  const payload = raidPlanText(600, 7);
  const three = framesOf(20, payload);
  const seven = framesOf(20, raidPlanText(1600, 8));
  expect(seven.length).toBeGreaterThan(5);
  sendFrames([three[0], seven[5]]);
  expect(dropped("bad index")).toBe(1);
  sendFrames(three.slice(1));
  expect(received()).toEqual([payload]);
  for (let id = 30; id < 39; id++) sendFrames(framesOf(id, raidPlanText(600, id)).slice(0, 1));
  expect(dropped("too many incomplete payloads from one sender")).toBe(1);
  expect(t.stats(RECEIVER).partials).toBe(8);
  // The dropped one (the oldest, id 30) no longer completes; the newest still does.
  sendFrames(framesOf(30, raidPlanText(600, 30)).slice(1));
  sendFrames(framesOf(38, raidPlanText(600, 38)).slice(1));
  expect(received()).toEqual([payload, raidPlanText(600, 38)]);
  expect(t.raid.allErrors()).toEqual([]);
});
