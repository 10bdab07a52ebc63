// Builds the addon folder dist/OGRH_Sync/: TypeScriptToLua bundle (Lua 5.0), the hand-written
// Lua from lualib/, and the .toc generated from toc/ with the version from package.json.
// Usage: node scripts/build.js
"use strict";
const fs = require("fs");
const path = require("path");
const ts = require("typescript");
const tstl = require("typescript-to-lua");

const ROOT = path.join(__dirname, "..");
const ADDON = "OGRH_Sync";
const OUT = path.join(ROOT, "dist", ADDON);

function fail(message) {
  console.error("build: " + message);
  process.exit(1);
}

function transpile() {
  const result = tstl.transpileProject(path.join(ROOT, "tsconfig.json"));
  if (result.diagnostics.length > 0) {
    const host = {
      getCurrentDirectory: () => ROOT,
      getCanonicalFileName: (f) => f,
      getNewLine: () => "\n",
    };
    console.error(ts.formatDiagnosticsWithColorAndContext(result.diagnostics, host));
    fail(result.diagnostics.length + " diagnostic(s)");
  }
  const bundle = fs.readFileSync(path.join(ROOT, "build", "lua", ADDON + ".lua"), "utf8");
  // 1.12 has no global require: drop the bundle's fallback so nothing reads that global.
  const FALLBACK = "local ____originalRequire = require\n";
  if (!bundle.includes(FALLBACK)) fail("unexpected TSTL bundle header (require fallback not found)");
  return bundle.replace(FALLBACK, "local ____originalRequire = nil\n");
}

// The client reads files as bytes; keep shipped Lua ASCII so no editor or encoding can change a
// string the checksums depend on (bytes above 127 are written with escapes in the source).
function checkAscii(name, text) {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 126 || (c < 32 && c !== 10 && c !== 13 && c !== 9)) {
      const line = text.slice(0, i).split("\n").length;
      fail(name + ":" + line + ": non-ASCII character (code " + c + "); use an escape in the source");
    }
  }
}

function build() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const bundle = transpile();
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const files = {};
  files[ADDON + ".lua"] = bundle;
  for (const file of fs.readdirSync(path.join(ROOT, "lualib"))) {
    if (file.endsWith(".lua")) files[file] = fs.readFileSync(path.join(ROOT, "lualib", file), "utf8");
  }
  const toc = fs
    .readFileSync(path.join(ROOT, "toc", ADDON + ".toc"), "utf8")
    .replace(/\{\{version\}\}/g, pkg.version);
  for (const line of toc.split("\n")) {
    const file = line.trim();
    if (file !== "" && !file.startsWith("#") && !(file in files)) fail(".toc lists " + file + ", which the build did not produce");
  }
  for (const [name, text] of Object.entries(files)) {
    checkAscii(name, text);
    fs.writeFileSync(path.join(OUT, name), text);
  }
  fs.writeFileSync(path.join(OUT, ADDON + ".toc"), toc.replace(/\r?\n/g, "\r\n"));
  const size = Object.values(files).reduce((n, t) => n + t.length, 0);
  console.log("build: dist/" + ADDON + "/ (" + Object.keys(files).length + " Lua files, " + size + " bytes, version " + pkg.version + ")");
}

if (require.main === module) build();
module.exports = { build, OUT, ADDON };
