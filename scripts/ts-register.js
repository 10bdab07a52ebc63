// Lets Node scripts (benchmarks, npm run sim) require the TypeScript test harness directly:
// each .ts file is transpiled on load with TypeScript's transpileModule (no type check).
"use strict";
const fs = require("fs");
const ts = require("typescript");

require.extensions[".ts"] = function (module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      sourceMap: false,
    },
  });
  module._compile(outputText, filename);
};
