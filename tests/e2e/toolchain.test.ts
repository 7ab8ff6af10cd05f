import { expect } from "chai";
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, type PulumiCommand } from "@pulumi/pulumi/automation";
import { getPulumiCli, pinnedPulumiVersion } from "../../automation/toolchain/pulumiCli";

const repoRoot = path.resolve(__dirname, "..", "..");

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
    cli = await getPulumiCli();
    scratch = await mkdtemp(path.join(tmpdir(), "talentbase-toolchain-"));
  });
  after(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("uses the pinned CLI release through the Automation API", () => {
    expect(cli.version?.version).to.equal(pinnedPulumiVersion());
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
    await symlink(path.join(repoRoot, "node_modules"), path.join(projectDir, "node_modules"));
    await writeFile(path.join(projectDir, "package.json"), JSON.stringify({ name: "toolchain-project", dependencies: { "@pulumi/pulumi": "*" } }));
    await writeFile(path.join(projectDir, "Pulumi.yaml"), await readFile(path.join(repoRoot, "Pulumi.yaml"), "utf8").then((yaml) =>
      yaml.replace(/^name: .*$/m, "name: toolchain-project").replace(/^main: .*$/m, "main: src/index.ts")));
    await writeFile(path.join(projectDir, "src", "index.ts"), [
      'import * as pulumi from "@pulumi/pulumi";',
      "const greeting: string = new pulumi.Config().require(\"greeting\");",
      "export const shout = greeting.toUpperCase();",
      "export const stackName = pulumi.getStack();",
    ].join("\n"));

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
      { stackName: "failing", projectName: "toolchain-failing", program: async () => { throw new Error("program refused"); } },
      { pulumiCommand: cli, envVars: engineEnv(backendDir) },
    );
    let message = "";
    await stack.up().catch((error: Error) => { message = error.message; });
    expect(message).to.include("program refused");
  });
});
