// Builds the addon folder dist/OGRH_Sync/: the TypeScriptToLua bundle (Lua 5.0) split into one
// file per src folder (see shipFiles), stripped of indentation and comments with every line kept
// in place, the hand-written Lua from lualib/, and the .toc generated from toc/ (version from
// package.json, {{modules}} replaced by the generated files in load order).
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
  // The source map (build/lua/OGRH_Sync.lua.map) lets scripts/where.js name the TypeScript line.
  const result = tstl.transpileProject(path.join(ROOT, "tsconfig.json"), { sourceMap: true });
  if (result.diagnostics.length > 0) {
    const host = {
      getCurrentDirectory: () => ROOT,
      getCanonicalFileName: (f) => f,
      getNewLine: () => "\n",
    };
    console.error(ts.formatDiagnosticsWithColorAndContext(result.diagnostics, host));
    fail(result.diagnostics.length + " diagnostic(s)");
  }
  return fs.readFileSync(path.join(ROOT, "build", "lua", ADDON + ".lua"), "utf8");
}

// The TSTL bundle is a loader header, `____modules = {` with one `["name"] = function(...) <body>
// end,` per module, and a call of the entry. Returns [{ name, body }] in bundle order; the split
// must give back the module table byte for byte, so a change of TSTL's format fails the build.
function splitBundle(bundle) {
  const OPEN = "\n____modules = {\n";
  const CLOSE = "}\nlocal ____entry = require(\"main\"";
  const start = bundle.indexOf(OPEN);
  const end = bundle.lastIndexOf(CLOSE);
  if (start < 0 || end < start) fail("unexpected TSTL bundle layout (module table not found)");
  const table = bundle.slice(start + OPEN.length, end);
  const modules = [];
  const re = /^\["([^"\n]+)"\] = function\(\.\.\.\) \n([\s\S]*?)\n end,\n(?=\["|(?![\s\S]))/gm;
  let rebuilt = "";
  let m;
  while ((m = re.exec(table)) !== null) {
    modules.push({ name: m[1], body: m[2] });
    rebuilt += m[0];
  }
  if (rebuilt !== table) fail("unexpected TSTL bundle layout (module table did not split cleanly)");
  return modules;
}

// Lua text without comments, indentation and trailing blanks; every newline stays, so each line of
// a module keeps its place (a client error's line is that of TSTL's output for the module, shifted
// by where the module starts in its file; test/addon/shape.test.ts).
function stripLua(text) {
  let out = "";
  let i = 0;
  let lineStart = true;
  const n = text.length;
  const longBracket = (at) => {
    const m = /^\[(=*)\[/.exec(text.slice(at, at + 64));
    return m ? m[1].length : -1;
  };
  const skipLong = (at, level) => {
    const close = "]" + "=".repeat(level) + "]";
    const stop = text.indexOf(close, at);
    if (stop < 0) fail("unterminated long bracket in the Lua output");
    return stop + close.length;
  };
  while (i < n) {
    const c = text[i];
    if (lineStart && (c === " " || c === "\t")) {
      i++;
      continue;
    }
    lineStart = false;
    if (c === "\n") {
      out = out.replace(/[ \t]+$/, "");
      out += "\n";
      lineStart = true;
      i++;
    } else if (c === "-" && text[i + 1] === "-") {
      const level = longBracket(i + 2);
      const stop = level >= 0 ? skipLong(i + 2, level) : text.indexOf("\n", i) < 0 ? n : text.indexOf("\n", i);
      const newlines = text.slice(i, stop).replace(/[^\n]/g, "");
      if (newlines !== "") {
        out = out.replace(/[ \t]+$/, "") + newlines;
        lineStart = true;
      }
      i = stop;
    } else if (c === "\"" || c === "'") {
      let j = i + 1;
      while (j < n && text[j] !== c) {
        if (text[j] === "\\") j++;
        else if (text[j] === "\n") fail("unfinished string in the Lua output");
        j++;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "[" && longBracket(i) >= 0) {
      const stop = skipLong(i, longBracket(i));
      out += text.slice(i, stop);
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/[ \t]+$/, "");
}

// Each src folder ships as one file, so a client error names the module's own file; a module added
// or split inside a folder lands in its folder's file with no change here, and a new folder gets
// its own file named after it. Modules at the top of src/ (app, main) make the entry file.
const FOLDER_FILES = [
  ["core", "Core.lua"],
  ["wow", "WowAdapter.lua"],
  ["store", "Store.lua"],
  ["integrity", "SyncIntegrity.lua"],
  ["transport", "Transport.lua"],
  ["sync", "SyncGranular.lua"],
  ["rollback", "Rollback.lua"],
  ["ui", "DataManagement.lua"],
  ["selftest", "SelfTest.lua"],
];
const RUNTIME_FILE = "Runtime.lua";
const ENTRY_FILE = ADDON + ".lua";
// The one global the files share while loading; the entry file removes it before running main.
const LOADER = "OGRH_SyncLoader";

function fileOf(moduleName) {
  if (moduleName === "lualib_bundle") return RUNTIME_FILE;
  const dot = moduleName.indexOf(".");
  if (dot < 0) return ENTRY_FILE;
  const folder = moduleName.slice(0, dot);
  const known = FOLDER_FILES.find(([f]) => f === folder);
  return known ? known[1] : folder[0].toUpperCase() + folder.slice(1) + ".lua";
}

const RUNTIME_HEAD = [
  "-- OGRH Sync: the module loader and TypeScriptToLua's runtime helpers. Generated by scripts/build.js.",
  "local ____modules = {}",
  "local ____cache = {}",
  "local function require(file)",
  "local cached = ____cache[file]",
  "if cached then return cached.value end",
  "local module = ____modules[file]",
  "if not module then error(\"OGRH_Sync: module '\" .. file .. \"' not found (a file of the addon did not load)\") end",
  "local value = module(file)",
  "____cache[file] = { value = value }",
  "return value",
  "end",
  LOADER + " = { modules = ____modules, require = require }",
];

function fileHead(file, folders) {
  return [
    "-- OGRH Sync: " + folders + ". Generated by scripts/build.js from the TypeScript in src/.",
    "local ____loader = " + LOADER,
    "if not ____loader then error(\"OGRH_Sync: " + file + " loaded without " + RUNTIME_FILE + "\") end",
    "local ____modules, require = ____loader.modules, ____loader.require",
  ];
}

// Returns [[file name, text]] in load order: the runtime, the folders, the entry last.
function shipFiles(modules) {
  const groups = new Map();
  for (const mod of modules) {
    const file = fileOf(mod.name);
    if (!groups.has(file)) groups.set(file, []);
    groups.get(file).push(mod);
  }
  if (!groups.has(RUNTIME_FILE) || !groups.has(ENTRY_FILE)) fail("the bundle has no lualib_bundle or no entry module");
  const known = FOLDER_FILES.map(([, file]) => file);
  const extra = [...groups.keys()].filter((f) => f !== RUNTIME_FILE && f !== ENTRY_FILE && !known.includes(f)).sort();
  const order = [RUNTIME_FILE, ...known.filter((f) => groups.has(f)), ...extra, ENTRY_FILE];
  return order.map((file) => {
    const mods = groups.get(file);
    const sources = new Set(mods.map((m) => "src/" + (m.name.includes(".") ? m.name.split(".")[0] + "/" : m.name + ".ts")));
    const lines = file === RUNTIME_FILE ? RUNTIME_HEAD.slice() : fileHead(file, [...sources].join(", "));
    for (const mod of mods) {
      lines.push("____modules[\"" + mod.name + "\"] = function(...)");
      lines.push(stripLua(mod.body));
      lines.push("end");
    }
    if (file === ENTRY_FILE) lines.push(LOADER + " = nil", "require(\"main\")");
    return [file, lines.join("\n") + "\n"];
  });
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
  const shipped = shipFiles(splitBundle(transpile()));
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const files = {};
  for (const file of fs.readdirSync(path.join(ROOT, "lualib"))) {
    if (file.endsWith(".lua")) files[file] = fs.readFileSync(path.join(ROOT, "lualib", file), "utf8");
  }
  for (const [name, text] of shipped) {
    if (name in files) fail("generated " + name + " clashes with lualib/" + name);
    files[name] = text;
  }
  const template = fs.readFileSync(path.join(ROOT, "toc", ADDON + ".toc"), "utf8");
  if (!/^\{\{modules\}\}\r?$/m.test(template)) fail("toc/" + ADDON + ".toc has no {{modules}} line");
  const toc = template
    .replace(/\{\{version\}\}/g, pkg.version)
    .replace(/^\{\{modules\}\}(\r?)$/m, (_, cr) => shipped.map(([name]) => name).join(cr + "\n"));
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
module.exports = { build, OUT, ADDON, stripLua, LOADER };
