// The transport: the only caller of SendAddonMessage. Payloads (byte strings of any size) go out
// as typed, integrity-checked, optionally compressed messages, framed into addon messages of at
// most 254 bytes and paced by the throttle; incoming frames are reassembled per sender, checked
// and delivered to the handler registered for their type. docs/protocol.md has the wire format,
// and what is (and is not) guaranteed.
//
// This file wires the parts over one state table (state.ts): send.ts (encode and queue),
// throttle.ts (pacing), receive.ts (parse -> admit -> reassemble -> decode -> deliver, with
// reassembly.ts keeping the buffers). The public types are in types.ts.
import { JobRunner } from "../core/jobs";
import { Platform } from "../core/platform";
import { byteLen } from "./bytes";
import { deflate, inflate } from "./deflate";
import { adler32, escapeBinary, escapePrintable, fromRadix64, toRadix64, unescapeBinary, unescapePrintable } from "./encoding";
import { receiveFrame } from "./receive";
import { NACK_TYPE, onNack } from "./resend";
import { sendPayload } from "./send";
import { debugLines, newState, note } from "./state";
import { createThrottle } from "./throttle";
import type { Codec, Transport, TransportConfig } from "./types";
import { MAX_ID, PROTOCOL_VERSION, validType } from "./wire";

export type {
  Codec,
  DeliveryMeta,
  Handler,
  PartialListener,
  SendOptions,
  Transport,
  TransportConfig,
  TransportStats,
  TypePolicy,
} from "./types";

// Our own addon-message prefix: OG-RaidHelper compares prefixes exactly ("OGRH", "OGAM", "TWT",
// "BigWigs"), so any other string reaches none of its handlers; four bytes like the old "OGRH".
export const PREFIX = "OGSY";


export const DEFAULT_CONFIG: TransportConfig = {
  prefix: PREFIX,
  distribution: "RAID",
  printable: false,
  compressMin: 128,
  reassemblyTimeout: 30,
  maxBuffered: 1572864,
  maxPayload: 524288,
  maxPartialsPerSender: 8,
  maxBufferedPerSender: 786432,
  maxQueuedPerSender: 16,
};

export const CODEC: Codec = {
  deflate,
  inflate,
  adler32,
  escapeBinary,
  unescapeBinary,
  escapePrintable: (data) => escapePrintable(data)[0],
  unescapePrintable,
  toRadix64,
  fromRadix64,
};

export function createTransport(platform: Platform, jobs: JobRunner, overrides?: Partial<TransportConfig>): Transport {
  const config: TransportConfig = { ...DEFAULT_CONFIG, ...(overrides ?? {}) };
  const throttle = createThrottle(platform, config.prefix);
  const st = newState(platform, jobs, config, 254 - byteLen(config.prefix), Math.floor(platform.random() * MAX_ID));

  // Who is in the raid is read again at the next frame received.
  platform.on("RAID_ROSTER_UPDATE", () => {
    st.roster = undefined;
  });
  // Lost frames of a payload addressed to this client are asked for again (resend.ts).
  st.handlers[NACK_TYPE] = [(sender, payload, meta) => onNack(st, throttle, sender, payload, meta)];
  st.policies[NACK_TYPE] = { maxSize: 8192 };

  platform.on("CHAT_MSG_ADDON", (prefix, text, distribution, sender) => {
    if (prefix !== config.prefix) return;
    if (typeof text !== "string" || typeof sender !== "string") return;
    // Our own frames come back from the server: they only tell that the frame went out.
    if (sender === platform.playerName()) return;
    try {
      receiveFrame(st, throttle, text, String(distribution), sender);
    } catch (e) {
      note(st, "receive error", String(e));
    }
  });

  return {
    register: (type, handler, policy) => {
      // A plain string error: TypeScriptToLua's Error class needs the debug library the client lacks.
      if (!validType(type)) throw "transport.register: bad type name '" + String(type) + "'";
      if (policy !== undefined) st.policies[type] = policy;
      const list = st.handlers[type];
      if (list === undefined) st.handlers[type] = [handler];
      else list.push(handler);
    },
    onPartial: (fn) => {
      st.partialListeners.push(fn);
    },
    send: (type, payload, options) => sendPayload(st, throttle, type, payload, options),
    setPrintable: (on) => {
      config.printable = on;
    },
    setDebug: (on) => {
      st.debug = on;
    },
    debugEnabled: () => st.debug,
    debugLog: () => debugLines(st),
    stats: () => {
      const t = throttle.stats();
      const copy: { [reason: string]: number } = {};
      for (const k in st.dropped) copy[k] = st.dropped[k];
      return {
        sentPayloads: st.sentPayloads,
        sentFrames: t.frames,
        sentCost: t.cost,
        viaCTL: t.viaCTL,
        queuedFrames: throttle.queuedFrames(),
        queuedPayloads: throttle.queuedMessages(),
        receivedFrames: st.receivedFrames,
        resentFrames: st.resentFrames,
        delivered: st.delivered,
        dropped: copy,
        bufferedBytes: st.bufferedBytes,
        partials: st.partialCount,
        jobsPending: jobs.pending(),
      };
    },
    config,
    protocolVersion: PROTOCOL_VERSION,
    codec: CODEC,
  };
}
