// Tools for attacking the built addon in the emulated raid (test/sync/attacks.ts): VM instructions
// per client per frame, the VM's memory, and frames crafted in Node the way a hostile client could
// send them (any channel, any type, any size, compressed or not, any protocol version).
import { deflate } from "../../src/transport/deflate";
import { adler32, ENC_BINARY, escapeBinary } from "../../src/transport/encoding";
import { buildFrames, Envelope, FLAG_COMPRESSED, FLAG_TARGET } from "../../src/transport/wire";
import { Raid } from "./raid";

/**
 * Counts every client's VM instructions (thousands) per emulated frame: its event handlers, its
 * OnUpdate scripts and the coroutines it creates (a Lua 5.0 coroutine has its own hook). The
 * counts of a frame are folded into the per-client maximum when the next frame starts.
 */
const METER_LUA = `
AttackMeter = { k = {}, max = {}, at = {}, over = {}, on = false, depth = 0 }
do
  local M = AttackMeter
  local someone
  for _, c in pairs(W.clients) do someone = c break end
  local C = getmetatable(someone).__index or getmetatable(someone)
  local hooks = {}
  local function hookFor(name)
    local h = hooks[name]
    if not h then
      h = function() M.k[name] = (M.k[name] or 0) + 1 end
      hooks[name] = h
    end
    return h
  end
  local function wrap(real)
    return function(self, a1, a2, a3, a4, a5, a6)
      if not M.on or M.depth > 0 then return real(self, a1, a2, a3, a4, a5, a6) end
      M.depth = 1
      debug.sethook(hookFor(self.name), "", 1000)
      real(self, a1, a2, a3, a4, a5, a6)
      debug.sethook()
      M.depth = 0
    end
  end
  C.fireEvent = wrap(C.fireEvent)
  C.runOnUpdate = wrap(C.runOnUpdate)
  local realCreate = coroutine.create
  for name, client in pairs(W.clients) do
    local h = hookFor(name)
    if client.env then
      client.env.coroutine.create = function(f)
        return realCreate(function(a1, a2, a3) debug.sethook(h, "", 1000) return f(a1, a2, a3) end)
      end
    end
  end
  function M.fold()
    for name, k in pairs(M.k) do
      if k > (M.max[name] or 0) then M.max[name] = k M.at[name] = W:now() end
      if k > 300 then M.over[name] = (M.over[name] or 0) + 1 end
      M.k[name] = nil
    end
  end
  local realDeliver = W.deliverDue
  W.deliverDue = function(self) M.fold() return realDeliver(self) end
end`;

export interface FrameCost {
  /** Largest count of one frame, thousands of VM instructions, over the clients measured. */
  maxK: number;
  client: string;
  at: number;
  /** Frames above 300 k instructions, all clients measured together. */
  framesOver: number;
}

export class Meter {
  constructor(readonly raid: Raid) {
    raid.vm.exec(METER_LUA);
  }

  start(): void {
    this.raid.vm.exec("AttackMeter.max = {} AttackMeter.at = {} AttackMeter.over = {} AttackMeter.k = {} AttackMeter.on = true");
  }

  stop(): void {
    this.raid.vm.exec("AttackMeter.fold() AttackMeter.on = false");
  }

  /** The worst frame over the clients named. */
  result(names: string[]): FrameCost {
    const max = this.raid.vm.eval<Record<string, number>>("AttackMeter.max");
    const at = this.raid.vm.eval<Record<string, number>>("AttackMeter.at");
    const over = this.raid.vm.eval<Record<string, number>>("AttackMeter.over");
    let best: FrameCost = { maxK: 0, client: "", at: 0, framesOver: 0 };
    for (const n of names) {
      const k = max[n] ?? 0;
      best.framesOver += over[n] ?? 0;
      if (k > best.maxK) best = { ...best, maxK: k, client: n, at: at[n] ?? 0 };
    }
    return best;
  }
}

/**
 * The VM's memory in KB after full collections, without the emulator's own records that grow with
 * traffic (the channel log, each client's send list and chat lines): what the addons hold. Lua 5.0
 * halves an oversized string table once per collection, so it collects until the count stops falling.
 */
export function memoryKB(raid: Raid): number {
  return raid.vm.eval<number>(`(function()
    W.log = {} W.violations = {}
    for _, c in pairs(W.clients) do c.sends = {} c.chat = {} end
    local last = -1
    for i = 1, 30 do
      collectgarbage()
      local kb = gcinfo()
      if kb == last then break end
      last = kb
    end
    return last end)()`);
}

export interface CraftOptions {
  id: number;
  /** Compress the body (raw DEFLATE), as the transport does for payloads it finds worth it. */
  compress?: boolean;
  target?: string;
  /** The frame's first character: "1" is this protocol, "2".."9" a newer one. */
  version?: string;
  /** The first frame only (a payload that never completes). */
  firstOnly?: boolean;
}

const compressed = new Map<string, string>();

/** The frame texts of a payload (a JS string of byte values 0-255) as a sender could build them. */
export function craftFrames(payload: string, type: string, maxText: number, o: CraftOptions): string[] {
  let body = payload;
  if (o.compress) {
    // The same payload under many ids: compressed once.
    const done = compressed.get(payload);
    body = done ?? deflate(payload);
    if (done === undefined) compressed.set(payload, body);
  }
  let flags = ENC_BINARY;
  if (o.compress) flags += FLAG_COMPRESSED;
  if (o.target !== undefined) flags += FLAG_TARGET;
  const env: Envelope = { flags, rawLen: payload.length, check: adler32(payload), type, target: o.target };
  const frames = buildFrames(o.id, env, escapeBinary(body), maxText);
  if (frames === undefined) throw new Error("payload too large to frame");
  const out = o.firstOnly ? frames.slice(0, 1) : frames;
  return o.version === undefined ? out : out.map((f) => o.version + f.substring(1));
}
