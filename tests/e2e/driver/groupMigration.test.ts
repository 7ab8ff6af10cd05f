import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { expect } from "chai";
import { buildUploadsPolicy } from "../../../infra/policy/uploadsPolicy";
import { MOTO_REGION } from "../../../sandbox/moto/motoServer";
import { runDriver, type DriverRun } from "../../support/driverProcess";
import { projectBeforeTheGroup } from "../../support/projectBeforeTheGroup";
import { startS3Poller, type PollerReport, type RunningPoller } from "../../support/pollerProcess";
import {
  createOperatorKey,
  grantedThroughGroups,
  iamInventory,
  LOCAL_GROUP,
  LOCAL_POLICY,
  LOCAL_USER,
  openSandboxAccount,
  type KeyPair,
  type SandboxAccount,
} from "../../../harness/sandboxAccount";

function expectSucceeded(result: DriverRun): void {
  expect(result.code, `${result.stdout}\n${result.stderr}`).to.equal(0);
}

/** Where each line first appears in the engine's output; the lines must all be there. */
function positionsOf(output: string, lines: readonly string[]): number[] {
  return lines.map((line) => {
    const at = output.indexOf(line);
    expect(at, `the engine printed "${line}"`).to.be.greaterThan(-1);
    return at;
  });
}

/** The group's parts are made before the direct attachment goes: every create line before the delete. */
function expectGroupBeforeDetach(output: string): void {
  const [group, grant, member, detach] = positionsOf(output, [
    "aws:iam:Group backend-group created",
    "aws:iam:GroupPolicyAttachment backend-group-policy-attachment created",
    "aws:iam:UserGroupMembership backend-group-membership created",
    "aws:iam:UserPolicyAttachment backend-policy-attachment deleting",
  ]);
  expect(Math.max(group!, grant!, member!)).to.be.lessThan(detach!);
}

/** A polling consumer on `key`, started and seen working before the migration begins. */
async function pollWith(scratch: string, account: SandboxAccount, key: KeyPair): Promise<RunningPoller> {
  const file = path.join(scratch, `outputs-${key.accessKeyId}.json`);
  await writeFile(file, JSON.stringify({ ...key, bucketName: "talentbase-local-uploads", region: MOTO_REGION }), { mode: 0o600 });
  const poller = startS3Poller(file, account.moto.endpoint);
  await poller.waitFor(`using ${key.accessKeyId}`);
  return poller;
}

/** Runs `migrate` while the poller calls S3, and what the poller saw during it and overall. */
async function measured(
  poller: RunningPoller,
  migrate: () => Promise<DriverRun>,
): Promise<{ result: DriverRun; during: number; seconds: number; report: PollerReport }> {
  // A few rounds first, so the consumer is demonstrably working before anything changes.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = await poller.snapshot();
  const started = performance.now();
  const result = await migrate();
  const seconds = (performance.now() - started) / 1000;
  const after = await poller.snapshot();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const report = await poller.stop();
  return { result, during: after.calls - before.calls, seconds, report };
}

/**
 * Every stack the program made before the group (the policy attached to the user directly) moves to
 * the group without a moment in which the user lacks the policy: the engine creates the group, its
 * attachment and the membership before it deletes the direct attachment, which is no longer declared.
 * A consumer polls S3 with the stack's key under moto's IAM enforcement throughout.
 */
describe("migrating to the group (the policy only through it) without losing permission, under IAM enforcement", function () {
  this.timeout(300_000);
  let account: SandboxAccount;
  let operator: KeyPair;
  let iam: IAMClient;
  let env: Record<string, string>;
  let scratch: string;
  let poller: RunningPoller | undefined;
  let before: Awaited<ReturnType<typeof projectBeforeTheGroup>> | undefined;

  beforeEach(async () => {
    account = await openSandboxAccount();
    operator = await createOperatorKey(account.iam);
    iam = new IAMClient({ endpoint: account.moto.endpoint, region: MOTO_REGION, credentials: operator });
    scratch = await mkdtemp(path.join(tmpdir(), "talentbase-migration-"));
  });
  afterEach(async () => {
    poller?.kill();
    iam?.destroy();
    await account?.close();
    await before?.remove();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  /** The stack as the program before the group deployed it, and its key. */
  async function provisionedBeforeTheGroup(): Promise<KeyPair> {
    before = await projectBeforeTheGroup();
    await account.moto.setAuthEnforcement(true);
    env = { ...account.env, AWS_ACCESS_KEY_ID: operator.accessKeyId, AWS_SECRET_ACCESS_KEY: operator.secretAccessKey };
    // The same state directory and moto; only the program (the project directory) is the old commit's.
    expectSucceeded(await runDriver("provision", ["local", "--skip-verify"], { env: { ...env, TALENTBASE_IAM_PROJECT_DIR: before.dir } }));
    expect(await iamInventory(iam), `the program of ${before.commit.slice(0, 7)}`).to.deep.include({ attached: [LOCAL_POLICY], groups: [] });
    const file = path.join(scratch, "outputs.json");
    expectSucceeded(await runDriver("outputs", ["local", "--show-secrets", "--out", file], { env }));
    return JSON.parse(await readFile(file, "utf8")) as KeyPair;
  }

  async function expectMigrated(): Promise<void> {
    expect(await iamInventory(iam)).to.deep.include({ attached: [], groups: [LOCAL_GROUP] });
    expect(await grantedThroughGroups(iam)).to.deep.equal([`${LOCAL_GROUP}: ${LOCAL_POLICY}`]);
    const again = await runDriver("provision", ["local"], { env });
    expectSucceeded(again);
    expect(again.stdout).to.include("Changes to local: no changes (19 unchanged)");
  }

  function report(label: string, { during, seconds, report: seen }: { during: number; seconds: number; report: PollerReport }): void {
    process.stdout.write(`      ${label}: ${during} S3 calls during ${seconds.toFixed(1)} s, ${seen.calls} in all, ${seen.failures.length} failed\n`);
    expect(seen.failures, "failed S3 calls").to.deep.equal([]);
    expect(during, "the consumer kept calling during the migration").to.be.greaterThan(30);
  }

  it("provision: the group, its attachment and the membership first, the direct attachment last, zero failed calls; verified; then no changes", async () => {
    const key = await provisionedBeforeTheGroup();
    poller = await pollWith(scratch, account, key);
    const migration = await measured(poller, () => runDriver("provision", ["local"], { env }));
    expectSucceeded(migration.result);
    expect(migration.result.stdout).to.include("Changes to local: create 14, delete 1, unchanged 5");
    expectGroupBeforeDetach(migration.result.stdout);
    expect(migration.result.stdout)
      .to.match(/\[PASS\] Stack policy reaches the user only through its group/)
      .and.match(/All \d+ checks passed|Passed with \d+ warning/);
    report("provision", migration);
    await expectMigrated();
  });

  it("pulumi up on the plain CLI (npm run pulumi -- local up) does the same, zero failed calls", async () => {
    const key = await provisionedBeforeTheGroup();
    poller = await pollWith(scratch, account, key);
    const migration = await measured(poller, () => runDriver("pulumi", ["local", "up", "--yes", "--skip-preview"], { env }));
    expectSucceeded(migration.result);
    expectGroupBeforeDetach(migration.result.stdout);
    report("pulumi up", migration);
    await expectMigrated();
  });

  it("provision --adopt of a setup-iam.sh user: the old key keeps working throughout both updates", async () => {
    // IAM as setup-iam.sh left it: the policy attached to the user directly, one key in use.
    await account.iam.send(new CreateUserCommand({ UserName: LOCAL_USER }));
    const { Policy } = await account.iam.send(
      new CreatePolicyCommand({
        PolicyName: LOCAL_POLICY,
        PolicyDocument: JSON.stringify(buildUploadsPolicy({ bucketName: "talentbase-local-uploads", partition: "aws" })),
      }),
    );
    await account.iam.send(new AttachUserPolicyCommand({ UserName: LOCAL_USER, PolicyArn: Policy!.Arn! }));
    const { AccessKey } = await account.iam.send(new CreateAccessKeyCommand({ UserName: LOCAL_USER }));
    await account.moto.setAuthEnforcement(true);
    env = { ...account.env, AWS_ACCESS_KEY_ID: operator.accessKeyId, AWS_SECRET_ACCESS_KEY: operator.secretAccessKey };

    poller = await pollWith(scratch, account, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
    const migration = await measured(poller, () => runDriver("provision", ["local", "--adopt"], { env }));
    expectSucceeded(migration.result);
    const output = migration.result.stdout;
    // The first update imports the attachment and makes the group's parts; the second deletes the attachment.
    const [imported, detaching] = positionsOf(output, ["Changes to local: create 17, import 3, update 2", "detaching the direct attachment setup-iam.sh made"]);
    expect(imported).to.be.lessThan(detaching!);
    expectGroupBeforeDetach(output);
    report("provision --adopt", migration);
    await expectMigrated();
  });
});
