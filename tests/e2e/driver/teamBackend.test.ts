import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import * as path from "node:path";
import { promisify } from "node:util";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListAccessKeysCommand, ListUsersCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { DecryptCommand, DescribeKeyCommand } from "@aws-sdk/client-kms";
import { expect } from "chai";
import { REPO_ROOT } from "../../../automation/projectPaths";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type MotoServer } from "../../../sandbox/moto/motoServer";
import { sandboxEngineEnv } from "../../../sandbox/sandboxEngine";
import { createUploadsBucket } from "../../../sandbox/seed";
import { cleanEnv, runDriver, type DriverRun } from "../../support/driverProcess";
import { copyProjectWithEnv } from "../../../harness/projectCopy";
import { awaitNoProcessesOf, runWithFault } from "../../support/faultInjection";
import type { ProjectCopy } from "../../../harness/projectCopy";
import { callerOf } from "../../../harness/sandboxAccount";
import { createOperatorHome, openTeamStateAccount, type OperatorHome, type TeamStateAccount } from "../../support/teamBackend";

/** The bucket's folder for this project's state (s3://<bucket>/<folder>): the CLI and the driver keep `.pulumi/` under it. */
const FOLDER = "talentbase-iam";
const DEV_USER = "talentbase-backend-dev";

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The one line a refused command prints: exit 2, nothing else on stderr. */
function refusal(run: DriverRun): string {
  expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(2);
  const lines = run.stderr.trim().split("\n");
  expect(lines, run.stderr).to.have.length(1);
  return lines[0]!;
}

function expectSucceeded(run: DriverRun): void {
  expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
}

/**
 * dev as a team runs it: the state in an S3 bucket, the stack's secrets under a KMS key, two
 * operators with their own PULUMI_HOME (Alice logged in with `pulumi login`, Bob with
 * PULUMI_BACKEND_URL). The stack's AWS (IAM, the uploads bucket) is one moto, at AWS_ENDPOINT_URL; the
 * state bucket and the key are in another moto, reached only through the endpoint parameters of the
 * backend and secrets provider URLs, as the pinned CLI's S3 and KMS openers take them. The aws plugin
 * is the sandbox's stand-in. No passphrase is set anywhere.
 */
/** The stand-in aws plugin whose access key creates never return (tests/support/stallingPlugin). */
const STALLING_PLUGIN = path.join(REPO_ROOT, "tests", "support", "stallingPlugin", "bin");

describe("a team's state: the S3 backend and an awskms:// secrets provider, two operators (moto)", function () {
  this.timeout(240_000);
  let aws: MotoServer;
  let team: TeamStateAccount;
  let project: ProjectCopy & { env: Record<string, string> };
  let alice: OperatorHome;
  let bob: OperatorHome;
  let common: Record<string, string>;
  let iam: IAMClient;
  const aliceEnv = () => ({ ...common, PULUMI_HOME: alice.dir });
  const bobEnv = () => ({ ...common, PULUMI_HOME: bob.dir, PULUMI_BACKEND_URL: team.backendUrl() });
  const devUsers = async () => ((await iam.send(new ListUsersCommand({}))).Users ?? []).map((user) => user.UserName);

  before(async () => {
    const [awsMoto, teamMoto] = await Promise.all([startMoto(), startMoto()]);
    aws = awsMoto;
    [project, team, alice, bob] = await Promise.all([
      copyProjectWithEnv(),
      openTeamStateAccount(teamMoto, FOLDER, ["dev"]),
      createOperatorHome("alice"),
      createOperatorHome("bob"),
    ]);
    await createUploadsBucket(aws.endpoint, MOTO_REGION, "talentbase-dev-uploads");
    iam = new IAMClient({ endpoint: aws.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    const {
      PULUMI_BACKEND_URL: _file,
      PULUMI_CONFIG_PASSPHRASE: _passphrase,
      ...engine
    } = sandboxEngineEnv({ motoEndpoint: aws.endpoint, stateDir: project.stateDir });
    common = { ...project.env, ...engine };
    const login = await alice.pulumi(["login", team.backendUrl()], cleanEnv(aliceEnv()));
    expect(login.stdout).to.include("Logged in to");
  });
  after(async () => {
    iam?.destroy();
    team?.close();
    await Promise.all([aws?.stop(), team?.moto.stop(), project?.remove(), alice?.remove(), bob?.remove()]);
  });

  it("refuses before the engine, one sentence and exit 2: no backend, a missing bucket, an unreachable one, and a stack not created yet, whose printed stack init works as printed", async () => {
    const [notLoggedIn, missing, down, notCreated] = await Promise.all([
      runDriver("provision", ["dev"], { env: { ...common, PULUMI_HOME: bob.dir } }),
      runDriver("provision", ["dev"], { env: { ...bobEnv(), PULUMI_BACKEND_URL: team.backendUrl({ bucket: "talentbase-no-such-state" }) } }),
      closedPort().then((port) =>
        runDriver("verify", ["dev"], { env: { ...bobEnv(), PULUMI_BACKEND_URL: team.backendUrl({ endpoint: `http://127.0.0.1:${port}` }) } }),
      ),
      runDriver("provision", ["dev"], { env: aliceEnv() }),
    ]);
    expect(refusal(notLoggedIn)).to.equal(
      `provision: stack dev has no state backend (no \`pulumi login\`, no PULUMI_BACKEND_URL): log in to your team's with \`npm run pulumi -- dev login '<its URL>'\` (an S3 one: see docs/team-backend.md), then run again`,
    );
    expect(refusal(missing)).to.match(
      /^provision: the state bucket talentbase-no-such-state does not exist at http:\/\/127\.0\.0\.1:\d+ \(NoSuchBucket\): create it as docs\/team-backend\.md shows/,
    );
    expect(refusal(down)).to.match(
      /^verify: the state bucket talentbase-pulumi-state cannot be reached at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): check the backend URL's endpoint=/,
    );
    const sentence = refusal(notCreated);
    expect(sentence).to.match(
      /^provision: stack dev does not exist in the shared state backend s3:\/\/talentbase-pulumi-state\/talentbase-iam\?.*, and provision does not create it there \(it would get a passphrase\)/,
    );
    expect(await devUsers(), "nothing made in IAM").to.deep.equal([]);
    expect(
      (await team.objects()).map((object) => object.key).filter((key) => key.includes("/stacks/")),
      "no stack in the bucket",
    ).to.deep.equal([]);

    const init = /`(npm run pulumi -- dev stack init --secrets-provider .+?)`/.exec(sentence)?.[1];
    expect(init).to.equal(
      `npm run pulumi -- dev stack init --secrets-provider 'awskms://alias/talentbase-iam-dev?region=us-east-1&endpoint=${team.moto.endpoint}'`,
    );
    // As Alice runs it at her prompt in the repository, with her login: no Pulumi CLI on her PATH needed.
    await promisify(execFile)("bash", ["-c", init!], { cwd: REPO_ROOT, env: cleanEnv(aliceEnv()) });
    const stackFile = await readFile(path.join(project.dir, "Pulumi.dev.yaml"), "utf8");
    expect(stackFile).to.include(`secretsprovider: awskms://alias/talentbase-iam-dev?region=us-east-1&endpoint=${team.moto.endpoint}`);
    expect(stackFile)
      .to.match(/^encryptedkey: \S+$/m)
      .and.not.to.include("encryptionsalt");
  });

  it("refuses, one sentence and exit 2, a stack whose KMS key cannot be reached or refuses the operator", async () => {
    const stackFile = path.join(project.dir, "Pulumi.dev.yaml");
    const original = await readFile(stackFile, "utf8");
    const port = await closedPort();
    await writeFile(stackFile, original.replace(`endpoint=${team.moto.endpoint}`, `endpoint=http://127.0.0.1:${port}`));
    try {
      expect(refusal(await runDriver("verify", ["dev"], { env: bobEnv() }))).to.equal(
        `verify: the KMS key of stack dev (alias/talentbase-iam-dev, Pulumi.dev.yaml's secretsprovider) cannot be reached at http://127.0.0.1:${port} (ECONNREFUSED): check the secretsprovider URL's region= and endpoint= and the network, then run again`,
      );
    } finally {
      await writeFile(stackFile, original);
    }

    // An operator of the state account without KMS rights, with moto enforcing IAM there. moto's SigV4 check
    // refuses any query value with a "/" under enforcement (the listing's prefix), so the bucket the preflight
    // lists here is an empty copy in the stack's moto, which does not enforce.
    const stateIam = new IAMClient({ endpoint: team.moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    await stateIam.send(new CreateUserCommand({ UserName: "state-s3-only" }));
    await stateIam.send(
      new PutUserPolicyCommand({
        UserName: "state-s3-only",
        PolicyName: "s3",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }),
      }),
    );
    const { AccessKey } = await stateIam.send(new CreateAccessKeyCommand({ UserName: "state-s3-only" }));
    stateIam.destroy();
    await createUploadsBucket(aws.endpoint, MOTO_REGION, "talentbase-pulumi-state");
    await team.moto.setAuthEnforcement(true);
    let denied: DriverRun;
    try {
      denied = await runDriver("provision", ["dev"], {
        env: {
          ...bobEnv(),
          PULUMI_BACKEND_URL: team.backendUrl({ endpoint: aws.endpoint }),
          AWS_ACCESS_KEY_ID: AccessKey!.AccessKeyId!,
          AWS_SECRET_ACCESS_KEY: AccessKey!.SecretAccessKey!,
        },
      });
    } finally {
      await team.moto.setAuthEnforcement(false);
    }
    // moto answers a refused KMS call with an XML body the JSON protocol cannot parse: the SDK calls it SyntaxError, HTTP 403.
    expect(refusal(denied)).to.match(
      /^provision: the KMS key of stack dev \(alias\/talentbase-iam-dev, Pulumi\.dev\.yaml's secretsprovider\) refuses your identity \(\w+, HTTP 403\): it needs kms:Decrypt on the key \(the operator policy: `npm run operator-policy -- dev` prints it\), then run again$/,
    );
    expect(await devUsers()).to.deep.equal([]);
  });

  it("two operators provision dev at once: the second gets the lock's holder in one sentence, the first finishes, nothing is lost", async () => {
    const first = runDriver("provision", ["dev"], { env: aliceEnv() });
    await waitFor(async () => (await team.locks("dev")).length > 0, 60_000);
    const second = await runDriver("provision", ["dev"], { env: bobEnv() });
    const done = await first;

    expect(second.code, second.stderr).to.equal(1);
    expect(second.stderr.trim()).to.match(
      /^provision: another update is running on stack dev \(or a killed one left its lock; locked by \S+@\S+, pid \d+, since \S+\): wait for it to finish, or if none is running, `npm run repair -- dev` clears the lock and repairs the stack$/,
    );
    expectSucceeded(done);
    expect(done.stdout)
      .to.include("Changes to dev: create 8")
      .and.match(/All \d+ checks passed|Passed with \d+ warning/);
    expect(await team.locks("dev"), "the first run released its lock").to.deep.equal([]);

    // Bob, through his own home and PULUMI_BACKEND_URL, finds exactly what Alice made, and its key works.
    const verified = await runDriver("verify", ["dev", "--json"], { env: bobEnv() });
    expectSucceeded(verified);
    expect(JSON.parse(verified.stdout).summary.FAIL).to.equal(0);
  });

  it("keeps only KMS ciphertext in the bucket, and `outputs --show-secrets` still reveals the key's secret", async () => {
    const [shown, masked] = await Promise.all([
      runDriver("outputs", ["dev", "--show-secrets"], { env: bobEnv() }),
      runDriver("outputs", ["dev"], { env: aliceEnv() }),
    ]);
    expectSucceeded(shown);
    const outputs = JSON.parse(shown.stdout);
    expect(JSON.parse(masked.stdout).secretAccessKey).to.equal("[secret]");
    expect(outputs.secretAccessKey).to.match(/^[A-Za-z0-9/+]{40}$/);
    expect(
      await callerOf(aws.endpoint, { accessKeyId: outputs.accessKeyId, secretAccessKey: outputs.secretAccessKey }),
      "the revealed secret signs as the stack's user",
    ).to.equal(outputs.userArn);

    const objects = await team.objects();
    expect(objects.map((object) => object.key)).to.include.members([`${FOLDER}/.pulumi/meta.yaml`, `${FOLDER}/.pulumi/stacks/talentbase-iam/dev.json`]);
    for (const object of objects) expect(object.content, object.key).not.to.include(outputs.secretAccessKey);

    const latest = JSON.parse(objects.find((object) => object.key.endsWith("/stacks/talentbase-iam/dev.json"))!.content).checkpoint.latest;
    const stackFile = await readFile(path.join(project.dir, "Pulumi.dev.yaml"), "utf8");
    expect(latest.secrets_providers.type).to.equal("cloud");
    expect(stackFile).to.include(`secretsprovider: ${latest.secrets_providers.state.url}`);
    const key = latest.resources.find((resource: { type: string }) => resource.type === "aws:iam/accessKey:AccessKey");
    expect(key.outputs.secret).to.have.all.keys("4dabf18193072939515e22adb298388d", "ciphertext");
    // What that ciphertext is sealed with, the stack's data key, is itself ciphertext of the team's dev key.
    const { Plaintext, KeyId } = await team.kms.send(
      new DecryptCommand({ CiphertextBlob: Buffer.from(latest.secrets_providers.state.encryptedkey, "base64") }),
    );
    const devKey = await team.kms.send(new DescribeKeyCommand({ KeyId: "alias/talentbase-iam-dev" }));
    expect(Plaintext).to.have.length(32);
    expect(KeyId).to.equal(devKey.KeyMetadata!.Arn);
  });

  it("destroys dev: IAM keeps nothing of it, the bucket keeps its history and no lock", async () => {
    const destroyed = await runDriver("destroy", ["dev", "--yes"], { env: bobEnv() });
    expectSucceeded(destroyed);
    expect(destroyed.stdout).to.include("Destroyed dev: delete 8");
    expect(await devUsers()).to.deep.equal([]);
    expect(await team.locks("dev")).to.deep.equal([]);
    expect((await team.objects()).some((object) => object.key.includes("/.pulumi/history/talentbase-iam/dev/"))).to.equal(true);
  });

  it("a provision killed mid-update (SIGKILL, engine included) leaves its lock and pending operation in the bucket, and `npm run repair -- dev` recovers it as on the file backend", async () => {
    const pendingInBucket = async (): Promise<unknown[]> => {
      const checkpoint = (await team.objects()).find((object) => object.key.endsWith("/stacks/talentbase-iam/dev.json"));
      return checkpoint ? (JSON.parse(checkpoint.content).checkpoint.latest?.pending_operations ?? []) : [];
    };
    // The key's create held by the plugin until the kill, which waits for the engine to save it as pending.
    const killed = await runWithFault("provision", ["dev"], "aws:iam:AccessKey backend-access-key creating", "SIGKILL", {
      env: { ...aliceEnv(), PATH: `${STALLING_PLUGIN}${path.delimiter}${common["PATH"] ?? process.env["PATH"]}` },
      killOnceTrue: async () => (await pendingInBucket()).length > 0,
    });
    expect(killed.injected, killed.output).to.equal(true);
    expect(await awaitNoProcessesOf(project.dir), "processes left by the killed run").to.deep.equal([]);
    expect(await team.locks("dev"), "the killed engine's lock").to.have.length(1);
    expect(await pendingInBucket(), "the key's create, pending").to.have.length(1);

    const repaired = await runDriver("repair", ["dev"], { env: bobEnv() });
    expectSucceeded(repaired);
    expect(repaired.stdout).to.match(/- removed the lock of \S+@\S+ \(pid \d+, since \S+\): that process no longer runs/);
    expect(repaired.stdout).to.include("- dropped 1 pending operation(s) of the interrupted update (creating backend-access-key)");
    expect(repaired.stdout).to.match(/All \d+ checks passed|Passed with \d+ warning/);
    expect(await team.locks("dev")).to.deep.equal([]);

    const outputs = JSON.parse((await runDriver("outputs", ["dev", "--show-secrets"], { env: aliceEnv() })).stdout);
    expect(await devUsers()).to.deep.equal([DEV_USER]);
    const keys = ((await iam.send(new ListAccessKeysCommand({ UserName: DEV_USER }))).AccessKeyMetadata ?? []).map((key) => key.AccessKeyId);
    expect(keys, "exactly the stack's key").to.deep.equal([outputs.accessKeyId]);
    for (const object of await team.objects()) expect(object.content, object.key).not.to.include(outputs.secretAccessKey);
    expect(await awaitNoProcessesOf(project.dir), "processes left after the repair").to.deep.equal([]);
  });
});
