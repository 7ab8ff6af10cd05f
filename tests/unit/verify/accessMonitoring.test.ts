import { expect } from "chai";
import {
  expectedRules,
  judgeAccessMonitoring,
  ruleProblem,
  type ExpectedRule,
  type LiveRule,
  type MonitoredStack,
  type MonitoringFacts,
} from "../../../automation/verify/checks/accessMonitoringDecision";
import { judgeTrails, managementEventsOf, trailShortfalls, type LiveTrail } from "../../../automation/verify/checks/trailCoverage";
import { ALL_CHECKS } from "../../../automation/verify/checks";

const ACCOUNT = "123456789012";
const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT}:talentbase-backend-prod-alerts`;
const HOME_BUS = `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`;
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/ci/talentbase-deployer`;

const PROD: MonitoredStack = {
  environment: "prod",
  region: "eu-west-1",
  partition: "aws",
  bucketName: "talentbase-prod-uploads",
  userName: "talentbase-backend-prod",
  policyArn: `arn:aws:iam::${ACCOUNT}:policy/talentbase-backend-prod-s3-policy`,
  accessKeyIds: ["AKIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE"],
  trustedCallers: [DEPLOYER],
  monitoringRegions: [],
};

/** The rule as the stack deployed it: its state, its pattern (keys in another order, as EventBridge may keep them), its target. */
function deployed(rule: ExpectedRule): LiveRule {
  const pattern = JSON.parse(JSON.stringify(rule.pattern)) as { detail?: { userIdentity?: { accessKeyId?: string[] } } };
  pattern.detail?.userIdentity?.accessKeyId?.reverse();
  return {
    arn: `arn:aws:events:${rule.region}:${ACCOUNT}:rule/${rule.name}`,
    state: rule.state,
    eventPattern: JSON.stringify(pattern),
    targets:
      rule.delivery === "topic" ? [{ arn: TOPIC, transformed: true }] : [{ arn: HOME_BUS, roleArn: `arn:aws:iam::${ACCOUNT}:role/fwd`, transformed: false }],
  };
}

const TRAIL: LiveTrail = {
  name: "organization-trail",
  homeRegion: "us-east-1",
  multiRegion: true,
  includesGlobalServiceEvents: true,
  logging: true,
  eventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true }],
  advancedEventSelectors: [],
};

function healthy(stack: MonitoredStack = PROD): MonitoringFacts {
  return {
    environment: stack.environment,
    region: stack.region,
    topicArn: TOPIC,
    homeBusArn: HOME_BUS,
    rules: expectedRules(stack).map((expected) => ({ expected, live: deployed(expected) })),
    delivery: { refusedRules: [], key: { id: "arn:aws:kms:eu-west-1:123456789012:key/abc", eventBridgeMayUse: true } },
    subscriptions: [{ protocol: "email", endpoint: "security@talentbase.example", pending: false }],
    trustedCallers: stack.trustedCallers,
    trails: [TRAIL],
  };
}

describe("the access-monitoring check", () => {
  it("is in ALL_CHECKS under its stable id", () => {
    expect(ALL_CHECKS.filter((check) => check.id === "access-monitoring")).to.have.length(1);
  });

  describe("expectedRules", () => {
    it("places the three home rules in the stack's region publishing to the topic, and forwarding rules where events also arise", () => {
      expect(expectedRules(PROD).map((rule) => [rule.kind, rule.region, rule.name, rule.delivery, rule.state])).to.deep.equal([
        ["iam-changes", "eu-west-1", "talentbase-backend-prod-iam-changes", "topic", "ENABLED"],
        ["key-use", "eu-west-1", "talentbase-backend-prod-key-use", "topic", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"],
        ["console-sign-in", "eu-west-1", "talentbase-backend-prod-console-sign-in", "topic", "ENABLED"],
        ["iam-changes", "us-east-1", "talentbase-backend-prod-iam-changes-to-eu-west-1", "home-bus", "ENABLED"],
        ["key-use", "us-east-1", "talentbase-backend-prod-key-use-to-eu-west-1", "home-bus", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"],
        ["console-sign-in", "us-east-1", "talentbase-backend-prod-console-sign-in-to-eu-west-1", "home-bus", "ENABLED"],
      ]);
    });

    it("has no forwarding rules for a stack in the global event region", () => {
      expect(expectedRules({ ...PROD, region: "us-east-1" }).map((rule) => rule.delivery)).to.deep.equal(["topic", "topic", "topic"]);
    });
  });

  describe("ruleProblem", () => {
    const [iamRule, keyRule] = expectedRules(PROD) as [ExpectedRule, ExpectedRule];
    const forwarding = expectedRules(PROD).find((rule) => rule.delivery === "home-bus")!;
    const destinations = { topicArn: TOPIC, homeBusArn: HOME_BUS };

    it("accepts the rule as deployed, its pattern's lists in any order", () => {
      expect(ruleProblem(keyRule, deployed(keyRule), destinations)).to.equal(undefined);
      expect(ruleProblem(forwarding, deployed(forwarding), destinations)).to.equal(undefined);
    });

    it("names a missing rule, a disabled one, and a read-only rule left in plain ENABLED", () => {
      expect(ruleProblem(iamRule, undefined, destinations)).to.equal("rule talentbase-backend-prod-iam-changes (eu-west-1) is missing");
      expect(ruleProblem(iamRule, { ...deployed(iamRule), state: "DISABLED" }, destinations)).to.equal(
        "rule talentbase-backend-prod-iam-changes (eu-west-1) is DISABLED, not ENABLED",
      );
      expect(ruleProblem(keyRule, { ...deployed(keyRule), state: "ENABLED" }, destinations)).to.equal(
        "rule talentbase-backend-prod-key-use (eu-west-1) is ENABLED, not ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
      );
    });

    it("accepts a key-use rule still watching a key the stack retired (config only, until the next update), as a deleted key can do nothing", () => {
      const withRetired = expectedRules({ ...PROD, accessKeyIds: [...PROD.accessKeyIds, "AKIARETIREDEXAMPLE11"] })[1]!;
      expect(ruleProblem(keyRule, deployed(withRetired), destinations)).to.equal(undefined);
    });

    it("names a pattern that no longer watches the stack's keys (or trusts someone else)", () => {
      const stale = expectedRules({ ...PROD, accessKeyIds: ["AKIAOLDKEYEXAMPLE111"] })[1]!;
      expect(ruleProblem(keyRule, deployed(stale), destinations)).to.include("matches other events than the stack declares");
      const trustsMore = expectedRules({ ...PROD, trustedCallers: [DEPLOYER, `arn:aws:iam::${ACCOUNT}:user/mallory`] })[0]!;
      expect(ruleProblem(iamRule, deployed(trustsMore), destinations)).to.include("matches other events than the stack declares");
      expect(ruleProblem(iamRule, { ...deployed(iamRule), eventPattern: "{nope" }, destinations)).to.include("matches other events");
    });

    it("names a home rule not publishing its transformed alert to the topic, and a forwarding rule without the bus or the role", () => {
      expect(ruleProblem(iamRule, { ...deployed(iamRule), targets: [] }, destinations)).to.equal(
        `rule talentbase-backend-prod-iam-changes (eu-west-1) does not publish its alert to ${TOPIC}`,
      );
      expect(ruleProblem(iamRule, { ...deployed(iamRule), targets: [{ arn: TOPIC, transformed: false }] }, destinations)).to.include(
        "does not publish its alert",
      );
      expect(ruleProblem(forwarding, { ...deployed(forwarding), targets: [{ arn: HOME_BUS, transformed: false }] }, destinations)).to.equal(
        `rule talentbase-backend-prod-iam-changes-to-eu-west-1 (us-east-1) does not send its events to ${HOME_BUS} through a role`,
      );
    });
  });

  describe("judgeAccessMonitoring", () => {
    it("passes a healthy monitoring, saying what it found", () => {
      expect(judgeAccessMonitoring(healthy())).to.deep.equal({
        status: "PASS",
        detail:
          "3 rules in eu-west-1 publish to the topic and 3 in other regions forward to them; the topic and its KMS key let the rules publish; 1 confirmed subscription(s) (email security@talentbase.example); trail organization-trail logs all management events of eu-west-1 and the global services",
      });
    });

    it("fails a broken rule, first in the detail", () => {
      const facts = healthy();
      const outcome = judgeAccessMonitoring({ ...facts, rules: [{ ...facts.rules[0]!, live: undefined }, ...facts.rules.slice(1)] });
      expect(outcome.status).to.equal("FAIL");
      expect(outcome.detail).to.match(/^rule talentbase-backend-prod-iam-changes \(eu-west-1\) is missing; /);
    });

    it("fails a topic policy refusing a rule, and a KMS key EventBridge may not use", () => {
      const refused = judgeAccessMonitoring({ ...healthy(), delivery: { refusedRules: ["arn:aws:events:eu-west-1:123456789012:rule/x"] } });
      expect(refused).to.include({ status: "FAIL" });
      expect(refused.detail).to.match(/^the topic policy refuses EventBridge the alerts of arn:aws:events:eu-west-1:123456789012:rule\/x/);
      const managedKey = judgeAccessMonitoring({ ...healthy(), delivery: { refusedRules: [], key: { id: "alias/aws/sns", eventBridgeMayUse: false } } });
      expect(managedKey.detail).to.match(/^the topic's KMS key alias\/aws\/sns does not let EventBridge use it, so SNS drops every alert/);
    });

    it("warns while every subscription is pending, saying e-mail ones wait for their owner's click", () => {
      const outcome = judgeAccessMonitoring({ ...healthy(), subscriptions: [{ protocol: "email", endpoint: "security@talentbase.example", pending: true }] });
      expect(outcome.status).to.equal("WARN");
      expect(outcome.detail).to.match(
        /^no confirmed subscription: security@talentbase\.example pending \(an e-mail subscription stays pending until its owner clicks the link AWS sent\)/,
      );
    });

    it("fails a prod topic nobody subscribed to, and warns elsewhere", () => {
      expect(judgeAccessMonitoring({ ...healthy(), subscriptions: [] }).status).to.equal("FAIL");
      const dev = { ...PROD, environment: "dev" as const };
      expect(judgeAccessMonitoring({ ...healthy(dev), subscriptions: [] }).status).to.equal("WARN");
    });

    it("warns when nobody is trusted: the tool's own IAM changes would alert", () => {
      const outcome = judgeAccessMonitoring(healthy({ ...PROD, trustedCallers: [] }));
      expect(outcome).to.deep.include({ status: "WARN" });
      expect(outcome.detail).to.include("no trustedCallers: this tool's own rotations, adoptions and repairs alert like anyone's IAM change");
    });

    it("fails prod without a trail feeding the rules, warns elsewhere, and warns when the trails could not be read", () => {
      expect(judgeAccessMonitoring({ ...healthy(), trails: [] }).status).to.equal("FAIL");
      expect(judgeAccessMonitoring({ ...healthy({ ...PROD, environment: "staging" }), trails: [] }).status).to.equal("WARN");
      const unreadable = judgeAccessMonitoring({ ...healthy(), trails: "AccessDeniedException: the operator needs cloudtrail:DescribeTrails" });
      expect(unreadable).to.deep.equal({
        status: "WARN",
        detail: `the account's trails could not be read (AccessDeniedException: the operator needs cloudtrail:DescribeTrails); ${judgeAccessMonitoring(healthy()).detail.split("; ").slice(0, 3).join("; ")}`,
      });
    });
  });
});

describe("a trail's coverage", () => {
  it("counts a trail without selectors as logging every management event (AWS's default; moto reports no selector)", () => {
    expect(managementEventsOf({ eventSelectors: [], advancedEventSelectors: [] })).to.equal("all");
  });

  it("reads basic selectors: All, WriteOnly, ReadOnly, management events left out, and two halves making all", () => {
    const basic = (...selectors: LiveTrail["eventSelectors"]) => managementEventsOf({ eventSelectors: selectors, advancedEventSelectors: [] });
    expect(basic({ ReadWriteType: "All", IncludeManagementEvents: true })).to.equal("all");
    expect(basic({ ReadWriteType: "WriteOnly", IncludeManagementEvents: true })).to.equal("write-only");
    expect(basic({ ReadWriteType: "ReadOnly", IncludeManagementEvents: true })).to.equal("read-only");
    expect(basic({ ReadWriteType: "All", IncludeManagementEvents: false })).to.equal("none");
    expect(basic({ ReadWriteType: "ReadOnly" }, { ReadWriteType: "WriteOnly" })).to.equal("all");
  });

  it("reads advanced selectors: eventCategory Management, narrowed by readOnly or not; data-event selectors alone log none", () => {
    const advanced = (...fields: { Field: string; Equals: string[] }[]) =>
      managementEventsOf({ eventSelectors: [], advancedEventSelectors: [{ FieldSelectors: fields }] });
    expect(advanced({ Field: "eventCategory", Equals: ["Management"] })).to.equal("all");
    expect(advanced({ Field: "eventCategory", Equals: ["Management"] }, { Field: "readOnly", Equals: ["false"] })).to.equal("write-only");
    expect(advanced({ Field: "eventCategory", Equals: ["Data"] }, { Field: "resources.type", Equals: ["AWS::S3::Object"] })).to.equal("none");
  });

  it("names each shortfall: another region, not logging, no global services, write-only", () => {
    const poor = {
      ...TRAIL,
      multiRegion: false,
      homeRegion: "us-west-2",
      logging: false,
      includesGlobalServiceEvents: false,
      eventSelectors: [{ ReadWriteType: "WriteOnly" }],
    };
    expect(trailShortfalls(poor, "eu-west-1")).to.deep.equal([
      "records only us-west-2",
      "is not logging",
      "leaves out global service events (IAM, STS, sign-in)",
      "logs write-only management events (the key-use rule misses read-only calls such as ListBuckets)",
    ]);
    expect(trailShortfalls(TRAIL, "eu-west-1")).to.deep.equal([]);
    expect(trailShortfalls({ ...TRAIL, multiRegion: false, homeRegion: "eu-west-1" }, "eu-west-1")).to.deep.equal([]);
  });

  it("judges by the best trail, naming it; no trail at all says so", () => {
    expect(judgeTrails([{ ...TRAIL, name: "stopped", logging: false }, TRAIL], "eu-west-1")).to.deep.equal({
      covered: true,
      detail: "trail organization-trail logs all management events of eu-west-1 and the global services",
    });
    expect(judgeTrails([{ ...TRAIL, name: "stopped", logging: false }], "eu-west-1")).to.deep.equal({
      covered: false,
      detail: "no trail feeds the rules: the closest, stopped, is not logging",
    });
    expect(judgeTrails([], "eu-west-1").detail).to.equal(
      "the account has no CloudTrail trail, so EventBridge gets no API call events and no rule can fire (docs/monitoring.md makes one)",
    );
  });
});
