// The gate of the built receive path (issue 14): the raid's channel and roster, a type's policy
// (who may send it, its size), and a full reassembly pool that never pushes out another sender's
// payload. Frames are crafted in Node; each case checks what the receiver got and counted.
import { craftFrames } from "../harness/attack";
import { luaBytes, luaString } from "../harness/lua-vm";
import { TransportRaid } from "./helpers";

const RECEIVER = "Tankmedady";
const MEMBER = "Gnuzench";
const OTHER = "Sunderwhere";
const OUTSIDER = "Aelindra";

let t: TransportRaid;
afterEach(() => t.close());

function start(): void {
  t = TransportRaid.start({ size: 4 });
  t.raid.leave(OUTSIDER);
  t.recordAll("T");
  t.raid.advance(6);
}

function prefix(): string {
  return t.raid.player(RECEIVER).eval<string>("OGRH.Transport.config.prefix");
}

/** Sends crafted frames (byte strings) from a player on a channel. */
function send(from: string, frames: string[], dist = "RAID"): void {
  for (const f of frames) t.raid.vm.exec(`W:send(W.clients[${luaString(from)}], ${luaString(prefix())}, ${luaBytes(Buffer.from(f, "latin1"))}, ${luaString(dist)})`);
  t.raid.advance(1);
}

function frames(payload: string, id: number, type = "T"): string[] {
  return craftFrames(payload, type, 254 - prefix().length, { id });
}

const received = (type = "T") => t.raid.player(RECEIVER).eval<number>(`TREC[${luaString(type)}].n`);
const dropped = (reason: string) => t.stats(RECEIVER).dropped[reason] ?? 0;

test("only the raid's channel and the raid's roster are heard", () => {
  start();
  send(OUTSIDER, frames("from a guild member outside the raid", 1), "GUILD");
  send(MEMBER, frames("from a member on the party channel", 2), "PARTY");
  send(MEMBER, frames("from a member on the guild channel", 3), "GUILD");
  expect(received()).toBe(0);
  expect(dropped("not from the raid")).toBe(3);
  send(MEMBER, frames("from a member on the raid channel", 4));
  expect(received()).toBe(1);
});

test("a type's policy refuses a sender or a size at the first frame, and says who was refused", () => {
  start();
  t.raid.vm.exec(`local env = W.clients[${luaString(RECEIVER)}].env
    env.REFUSED = {}
    TGen.record(W.clients[${luaString(RECEIVER)}], "P")
    env.OGRH.Transport.register("P", function() end, {
      from = function(sender) return sender == ${luaString(OTHER)} end,
      maxSize = 600,
      refused = function(sender, type) table.insert(env.REFUSED, sender .. " " .. type) end,
    })`);
  send(MEMBER, frames("x".repeat(100), 5, "P"));
  expect(received("P")).toBe(0);
  expect(dropped("sender may not send this type")).toBe(1);
  expect(t.raid.player(RECEIVER).eval("REFUSED")).toEqual([MEMBER + " P"]);
  // Over the size: refused at the first frame; its later frames are duplicates of a refused id.
  const big = frames("y".repeat(700), 6, "P");
  expect(big.length).toBeGreaterThan(1);
  send(OTHER, big);
  expect(received("P")).toBe(0);
  expect(dropped("absurd size")).toBe(1);
  expect(t.stats(RECEIVER)).toMatchObject({ partials: 0, bufferedBytes: 0 });
  send(OTHER, frames("z".repeat(500), 7, "P"));
  expect(received("P")).toBe(1);
});

test("a full pool: the sender holding the most loses its own payloads, never a lighter sender's in progress", () => {
  start();
  t.raid.player(RECEIVER).run("OGRH.Transport.config.maxBuffered = 3000");
  // MEMBER's payload: all frames but the last.
  const mine = frames("m".repeat(1200), 8);
  expect(mine.length).toBe(5);
  send(MEMBER, mine.slice(0, 4));
  // OTHER floods the pool with payloads it never finishes.
  for (let id = 20; id < 26; id++) send(OTHER, frames("o".repeat(1200), id).slice(0, 4));
  expect(dropped("buffer full, dropped an incomplete payload")).toBeGreaterThan(0);
  send(MEMBER, mine.slice(4));
  const got = t.raid.player(RECEIVER).eval<{ from: string; len: number }[]>("TREC.T.got");
  expect(got.map((g) => [g.from, g.len])).toEqual([[MEMBER, 1200]]);
  expect(t.stats(RECEIVER).bufferedBytes).toBeLessThanOrEqual(3000);
});
