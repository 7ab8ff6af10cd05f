// The one place that decides which Pulumi CLI this project runs: scripts/setup.sh (before it builds
// anything) and the driver (pulumiCli.ts) both ask here, so they can never disagree. Plain Node, as
// setup runs it before the TypeScript build. Usage:
//   node automation/toolchain/pulumiCliChoice.cjs [--build-pulumi]
// prints four lines: what to use (installed|pinned|build|refuse), the command, its version, and the
// one sentence that says so.
"use strict";
const { execFile } = require("node:child_process");
const { constants, promises: fs } = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { promisify } = require("node:util");
const semver = require("semver");
const { pinnedPulumiVersion } = require("../../tools/pulumi/pins.cjs");

/**
 * The Pulumi CLI releases this project runs on. From 3.206 the engine streams its event log to a
 * loopback address (`--event-log tcp://...`, as the Automation API uses it after 3.205), which keeps
 * the events that quote a new key's secret off the disk; from 3.174 it imports a resource and updates
 * it in one deployment (`provision --adopt`); every other command and flag the driver uses
 * (--exec-kind, stack import/export, config set-all/rm-all) is older. Below 4: the Automation API of
 * @pulumi/pulumi 3 refuses a CLI of another major version.
 */
const SUPPORTED_PULUMI_RANGE = ">=3.206.0 <4.0.0";

/** How a pulumi on PATH falls short, as the clause of a sentence; undefined when it is usable. */
function shortfallOf(onPath) {
  const at = `at ${onPath.command}`;
  if (onPath.reported === undefined) return `the pulumi ${at} does not answer \`pulumi version\``;
  const version = semver.valid(onPath.reported);
  if (!version) return `the pulumi ${at} reports ${JSON.stringify(onPath.reported)} as its version, not a release`;
  if (semver.prerelease(version)) return `pulumi v${version} ${at} is a pre-release; this project supports the releases ${SUPPORTED_PULUMI_RANGE}`;
  if (semver.ltr(version, SUPPORTED_PULUMI_RANGE)) {
    return `pulumi v${version} ${at} is older than this project supports (${SUPPORTED_PULUMI_RANGE}: from 3.206 the engine streams its events over loopback, keeping a new key's secret off the disk)`;
  }
  if (semver.gtr(version, SUPPORTED_PULUMI_RANGE)) {
    return `pulumi v${version} ${at} is newer than this project supports (${SUPPORTED_PULUMI_RANGE}: the Automation API of @pulumi/pulumi 3 refuses another major version)`;
  }
  if (!onPath.languageHost) return `pulumi v${version} ${at} has no pulumi-language-nodejs beside it, which runs the program`;
  return undefined;
}

/**
 * The decision, from what was found: a usable pulumi on PATH wins (the operator's own CLI, the one
 * `pulumi up -s prod` runs too); else the pinned build setup made; else setup builds the pinned
 * release, unless an unusable pulumi is on PATH: building another one beside it is then the
 * operator's call (--build-pulumi), not a 4-9 minute surprise.
 */
function decidePulumiCli({ onPath, pinned, buildRequested = false }) {
  const shortfall = onPath && shortfallOf(onPath);
  if (onPath && !shortfall) {
    const version = semver.valid(onPath.reported);
    return {
      use: "installed",
      command: onPath.command,
      version,
      line: `Pulumi CLI: the installed v${version} at ${onPath.command} (this project supports ${SUPPORTED_PULUMI_RANGE})`,
    };
  }
  const command = path.join(pinned.binDir, "pulumi");
  if (pinned.installed) {
    const instead = shortfall ? `; not the one on PATH: ${shortfall}` : "";
    return { use: "pinned", command, version: pinned.version, line: `Pulumi CLI: the pinned v${pinned.version} built in ${pinned.binDir}${instead}` };
  }
  if (shortfall && !buildRequested) {
    return {
      use: "refuse",
      command: "",
      version: "",
      line: `${shortfall}: upgrade it, or run \`npm run setup -- --build-pulumi\` to build the pinned v${pinned.version} for this project beside it`,
    };
  }
  return {
    use: "build",
    command,
    version: pinned.version,
    line: `Pulumi CLI: ${shortfall ? `not the one on PATH (${shortfall})` : "none installed"}; the pinned v${pinned.version} is built from the Go module proxy into ${pinned.binDir}`,
  };
}

async function isExecutableFile(file) {
  try {
    await fs.access(file, constants.X_OK);
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

async function findOnPath(name, env) {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (dir && (await isExecutableFile(path.resolve(dir, name)))) return path.resolve(dir, name);
  }
  return undefined;
}

/** Where setup installs the pinned CLI, which is also where the Automation API looks by default. */
function pinnedBinDir(env = process.env, version = pinnedPulumiVersion()) {
  const home = env.PULUMI_HOME ?? path.join(env.HOME ?? os.homedir(), ".pulumi");
  return path.join(home, "versions", version, "bin");
}

const VERSION_CACHE = path.join(__dirname, "..", "..", "node_modules", ".cache", "talentbase-iam", "pulumi-version.json");

/**
 * What `pulumi version` prints (without its "v"; undefined when it fails), remembered for the binary
 * (its real path, size and mtime): a CLI start costs ~0.12 s, on every driver command otherwise. An
 * upgrade replaces the file, so it is asked again.
 */
async function reportedVersion(command, env) {
  const real = await fs.realpath(command);
  const { size, mtimeMs } = await fs.stat(real);
  const key = `${real}:${size}:${mtimeMs}`;
  const cached = await fs.readFile(VERSION_CACHE, "utf8").then(JSON.parse, () => undefined);
  if (cached?.key === key) return cached.reported;
  let reported;
  try {
    const { stdout } = await promisify(execFile)(command, ["version"], { env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" }, timeout: 30_000 });
    reported = stdout.trim().replace(/^v/, "");
  } catch {
    return undefined;
  }
  // Written whole then renamed: parallel test workers read this file too. A cache that cannot be
  // written (a read-only checkout) only costs the next command that CLI start.
  const partial = `${VERSION_CACHE}.${process.pid}`;
  await fs
    .mkdir(path.dirname(VERSION_CACHE), { recursive: true })
    .then(() => fs.writeFile(partial, JSON.stringify({ key, reported })))
    .then(() => fs.rename(partial, VERSION_CACHE))
    .catch(() => fs.rm(partial, { force: true }));
  return reported;
}

/** Looks at PATH and the pinned install directory of `env`, then decides. */
async function choosePulumiCli({ env = process.env, buildRequested = false } = {}) {
  const version = pinnedPulumiVersion();
  const binDir = pinnedBinDir(env, version);
  const pinned = {
    version,
    binDir,
    installed: (await isExecutableFile(path.join(binDir, "pulumi"))) && (await isExecutableFile(path.join(binDir, "pulumi-language-nodejs"))),
  };
  const command = await findOnPath("pulumi", env);
  const onPath = command && {
    command,
    reported: await reportedVersion(command, env),
    languageHost: await isExecutableFile(path.join(path.dirname(command), "pulumi-language-nodejs")),
  };
  return decidePulumiCli({ onPath, pinned, buildRequested });
}

module.exports = { SUPPORTED_PULUMI_RANGE, choosePulumiCli, decidePulumiCli, pinnedBinDir };

if (require.main === module) {
  const buildRequested = process.argv.includes("--build-pulumi");
  choosePulumiCli({ buildRequested }).then(
    (choice) => process.stdout.write(`${[choice.use, choice.command, choice.version, choice.line].join("\n")}\n`),
    (error) => {
      process.stderr.write(`could not decide which Pulumi CLI to use: ${error.message}\n`);
      process.exit(1);
    },
  );
}
