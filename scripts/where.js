// Where in the TypeScript is a line of the shipped addon? A client error names the file and line
// ("OGRH_Sync\SyncGranular.lua:1234: ..."); the build keeps each module's lines in place, so the
// line is found in TSTL's bundle and looked up in its source map (both in build/lua/).
// Usage: node scripts/where.js SyncGranular.lua:1234   (npm run where -- SyncGranular.lua:1234)
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.join(__dirname, "..");
const BUNDLE = path.join(ROOT, "build", "lua", "OGRH_Sync.lua");
const DIST = path.join(ROOT, "dist", "OGRH_Sync");

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Source-map mappings -> per generated line (0-based), its segments [col, source, line] (0-based). */
function decodeMappings(mappings) {
  const lines = [];
  let source = 0;
  let line = 0;
  let column = 0;
  for (const text of mappings.split(";")) {
    const segments = [];
    let genColumn = 0;
    for (const seg of text.split(",")) {
      if (seg === "") continue;
      const values = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      genColumn += values[0];
      if (values.length >= 4) {
        source += values[1];
        line += values[2];
        column += values[3];
        segments.push([genColumn, source, line]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

/** { module, ts, line } for line `line` (1-based) of the shipped file `file`, or an error. */
function where(file, line) {
  const name = path.basename(file);
  const shipped = fs.readFileSync(path.join(DIST, name), "utf8").split("\n");
  if (!(line >= 1 && line <= shipped.length)) return { error: name + " has " + shipped.length + " lines" };
  let start = line - 1;
  while (start >= 0 && !/^____modules\["[^"]+"\] = function/.test(shipped[start])) start--;
  if (start < 0 || start === line - 1) return { error: name + ":" + line + " is the loader's code, not a module's" };
  const moduleName = /"([^"]+)"/.exec(shipped[start])[1];
  const bundle = fs.readFileSync(BUNDLE, "utf8").split("\n");
  const head = bundle.indexOf('["' + moduleName + '"] = function(...) ');
  if (head < 0) return { error: "module " + moduleName + " is not in " + path.relative(ROOT, BUNDLE) + " (rebuild)" };
  const bundleLine = head + (line - 1 - start); // 0-based
  const map = JSON.parse(fs.readFileSync(BUNDLE + ".map", "utf8"));
  const segments = decodeMappings(map.mappings)[bundleLine] || [];
  if (segments.length === 0) return { module: moduleName, error: "no TypeScript line maps to it (generated code)" };
  const [, source, tsLine] = segments[0];
  // TSTL writes each source relative to where the module's own .lua would be (build/lua/sync/...).
  const moduleDir = path.join(path.dirname(BUNDLE), ...moduleName.split(".").slice(0, -1));
  const ts = path.relative(ROOT, path.resolve(moduleDir, map.sourceRoot || "", map.sources[source]));
  return { module: moduleName, ts, line: tsLine + 1 };
}

if (require.main === module) {
  const m = /^(?:.*[\\/])?([\w.]+\.lua):(\d+)/.exec(process.argv[2] || "");
  if (!m) {
    console.error("usage: node scripts/where.js <File.lua>:<line>   e.g. SyncGranular.lua:1234");
    process.exit(2);
  }
  const r = where(m[1], Number(m[2]));
  if (r.error) {
    console.error("where: " + (r.module ? r.module + ": " : "") + r.error);
    process.exit(1);
  }
  console.log(r.ts + ":" + r.line + " (module " + r.module + ")");
}
module.exports = { where, decodeMappings };
