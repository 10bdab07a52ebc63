// Builds the addon once before any test file runs, unless the caller (scripts/test.js) just did.
module.exports = function globalSetup() {
  if (process.env.OGRH_BUILT === "1") return;
  require("../../scripts/build.js").build();
};
