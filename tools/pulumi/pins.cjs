// The one reader of this tools module's pins: go.mod is the source, and setup.sh (before any npm
// install, hence plain Node) and the driver both ask here. Usage: node tools/pulumi/pins.cjs pulumi|go
"use strict";
const { readFileSync } = require("node:fs");
const path = require("node:path");

function goMod() {
  return readFileSync(path.join(__dirname, "go.mod"), "utf8");
}

/** The Pulumi release the module pins (github.com/pulumi/pulumi/pkg/v3), without a leading "v". */
function pinnedPulumiVersion() {
  const match = /^\s*github\.com\/pulumi\/pulumi\/pkg\/v3 v(\d+\.\d+\.\d+)\s*$/m.exec(goMod());
  if (!match) throw new Error("tools/pulumi/go.mod does not pin github.com/pulumi/pulumi/pkg/v3");
  return match[1];
}

/** The least Go release that builds the module (its `go` directive). */
function requiredGoVersion() {
  const match = /^go (\d+\.\d+(?:\.\d+)?)\s*$/m.exec(goMod());
  if (!match) throw new Error("tools/pulumi/go.mod has no go directive");
  return match[1];
}

module.exports = { pinnedPulumiVersion, requiredGoVersion };

if (require.main === module) {
  const readers = { pulumi: pinnedPulumiVersion, go: requiredGoVersion };
  const reader = readers[process.argv[2]];
  if (!reader) {
    process.stderr.write("usage: node tools/pulumi/pins.cjs pulumi|go\n");
    process.exit(2);
  }
  process.stdout.write(`${reader()}\n`);
}
