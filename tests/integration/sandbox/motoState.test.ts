import { expect } from "chai";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { type AccessKey, CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { CreateTrailCommand, CloudTrailClient, DescribeTrailsCommand } from "@aws-sdk/client-cloudtrail";
import { DescribeAlarmsCommand, CloudWatchClient, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { CreateTopicCommand, GetTopicAttributesCommand, SNSClient } from "@aws-sdk/client-sns";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto } from "../../../sandbox/moto/motoServer";

describe("moto harness state file", function () {
  this.timeout(60_000);
  let scratch: string;
  before(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "moto-state-"));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it("keeps users, keys, buckets and secrets across restarts in an owner-only file", async () => {
    const stateFile = path.join(scratch, "state", "moto.pickle");
    const first = await startMoto({ stateFile });
    const clients = (endpoint: string) => ({
      iam: new IAMClient({ endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS }),
      s3: new S3Client({ endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, forcePathStyle: true }),
      secretsManager: new SecretsManagerClient({ endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS }),
    });
    let key: AccessKey | undefined;
    try {
      const { iam, s3, secretsManager } = clients(first.endpoint);
      await secretsManager.send(new CreateSecretCommand({ Name: "talentbase/local/aws-credentials", SecretString: "kept-value" }));
      await iam.send(new CreateUserCommand({ UserName: "kept" }));
      key = (await iam.send(new CreateAccessKeyCommand({ UserName: "kept" }))).AccessKey;
      await s3.send(new CreateBucketCommand({ Bucket: "kept-bucket" }));
    } finally {
      await first.stop();
    }
    expect((await stat(stateFile)).mode & 0o777).to.equal(0o600);

    const second = await startMoto({ stateFile });
    try {
      const { iam, s3, secretsManager } = clients(second.endpoint);
      const kept = await secretsManager.send(new GetSecretValueCommand({ SecretId: "talentbase/local/aws-credentials", VersionStage: "AWSCURRENT" }));
      expect(kept.SecretString).to.equal("kept-value");
      const keys = (await iam.send(new ListAccessKeysCommand({ UserName: "kept" }))).AccessKeyMetadata ?? [];
      expect(keys.map((k) => k.AccessKeyId)).to.deep.equal([key?.AccessKeyId]);
      await s3.send(new HeadBucketCommand({ Bucket: "kept-bucket" }));
      const sts = new STSClient({
        endpoint: second.endpoint,
        region: MOTO_REGION,
        credentials: { accessKeyId: key?.AccessKeyId ?? "", secretAccessKey: key?.SecretAccessKey ?? "" },
      });
      expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).to.match(/:user\/kept$/);
    } finally {
      await second.stop();
    }
  });

  it("keeps the access monitoring's KMS key, topic, rule with its target, alarm and the account's trail across restarts", async () => {
    const stateFile = path.join(scratch, "monitoring", "moto.pickle");
    const clients = (endpoint: string) => {
      const options = { endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS };
      return {
        kms: new KMSClient(options),
        sns: new SNSClient(options),
        events: new EventBridgeClient(options),
        cloudWatch: new CloudWatchClient(options),
        cloudTrail: new CloudTrailClient(options),
        s3: new S3Client({ ...options, forcePathStyle: true }),
      };
    };
    const first = await startMoto({ stateFile });
    let keyArn: string;
    let topicArn: string;
    try {
      const { kms, sns, events, cloudWatch, cloudTrail, s3 } = clients(first.endpoint);
      keyArn = (await kms.send(new CreateKeyCommand({ Description: "alerts" }))).KeyMetadata!.Arn!;
      topicArn = (await sns.send(new CreateTopicCommand({ Name: "alerts", Attributes: { KmsMasterKeyId: keyArn } }))).TopicArn!;
      await events.send(new PutRuleCommand({ Name: "iam-changes", EventPattern: JSON.stringify({ source: ["aws.iam"] }) }));
      await events.send(new PutTargetsCommand({ Rule: "iam-changes", Targets: [{ Id: "alert", Arn: topicArn }] }));
      await cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: "objects",
          MetricName: "NumberOfObjects",
          Namespace: "AWS/S3",
          Statistic: "Average",
          Period: 86400,
          EvaluationPeriods: 1,
          Threshold: 10,
          ComparisonOperator: "GreaterThanThreshold",
        }),
      );
      await s3.send(new CreateBucketCommand({ Bucket: "trail-logs" }));
      await cloudTrail.send(new CreateTrailCommand({ Name: "account", S3BucketName: "trail-logs", IsMultiRegionTrail: true }));
    } finally {
      await first.stop();
    }

    const second = await startMoto({ stateFile });
    try {
      const { kms, sns, events, cloudWatch, cloudTrail } = clients(second.endpoint);
      expect((await kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata?.KeyState).to.equal("Enabled");
      expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes?.KmsMasterKeyId).to.equal(keyArn);
      expect((await events.send(new DescribeRuleCommand({ Name: "iam-changes" }))).EventPattern).to.include("aws.iam");
      expect(((await events.send(new ListTargetsByRuleCommand({ Rule: "iam-changes" }))).Targets ?? []).map((target) => target.Arn)).to.deep.equal([topicArn]);
      expect(((await cloudWatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).map((alarm) => alarm.AlarmName)).to.deep.equal(["objects"]);
      expect(((await cloudTrail.send(new DescribeTrailsCommand({}))).trailList ?? []).map((trail) => trail.Name)).to.deep.equal(["account"]);
    } finally {
      await second.stop();
    }
  });

  it("starts empty without a state file", async () => {
    const moto = await startMoto();
    try {
      const iam = new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
      const error = await iam.send(new ListAccessKeysCommand({ UserName: "kept" })).catch((e: Error) => e);
      expect((error as Error).name).to.equal("NoSuchEntityException");
    } finally {
      await moto.stop();
    }
  });
});
