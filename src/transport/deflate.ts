// Raw DEFLATE (RFC 1951) in pure Lua 5.0-compatible TypeScript: LZ77 with hash chains plus
// Huffman coding (dynamic, fixed or stored blocks, whichever is smallest per block). No bit
// operators exist for the 5.0 target, so bits are packed with double arithmetic (exact below 2^53).
// Node's zlib (deflateRawSync / inflateRawSync) checks this codec both ways in the tests.
//
// Both functions take a `tick(units)` callback, called about every TICK_UNITS bytes of work with
// the estimated cost in units of about 1,000 Lua VM instructions (COST, calibrated by
// scripts/bench-transport.js; inflate's per tick by bench-rollback.js), so a cooperative job can
// yield between frames (src/core/jobs).
import { byteAt, byteLen, CHARS, joinN, POW2, sub } from "./bytes";

export type Tick = (units: number) => void;

/** Bytes (or tokens, or table entries) of work between two tick() calls. */
export const TICK_UNITS = 512;

/** Estimated cost in units (thousands of VM instructions) per byte, token or table entry. */
export const COST = {
  /** deflate: reading the input into a table, per byte */
  read: 0.018,
  /** deflate: LZ77 matching, per input byte */
  match: 0.07,
  /** deflate: Huffman output, per token */
  emit: 0.17,
  /** inflate: per output byte */
  inflate: 0.011,
  /** inflate: per Huffman symbol decoded (a literal, a code length; a match counts twice: length and distance) */
  symbol: 0.07,
  /** inflate: per decoding table entry */
  table: 0.006,
  /** inflate: per symbol of a code whose decoder is built (its length checks and canonical code) */
  code: 0.06,
  /** deflate: building one block's Huffman codes */
  block: 60,
};

const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193,
  12289, 16385, 24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Length 3..258 -> length symbol index 0..28. */
const LEN_INDEX: { [len: number]: number } = {};
/** Distance code for d-1 < 256, and for (d-1)/128 >= 2. */
const DIST_SMALL: { [dm1: number]: number } = {};
const DIST_LARGE: { [q: number]: number } = {};
{
  for (let idx = 0; idx < 29; idx++) {
    const top = idx === 28 ? 258 : LEN_BASE[idx] + POW2[LEN_EXTRA[idx]] - 1;
    for (let len = LEN_BASE[idx]; len <= top; len++) LEN_INDEX[len] = idx;
  }
  LEN_INDEX[258] = 28;
  for (let code = 0; code < 30; code++) {
    const first = DIST_BASE[code];
    const last = first + POW2[DIST_EXTRA[code]] - 1;
    for (let d = first; d <= last; d++) {
      if (d <= 256) DIST_SMALL[d - 1] = code;
      else DIST_LARGE[Math.floor((d - 1) / 128)] = code;
    }
  }
}

function distCode(d: number): number {
  return d <= 256 ? DIST_SMALL[d - 1] : DIST_LARGE[Math.floor((d - 1) / 128)];
}

// ---------------------------------------------------------------------------------------------
// Huffman code construction

/**
 * Code lengths (at most `limit` bits) for symbols 0..nsym-1 from their frequencies. Symbols with
 * frequency 0 get length 0. At least two symbols always get a code, so every code is complete.
 */
function buildLengths(freqIn: number[], nsym: number, limit: number): number[] {
  const freq: number[] = [];
  let used = 0;
  for (let s = 0; s < nsym; s++) {
    const f = freqIn[s];
    freq[s] = f;
    if (f > 0) used++;
  }
  // Force a complete code: give unused symbols 0/1 a tiny weight until two symbols are used.
  for (let s = 0; s < 2 && used < 2; s++) {
    if (freq[s] === 0) {
      freq[s] = 1;
      used++;
    }
  }
  for (;;) {
    const lengths = huffmanLengths(freq, nsym);
    let max = 0;
    for (let s = 0; s < nsym; s++) if (lengths[s] > max) max = lengths[s];
    if (max <= limit) return lengths;
    // Flatten the distribution and try again (keeps used symbols used).
    for (let s = 0; s < nsym; s++) if (freq[s] > 0) freq[s] = Math.floor(freq[s] / 2) + 1;
  }
}

function huffmanLengths(freq: number[], nsym: number): number[] {
  const leaves: number[] = [];
  let m = 0;
  for (let s = 0; s < nsym; s++) {
    if (freq[s] > 0) {
      leaves[m] = s;
      m++;
    }
  }
  leaves.sort((a, b) => (freq[a] !== freq[b] ? freq[a] - freq[b] : a - b));
  // Nodes 0..m-1 are the sorted leaves, m..2m-2 internal nodes in creation order.
  const weight: number[] = [];
  const parent: number[] = [];
  for (let k = 0; k < m; k++) weight[k] = freq[leaves[k]];
  let li = 0;
  let ii = m;
  let next = m;
  while (next < 2 * m - 1) {
    let a: number;
    let b: number;
    if (li < m && (ii >= next || weight[li] <= weight[ii])) {
      a = li;
      li++;
    } else {
      a = ii;
      ii++;
    }
    if (li < m && (ii >= next || weight[li] <= weight[ii])) {
      b = li;
      li++;
    } else {
      b = ii;
      ii++;
    }
    weight[next] = weight[a] + weight[b];
    parent[a] = next;
    parent[b] = next;
    next++;
  }
  const depth: number[] = [];
  depth[2 * m - 2] = 0;
  for (let k = 2 * m - 3; k >= 0; k--) depth[k] = depth[parent[k]] + 1;
  const lengths: number[] = [];
  for (let s = 0; s < nsym; s++) lengths[s] = 0;
  for (let k = 0; k < m; k++) lengths[leaves[k]] = depth[k];
  return lengths;
}

/** Canonical codes (RFC 1951 3.2.2), bit-reversed for LSB-first output. */
function reversedCodes(lengths: number[], nsym: number): number[] {
  const count: number[] = [];
  for (let l = 0; l <= 16; l++) count[l] = 0;
  for (let s = 0; s < nsym; s++) count[lengths[s]]++;
  count[0] = 0;
  const nextCode: number[] = [];
  let code = 0;
  for (let l = 1; l <= 16; l++) {
    code = (code + count[l - 1]) * 2;
    nextCode[l] = code;
  }
  const codes: number[] = [];
  for (let s = 0; s < nsym; s++) {
    const len = lengths[s];
    codes[s] = 0;
    if (len > 0) {
      let c = nextCode[len];
      nextCode[len] = c + 1;
      let r = 0;
      for (let k = 0; k < len; k++) {
        const bit = c % 2;
        r = r * 2 + bit;
        c = (c - bit) / 2;
      }
      codes[s] = r;
    }
  }
  return codes;
}

const FIXED_LIT_LENGTHS: number[] = [];
const FIXED_DIST_LENGTHS: number[] = [];
for (let s = 0; s < 288; s++) FIXED_LIT_LENGTHS[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
for (let s = 0; s < 30; s++) FIXED_DIST_LENGTHS[s] = 5;
const FIXED_LIT_CODES = reversedCodes(FIXED_LIT_LENGTHS, 288);
const FIXED_DIST_CODES = reversedCodes(FIXED_DIST_LENGTHS, 30);

// ---------------------------------------------------------------------------------------------
// Bit writer

interface BitWriter {
  out: string[];
  n: number;
  acc: number;
  bits: number;
}

function putBits(w: BitWriter, value: number, nbits: number): void {
  let acc = w.acc + value * POW2[w.bits];
  let bits = w.bits + nbits;
  if (bits >= 8) {
    const out = w.out;
    let n = w.n;
    while (bits >= 8) {
      const byte = acc % 256;
      out[n] = CHARS[byte];
      n++;
      acc = (acc - byte) / 256;
      bits -= 8;
    }
    w.n = n;
  }
  w.acc = acc;
  w.bits = bits;
}

function alignToByte(w: BitWriter): void {
  if (w.bits > 0) putBits(w, 0, 8 - w.bits);
}

// ---------------------------------------------------------------------------------------------
// Compression

/** Chain steps per position and the length that stops the search early. */
const MAX_CHAIN = 24;
const NICE_LENGTH = 96;
const BLOCK_TOKENS = 16384;

interface Block {
  /** Literal byte (0..255) or 256 + match length. */
  tl: number[];
  /** Match distance (undefined for a literal). */
  td: number[];
  ntok: number;
  litF: number[];
  distF: number[];
}

function newBlock(): Block {
  const litF: number[] = [];
  const distF: number[] = [];
  for (let s = 0; s < 286; s++) litF[s] = 0;
  for (let s = 0; s < 30; s++) distF[s] = 0;
  return { tl: [], td: [], ntok: 0, litF, distF };
}

/**
 * Compresses `data` (a byte string) to raw DEFLATE. Never fails. `tick` is called every
 * TICK_UNITS input bytes.
 */
export function deflate(data: string, tick?: Tick): string {
  const n = byteLen(data);
  const B: number[] = [];
  for (let start = 0; start < n; start += 4096) {
    const stop = start + 4096 < n ? start + 4096 : n;
    for (let i = start; i < stop; i++) B[i] = byteAt(data, i + 1) as number;
    if (tick !== undefined) tick((stop - start) * COST.read);
  }
  const head: { [h: number]: number } = {};
  const prev: number[] = [];
  const w: BitWriter = { out: [], n: 0, acc: 0, bits: 0 };
  let block = newBlock();
  let blockStart = 0;
  let i = 0;
  let sinceTick = 0;
  while (i < n) {
    let bestLen = 0;
    let bestDist = 0;
    if (i + 2 < n) {
      const h = B[i] * 65536 + B[i + 1] * 256 + B[i + 2];
      let cand: number | undefined = head[h];
      head[h] = i;
      prev[i] = cand as number;
      const limit = i - 32768;
      let maxLen = n - i;
      if (maxLen > 258) maxLen = 258;
      let chain = MAX_CHAIN;
      while (cand !== undefined && cand > limit && chain > 0) {
        if (B[cand + bestLen] === B[i + bestLen]) {
          let l = 0;
          while (l < maxLen && B[cand + l] === B[i + l]) l++;
          if (l > bestLen) {
            bestLen = l;
            bestDist = i - cand;
            if (l >= NICE_LENGTH || l >= maxLen) break;
          }
        }
        cand = prev[cand];
        chain--;
      }
    }
    const k = block.ntok;
    if (bestLen >= 3) {
      block.tl[k] = 256 + bestLen;
      block.td[k] = bestDist;
      block.litF[257 + LEN_INDEX[bestLen]]++;
      block.distF[distCode(bestDist)]++;
      // Index the positions the match covers.
      const stop = i + bestLen;
      for (let j = i + 1; j < stop; j++) {
        if (j + 2 < n) {
          const h = B[j] * 65536 + B[j + 1] * 256 + B[j + 2];
          prev[j] = head[h];
          head[h] = j;
        }
      }
      i = stop;
      sinceTick += bestLen;
    } else {
      const lit = B[i];
      block.tl[k] = lit;
      block.litF[lit]++;
      i++;
      sinceTick++;
    }
    block.ntok = k + 1;
    if (block.ntok >= BLOCK_TOKENS) {
      writeBlock(w, block, data, blockStart, i, i >= n, tick);
      block = newBlock();
      blockStart = i;
    }
    if (sinceTick >= TICK_UNITS) {
      if (tick !== undefined) tick(sinceTick * COST.match);
      sinceTick = 0;
    }
  }
  if (block.ntok > 0 || n === 0 || blockStart < n) writeBlock(w, block, data, blockStart, n, true, tick);
  alignToByte(w);
  return joinN(w.out, w.n);
}

/** Writes one block of tokens covering input bytes [start, stop) as the smallest block type. */
function writeBlock(w: BitWriter, block: Block, data: string, start: number, stop: number, final: boolean, tick: Tick | undefined): void {
  const { tl, td, ntok, litF, distF } = block;
  litF[256] = 1;
  const litLens = buildLengths(litF, 286, 15);
  const distLens = buildLengths(distF, 30, 15);
  // Building the codes costs about as much as 1,000 tokens of output: let a job yield here.
  if (tick !== undefined) tick(COST.block);
  let hlit = 286;
  while (hlit > 257 && litLens[hlit - 1] === 0) hlit--;
  let hdist = 30;
  while (hdist > 1 && distLens[hdist - 1] === 0) hdist--;

  // Run-length encode the code lengths (symbols 16, 17, 18).
  const all: number[] = [];
  let na = 0;
  for (let s = 0; s < hlit; s++) all[na++] = litLens[s];
  for (let s = 0; s < hdist; s++) all[na++] = distLens[s];
  const clSym: number[] = [];
  const clExtra: number[] = [];
  let ncl = 0;
  const clF: number[] = [];
  for (let s = 0; s < 19; s++) clF[s] = 0;
  let p = 0;
  while (p < na) {
    const v = all[p];
    let run = 1;
    while (p + run < na && all[p + run] === v) run++;
    if (v === 0 && run >= 3) {
      const r = run > 138 ? 138 : run;
      if (r >= 11) {
        clSym[ncl] = 18;
        clExtra[ncl] = r - 11;
      } else {
        clSym[ncl] = 17;
        clExtra[ncl] = r - 3;
      }
      clF[clSym[ncl]]++;
      ncl++;
      p += r;
    } else if (v !== 0 && run >= 4) {
      clSym[ncl] = v;
      clExtra[ncl] = 0;
      clF[v]++;
      ncl++;
      let left = run - 1;
      while (left >= 3) {
        const r = left > 6 ? 6 : left;
        clSym[ncl] = 16;
        clExtra[ncl] = r - 3;
        clF[16]++;
        ncl++;
        left -= r;
      }
      p += run - left;
    } else {
      clSym[ncl] = v;
      clExtra[ncl] = 0;
      clF[v]++;
      ncl++;
      p++;
    }
  }
  const clLens = buildLengths(clF, 19, 7);
  if (tick !== undefined) tick(COST.block / 2);
  let hclen = 19;
  while (hclen > 4 && clLens[CL_ORDER[hclen - 1]] === 0) hclen--;

  // Sizes in bits of the three block types.
  let dynBits = 3 + 14 + 3 * hclen;
  for (let k = 0; k < ncl; k++) {
    const s = clSym[k];
    dynBits += clLens[s] + (s === 16 ? 2 : s === 17 ? 3 : s === 18 ? 7 : 0);
  }
  let fixBits = 3;
  for (let s = 0; s < 286; s++) {
    const f = litF[s];
    if (f > 0) {
      const extra = s > 256 ? LEN_EXTRA[s - 257] * f : 0;
      dynBits += litLens[s] * f + extra;
      fixBits += FIXED_LIT_LENGTHS[s] * f + extra;
    }
  }
  for (let s = 0; s < 30; s++) {
    const f = distF[s];
    if (f > 0) {
      dynBits += distLens[s] * f + DIST_EXTRA[s] * f;
      fixBits += 5 * f + DIST_EXTRA[s] * f;
    }
  }
  const rawLen = stop - start;
  const storedChunks = rawLen === 0 ? 1 : Math.ceil(rawLen / 65535);
  const storedBits = rawLen * 8 + storedChunks * (3 + 7 + 32);

  if (storedBits < dynBits && storedBits < fixBits) {
    let pos = start;
    for (let c = 0; c < storedChunks; c++) {
      let len = stop - pos;
      if (len > 65535) len = 65535;
      putBits(w, final && c === storedChunks - 1 ? 1 : 0, 1);
      putBits(w, 0, 2);
      alignToByte(w);
      putBits(w, len, 16);
      putBits(w, 65535 - len, 16);
      const out = w.out;
      let on = w.n;
      for (let q = pos + 1; q <= pos + len; q++) {
        out[on] = sub(data, q, q);
        on++;
        if (q % 4096 === 0 && tick !== undefined) tick(4096 * COST.read);
      }
      w.n = on;
      pos += len;
    }
    return;
  }

  let litCodes: number[];
  let litLengths: number[];
  let distCodes: number[];
  let distLengths: number[];
  putBits(w, final ? 1 : 0, 1);
  if (fixBits <= dynBits) {
    putBits(w, 1, 2);
    litCodes = FIXED_LIT_CODES;
    litLengths = FIXED_LIT_LENGTHS;
    distCodes = FIXED_DIST_CODES;
    distLengths = FIXED_DIST_LENGTHS;
  } else {
    putBits(w, 2, 2);
    putBits(w, hlit - 257, 5);
    putBits(w, hdist - 1, 5);
    putBits(w, hclen - 4, 4);
    for (let k = 0; k < hclen; k++) putBits(w, clLens[CL_ORDER[k]], 3);
    const clCodes = reversedCodes(clLens, 19);
    for (let k = 0; k < ncl; k++) {
      const s = clSym[k];
      putBits(w, clCodes[s], clLens[s]);
      if (s === 16) putBits(w, clExtra[k], 2);
      else if (s === 17) putBits(w, clExtra[k], 3);
      else if (s === 18) putBits(w, clExtra[k], 7);
    }
    litCodes = reversedCodes(litLens, 286);
    litLengths = litLens;
    distCodes = reversedCodes(distLens, 30);
    distLengths = distLens;
  }
  let untilTick = TICK_UNITS;
  for (let k = 0; k < ntok; k++) {
    untilTick--;
    if (untilTick === 0) {
      untilTick = TICK_UNITS;
      if (tick !== undefined) tick(TICK_UNITS * COST.emit);
    }
    const t = tl[k];
    if (t < 256) {
      putBits(w, litCodes[t], litLengths[t]);
    } else {
      const len = t - 256;
      const li = LEN_INDEX[len];
      putBits(w, litCodes[257 + li], litLengths[257 + li]);
      const le = LEN_EXTRA[li];
      if (le > 0) putBits(w, len - LEN_BASE[li], le);
      const d = td[k];
      const dc = distCode(d);
      putBits(w, distCodes[dc], distLengths[dc]);
      const de = DIST_EXTRA[dc];
      if (de > 0) putBits(w, d - DIST_BASE[dc], de);
    }
  }
  putBits(w, litCodes[256], litLengths[256]);
}

// ---------------------------------------------------------------------------------------------
// Decompression

interface BitReader {
  s: string;
  len: number;
  /** Next byte position, 1-based. */
  pos: number;
  acc: number;
  bits: number;
  /** Bytes read past the end (as zeros). */
  over: number;
}

function need(r: BitReader, nbits: number): void {
  while (r.bits < nbits) {
    let b = byteAt(r.s, r.pos);
    if (b === undefined) {
      b = 0;
      r.over++;
    }
    r.acc = r.acc + b * POW2[r.bits];
    r.bits += 8;
    r.pos++;
  }
}

function getBits(r: BitReader, nbits: number): number {
  if (nbits === 0) return 0;
  if (r.bits < nbits) need(r, nbits);
  const p = POW2[nbits];
  const v = r.acc % p;
  r.acc = (r.acc - v) / p;
  r.bits -= nbits;
  return v;
}

/** True when more bits were consumed than the input has (peeking past the end is fine). */
function overrun(r: BitReader): boolean {
  return (r.pos - 1) * 8 - r.bits > r.len * 8;
}

/** Decoding table entries filled between two tick() calls. */
const TABLE_SLICE = 4096;

interface Decoder {
  /** Entry sym * 16 + length, keyed by the next maxLen bits (LSB first). */
  table: { [bits: number]: number };
  maxLen: number;
}

/** A lookup table for canonical code lengths, or undefined if the code is over-subscribed. */
function makeDecoder(lengths: number[], nsym: number, tick: Tick | undefined): Decoder | undefined {
  let maxLen = 0;
  for (let s = 0; s < nsym; s++) if (lengths[s] > maxLen) maxLen = lengths[s];
  if (maxLen === 0) return { table: {}, maxLen: 1 };
  let kraft = 0;
  for (let s = 0; s < nsym; s++) if (lengths[s] > 0) kraft += POW2[maxLen - lengths[s]];
  if (kraft > POW2[maxLen]) return undefined;
  const codes = reversedCodes(lengths, nsym);
  if (tick !== undefined) tick(nsym * COST.code);
  // A 15-bit table has 32,768 entries: filled in slices with a tick between them, so a job can
  // yield inside it rather than after it.
  const table: { [bits: number]: number } = {};
  let filled = 0;
  for (let s = 0; s < nsym; s++) {
    const len = lengths[s];
    if (len > 0) {
      const step = POW2[len];
      const entry = s * 16 + len;
      for (let v = codes[s]; v < POW2[maxLen]; v += step) table[v] = entry;
      filled += POW2[maxLen - len];
      if (filled >= TABLE_SLICE && tick !== undefined) {
        tick(filled * COST.table);
        filled = 0;
      }
    }
  }
  if (tick !== undefined) tick(filled * COST.table);
  return { table, maxLen };
}

/** The next symbol, or -1 for a bit pattern that is no code. */
function decodeSym(r: BitReader, d: Decoder): number {
  const maxLen = d.maxLen;
  if (r.bits < maxLen) need(r, maxLen);
  const e = d.table[r.acc % POW2[maxLen]];
  if (e === undefined) return -1;
  const len = e % 16;
  const p = POW2[len];
  r.acc = (r.acc - (r.acc % p)) / p;
  r.bits -= len;
  return (e - len) / 16;
}

let fixedLit: Decoder | undefined;
let fixedDist: Decoder | undefined;

export type InflateResult = { ok: true; data: string } | { ok: false; error: string };

/**
 * Decompresses raw DEFLATE. Never throws on bad input: returns { ok: false, error }. Output longer
 * than `maxOut` bytes is an error (a guard against absurd sizes). `tick` is called every
 * TICK_UNITS output bytes.
 */
export function inflate(input: string, maxOut: number, tick?: Tick): InflateResult {
  const r: BitReader = { s: input, len: byteLen(input), pos: 1, acc: 0, bits: 0, over: 0 };
  const out: string[] = [];
  let on = 0;
  let nextTick = TICK_UNITS;
  // Charged per symbol decoded and per byte written: a literal costs a symbol per byte, a match
  // two symbols for many bytes, so literal-heavy data (radix-64 text) cannot run a frame over.
  let syms = 0;
  let tickedAt = 0;
  for (;;) {
    const final = getBits(r, 1);
    const type = getBits(r, 2);
    if (overrun(r)) return { ok: false, error: "truncated" };
    if (type === 0) {
      // Stored: skip to a byte boundary; the bits already in acc are whole bytes after that.
      getBits(r, r.bits % 8);
      const len = getBits(r, 16);
      const nlen = getBits(r, 16);
      if (len + nlen !== 65535) return { ok: false, error: "bad stored length" };
      if (on + len > maxOut) return { ok: false, error: "output too large" };
      let left = len;
      while (left > 0 && r.bits >= 8) {
        out[on] = CHARS[getBits(r, 8)];
        on++;
        left--;
      }
      if (r.pos + left - 1 > r.len) return { ok: false, error: "truncated" };
      for (let q = r.pos; q < r.pos + left; q++) {
        out[on] = sub(input, q, q);
        on++;
        if (q % 4096 === 0 && tick !== undefined) tick(4096 * COST.read);
      }
      r.pos += left;
    } else if (type === 1 || type === 2) {
      let lit: Decoder | undefined;
      let dist: Decoder | undefined;
      if (type === 1) {
        if (fixedLit === undefined) {
          fixedLit = makeDecoder(FIXED_LIT_LENGTHS, 288, undefined);
          fixedDist = makeDecoder(FIXED_DIST_LENGTHS, 30, undefined);
        }
        lit = fixedLit;
        dist = fixedDist;
      } else {
        const hlit = getBits(r, 5) + 257;
        const hdist = getBits(r, 5) + 1;
        const hclen = getBits(r, 4) + 4;
        if (hlit > 286 || hdist > 30) return { ok: false, error: "bad code counts" };
        const clLens: number[] = [];
        for (let k = 0; k < 19; k++) clLens[k] = 0;
        for (let k = 0; k < hclen; k++) clLens[CL_ORDER[k]] = getBits(r, 3);
        const clDec = makeDecoder(clLens, 19, tick);
        if (clDec === undefined) return { ok: false, error: "bad code length code" };
        const lens: number[] = [];
        let nl = 0;
        while (nl < hlit + hdist) {
          const s = decodeSym(r, clDec);
          if (s < 0 || r.over > 4) return { ok: false, error: "bad code lengths" };
          if (s < 16) {
            lens[nl++] = s;
          } else {
            let rep = 0;
            let val = 0;
            if (s === 16) {
              if (nl === 0) return { ok: false, error: "repeat without a length" };
              val = lens[nl - 1];
              rep = 3 + getBits(r, 2);
            } else if (s === 17) {
              rep = 3 + getBits(r, 3);
            } else {
              rep = 11 + getBits(r, 7);
            }
            if (nl + rep > hlit + hdist) return { ok: false, error: "too many code lengths" };
            for (let k = 0; k < rep; k++) lens[nl++] = val;
          }
        }
        if (tick !== undefined) tick(nl * COST.symbol);
        const litLens: number[] = [];
        for (let k = 0; k < hlit; k++) litLens[k] = lens[k];
        const distLens: number[] = [];
        for (let k = 0; k < hdist; k++) distLens[k] = lens[hlit + k];
        if (litLens[256] === 0) return { ok: false, error: "no end-of-block code" };
        lit = makeDecoder(litLens, hlit, tick);
        dist = makeDecoder(distLens, hdist, tick);
      }
      if (lit === undefined || dist === undefined) return { ok: false, error: "bad Huffman code" };
      for (;;) {
        const sym = decodeSym(r, lit);
        if (sym < 0) return { ok: false, error: "bad literal/length code" };
        if (r.over > 4) return { ok: false, error: "truncated" };
        if (sym < 256) {
          if (on >= maxOut) return { ok: false, error: "output too large" };
          out[on] = CHARS[sym];
          on++;
          syms++;
        } else if (sym === 256) {
          break;
        } else {
          const li = sym - 257;
          if (li >= 29) return { ok: false, error: "bad length symbol" };
          const len = LEN_BASE[li] + getBits(r, LEN_EXTRA[li]);
          const ds = decodeSym(r, dist);
          syms += 2;
          if (ds < 0 || ds >= 30) return { ok: false, error: "bad distance code" };
          const d = DIST_BASE[ds] + getBits(r, DIST_EXTRA[ds]);
          if (d > on) return { ok: false, error: "distance too far back" };
          if (on + len > maxOut) return { ok: false, error: "output too large" };
          let from = on - d;
          const stop = on + len;
          while (on < stop) {
            out[on] = out[from];
            on++;
            from++;
          }
        }
        if (on >= nextTick) {
          if (tick !== undefined) tick(syms * COST.symbol + (on - tickedAt) * COST.inflate);
          syms = 0;
          tickedAt = on;
          nextTick = on + TICK_UNITS;
        }
      }
    } else {
      return { ok: false, error: "bad block type" };
    }
    if (final === 1) break;
  }
  if (overrun(r)) return { ok: false, error: "truncated" };
  return { ok: true, data: joinN(out, on) };
}
