import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { sandboxEngineEnv } from "../../../sandbox/sandboxEngine";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type MotoServer } from "../../../sandbox/moto/motoServer";
import { IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { driverProject, runDriver, runDriverInTerminal } from "../../support/driverProcess";

/**
 * dev, staging and prod as an operator runs them (own backend, own credentials, AWS_ENDPOINT_URL),
 * except that the backend is a file, the AWS is moto and the aws plugin the stand-in.
 */
describe("provision of the real stacks (dev, staging, prod) as an operator runs it", function () {
  this.timeout(120_000);
  let moto: MotoServer;
  let project: Awaited<ReturnType<typeof driverProject>>;

  before(async () => {
    moto = await startMoto();
    project = await driverProject();
    const s3 = new S3Client({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
    for (const stack of ["dev", "staging", "prod"]) await s3.send(new CreateBucketCommand({ Bucket: `talentbase-${stack}-uploads` }));
    s3.destroy();
  });
  after(async () => {
    await moto?.stop();
    await project?.remove();
  });

  it("prod at a terminal shows the preview's change summary and changes nothing unless the answer is yes", async () => {
    const env = { ...project.env, ...sandboxEngineEnv({ motoEndpoint: moto.endpoint, stateDir: project.stateDir }) };
    const run = await runDriverInTerminal("provision", ["prod"], { env, input: "no\n" });
    expect(run.code).to.equal(1);
    // The identity's 6 (stack, component, user, policy, attachment, key) and prod's credentials secret (component, secret, version).
    expect(run.stdout).to.include("Preview of prod: create 9").and.include("Apply these changes to prod?");
    expect(run.stdout).to.include("cancelled: nothing was changed");
    const iam = new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    const users = ((await iam.send(new ListUsersCommand({}))).Users ?? []).map((user) => user.UserName);
    iam.destroy();
    expect(users).not.to.include("talentbase-backend-prod");
  });

  /** Another machine's update holds staging's lock. */
  const lockStaging = async () => {
    const lockDir = path.join(project.stateDir, ".pulumi", "locks", "organization", "talentbase-iam", "staging");
    await mkdir(lockDir, { recursive: true });
    await writeFile(path.join(lockDir, `${randomUUID()}.json`), JSON.stringify({ pid: 1, username: "x", hostname: "y", timestamp: new Date().toISOString() }));
  };

  it("--all runs dev and staging at once with lines labelled by stack; prod, which asks, waits for them and is not run once one failed", async () => {
    await lockStaging();
    const env = { ...project.env, ...sandboxEngineEnv({ motoEndpoint: moto.endpoint, stateDir: project.stateDir }) };
    const run = await runDriverInTerminal("provision", ["--all"], { env, input: "yes\n" });
    expect(run.code).to.equal(1);
    expect(run.stdout).to.match(/^\[dev {4}\] +\+ +aws:iam:User backend-user created/m).and.match(/^\[staging\] == Provisioning stack staging ==/m);
    expect(run.stdout).not.to.include("Apply these changes to prod?");
    expect(run.stdout).to.match(/Summary:\r?\n\s+dev\s+succeeded: create 6; .*\r?\n\s+staging\s+failed.*\r?\n\s+prod\s+not-run/);
  });

  it("--all --yes runs all three at once: one stack's failure neither stops nor hides the others, exit 1 with a combined summary", async () => {
    await lockStaging();
    const env = { ...project.env, ...sandboxEngineEnv({ motoEndpoint: moto.endpoint, stateDir: project.stateDir }) };

    const run = await runDriver("provision", ["--all", "--yes", "--json"], { env });
    expect(run.code).to.equal(1);
    const document = JSON.parse(run.stdout);
    expect(document.exitCode).to.equal(1);
    expect(document.stacks.map((stack: { stack: string; status: string }) => [stack.stack, stack.status])).to.deep.equal([
      ["dev", "succeeded"],
      ["staging", "failed"],
      ["prod", "succeeded"],
    ]);
    expect(document.stacks[0].changes).to.deep.equal({ same: 6 });
    expect(document.stacks[2].changes).to.deep.equal({ create: 9 });
    expect(document.stacks[2].verification.summary.FAIL).to.equal(0);
    expect(document.stacks[1].error.kind).to.equal("concurrent-update");
    expect(run.stderr).to.match(/^\[prod {3}\] /m);
    expect(run.stderr).to.match(/Summary:\n\s+dev\s+succeeded: no changes \(6 unchanged\); .*\n\s+staging\s+failed.*\n\s+prod\s+succeeded: create 9/);
  });
});
