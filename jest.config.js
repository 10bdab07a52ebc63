// jest runs two kinds of tests: TypeScript core modules in Node (fast feedback) and the built
// addon as real Lua 5.0 in the emulated client (the truth). globalSetup builds the addon once.
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/test/tsconfig.json" }] },
  globalSetup: "<rootDir>/test/harness/global-setup.js",
  // Core modules that run in Node read Lua tables in the fixture convention (test/node/luatable.ts).
  moduleNameMapper: { "^(\\.\\./)+core/luatable$": "<rootDir>/test/node/luatable.ts" },
  testTimeout: 120000,
  // jest uses cores - 1 workers by default: one on a 2-core machine. The emulated raids are
  // CPU-bound and independent, so both cores halve the wall time.
  maxWorkers: 2,
};
