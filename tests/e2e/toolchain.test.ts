import { expect } from "chai";
import { execFile } from "node:child_process";
import { chmod, mkdtemp, mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import semver from "semver";
import { LocalWorkspace, type PulumiCommand } from "@pulumi/pulumi/automation";
import { REPO_ROOT } from "../../automation/projectPaths";
import { SUPPORTED_PULUMI_RANGE } from "../../automation/toolchain/pulumiCliChoice.cjs";
import { findPulumiCli, PulumiCliUnsupportedError } from "../../automation/toolchain/pulumiCli";
import { chosenPulumiCommand } from "../support/automationCli";
import { pinnedPulumiVersion } from "../../tools/pulumi/pins.cjs";

describe("offline Pulumi toolchain", function () {
  this.timeout(120_000);
  let cli: PulumiCommand;
  let scratch: string;

  const engineEnv = (backendDir: string) => ({
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: "toolchain-test",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  });

  before(async () => {
    // The Automation API's own lookup of the CLI setup chose, as a program of its own would do it.
    cli = await chosenPulumiCommand();
    scratch = await mkdtemp(path.join(tmpdir(), "talentbase-toolchain-"));
  });
  after(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("the CLI setup chose is a supported release, and it says so itself", async () => {
    const { command, version } = await findPulumiCli();
    const { stdout } = await promisify(execFile)(command, ["version"], { env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
    expect(stdout.trim()).to.equal(`v${version}`);
    expect(semver.satisfies(version, SUPPORTED_PULUMI_RANGE)).to.equal(true);
  });

  it("refuses a pulumi on PATH older than the supported range when setup built none, in one sentence", async () => {
    const fakeBin = path.join(scratch, "fake-bin");
    await mkdir(fakeBin);
    await writeFile(path.join(fakeBin, "pulumi"), "#!/bin/sh\necho v3.100.0\n");
    await chmod(path.join(fakeBin, "pulumi"), 0o755);
    const env = { ...process.env, PULUMI_HOME: path.join(scratch, "empty-pulumi-home"), PATH: `${fakeBin}${path.delimiter}${process.env["PATH"]}` };
    let error: unknown;
    await findPulumiCli(env).catch((caught: unknown) => (error = caught));
    expect(error).to.be.instanceOf(PulumiCliUnsupportedError);
    expect((error as Error).message).to.equal(
      `pulumi v3.100.0 at ${path.join(fakeBin, "pulumi")} is older than this project supports (${SUPPORTED_PULUMI_RANGE}: from 3.206 the engine streams its events over loopback, keeping a new key's secret off the disk): ` +
        `upgrade it, or run \`npm run setup -- --build-pulumi\` to build the pinned v${pinnedPulumiVersion()} for this project beside it`,
    );
  });

  it("runs an inline program in a file backend and keeps its secret output encrypted", async () => {
    const backendDir = path.join(scratch, "inline-state");
    await mkdir(backendDir);
    const stack = await LocalWorkspace.createStack(
      {
        stackName: "toolchain",
        projectName: "toolchain-inline",
        program: async () => ({ answer: 42, token: pulumi.secret("inline-secret-value") }),
      },
      { pulumiCommand: cli, envVars: engineEnv(backendDir) },
    );
    const result = await stack.up();
    expect(result.summary.result).to.equal("succeeded");
    expect(result.outputs["answer"]).to.deep.equal({ value: 42, secret: false });
    expect(result.outputs["token"]?.secret).to.equal(true);
    const stateFile = await readFile(path.join(backendDir, ".pulumi", "stacks", "toolchain-inline", "toolchain.json"), "utf8");
    expect(stateFile).to.include("ciphertext");
    expect(stateFile).not.to.include("inline-secret-value");
  });

  it("runs a TypeScript project through the bundled Node.js language host", async () => {
    const projectDir = path.join(scratch, "project");
    const backendDir = path.join(scratch, "project-state");
    await mkdir(path.join(projectDir, "src"), { recursive: true });
    await mkdir(backendDir);
    await symlink(path.join(REPO_ROOT, "node_modules"), path.join(projectDir, "node_modules"));
    await writeFile(path.join(projectDir, "package.json"), JSON.stringify({ name: "toolchain-project", dependencies: { "@pulumi/pulumi": "*" } }));
    // TypeScript through tsx, as the host passes nodeargs (this project itself runs its compiled build).
    await writeFile(
      path.join(projectDir, "Pulumi.yaml"),
      [
        "name: toolchain-project",
        "runtime:",
        "  name: nodejs",
        "  options:",
        "    typescript: false",
        "    nodeargs: --import tsx",
        "main: src/index.ts",
        "",
      ].join("\n"),
    );
    await writeFile(
      path.join(projectDir, "src", "index.ts"),
      [
        'import * as pulumi from "@pulumi/pulumi";',
        'const greeting: string = new pulumi.Config().require("greeting");',
        "export const shout = greeting.toUpperCase();",
        "export const stackName = pulumi.getStack();",
      ].join("\n"),
    );

    const stack = await LocalWorkspace.createStack({ stackName: "dev", workDir: projectDir }, { pulumiCommand: cli, envVars: engineEnv(backendDir) });
    await stack.setConfig("greeting", { value: "hello" });
    const preview = await stack.preview();
    expect(preview.changeSummary).to.deep.equal({ create: 1 });
    const result = await stack.up();
    expect(result.outputs["shout"]?.value).to.equal("HELLO");
    expect(result.outputs["stackName"]?.value).to.equal("dev");
  });

  it("reports a failing program as a failed update, not a hang", async () => {
    const backendDir = path.join(scratch, "failing-state");
    await mkdir(backendDir);
    const stack = await LocalWorkspace.createStack(
      {
        stackName: "failing",
        projectName: "toolchain-failing",
        program: async () => {
          throw new Error("program refused");
        },
      },
      { pulumiCommand: cli, envVars: engineEnv(backendDir) },
    );
    let message = "";
    await stack.up().catch((error: Error) => {
      message = error.message;
    });
    expect(message).to.include("program refused");
  });
});
