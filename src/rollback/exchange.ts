// Export and import text (spec 6.5.4 "Export"): printable ASCII that survives a copy box, a paste
// and a different client.
//
//   # OGRH Sync backup                       <- informational header (ignored on import)
//   # Label: Before BWL Changes
//   # Reason: Manual
//   # Created: Jan 22, 2026 3:45 PM
//   # Size: 114 KB
//   # Root: 0a1b2c3d4e5f6
//   OGRH-BACKUP 1 <body length> <HashString of the body>
//   <body: radix-64 of the DEFLATE of the canonical text below, 64 characters a line>
//   OGRH-END
//
// body text = { format = 1, label, reason, time, root, size, manifest = <manifest>,
//               chunks = { [key] = chunk text } }   (the manifest's l tags the layout, snapshot.ts)
// Import checks the end marker (truncation), the length and the checksum (any change), then every
// chunk against its key and the plan's schema, exactly as a restore does.
import { deserialize, serialize } from "../integrity/serialize";
import { byteLen, replaceBytes, sub } from "../transport/bytes";
import { deflate, inflate, Tick } from "../transport/deflate";
import { fromRadix64, toRadix64 } from "../transport/encoding";
import { assemble, COST, hashSliced, manifestProblem, MAX_TEXT, readChunks } from "./snapshot";
import { isTable } from "../core/values";
import { UNTICKED } from "./pack";

type Table = any;

export const EXPORT_VERSION = 1;
const MARK = "OGRH-BACKUP ";
const END = "OGRH-END";
const LINE = 64;

/** Printable ASCII only (no "|"), for the informational header. */
export function printable(s: string): string {
  const out: string[] = [];
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    out[i] = c >= 32 && c <= 126 && c !== 124 ? s.charAt(i) : "?";
  }
  return out.join("");
}

export interface ExportMeta {
  label: string;
  reason: string;
  time: number;
  root: string;
  size: number;
  /** Header lines "Created: ..." and "Size: ..." as shown to the player. */
  created: string;
  sizeText: string;
}

/** The export text of a backup from its manifest and chunk texts (runs in a job). */
export function exportText(meta: ExportMeta, manifest: Table, texts: { [key: string]: string }, tick: Tick): { text?: string; error?: string } {
  const body = serialize({
    format: EXPORT_VERSION,
    label: meta.label,
    reason: meta.reason,
    time: meta.time,
    root: meta.root,
    size: meta.size,
    manifest,
    chunks: texts,
  });
  if (body.text === undefined) return { error: "cannot serialise: " + body.error };
  tick(byteLen(body.text) * COST.serialize);
  const encoded = toRadix64(deflate(body.text, tick), tick);
  const lines: string[] = [
    "# OGRH Sync backup",
    "# Label: " + printable(meta.label),
    "# Reason: " + printable(meta.reason),
    "# Created: " + meta.created,
    "# Size: " + meta.sizeText,
    "# Root: " + printable(meta.root),
    MARK + EXPORT_VERSION + " " + byteLen(encoded) + " " + hashSliced(encoded, tick),
  ];
  let n = lines.length;
  const total = byteLen(encoded);
  for (let at = 1; at <= total; at += LINE) {
    lines[n] = sub(encoded, at, at + LINE - 1);
    n++;
  }
  lines[n] = END;
  return { text: lines.join("\n") };
}

export interface Imported {
  label: string;
  reason: string;
  time: number;
  root: string;
  plan: Table;
  /** The manifest's layout tag (core/schema.ts LAYOUT_V2), undefined for the spec's layout. */
  layout?: string;
}

const SPACE: { [c: string]: string } = { " ": "", "\t": "", "\r": "", "\n": "" };

function isDigits(s: string): boolean {
  if (s.length === 0 || s.length > 9) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Reads export text back into a plan; every failure is a sentence for the player. `layoutCheck`
 * (the manifest's layout tag -> why it cannot be used here) refuses another mode's plan as
 * `foreign` before its chunks are read and assembled.
 */
export function importText(text: unknown, tick: Tick, layoutCheck?: (l: unknown) => string | undefined): { imported?: Imported; error?: string; foreign?: string } {
  if (typeof text !== "string" || text.length === 0) return { error: "nothing to import (paste the exported text)" };
  const at = text.indexOf(MARK);
  if (at < 0) return { error: "this is not an OGRH backup export (the OGRH-BACKUP line is missing)" };
  let eol = text.indexOf("\n", at);
  if (eol < 0) return { error: "the text is truncated (it ends after the OGRH-BACKUP line)" };
  const head = replaceBytes(text.substring(at + MARK.length, eol), "[\r]", { "\r": "" })[0];
  const sp1 = head.indexOf(" ");
  const sp2 = sp1 < 0 ? -1 : head.indexOf(" ", sp1 + 1);
  if (sp1 < 0 || sp2 < 0) return { error: "the OGRH-BACKUP line is damaged" };
  const version = head.substring(0, sp1);
  const lenText = head.substring(sp1 + 1, sp2);
  const check = head.substring(sp2 + 1);
  if (!isDigits(version) || !isDigits(lenText)) return { error: "the OGRH-BACKUP line is damaged" };
  if (Number(version) !== EXPORT_VERSION) return { error: "export format " + version + " is not supported by this version (" + EXPORT_VERSION + ")" };
  const stop = text.indexOf(END, eol);
  if (stop < 0) return { error: "the text is truncated (the OGRH-END line is missing)" };
  eol++;
  const body = replaceBytes(text.substring(eol, stop), "[ \t\r\n]", SPACE)[0];
  const want = Number(lenText);
  if (byteLen(body) !== want) return { error: "the text is truncated or damaged (" + byteLen(body) + " of " + want + " characters)" };
  if (hashSliced(body, tick) !== check) return { error: "the text was changed or damaged (checksum mismatch)" };
  tick(UNTICKED);
  const raw = fromRadix64(body, tick);
  if (raw === undefined) return { error: "the text is damaged (not radix-64)" };
  tick(UNTICKED);
  const inflated = inflate(raw, MAX_TEXT, tick);
  if (!inflated.ok) return { error: "the text is damaged (" + inflated.error + ")" };
  const parsed = deserialize(inflated.data, tick);
  if (!parsed.ok) return { error: "the text is damaged (" + parsed.error + ")" };
  const b = parsed.value as Table;
  if (!isTable(b) || b.format !== EXPORT_VERSION || !isTable(b.manifest) || !isTable(b.chunks)) return { error: "the export has the wrong shape" };
  if (typeof b.label !== "string" || typeof b.reason !== "string" || typeof b.time !== "number" || typeof b.root !== "string") {
    return { error: "the export has the wrong shape" };
  }
  const m = b.manifest;
  if (manifestProblem(m)) return { error: "the export has the wrong shape" };
  const foreign = layoutCheck !== undefined ? layoutCheck(m.l) : undefined;
  if (foreign !== undefined) return { foreign };
  // The restore path's checks: every chunk against its key, then the plan's schema.
  const chunks = b.chunks;
  const source = (key: string): unknown => (typeof chunks[key] === "string" ? chunks[key] : undefined);
  const r = readChunks(m, source, tick, true);
  if (r.texts === undefined) return { error: "the export is damaged: " + r.error };
  const a = assemble(m, r.texts, tick);
  if (a.plan === undefined) return { error: "the export is damaged: " + a.error };
  return { imported: { label: b.label, reason: b.reason, time: b.time, root: b.root, plan: a.plan, layout: m.l } };
}
