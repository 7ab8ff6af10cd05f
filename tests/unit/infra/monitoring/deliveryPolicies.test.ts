import { validateIdentityPolicy, validateResourcePolicy, validateTrustPolicy } from "@cloud-copilot/iam-policy";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { expect } from "chai";
import {
  alertKeyPolicy,
  alertTopicPolicy,
  defaultEventBusArn,
  forwarderPermissions,
  forwarderTrustPolicy,
  type ResourcePolicy,
} from "../../../../infra/monitoring/deliveryPolicies";
import { ACCOUNT_ID } from "./cloudTrailEvents";

const TOPIC_ARN = `arn:aws:sns:eu-west-1:${ACCOUNT_ID}:talentbase-backend-prod-alerts`;
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const RULE_ARNS = ["iam-changes", "key-use", "console-sign-in"].map((kind) => `arn:aws:events:eu-west-1:${ACCOUNT_ID}:rule/talentbase-backend-prod-${kind}`);
const ALARM_ARN = `arn:aws:cloudwatch:eu-west-1:${ACCOUNT_ID}:alarm:talentbase-prod-uploads-object-count`;

/** How IAM decides `action` on `resource` for a service principal under a resource policy (iam-simulate). */
async function decide(policy: ResourcePolicy, principal: string, action: string, resource: string, context: Record<string, string> = {}): Promise<string> {
  const response = await runSimulation(
    {
      request: { principal, action, resource: { resource, accountId: ACCOUNT_ID }, contextVariables: context },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policy,
    },
    {},
  );
  if (response.resultType === "error") throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

describe("the alert delivery policies", () => {
  describe("the topic policy", () => {
    const policy = alertTopicPolicy({ topicArn: TOPIC_ARN, ruleArns: RULE_ARNS, alarmArn: ALARM_ARN });

    it("is a valid resource policy", () => {
      expect(validateResourcePolicy(policy)).to.deep.equal([]);
    });

    it("lets EventBridge publish for each of the stack's rules, and for no other rule", async () => {
      for (const rule of RULE_ARNS)
        expect(await decide(policy, "events.amazonaws.com", "sns:Publish", TOPIC_ARN, { "aws:SourceArn": rule }), rule).to.equal("Allowed");
      const other = `arn:aws:events:eu-west-1:444455556666:rule/talentbase-backend-prod-key-use`;
      expect(await decide(policy, "events.amazonaws.com", "sns:Publish", TOPIC_ARN, { "aws:SourceArn": other })).to.equal("ImplicitlyDenied");
      expect(await decide(policy, "events.amazonaws.com", "sns:Publish", TOPIC_ARN)).to.equal("ImplicitlyDenied");
    });

    it("lets CloudWatch publish for the object count alarm only, and neither service do anything else", async () => {
      expect(await decide(policy, "cloudwatch.amazonaws.com", "sns:Publish", TOPIC_ARN, { "aws:SourceArn": ALARM_ARN })).to.equal("Allowed");
      expect(await decide(policy, "cloudwatch.amazonaws.com", "sns:Publish", TOPIC_ARN, { "aws:SourceArn": RULE_ARNS[0]! })).to.equal("ImplicitlyDenied");
      expect(await decide(policy, "events.amazonaws.com", "sns:Subscribe", TOPIC_ARN, { "aws:SourceArn": RULE_ARNS[0]! })).to.equal("ImplicitlyDenied");
    });
  });

  describe("the topic's key policy", () => {
    const policy = alertKeyPolicy({ partition: "aws", accountId: ACCOUNT_ID });

    it("is a valid resource policy whose account administers the key", () => {
      expect(validateResourcePolicy(policy)).to.deep.equal([]);
      expect(policy.Statement[0]).to.deep.include({ Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: "kms:*" });
    });

    it("lets EventBridge and CloudWatch make and read data keys for the topic, and nothing else", async () => {
      for (const service of ["events.amazonaws.com", "cloudwatch.amazonaws.com"]) {
        for (const action of ["kms:GenerateDataKey", "kms:Decrypt"])
          expect(await decide(policy, service, action, KEY_ARN), `${service} ${action}`).to.equal("Allowed");
        for (const action of ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:Encrypt"])
          expect(await decide(policy, service, action, KEY_ARN), `${service} ${action}`).to.equal("ImplicitlyDenied");
      }
      expect(await decide(policy, "sns.amazonaws.com", "kms:Decrypt", KEY_ARN)).to.equal("ImplicitlyDenied");
    });

    it("names the account in the partition's ARN form", () => {
      expect(alertKeyPolicy({ partition: "aws-us-gov", accountId: ACCOUNT_ID }).Statement[0]!.Principal).to.deep.equal({
        AWS: `arn:aws-us-gov:iam::${ACCOUNT_ID}:root`,
      });
    });
  });

  describe("the forwarding role", () => {
    const busArn = defaultEventBusArn({ partition: "aws", region: "eu-west-1", accountId: ACCOUNT_ID });

    it("sends to the home region's default bus", () => {
      expect(busArn).to.equal(`arn:aws:events:eu-west-1:${ACCOUNT_ID}:event-bus/default`);
    });

    it("is assumed by EventBridge for this account's rules only", async () => {
      const trust = forwarderTrustPolicy(ACCOUNT_ID);
      expect(validateTrustPolicy(trust)).to.deep.equal([]);
      const roleArn = `arn:aws:iam::${ACCOUNT_ID}:role/talentbase-backend-prod-alert-forwarding`;
      expect(await decide(trust, "events.amazonaws.com", "sts:AssumeRole", roleArn, { "aws:SourceAccount": ACCOUNT_ID })).to.equal("Allowed");
      expect(await decide(trust, "events.amazonaws.com", "sts:AssumeRole", roleArn, { "aws:SourceAccount": "444455556666" })).to.equal("ImplicitlyDenied");
    });

    it("may put events on that bus and do nothing else", () => {
      expect(validateIdentityPolicy(forwarderPermissions(busArn))).to.deep.equal([]);
      expect(forwarderPermissions(busArn).Statement).to.deep.equal([
        { Sid: "PutAlertEventsOnHomeBus", Effect: "Allow", Action: ["events:PutEvents"], Resource: [busArn] },
      ]);
    });
  });
});
