import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { IAMClient, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { expect } from "chai";
import { createOperatorKey, LOCAL_USER, openSandboxAccount, type KeyPair, type SandboxAccount } from "../../../harness/sandboxAccount";
import { MOTO_REGION } from "../../../sandbox/moto/motoServer";
import { CloudTrailOnMoto } from "../../support/cloudTrailOnMoto";
import { runDriver, type DriverRun } from "../../support/driverProcess";
import { plainCliFindsNoChanges } from "../../support/plainCli";
import { startS3Poller, type RunningPoller } from "../../support/pollerProcess";

interface AutoJson {
  readonly action: "auto";
  readonly auto: { readonly action: string; readonly reason: string; readonly notBefore?: string };
  readonly status: { readonly phase: string; readonly keys: readonly { id: string; role: string }[] };
}

function expectSucceeded(run: DriverRun): void {
  expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
}

/**
 * `rotate <stack> auto`, the nightly job's step, driven through the calendar: moto's record of the
 * keys (their creation, their last use) is moved back in time instead of waiting, while a consumer
 * polls S3 under IAM enforcement the whole way.
 */
describe("rotation on a schedule: rotate auto through the calendar (moto's key dates moved, a consumer polling under IAM enforcement)", function () {
  this.timeout(300_000);
  let account: SandboxAccount;
  let operator: KeyPair;
  let env: Record<string, string>;
  let scratch: string;
  let consumer: RunningPoller | undefined;
  let topic: CloudTrailOnMoto | undefined;

  beforeEach(async () => {
    account = await openSandboxAccount();
    operator = await createOperatorKey(account.iam);
    scratch = await mkdtemp(path.join(tmpdir(), "talentbase-schedule-"));
  });
  afterEach(async () => {
    consumer?.kill();
    consumer = undefined;
    topic?.destroy();
    topic = undefined;
    await account?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  /** Under enforcement moto refuses its `testing` keys: the engine and the operator use a moto-made key. */
  async function provisionUnderEnforcement(stackConfig: Record<string, string> = {}): Promise<string> {
    const stackFile = path.join(account.project.dir, "Pulumi.local.yaml");
    let content = await readFile(stackFile, "utf8");
    for (const [key, value] of Object.entries(stackConfig)) content = content.replace(new RegExp(`^  ${key}: .*$`, "m"), `  ${key}: "${value}"`);
    await writeFile(stackFile, content);
    await account.moto.setAuthEnforcement(true);
    env = { ...account.env, AWS_ACCESS_KEY_ID: operator.accessKeyId, AWS_SECRET_ACCESS_KEY: operator.secretAccessKey };
    expectSucceeded(await runDriver("provision", ["local", "--skip-verify"], { env }));
    const file = path.join(scratch, "outputs.json");
    expectSucceeded(await runDriver("outputs", ["local", "--show-secrets", "--out", file, "--force"], { env }));
    return file;
  }

  /** The user's keys, asked as the operator (enforcement refuses moto's `testing` keys). */
  async function userKeys(): Promise<string[]> {
    const iam = new IAMClient({ endpoint: account.moto.endpoint, region: MOTO_REGION, credentials: operator });
    try {
      return ((await iam.send(new ListAccessKeysCommand({ UserName: LOCAL_USER }))).AccessKeyMetadata ?? []).map((key) => key.AccessKeyId!).sort();
    } finally {
      iam.destroy();
    }
  }

  async function auto(): Promise<AutoJson & { run: DriverRun }> {
    const run = await runDriver("rotate", ["local", "auto", "--json"], { env });
    expect([0, 1], `${run.stdout}\n${run.stderr}`).to.include(run.code);
    const keys = await userKeys();
    expect(keys.length, "IAM's two-key limit is never crossed").to.be.at.most(2);
    return { ...(run.code === 0 ? (JSON.parse(run.stdout) as AutoJson) : ({} as AutoJson)), run };
  }

  async function outputsKey(file: string): Promise<string> {
    return (JSON.parse(await readFile(file, "utf8")) as { accessKeyId: string }).accessKeyId;
  }

  /** A queue on the stack's alert topic (local's file turns monitoring on): what each `auto` announced. */
  async function subscribeToAlerts(file: string): Promise<() => Promise<{ action: string; outcome: string }[]>> {
    const { alertTopicArn } = JSON.parse(await readFile(file, "utf8")) as { alertTopicArn: string };
    const alerts = new CloudTrailOnMoto(account.moto.endpoint, operator);
    topic = alerts;
    const inbox = await alerts.subscribe(alertTopicArn, "schedule-inbox");
    return async () =>
      (await alerts.take(inbox))
        .map((body) => JSON.parse(body) as { notice: string; outcome: string })
        .map(({ notice, outcome }) => ({
          action: notice.replace(/^Scheduled rotation of talentbase-backend-local's access key by talentbase-iam: /, ""),
          outcome,
        }));
  }

  it("does nothing at 50%, starts at 92%, waits for the consumer and the grace, finishes once the old key is quiet: no failed call, the plain CLI agreeing at every step", async () => {
    const file = await provisionUnderEnforcement();
    const oldKey = await outputsKey(file);
    const announced = await subscribeToAlerts(file);
    consumer = startS3Poller(file, account.moto.endpoint);
    await consumer.waitFor(`using ${oldKey}`);

    await account.moto.ageAccessKey(LOCAL_USER, oldKey, 45.5);
    const half = await auto();
    expect(half.auto).to.deep.include({ action: "none" });
    expect(half.auto.reason).to.match(/^key \S+ is 45 days old \(limit 90\): the schedule starts its rotation on \d{4}-\d{2}-\d{2}; nothing to do$/);
    expect(await userKeys()).to.deep.equal([oldKey]);
    await plainCliFindsNoChanges(account, operator);

    await account.moto.ageAccessKey(LOCAL_USER, oldKey, 83);
    const started = await auto();
    expect(started.auto.action).to.equal("start");
    expect(started.status.phase).to.equal("started");
    const newKey = started.status.keys.find((key) => key.role === "current")!.id;
    expect(await userKeys()).to.deep.equal([oldKey, newKey].sort());
    await plainCliFindsNoChanges(account, operator);

    const waitingForDeploy = await auto();
    expect(waitingForDeploy.auto.action).to.equal("wait");
    expect(waitingForDeploy.auto.reason).to.include(`the old key ${oldKey} is still in use`).and.include("Django needs a deploy with the new key");

    // The deploy: the consumer re-reads the outputs, which now name the new key.
    expectSucceeded(await runDriver("outputs", ["local", "--show-secrets", "--out", file, "--force"], { env }));
    consumer.redeploy();
    await consumer.waitFor(`using ${newKey}`);
    const withinGrace = await auto();
    expect(withinGrace.auto.action, "the old key was used an instant ago").to.equal("wait");
    expect(withinGrace.status.phase).to.equal("started");

    // A day passes: the new key is 25 hours old, the old key last used 25 hours ago.
    await account.moto.ageAccessKeyLastUse(LOCAL_USER, oldKey, 25 / 24);
    await account.moto.ageAccessKey(LOCAL_USER, newKey, 25 / 24);
    const finished = await auto();
    expect(finished.auto.action, finished.run.stdout).to.equal("finish");
    expect(finished.status.phase).to.equal("idle");
    expect(await userKeys()).to.deep.equal([newKey]);
    await plainCliFindsNoChanges(account, operator);

    const report = await consumer.stop();
    consumer = undefined;
    expect(report.failures, "failed S3 calls across the cycle").to.deep.equal([]);
    expect(report.keysUsed).to.deep.equal([oldKey, newKey]);
    expect(report.calls).to.be.greaterThan(30);
    expect(await announced(), "each decision announced on the alert topic, in order").to.deep.equal(
      ["none", "start", "wait", "wait", "finish"].map((action) => ({ action, outcome: "done" })),
    );
  });

  it("refuses, exit 1, when a consumer still runs on the old key after the grace: which key, and since when", async () => {
    const file = await provisionUnderEnforcement();
    const oldKey = await outputsKey(file);
    const announced = await subscribeToAlerts(file);
    consumer = startS3Poller(file, account.moto.endpoint);
    await consumer.waitFor(`using ${oldKey}`);
    await account.moto.ageAccessKey(LOCAL_USER, oldKey, 83);
    const started = await auto();
    const newKey = started.status.keys.find((key) => key.role === "current")!.id;
    await account.moto.ageAccessKey(LOCAL_USER, newKey, 25 / 24);

    const refused = await auto();
    expect(refused.run.code).to.equal(1);
    // With --json the progress goes to stderr too; the refusal is its last line, one sentence.
    expect(refused.run.stderr.trim().split("\n").at(-1)).to.match(
      new RegExp(
        `^rotate: the old key ${oldKey} is still in use more than 24 hours after ${newKey} went live \\(\\S+\\): it was last used \\S+ \\(s3, us-east-1\\); switch whatever still runs on it to ${newKey}`,
      ),
    );
    expect(await userKeys(), "nothing changed").to.deep.equal([oldKey, newKey].sort());
    expect((await announced()).at(-1)).to.deep.equal({ action: "refuse", outcome: "refused: a person decides" });
  });

  it("rotates a 65-day-old key on a 60-day stack with every command exiting 0", async () => {
    const file = await provisionUnderEnforcement({ "talentbase-iam:keyMaxAgeDays": "60" });
    const oldKey = await outputsKey(file);
    await account.moto.ageAccessKey(LOCAL_USER, oldKey, 65.5);
    expect((await runDriver("verify", ["local"], { env })).code, "overdue before the rotation").to.equal(1);

    const started = await auto();
    expect(started.run.code, started.run.stderr).to.equal(0);
    expect(started.auto.reason).to.match(/is 65 days old \(limit 60\), and the schedule rotates it from \S+ on: starting its rotation/);
    const newKey = started.status.keys.find((key) => key.role === "current")!.id;
    expectSucceeded(await runDriver("verify", ["local"], { env }));

    // A day passes; nothing used the old key since the new one went live (its last use was the first verify's).
    await account.moto.ageAccessKeyLastUse(LOCAL_USER, oldKey, 26 / 24);
    await account.moto.ageAccessKey(LOCAL_USER, newKey, 25 / 24);
    const finished = await auto();
    expect(finished.run.code, finished.run.stderr).to.equal(0);
    expect(finished.auto.action).to.equal("finish");
    expect(await userKeys()).to.deep.equal([newKey]);
    expectSucceeded(await runDriver("verify", ["local"], { env }));
  });
});
