// Renders the Data Management window's main states to PNG (docs/images/) with the emulated client
// and headless Chromium: `npm run screenshots`. Not part of `npm test` (CI has no Chromium).
// Usage: node scripts/screenshots.js [--out docs/images] [state ...]
"use strict";
require("./ts-register.js");
const fs = require("fs");
const path = require("path");
const { build } = require("./build.js");
const { renderPng } = require("../test/harness/render.ts");
const { startState, stateErrors, states } = require("../test/ui/states.ts");

const args = process.argv.slice(2);
let out = path.join(__dirname, "..", "docs", "images");
const wanted = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--out") out = args[++i];
  else wanted.push(args[i]);
}
fs.mkdirSync(out, { recursive: true });
build();
for (const state of states) {
  if (wanted.length > 0 && !wanted.includes(state.name)) continue;
  const raid = startState(state);
  try {
    const client = state.setup(raid);
    const file = path.join(out, "data-" + state.name + ".png");
    renderPng(client, file);
    const errors = stateErrors(state, raid);
    if (errors.length > 0) throw new Error(state.name + ": " + errors.join("; "));
    console.log("screenshots: " + path.relative(process.cwd(), file) + " - " + state.title);
  } finally {
    raid.close();
  }
}
