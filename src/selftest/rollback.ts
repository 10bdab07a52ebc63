// /ogrh test rollback: spec 6.5 on scratch data only (never OGRH_SV or OGRH_Backups): the chunked
// snapshot round trip, content sharing, compression, corruption detection, export/import with
// tampered and truncated text, and the retention rules.
import { computeTree } from "../integrity/tree";
import { registerSuite, SelfTestCase } from "./registry";
import { scratchPlan } from "./scratch";
import { capture, encode, Encoded, hashSliced, readChunks, readManifest, assemble, serializeGroup } from "../rollback/snapshot";
import { hashString } from "../integrity/hash";
import { serialize } from "../integrity/serialize";
import { exportText, importText } from "../rollback/exchange";
import { unpack } from "../rollback/pack";
import { MAX_AGE, toPrune, RetentionEntry } from "../rollback/retention";

type Table = any;

const noTick = (_units: number) => undefined;

/** A scratch chunk store: encode against it, then keep what was new. */
function scratchStore(): { chunks: Table; lookup: (this: void, key: string) => unknown; keep: (this: void, e: Encoded) => void } {
  const chunks: Table = {};
  return {
    chunks,
    lookup: (key) => chunks[key],
    keep: (e) => {
      for (const k in e.newChunks) chunks[k] = e.newChunks[k];
    },
  };
}

function countKeys(t: Table): number {
  let n = 0;
  for (const _ in t) n++;
  return n;
}

function decode(e: Encoded, lookup: (key: string) => unknown): { plan?: Table; error?: string } {
  const m = readManifest(e.manifestPacked, e.content, noTick);
  if (m.manifest === undefined) return { error: m.error };
  const c = readChunks(m.manifest, lookup, noTick);
  if (c.texts === undefined) return { error: c.error };
  return assemble(m.manifest, c.texts, noTick);
}

// The cases live at module level: inside one function they would close over every import at
// once (Lua 5.0 upvalues).
const CASES: SelfTestCase[] = [
  {
    name: "6.5.1 a backup restores to the same checksums, compressed smaller than the raw text",
    run: (check) => {
      const plan = scratchPlan();
      const s = scratchStore();
      const r = encode(capture(plan), s.lookup, noTick);
      check.ok(r.encoded !== undefined, "encoded");
      const e = r.encoded as Encoded;
      s.keep(e);
      check.ok(e.added < e.size, "compressed " + e.added + " < raw " + e.size);
      const d = decode(e, s.lookup);
      check.ok(d.plan !== undefined, "decoded: " + String(d.error));
      check.eq(computeTree(d.plan).structure, computeTree(plan).structure, "structure checksum");
      const text = serialize(plan).text as string;
      check.eq(hashSliced(text, noTick), hashString(text), "sliced hash equals HashString");
      const cap = capture(plan);
      for (let i = 0; i < cap.n; i++) {
        if (cap.group[i]) check.eq(serializeGroup(cap.values[i], noTick).text, serialize(cap.values[i]).text, "raid group text is canonical");
      }
    },
  },
  {
    name: "6.5.1 an unchanged plan adds nothing; an edit adds one raid chunk",
    run: (check) => {
      const plan = scratchPlan();
      const s = scratchStore();
      const first = encode(capture(plan), s.lookup, noTick).encoded as Encoded;
      s.keep(first);
      const again = encode(capture(plan), s.lookup, noTick).encoded as Encoded;
      check.eq(countKeys(again.newChunks), 0, "no new chunk");
      check.eq(again.content, first.content, "same content checksum");
      plan.encounterAssignments.BWL.Razorgore[1][1] = "Gnuzench";
      const edited = encode(capture(plan), s.lookup, noTick).encoded as Encoded;
      check.eq(countKeys(edited.newChunks), 1, "one new chunk");
      check.ok(edited.content !== first.content, "content checksum changed");
    },
  },
  {
    name: "6.5.3 a corrupted chunk is refused with a reason",
    run: (check) => {
      const s = scratchStore();
      const e = encode(capture(scratchPlan()), s.lookup, noTick).encoded as Encoded;
      s.keep(e);
      let victim = "";
      for (const k in s.chunks) if (victim === "" || k < victim) victim = k;
      const good = s.chunks[victim] as string;
      s.chunks[victim] = good.substring(0, 20) + (good.charAt(20) === "A" ? "B" : "A") + good.substring(21);
      const d = decode(e, s.lookup);
      check.ok(d.plan === undefined && d.error !== undefined, "refused");
      s.chunks[victim] = undefined;
      check.ok(decode(e, s.lookup).error !== undefined, "missing chunk refused");
      check.ok(unpack(42, 100).error !== undefined && unpack("Z!!!", 100).error !== undefined, "garbage refused");
    },
  },
  {
    name: "6.5.4 export text imports to the same plan; tampered and truncated text is refused",
    run: (check) => {
      const plan = scratchPlan();
      const s = scratchStore();
      const e = encode(capture(plan), s.lookup, noTick).encoded as Encoded;
      s.keep(e);
      const m = readManifest(e.manifestPacked, e.content, noTick);
      const c = readChunks(m.manifest, s.lookup, noTick);
      const root = computeTree(plan).structure;
      const meta = { label: "Self test", reason: "Manual", time: 0, root, size: e.size, created: "-", sizeText: "-" };
      const x = exportText(meta, m.manifest, c.texts as Table, noTick);
      const text = x.text as string;
      check.ok(text.indexOf("# Label: Self test") >= 0, "metadata header");
      const imported = importText(text, noTick, undefined);
      check.ok(imported.imported !== undefined, "imported: " + String(imported.error));
      check.eq(computeTree(imported.imported?.plan).structure, root, "same plan");
      const at = text.length - 30;
      const tampered = text.substring(0, at) + (text.charAt(at) === "A" ? "B" : "A") + text.substring(at + 1);
      check.ok(importText(tampered, noTick, undefined).error !== undefined, "tampered refused");
      check.ok(importText(text.substring(0, text.length - 200), noTick, undefined).error !== undefined, "truncated refused");
      check.ok(importText("hello", noTick, undefined).error !== undefined && importText(undefined, noTick, undefined).error !== undefined, "garbage refused");
    },
  },
  {
    name: "6.5.1 retention: last 10, pinned kept, 7 days, at least 3",
    run: (check) => {
      const now = 1000000000;
      const list: RetentionEntry[] = [];
      for (let i = 0; i < 15; i++) list[i] = { id: i + 1, time: now - (15 - i) * 60, pinned: i < 3 ? true : undefined };
      const drop = toPrune(list, 15, now);
      check.eq(countKeys(drop), 5, "15 with 3 pinned: 10 kept");
      for (let i = 1; i <= 3; i++) check.ok(drop[i] !== true, "pinned #" + i + " kept");
      const old: RetentionEntry[] = [];
      for (let i = 0; i < 5; i++) old[i] = { id: i + 1, time: now - MAX_AGE - 3600 * (5 - i) };
      check.eq(countKeys(toPrune(old, 5, now)), 2, "old ones pruned down to 3");
    },
  },
];

export function registerRollbackSuite(): void {
  registerSuite("rollback", CASES);
}
