// Loads one of our TypeScript modules the fast way when it can: compiled (dist/, built by `npm run
// build`, which `npm ci` runs as the package's prepare step) when that build is current, else from
// source through tsx, so an edited file is never run stale. Every entry point (the CLI, the Pulumi
// program, the sandbox's aws plugin) loads through here.
"use strict";
const { readdirSync, statSync } = require("node:fs");
const path = require("node:path");

const REPO = path.resolve(__dirname, "..");
const DIST = path.join(REPO, "dist");
const STAMP = path.join(DIST, ".build-stamp");
/** What the build compiles; a newer file in any of them makes the build stale. */
const SOURCE_ROOTS = ["automation", "infra", "sandbox", "policy"];

function newestSource() {
  let newest = 0;
  for (const root of SOURCE_ROOTS) {
    for (const entry of readdirSync(path.join(REPO, root), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith(".ts")) {
        newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
      }
    }
  }
  return newest;
}

/** Whether dist/ holds a build at least as new as every source file. */
function buildIsCurrent() {
  let built;
  try {
    built = statSync(STAMP).mtimeMs;
  } catch {
    return false;
  }
  return newestSource() <= built;
}

/** `module` is a repository-relative path without extension, e.g. "automation/cli/main". */
function loadCompiled(module) {
  if (buildIsCurrent()) return require(path.join(DIST, `${module}.js`));
  require("tsx/cjs/api").register();
  return require(path.join(REPO, `${module}.ts`));
}

module.exports = { loadCompiled, buildIsCurrent };

// `node build/loadCompiled.cjs --check`: exit 0 when the build is current (setup rebuilds otherwise).
if (require.main === module && process.argv[2] === "--check") process.exit(buildIsCurrent() ? 0 : 1);
