import { expect } from "chai";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { SUPPORTED_PULUMI_RANGE } from "../../../automation/toolchain/pulumiCliChoice.cjs";
import { findPulumiCli, PulumiCliUnsupportedError } from "../../../automation/toolchain/pulumiCli";
import { pinnedPulumiVersion, requiredGoVersion } from "../../../tools/pulumi/pins.cjs";
import { setupScratch, type SetupScratch } from "../../support/setupScratch";

const PINNED = pinnedPulumiVersion();
/** Node and the coreutils setup uses, and nothing else: no pulumi, no go (Go lives in /usr/local/go here). */
const BASE_PATH = [path.dirname(process.execPath), "/usr/bin", "/bin"];

describe("setup chooses the Pulumi CLI (shim CLIs on PATH)", function () {
  this.timeout(60_000);
  let scratch: SetupScratch;
  let shims: string;

  async function script(file: string, body: string): Promise<string> {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `#!/bin/sh\n${body}\n`);
    await chmod(file, 0o755);
    return path.dirname(file);
  }

  /** A directory holding a `pulumi` that reports `version`, with (or without) a language host beside it. */
  async function pulumiShim(version: string, languageHost = true): Promise<string> {
    const dir = path.join(shims, `pulumi-${version}-${languageHost}`, "bin");
    await script(path.join(dir, "pulumi"), `echo v${version}`);
    if (languageHost) await script(path.join(dir, "pulumi-language-nodejs"), "exit 0");
    return dir;
  }

  /** A `go` that logs its calls and "builds" binaries that report the pinned version. */
  async function goShim(goVersion = "1.26.8"): Promise<string> {
    return script(
      path.join(shims, `go-${goVersion}`, "go"),
      [
        `echo "$*" >> "${path.join(shims, "go-calls.log")}"`,
        'case "$1" in',
        `  env) echo go${goVersion} ;;`,
        '  build) while [ $# -gt 0 ]; do [ "$1" = -o ] && out=$2; shift; done',
        `         printf '#!/bin/sh\\necho v${PINNED}\\n' > "$out"; chmod +x "$out" ;;`,
        "esac",
      ].join("\n"),
    );
  }

  const goCalls = () => readFile(path.join(shims, "go-calls.log"), "utf8").catch(() => "");
  const pinnedDir = () => path.join(scratch.pulumiHome, "versions", PINNED, "bin");
  const driverEnv = (pathDirs: string[]) => ({ ...process.env, PATH: pathDirs.join(path.delimiter), PULUMI_HOME: scratch.pulumiHome });

  beforeEach(async () => {
    scratch = await setupScratch({ venv: "shared" });
    shims = await mkdtemp(path.join(tmpdir(), "talentbase-iam-shims-"));
  });
  afterEach(async () => {
    await scratch.remove();
    await rm(shims, { recursive: true, force: true });
  });

  it("uses an installed pulumi in the supported range, says so in one line, builds nothing; the driver chooses it too", async () => {
    const pathDirs = [await pulumiShim("3.250.0"), await goShim(), ...BASE_PATH];
    const line = `setup: Pulumi CLI: the installed v3.250.0 at ${path.join(pathDirs[0]!, "pulumi")} (this project supports ${SUPPORTED_PULUMI_RANGE})`;
    for (const args of [[], ["--check"]]) {
      const run = await scratch.setup(args, pathDirs);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout.split("\n").filter((printed) => printed.includes("Pulumi CLI"))).to.deep.equal([line]);
    }
    expect(await goCalls()).to.equal("");
    expect(existsSync(path.join(scratch.pulumiHome, "versions"))).to.equal(false);
    expect(await findPulumiCli(driverEnv(pathDirs))).to.deep.equal({ command: path.join(pathDirs[0]!, "pulumi"), version: "3.250.0" });
  });

  it("refuses a pulumi older than the range with one sentence and exit 2, building and installing nothing; the driver refuses it alike", async () => {
    const pathDirs = [await pulumiShim("3.100.0"), await goShim(), ...BASE_PATH];
    const reason =
      `pulumi v3.100.0 at ${path.join(pathDirs[0]!, "pulumi")} is older than this project supports (${SUPPORTED_PULUMI_RANGE}: from 3.206 the engine streams its events over loopback, keeping a new key's secret off the disk): ` +
      `upgrade it, or run \`npm run setup -- --build-pulumi\` to build the pinned v${PINNED} for this project beside it`;
    const run = await scratch.setup([], pathDirs);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.equal(`setup: ${reason}; nothing was installed\n`);
    const check = await scratch.setup(["--check"], pathDirs);
    expect(check.code).to.equal(2);
    expect(check.stderr).to.equal(`setup: cannot: ${reason}\n`);
    expect(await goCalls()).to.equal("");
    expect(existsSync(path.join(scratch.pulumiHome, "versions"))).to.equal(false);

    const refused = await findPulumiCli(driverEnv(pathDirs)).catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(PulumiCliUnsupportedError);
    expect((refused as Error).message).to.equal(reason);
  });

  it("with no pulumi and no Go, names both ways out and exits 2", async () => {
    const sentence = (go: string) =>
      `building the pinned Pulumi CLI v${PINNED} needs Go ${requiredGoVersion()} or later, and ${go} on PATH: ` +
      `install a Pulumi CLI ${SUPPORTED_PULUMI_RANGE} (with its pulumi-language-nodejs beside it), or Go ${requiredGoVersion()} or later`;
    const none = await scratch.setup([], BASE_PATH);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.equal(`setup: ${sentence("Go is not")}; nothing was installed\n`);
    const oldGo = await scratch.setup([], [await goShim("1.22.1"), ...BASE_PATH]);
    expect(oldGo.code).to.equal(2);
    expect(oldGo.stderr).to.equal(`setup: ${sentence("only Go 1.22.1 is")}; nothing was installed\n`);
    expect(await goCalls()).to.not.include("build");
    expect(existsSync(path.join(scratch.pulumiHome, "versions"))).to.equal(false);
  });

  it("with no pulumi and Go, says it will build (--check), builds the pinned release once, then uses it", async () => {
    const pathDirs = [await goShim(), ...BASE_PATH];
    const check = await scratch.setup(["--check"], pathDirs);
    expect(check.code).to.equal(1);
    expect(check.stderr).to.include(
      `setup: missing: none installed; the pinned v${PINNED} is built from the Go module proxy into ${pinnedDir()} (Go 1.26.8 found)\n`,
    );

    const built = await scratch.setup([], pathDirs);
    expect(built.code, built.stderr).to.equal(0);
    const builds = (await goCalls()).split("\n").filter((call) => call.startsWith("build"));
    expect(builds).to.have.length(2);
    expect(builds[0]).to.include(`version.Version=v${PINNED}`).and.include("github.com/pulumi/pulumi/pkg/v3/cmd/pulumi");
    expect(builds[1]).to.include("./cmd/pulumi-language-nodejs");
    expect(built.stdout).to.include(`setup: Pulumi CLI: the pinned v${PINNED} built in ${pinnedDir()}\n`);

    const again = await scratch.setup([], pathDirs);
    expect(again.stdout).to.include(`setup: Pulumi CLI: the pinned v${PINNED} built in ${pinnedDir()} (up to date)\n`);
    expect((await goCalls()).split("\n").filter((call) => call.startsWith("build"))).to.have.length(2);
    expect(await findPulumiCli(driverEnv(pathDirs))).to.deep.equal({ command: path.join(pinnedDir(), "pulumi"), version: PINNED });
  });

  it("--build-pulumi builds the pinned release beside an unusable pulumi, which later runs leave alone", async () => {
    const pathDirs = [await pulumiShim("3.250.0", false), await goShim(), ...BASE_PATH];
    const built = await scratch.setup(["--build-pulumi"], pathDirs);
    expect(built.code, built.stderr).to.equal(0);
    const later = await scratch.setup([], pathDirs);
    expect(later.code, later.stderr).to.equal(0);
    expect(later.stdout).to.include(
      `setup: Pulumi CLI: the pinned v${PINNED} built in ${pinnedDir()}; not the one on PATH: ` +
        `pulumi v3.250.0 at ${path.join(pathDirs[0]!, "pulumi")} has no pulumi-language-nodejs beside it, which runs the program (up to date)\n`,
    );
    expect(await findPulumiCli(driverEnv(pathDirs))).to.deep.equal({ command: path.join(pinnedDir(), "pulumi"), version: PINNED });
  });
});
