import { readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { DescribeAlarmsCommand, CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { StopLoggingCommand, StartLoggingCommand, CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { DescribeRuleCommand, DisableRuleCommand, ListRulesCommand } from "@aws-sdk/client-eventbridge";
import { DescribeKeyCommand, KMSClient, ListKeysCommand } from "@aws-sdk/client-kms";
import { ListTopicsCommand } from "@aws-sdk/client-sns";
import { expect } from "chai";
import { MOTO_CREDENTIALS, MOTO_REGION } from "../../../sandbox/moto/motoServer";
import { SANDBOX_TRAIL } from "../../../sandbox/seed";
import { createOperatorKey, LOCAL_USER, openSandboxAccount, type KeyPair, type SandboxAccount } from "../../../harness/sandboxAccount";
import { runDriver, type DriverRun } from "../../support/driverProcess";
import { CloudTrailOnMoto, iamUserIdentity, keyCallOn } from "../../support/cloudTrailOnMoto";
import { createAccessKeyByOperator, getCallerIdentityWithStackKey, listUsersWithStackKey, withDetail } from "../../unit/infra/monitoring/cloudTrailEvents";

const ACCOUNT = "123456789012";
/** Someone with IAM rights the stack does not trust: what the IAM rule is for. */
const ALICE = {
  type: "IAMUser",
  principalId: "AIDACKCEVSQ6C2EXAMPLE",
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  accountId: ACCOUNT,
  accessKeyId: "AKIAIOSFODNN7ALICE01",
  userName: "alice",
};
const OPERATOR_ARN = `arn:aws:iam::${ACCOUNT}:user/operator`;
/** The stack's resources: the identity's 6 and the monitoring's 11 (component, KMS key, topic, its policy, alarm, 3 rules, 3 targets). */
const LOCAL_RESOURCES = 19;

function expectSucceeded(run: DriverRun): void {
  expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
}

interface LocalOutputs {
  readonly accessKeyId: string;
  readonly retiringAccessKeyId?: string;
  readonly userArn: string;
  readonly alertTopicArn: string;
}

describe("access monitoring on the sandbox: the real engine, the stand-in aws plugin and moto", function () {
  this.timeout(300_000);
  let account: SandboxAccount;
  let operator: KeyPair;
  let env: Record<string, string>;
  let cloudTrail: CloudTrailOnMoto;
  const outputs = async (): Promise<LocalOutputs> => {
    const run = await runDriver("outputs", ["local", "--show-secrets"], { env });
    expectSucceeded(run);
    return JSON.parse(run.stdout);
  };

  before(async () => {
    account = await openSandboxAccount();
    operator = await createOperatorKey(account.iam);
    // The operator is trusted as the deploy pipeline's role is: the IAM changes this tool makes for them are expected.
    const stackFile = path.join(account.project.dir, "Pulumi.local.yaml");
    const config = await readFile(stackFile, "utf8");
    await writeFile(stackFile, config.replace(/(talentbase-iam:trustedCallers: )(\S+)/, `$1$2,${OPERATOR_ARN}`));
    env = { ...account.env, AWS_ACCESS_KEY_ID: operator.accessKeyId, AWS_SECRET_ACCESS_KEY: operator.secretAccessKey };
    cloudTrail = new CloudTrailOnMoto(account.moto.endpoint);
  });
  after(async () => {
    cloudTrail?.destroy();
    await account?.close();
  });

  it("provisions the monitoring with the stack, passes its check, and neither a second provision nor the plain CLI finds a change", async () => {
    const first = await runDriver("provision", ["local"], { env });
    expectSucceeded(first);
    expect(first.stdout).to.include(`Changes to local: create ${LOCAL_RESOURCES}`);
    expect(first.stdout).to.match(
      /\[PASS\] Access monitoring: [^\n]*3 rules in us-east-1 publish to the topic; the topic and its KMS key let the rules publish; 1 confirmed subscription\(s\) \(sqs arn:aws:sqs:us-east-1:123456789012:talentbase-local-alert-inbox\); trail account-trail logs all management events/,
    );
    const second = await runDriver("provision", ["local"], { env });
    expectSucceeded(second);
    expect(second.stdout).to.include(`Changes to local: no changes (${LOCAL_RESOURCES} unchanged)`);
    expectSucceeded(await runDriver("pulumi", ["local", "preview", "--expect-no-changes"], { env }));
    expectSucceeded(await runDriver("pulumi", ["local", "up", "--yes", "--expect-no-changes"], { env }));
  });

  it("delivers exactly what the rules catch: a key made for the stack's user by someone untrusted, an IAM call signed with its key; not another user's key, not GetCallerIdentity", async () => {
    const { accessKeyId, userArn, alertTopicArn } = await outputs();
    const iamTap = await cloudTrail.tap(`${LOCAL_USER}-iam-changes`);
    const keyTap = await cloudTrail.tap(`${LOCAL_USER}-key-use`);
    const inbox = await cloudTrail.subscribe(alertTopicArn, "test-inbox");
    const stackKey = iamUserIdentity(userArn, accessKeyId);

    await cloudTrail.put(keyCallOn(createAccessKeyByOperator, "CreateAccessKey", LOCAL_USER, "AKIAIOSFODNN7HANDMDE", ALICE));
    expect((await cloudTrail.take(iamTap)).map((body) => JSON.parse(body).detail.userIdentity.arn)).to.deep.equal([ALICE.arn]);
    const [alert, ...more] = (await cloudTrail.take(inbox)).map((body) => JSON.parse(body));
    expect(more).to.deep.equal([]);
    expect(alert).to.include({ call: "CreateAccessKey", by: ALICE.arn, user: LOCAL_USER, from: "203.0.113.7" });
    expect(alert.accessKey).to.include("AKIAIOSFODNN7HANDMDE");

    await cloudTrail.put(keyCallOn(createAccessKeyByOperator, "CreateAccessKey", "someone-else", "AKIAIOSFODNN7OTHER01", ALICE));
    expect(await cloudTrail.take(iamTap), "another user's key").to.deep.equal([]);

    await cloudTrail.put(withDetail(listUsersWithStackKey, { userIdentity: stackKey }));
    expect((await cloudTrail.take(keyTap)).map((body) => JSON.parse(body).detail.eventName)).to.deep.equal(["ListUsers"]);
    const [keyAlert] = (await cloudTrail.take(inbox)).map((body) => JSON.parse(body));
    expect(keyAlert).to.include({ call: "iam.amazonaws.com ListUsers", accessKey: accessKeyId, error: "AccessDenied", by: userArn });

    await cloudTrail.put(withDetail(getCallerIdentityWithStackKey, { userIdentity: stackKey }));
    expect(await cloudTrail.take(keyTap), "the verifier's GetCallerIdentity").to.deep.equal([]);
    expect(await cloudTrail.take(iamTap)).to.deep.equal([]);
    expect(await cloudTrail.take(inbox)).to.deep.equal([]);
  });

  it("a rotation by a trusted caller raises no alert; the same new key made by anyone else raises exactly one; the key rule follows the new key", async () => {
    const before = await outputs();
    expectSucceeded(await runDriver("rotate", ["local", "start"], { env }));
    const started = await outputs();
    expectSucceeded(await runDriver("rotate", ["local", "finish", "--force"], { env }));
    const iamTap = await cloudTrail.tap(`${LOCAL_USER}-iam-changes`);
    const inbox = await cloudTrail.subscribe(before.alertTopicArn, "test-inbox");
    await cloudTrail.take(inbox);

    // CloudTrail's records of the rotation's IAM calls, signed with the operator's key as the tool made them.
    const byOperator = iamUserIdentity(OPERATOR_ARN, operator.accessKeyId);
    await cloudTrail.put(
      keyCallOn(createAccessKeyByOperator, "CreateAccessKey", LOCAL_USER, started.accessKeyId, byOperator),
      keyCallOn(createAccessKeyByOperator, "UpdateAccessKey", LOCAL_USER, before.accessKeyId, byOperator),
      keyCallOn(createAccessKeyByOperator, "DeleteAccessKey", LOCAL_USER, before.accessKeyId, byOperator),
    );
    expect(await cloudTrail.take(iamTap), "the trusted rotation").to.deep.equal([]);
    expect(await cloudTrail.take(inbox), "the trusted rotation").to.deep.equal([]);

    await cloudTrail.put(keyCallOn(createAccessKeyByOperator, "CreateAccessKey", LOCAL_USER, started.accessKeyId, ALICE));
    expect(await cloudTrail.take(iamTap)).to.have.length(1);
    expect((await cloudTrail.take(inbox)).map((body) => JSON.parse(body).by)).to.deep.equal([ALICE.arn]);

    await cloudTrail.put(withDetail(listUsersWithStackKey, { userIdentity: iamUserIdentity(started.userArn, started.accessKeyId) }));
    expect(
      (await cloudTrail.take(inbox)).map((body) => JSON.parse(body).accessKey),
      "the new key is watched",
    ).to.deep.equal([started.accessKeyId]);
  });

  it("the check fails a disabled rule (provision --refresh enables it again) and warns about a trail that stopped logging", async () => {
    await cloudTrail.events.send(new DisableRuleCommand({ Name: `${LOCAL_USER}-console-sign-in` }));
    const disabled = await runDriver("verify", ["local"], { env });
    expect(disabled.code).to.equal(1);
    expect(disabled.stdout).to.match(/\[FAIL\] Access monitoring: [^\n]*rule talentbase-backend-local-console-sign-in \(us-east-1\) is DISABLED, not ENABLED/);

    expectSucceeded(await runDriver("provision", ["local", "--refresh"], { env }));
    expect((await cloudTrail.events.send(new DescribeRuleCommand({ Name: `${LOCAL_USER}-console-sign-in` }))).State).to.equal("ENABLED");

    const trails = new CloudTrailClient({ endpoint: account.moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    try {
      await trails.send(new StopLoggingCommand({ Name: SANDBOX_TRAIL.name }));
      const stopped = await runDriver("verify", ["local"], { env });
      expectSucceeded(stopped);
      expect(stopped.stdout).to.match(/\[WARN\] Access monitoring: [^\n]*: no trail feeds the rules: the closest, account-trail, is not logging/);
      await trails.send(new StartLoggingCommand({ Name: SANDBOX_TRAIL.name }));
    } finally {
      trails.destroy();
    }
  });

  it("destroy removes every monitoring resource: rules, topic, alarm, and the key scheduled for deletion", async () => {
    const { alertTopicArn } = await outputs();
    expect(
      ((await cloudTrail.sns.send(new ListTopicsCommand({}))).Topics ?? []).map((topic) => topic.TopicArn),
      "the topic before",
    ).to.include(alertTopicArn);
    // EventBridge refuses to delete a rule with a target the stack does not know, as AWS does.
    await cloudTrail.removeTaps();
    expectSucceeded(await runDriver("destroy", ["local"], { env }));
    const rules = (await cloudTrail.events.send(new ListRulesCommand({ NamePrefix: LOCAL_USER }))).Rules ?? [];
    expect(rules.map((rule) => rule.Name)).to.deep.equal([]);
    expect(((await cloudTrail.sns.send(new ListTopicsCommand({}))).Topics ?? []).map((topic) => topic.TopicArn)).not.to.include(alertTopicArn);
    const options = { endpoint: account.moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS };
    const cloudWatch = new CloudWatchClient(options);
    const kms = new KMSClient(options);
    try {
      expect((await cloudWatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).to.deep.equal([]);
      const keys = await kms.send(new ListKeysCommand({}));
      const states = await Promise.all(
        (keys.Keys ?? []).map(async (key) => (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata?.KeyState),
      );
      expect(states).to.deep.equal(["PendingDeletion"]);
    } finally {
      cloudWatch.destroy();
      kms.destroy();
    }
  });
});
