import { expect } from "chai";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { IAMClient, ListPoliciesCommand, ListUsersCommand } from "@aws-sdk/client-iam";
import { getPulumiCli } from "../../automation/toolchain/pulumiCli";
import { sandboxEngineEnv } from "../../sandbox/sandboxEngine";
import { copyProject, type ProjectCopy } from "../../harness/projectCopy";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type MotoServer } from "../../sandbox/moto/motoServer";

const run = promisify(execFile);

/** `pulumi up -s <stack>` must work on the same project as the driver: the plain CLI, no Automation API. */
describe("the plain pulumi CLI on the project", function () {
  this.timeout(180_000);
  let moto: MotoServer;
  let project: ProjectCopy;
  let pulumiBinary: string;
  let iam: IAMClient;

  const pulumi = (...args: string[]) =>
    run(pulumiBinary, [...args, "--non-interactive", "--color", "never"], {
      cwd: project.dir,
      env: { ...process.env, ...sandboxEngineEnv({ motoEndpoint: moto.endpoint, stateDir: project.stateDir }) },
    });
  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error("expected the command to fail");
      },
      (error: { stdout: string; stderr: string }) => error,
    );
  const iamNames = async () => ({
    users: ((await iam.send(new ListUsersCommand({}))).Users ?? []).map((user) => user.UserName),
    policies: ((await iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies ?? []).map((policy) => policy.PolicyName),
  });

  before(async () => {
    pulumiBinary = (await getPulumiCli()).command;
    moto = await startMoto();
    project = await copyProject();
    iam = new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    await pulumi("stack", "init", "local");
  });
  after(async () => {
    iam?.destroy();
    await moto?.stop();
    await project?.remove();
  });

  it("stops on invalid config with one message naming each key, before registering anything", async () => {
    await pulumi("config", "set", "talentbase-iam:keyMaxAgeDays", "ninety", "-s", "local");
    await pulumi("config", "set", "talentbase-iam:bucketName", "Not_A_Bucket", "-s", "local");
    const { stdout } = await failureOf(pulumi("up", "--yes", "-s", "local"));
    expect(stdout).to.include("talentbase-iam:keyMaxAgeDays must be a whole number of days");
    expect(stdout).to.include("talentbase-iam:bucketName must be a valid S3 bucket name");
    expect(await iamNames()).to.deep.equal({ users: [], policies: [] });
  });

  it("runs `pulumi up -s local`, keeps the secret masked in `stack output`, and destroys", async () => {
    await pulumi("config", "rm", "talentbase-iam:keyMaxAgeDays", "-s", "local");
    await pulumi("config", "rm", "talentbase-iam:bucketName", "-s", "local");
    await pulumi("up", "--yes", "--skip-preview", "-s", "local");
    expect(await iamNames()).to.deep.equal({ users: ["talentbase-backend-local"], policies: ["talentbase-backend-local-s3-policy"] });

    const outputs = JSON.parse((await pulumi("stack", "output", "--json", "-s", "local")).stdout);
    expect(outputs.secretAccessKey).to.equal("[secret]");
    expect(outputs.accessKeyId).to.match(/^AKIA/);

    await pulumi("destroy", "--yes", "--skip-preview", "-s", "local");
    expect(await iamNames()).to.deep.equal({ users: [], policies: [] });
  });
});
