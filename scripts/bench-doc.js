// Writes one benchmark's section of docs/benchmarks.md: replaces the section that starts with the
// text's first line ("## Name") up to the next "## ", or appends it; other sections stay.
"use strict";
const fs = require("fs");
const path = require("path");

function writeSection(text) {
  const file = path.join(__dirname, "..", "docs", "benchmarks.md");
  const heading = text.split("\n")[0];
  const doc = fs.readFileSync(file, "utf8");
  const start = doc.indexOf(heading + "\n");
  let out;
  if (start < 0) out = doc.replace(/\s*$/, "\n\n") + text + "\n";
  else {
    const next = doc.indexOf("\n## ", start + 3);
    out = doc.slice(0, start) + text + "\n" + (next < 0 ? "" : doc.slice(next));
  }
  fs.writeFileSync(file, out);
  console.log("wrote docs/benchmarks.md (" + heading.replace(/^#+ /, "") + ")");
}

module.exports = { writeSection };
