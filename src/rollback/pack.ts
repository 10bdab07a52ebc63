// How one stored string of the backup store is packed: canonical text, compressed with the raw
// DEFLATE codec when that is smaller, then written in the radix-64 alphabet so the stored string is
// printable ASCII (SavedVariables files and copy boxes carry it unchanged on every client).
//   "Z" + radix64(deflate(text))   or   "R" + radix64(text)
// Neither function raises an error; unpack returns a reason for anything it cannot read.
import { byteLen, sub } from "../transport/bytes";
import { deflate, inflate, Tick } from "../transport/deflate";
import { fromRadix64, toRadix64 } from "../transport/encoding";

/** Text shorter than this is not worth a deflate attempt (it would not get smaller). */
const DEFLATE_MIN = 96;

export function pack(text: string, tick?: Tick): string {
  if (byteLen(text) >= DEFLATE_MIN) {
    const z = deflate(text, tick);
    if (byteLen(z) < byteLen(text)) return "Z" + toRadix64(z, tick);
  }
  return "R" + toRadix64(text, tick);
}

export interface Unpacked {
  text?: string;
  error?: string;
}

/**
 * Units charged before each decoding step: the codec's first slice of work (radix-64's first
 * stretch, inflate's Huffman tables) comes before its first tick, so a frame already near its
 * budget yields first instead of running it over (bench:frames, issue 13).
 */
export const UNTICKED = 100;

/** The text of a packed string; `maxOut` bounds the inflated size. */
export function unpack(data: unknown, maxOut: number, tick?: Tick): Unpacked {
  if (typeof data !== "string" || byteLen(data) < 1) return { error: "missing data" };
  const kind = sub(data, 1, 1);
  if (kind !== "Z" && kind !== "R") return { error: "unknown packing" };
  if (tick !== undefined) tick(UNTICKED);
  const raw = fromRadix64(sub(data, 2, byteLen(data)), tick);
  if (raw === undefined) return { error: "not radix-64" };
  if (kind === "R") return { text: raw };
  if (tick !== undefined) tick(UNTICKED);
  const r = inflate(raw, maxOut, tick);
  if (!r.ok) return { error: "does not inflate (" + r.error + ")" };
  return { text: r.data };
}
