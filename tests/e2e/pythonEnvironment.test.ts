import { expect } from "chai";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto } from "../../sandbox/moto/motoServer";
import { pinnedPulumiVersion } from "../../tools/pulumi/pins.cjs";
import { externallyManagedPython } from "../support/externallyManagedPython";
import { setupScratch, type SetupScratch } from "../support/setupScratch";

const run = promisify(execFile);

/** setup's project virtualenv on a machine whose python3 refuses installs outside a virtualenv (PEP 668). */
describe("the project's Python environment (.venv) under an externally managed python3", function () {
  this.timeout(300_000);
  let scratch: SetupScratch;
  let machine: string;
  let pulumiBin: string;

  /** PATH of the made-up machine: its python3, a supported pulumi, node and the coreutils. */
  const pathOf = (pythonBin: string) => [pythonBin, pulumiBin, path.dirname(process.execPath), "/usr/bin", "/bin"];

  before(async () => {
    machine = await mkdtemp(path.join(tmpdir(), "talentbase-iam-pep668-"));
    // The toolchain step is not under test here: a pulumi the project supports, with its language host.
    pulumiBin = path.join(machine, "pulumi-bin");
    await mkdir(pulumiBin);
    for (const [name, body] of [
      ["pulumi", `echo v${pinnedPulumiVersion()}`],
      ["pulumi-language-nodejs", "exit 0"],
    ] as const) {
      await writeFile(path.join(pulumiBin, name), `#!/bin/sh\n${body}\n`);
      await chmod(path.join(pulumiBin, name), 0o755);
    }
  });
  afterEach(() => scratch?.remove());
  after(() => rm(machine, { recursive: true, force: true }));

  it("still gets a working .venv with moto, and nothing goes into the interpreter it was made from", async () => {
    const pythonBin = await externallyManagedPython(path.join(machine, "managed"), { ensurepip: true });
    const python = path.join(pythonBin, "python3");
    const refused = await run(python, ["-m", "pip", "install", "--dry-run", "six"]).then(
      () => "",
      (error: { stderr: string }) => error.stderr,
    );
    expect(refused, "the interpreter refuses installs, as PEP 668 says").to.include("externally-managed-environment");
    const packages = async () => (await run(python, ["-c", "import sysconfig, os; print(sorted(os.listdir(sysconfig.get_path('purelib'))))"])).stdout;
    const packagesBefore = await packages();

    scratch = await setupScratch({ venv: "none" });
    const first = await scratch.setup([], pathOf(pythonBin));
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.match(/setup: making the project's Python environment \.venv \(python3 -m venv, Python 3\.\d+\)\.\.\./);
    expect(first.stdout).to.include("setup: installing into .venv: moto==5.2.1 (found: none)");
    expect(await readFile(path.join(scratch.dir, ".venv", "pyvenv.cfg"), "utf8"), "made from the managed interpreter").to.include(`home = ${pythonBin}`);
    expect(await packages(), "nothing installed into the interpreter itself").to.equal(packagesBefore);

    const again = await scratch.setup([], pathOf(pythonBin));
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.include(
      "setup: Python environment .venv: moto 5.2.1, awscli 1.45.11, Django 5.2.19, django-storages 1.14.6, boto3 1.43.11 installed",
    );
    expect(again.stdout).not.to.include("installing");

    const moto = await startMoto({ python: path.join(scratch.dir, ".venv", "bin", "python") });
    const iam = new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    try {
      const { User } = await iam.send(new CreateUserCommand({ UserName: "made-on-the-venv-moto" }));
      expect(User?.UserName).to.equal("made-on-the-venv-moto");
    } finally {
      iam.destroy();
      await moto.stop();
    }
  });

  it("names the python3-venv package in one sentence when python3 cannot make a virtualenv, and installs nothing", async () => {
    const pythonBin = await externallyManagedPython(path.join(machine, "without-venv"), { ensurepip: false });
    scratch = await setupScratch({ venv: "none" });
    const refused = await scratch.setup([], pathOf(pythonBin));
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.equal(
      `setup: python3 (${path.join(pythonBin, "python3")}, ${(await run(path.join(pythonBin, "python3"), ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])).stdout.trim()}) cannot make a virtualenv: ` +
        "its ensurepip module is missing (on Debian and Ubuntu install the package python3-venv: sudo apt install python3-venv); nothing was installed\n",
    );
    expect(existsSync(path.join(scratch.dir, ".venv"))).to.equal(false);
    const check = await scratch.setup(["--check"], pathOf(pythonBin));
    expect(check.code).to.equal(2);
    expect(check.stderr).to.include("setup: cannot: python3 (").and.include("python3-venv");
  });
});
