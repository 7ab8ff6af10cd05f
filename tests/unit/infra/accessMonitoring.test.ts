import { expect } from "chai";
import { alertInputTransformer } from "../../../infra/monitoring/alertMessages";
import { ALERT_KINDS, alertPatterns } from "../../../infra/monitoring/alertRules";
import { AccessMonitoring } from "../../../infra/monitoring/accessMonitoring";
import { alertKeyPolicy, alertTopicPolicy, forwarderPermissions, forwarderTrustPolicy } from "../../../infra/monitoring/deliveryPolicies";
import {
  ACCESS_KEY_ID,
  ACCOUNT_ID,
  KMS_KEY_ID,
  onlyResourceOfType,
  registerUnderMocks,
  resolved,
  runProgramUnderMocks,
  type MockRun,
  type RegisteredResource,
} from "./programUnderMocks";

const COMPONENT = "talentbase:monitoring:AccessMonitoring";
const KEY = "aws:kms/key:Key";
const TOPIC = "aws:sns/topic:Topic";
const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const RULE = "aws:cloudwatch/eventRule:EventRule";
const TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const MONITORING_TYPES = [COMPONENT, KEY, TOPIC, TOPIC_POLICY, SUBSCRIPTION, RULE, TARGET, ALARM, ROLE, ROLE_POLICY];

const US_EAST_1 = { "aws:region": "us-east-1" };
const POLICY_ARN = `arn:aws:iam::${ACCOUNT_ID}:policy/talentbase-backend-prod-s3-policy`;
const PROD_IDENTITY = { userName: "talentbase-backend-prod", groupName: "talentbase-backend-prod-s3", policyArn: POLICY_ARN };
const TAGS = { Environment: "prod", Project: "talentbase", Purpose: "backend-access-monitoring", ManagedBy: "pulumi" };

const ofType = (run: Pick<MockRun, "resources">, type: string) => run.resources.filter((r) => r.type === type);
const named = (run: Pick<MockRun, "resources">, name: string): RegisteredResource => {
  const match = run.resources.find((r) => r.name === name);
  if (!match) throw new Error(`no resource named ${name}`);
  return match;
};
const patternOf = (rule: RegisteredResource) => JSON.parse(rule.inputs.eventPattern);

describe("the access monitoring (under mocks)", () => {
  let prod: MockRun;
  before(async () => {
    prod = await runProgramUnderMocks("prod", US_EAST_1);
  });

  it("makes nothing where monitoring is off, every stack but prod by default", async () => {
    const dev = await runProgramUnderMocks("dev", US_EAST_1);
    expect(dev.resources.filter((r) => MONITORING_TYPES.includes(r.type))).to.deep.equal([]);
    expect(dev.outputs).not.to.have.property("alertTopicArn");
    const prodOff = await runProgramUnderMocks("prod", { ...US_EAST_1, "talentbase-iam:monitoring": "false" });
    expect(prodOff.resources.filter((r) => MONITORING_TYPES.includes(r.type))).to.deep.equal([]);
  });

  it("makes on prod, under one component, a key, a topic and its policy, a rule and target of each kind, and the alarm", () => {
    const component = onlyResourceOfType(prod, COMPONENT);
    expect(component.name).to.equal("monitoring");
    const children = prod.resources.filter((r) => r.parentUrn === component.urn);
    expect(children.map((r) => [r.type, r.name])).to.have.deep.members([
      [KEY, "monitoring-key"],
      [TOPIC, "monitoring-topic"],
      [ALARM, "monitoring-object-count"],
      [TOPIC_POLICY, "monitoring-topic-policy"],
      ...ALERT_KINDS.flatMap((kind) => [
        [RULE, `monitoring-${kind}`],
        [TARGET, `monitoring-${kind}-alert`],
      ]),
    ]);
    expect(prod.resources.filter((r) => MONITORING_TYPES.includes(r.type) && r.type !== COMPONENT && r.parentUrn !== component.urn)).to.deep.equal([]);
  });

  it("encrypts the topic with its own rotating customer managed key that EventBridge and CloudWatch may use", () => {
    const key = onlyResourceOfType(prod, KEY).inputs;
    expect(key.enableKeyRotation).to.equal(true);
    expect(JSON.parse(key.policy)).to.deep.equal(alertKeyPolicy({ partition: "aws", accountId: ACCOUNT_ID }));
    expect(onlyResourceOfType(prod, TOPIC).inputs).to.deep.equal({
      name: "talentbase-backend-prod-alerts",
      displayName: "TalentBase IAM alerts (prod)",
      kmsMasterKeyId: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/${KMS_KEY_ID}`,
      tags: TAGS,
    });
  });

  it("puts the IAM, key and sign-in rules in us-east-1 with the stack's user, policy, group and current key in their patterns", () => {
    const patterns = alertPatterns({ identity: PROD_IDENTITY, trustedCallers: [], accessKeyIds: [ACCESS_KEY_ID], bucketName: "talentbase-prod-uploads" });
    for (const kind of ALERT_KINDS) {
      const rule = named(prod, `monitoring-${kind}`);
      expect(rule.inputs).to.include({ name: `talentbase-backend-prod-${kind}`, region: "us-east-1" });
      expect(rule.inputs.tags).to.deep.equal(TAGS);
      expect(patternOf(rule), kind).to.deep.equal(patterns[kind]);
    }
    expect(named(prod, "monitoring-key-use").inputs.state).to.equal("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
    expect(named(prod, "monitoring-iam-changes").inputs.state).to.equal("ENABLED");
  });

  it("targets the topic from each rule with the readable alert, once the topic policy lets the rule publish", () => {
    const topicPolicy = onlyResourceOfType(prod, TOPIC_POLICY);
    for (const kind of ALERT_KINDS) {
      const target = named(prod, `monitoring-${kind}-alert`);
      const { inputPaths, inputTemplate } = alertInputTransformer(kind, "talentbase-backend-prod");
      expect(target.inputs).to.deep.equal({
        rule: `talentbase-backend-prod-${kind}`,
        region: "us-east-1",
        arn: `arn:aws:sns:us-east-1:${ACCOUNT_ID}:talentbase-backend-prod-alerts`,
        inputTransformer: { inputPaths, inputTemplate },
      });
      expect(target.dependencies, kind).to.include(topicPolicy.urn);
    }
  });

  it("lets exactly the stack's rules and its alarm publish to the topic", () => {
    const policy = onlyResourceOfType(prod, TOPIC_POLICY).inputs;
    const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT_ID}:talentbase-backend-prod-alerts`;
    expect(policy.arn).to.equal(topicArn);
    expect(JSON.parse(policy.policy)).to.deep.equal(
      alertTopicPolicy({
        topicArn,
        ruleArns: ALERT_KINDS.map((kind) => `arn:aws:events:us-east-1:${ACCOUNT_ID}:rule/talentbase-backend-prod-${kind}`),
        alarmArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT_ID}:alarm:talentbase-prod-uploads-object-count`,
      }),
    );
  });

  it("alarms on the bucket's daily object count above 10,000, to the same topic, a missing count being no alarm", () => {
    expect(onlyResourceOfType(prod, ALARM).inputs).to.deep.equal({
      name: "talentbase-prod-uploads-object-count",
      alarmDescription: "More than 10000 objects in talentbase-prod-uploads: unusual S3 activity (S3 counts once a day)",
      namespace: "AWS/S3",
      metricName: "NumberOfObjects",
      dimensions: { BucketName: "talentbase-prod-uploads", StorageType: "AllStorageTypes" },
      statistic: "Average",
      period: 86400,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 10000,
      treatMissingData: "notBreaching",
      alarmActions: [`arn:aws:sns:us-east-1:${ACCOUNT_ID}:talentbase-backend-prod-alerts`],
      tags: TAGS,
    });
  });

  it("exports the topic's ARN as alertTopicArn", async () => {
    expect(await resolved(prod.outputs.alertTopicArn)).to.equal(`arn:aws:sns:us-east-1:${ACCOUNT_ID}:talentbase-backend-prod-alerts`);
  });

  it("subscribes each configured address by e-mail, and takes the threshold and trusted callers from config", async () => {
    const deployer = `arn:aws:iam::${ACCOUNT_ID}:role/ci/talentbase-deployer`;
    const run = await runProgramUnderMocks("staging", {
      ...US_EAST_1,
      "talentbase-iam:monitoring": "true",
      "talentbase-iam:alertEmails": "security@example.com,oncall@example.com",
      "talentbase-iam:trustedCallers": deployer,
      "talentbase-iam:objectCountAlarm": "500",
    });
    const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT_ID}:talentbase-backend-staging-alerts`;
    expect(ofType(run, SUBSCRIPTION).map((r) => [r.name, r.inputs])).to.have.deep.members([
      ["monitoring-email-security@example.com", { topic: topicArn, protocol: "email", endpoint: "security@example.com" }],
      ["monitoring-email-oncall@example.com", { topic: topicArn, protocol: "email", endpoint: "oncall@example.com" }],
    ]);
    expect(onlyResourceOfType(run, ALARM).inputs.threshold).to.equal(500);
    expect(JSON.stringify(patternOf(named(run, "monitoring-iam-changes")).detail.userIdentity)).to.contain(deployer);
  });

  it("watches the old key too while a rotation is open, and the unmanaged keys the stack still knows", async () => {
    const run = await runProgramUnderMocks("prod", {
      ...US_EAST_1,
      "talentbase-iam:accessKeySlot": "b",
      "talentbase-iam:rotation": "started",
      "talentbase-iam:unmanagedAccessKeys": "AKIAIOSFODNN7ALICE01",
    });
    expect(patternOf(named(run, "monitoring-key-use")).detail.userIdentity.accessKeyId).to.deep.equal([
      "AKIAI44QH8DHBEXAMPLE",
      ACCESS_KEY_ID,
      "AKIAIOSFODNN7ALICE01",
    ]);
  });

  describe("a stack outside us-east-1", () => {
    let run: MockRun;
    before(async () => {
      run = await runProgramUnderMocks("prod", { "aws:region": "eu-west-1", "talentbase-iam:monitoringRegions": "eu-central-1" });
    });

    it("keeps the topic, the alarm and a rule of each kind publishing to it in the stack's region", () => {
      expect(onlyResourceOfType(run, TOPIC).inputs.name).to.equal("talentbase-backend-prod-alerts");
      for (const kind of ALERT_KINDS) {
        expect(named(run, `monitoring-${kind}`).inputs.region).to.equal("eu-west-1");
        expect(named(run, `monitoring-${kind}-alert`).inputs.arn).to.equal(`arn:aws:sns:eu-west-1:${ACCOUNT_ID}:talentbase-backend-prod-alerts`);
      }
    });

    it("puts IAM's rule in us-east-1 and the key's and sign-in rules in every monitored region, each sending to the stack region's bus", () => {
      const forwarding = ofType(run, RULE).filter((rule) => rule.inputs.region !== "eu-west-1");
      expect(forwarding.map((rule) => [rule.name, rule.inputs.region, rule.inputs.name])).to.have.deep.members([
        ["monitoring-iam-changes-us-east-1", "us-east-1", "talentbase-backend-prod-iam-changes-to-eu-west-1"],
        ["monitoring-key-use-us-east-1", "us-east-1", "talentbase-backend-prod-key-use-to-eu-west-1"],
        ["monitoring-console-sign-in-us-east-1", "us-east-1", "talentbase-backend-prod-console-sign-in-to-eu-west-1"],
        ["monitoring-key-use-eu-central-1", "eu-central-1", "talentbase-backend-prod-key-use-to-eu-west-1"],
        ["monitoring-console-sign-in-eu-central-1", "eu-central-1", "talentbase-backend-prod-console-sign-in-to-eu-west-1"],
      ]);
      for (const rule of forwarding) {
        const kind = ALERT_KINDS.find((k) => rule.name.startsWith(`monitoring-${k}-`))!;
        expect(patternOf(rule), rule.name).to.deep.equal(patternOf(named(run, `monitoring-${kind}`)));
        expect(named(run, `${rule.name}-forward`).inputs, rule.name).to.deep.equal({
          rule: rule.inputs.name,
          region: rule.inputs.region,
          arn: `arn:aws:events:eu-west-1:${ACCOUNT_ID}:event-bus/default`,
          roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/talentbase-backend-prod-alert-forwarding`,
        });
      }
    });

    it("forwards through one role EventBridge of this account assumes, allowed to put events on that bus only", () => {
      const role = onlyResourceOfType(run, ROLE);
      expect(role.inputs.name).to.equal("talentbase-backend-prod-alert-forwarding");
      expect(JSON.parse(role.inputs.assumeRolePolicy)).to.deep.equal(forwarderTrustPolicy(ACCOUNT_ID));
      const permissions = onlyResourceOfType(run, ROLE_POLICY);
      expect(permissions.inputs.role).to.equal("talentbase-backend-prod-alert-forwarding");
      expect(JSON.parse(permissions.inputs.policy)).to.deep.equal(forwarderPermissions(`arn:aws:events:eu-west-1:${ACCOUNT_ID}:event-bus/default`));
      for (const target of ofType(run, TARGET).filter((t) => t.inputs.roleArn)) expect(target.dependencies).to.include(permissions.urn);
    });

    it("lets only the stack region's rules publish to the topic (the others never reach it directly)", () => {
      const statement = JSON.parse(onlyResourceOfType(run, TOPIC_POLICY).inputs.policy).Statement[0];
      expect(statement.Condition.ArnEquals["aws:SourceArn"]).to.deep.equal(
        ALERT_KINDS.map((kind) => `arn:aws:events:eu-west-1:${ACCOUNT_ID}:rule/talentbase-backend-prod-${kind}`),
      );
    });
  });

  it("makes no forwarding role where every rule lives in the stack's region", () => {
    expect(ofType(prod, ROLE)).to.deep.equal([]);
    expect(ofType(prod, ROLE_POLICY)).to.deep.equal([]);
  });

  it("derives every child's name from the component's, so two instances live side by side in one stack", async () => {
    const common = {
      partition: "aws" as const,
      accountId: ACCOUNT_ID,
      policyArn: POLICY_ARN,
      accessKeyIds: [ACCESS_KEY_ID],
      objectCountThreshold: 10,
      alertEmails: ["a@example.com"],
    };
    const resources = await registerUnderMocks("prod", US_EAST_1, () => {
      new AccessMonitoring("watch-dev", { ...common, environment: "dev", region: "us-east-1", bucketName: "talentbase-dev-uploads" });
      new AccessMonitoring("watch-staging", { ...common, environment: "staging", region: "eu-west-1", bucketName: "talentbase-staging-uploads" });
    });
    const urns = resources.map((r) => r.urn);
    expect(new Set(urns).size).to.equal(urns.length);
    for (const prefix of ["watch-dev", "watch-staging"]) {
      const component = resources.find((r) => r.type === COMPONENT && r.name === prefix)!;
      const children = resources.filter((r) => r.parentUrn === component.urn);
      expect(children.length).to.be.greaterThan(10);
      for (const child of children) expect(child.name.startsWith(`${prefix}-`), child.name).to.equal(true);
    }
    const physical = resources.filter((r) => r.type === RULE).map((r) => `${r.inputs.region}/${r.inputs.name}`);
    expect(new Set(physical).size).to.equal(physical.length);
  });
});
