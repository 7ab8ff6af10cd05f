import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { KMSClient } from "@aws-sdk/client-kms";
import type { SNSClient } from "@aws-sdk/client-sns";
import { defaultEventBusArn, EVENTS_SERVICE } from "../../../infra/monitoring/deliveryPolicies";
import { awsErrorName, isAwsError } from "../../aws/errors";
import type { VerificationContext } from "../context";
import { fail, skip, type Check } from "./check";
import { expectedRules, judgeAccessMonitoring, type LiveRule, type TopicDelivery, type TopicSubscription } from "./accessMonitoringDecision";
import type { LiveTrail } from "./trailCoverage";

/** Loaded on first use, as the SDK clients are: most stacks watch nothing. */
const sdk = () => ({
  events: require("@aws-sdk/client-eventbridge") as typeof import("@aws-sdk/client-eventbridge"),
  sns: require("@aws-sdk/client-sns") as typeof import("@aws-sdk/client-sns"),
  kms: require("@aws-sdk/client-kms") as typeof import("@aws-sdk/client-kms"),
  cloudTrail: require("@aws-sdk/client-cloudtrail") as typeof import("@aws-sdk/client-cloudtrail"),
  simulator: require("@cloud-copilot/iam-simulate") as typeof import("@cloud-copilot/iam-simulate"),
});

async function readRule(client: EventBridgeClient, name: string, signal: AbortSignal): Promise<LiveRule | undefined> {
  const { DescribeRuleCommand, ListTargetsByRuleCommand } = sdk().events;
  const rule = await client.send(new DescribeRuleCommand({ Name: name }), { abortSignal: signal }).catch((error: unknown) => {
    if (isAwsError(error, "ResourceNotFoundException")) return undefined;
    throw error;
  });
  if (!rule) return undefined;
  const targets: LiveRule["targets"][number][] = [];
  let nextToken: string | undefined;
  // EventBridge's SDK client has no paginators: its model declares none.
  do {
    const page = await client.send(new ListTargetsByRuleCommand({ Rule: name, NextToken: nextToken }), { abortSignal: signal });
    for (const target of page.Targets ?? []) {
      targets.push({ arn: target.Arn ?? "", ...(target.RoleArn ? { roleArn: target.RoleArn } : {}), transformed: target.InputTransformer !== undefined });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return { arn: rule.Arn ?? "", state: rule.State ?? "", ...(rule.EventPattern ? { eventPattern: rule.EventPattern } : {}), targets };
}

/** Whether a service principal may do `action` on `resource` under a resource policy, decided as IAM would (iam-simulate). */
async function serviceMay(policy: string, action: string, resource: string, accountId: string, context: Record<string, string> = {}): Promise<boolean> {
  const response = await sdk().simulator.runSimulation(
    {
      request: { principal: EVENTS_SERVICE, action, resource: { resource, accountId }, contextVariables: context },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: JSON.parse(policy),
    },
    {},
  );
  if (response.resultType === "error") throw new Error(`the policy could not be evaluated: ${response.errors.message}`);
  return response.overallResult === "Allowed";
}

/** The topic policy for each home rule, and the KMS key's policy for EventBridge, decided as IAM would. */
async function readDelivery(
  sns: SNSClient,
  kms: KMSClient,
  topicArn: string,
  ruleArns: readonly string[],
  signal: AbortSignal,
): Promise<TopicDelivery | undefined> {
  const { GetTopicAttributesCommand } = sdk().sns;
  let attributes: Record<string, string>;
  try {
    attributes = (await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }), { abortSignal: signal })).Attributes ?? {};
  } catch (error) {
    if (isAwsError(error, "NotFoundException", "NotFound")) return undefined;
    throw error;
  }
  const accountId = topicArn.split(":")[4] ?? "";
  const refusedRules: string[] = [];
  for (const ruleArn of ruleArns) {
    if (!(await serviceMay(attributes["Policy"] ?? "{}", "sns:Publish", topicArn, accountId, { "aws:SourceArn": ruleArn }))) refusedRules.push(ruleArn);
  }
  const keyId = attributes["KmsMasterKeyId"];
  if (!keyId) return { refusedRules };
  // The AWS managed key's policy cannot let EventBridge in, and SNS then drops what EventBridge delivers.
  if (keyId.startsWith("alias/aws/")) return { refusedRules, key: { id: keyId, eventBridgeMayUse: false } };
  const { DescribeKeyCommand, GetKeyPolicyCommand } = sdk().kms;
  const keyArn = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }), { abortSignal: signal })).KeyMetadata?.Arn ?? keyId;
  const { Policy } = await kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: "default" }), { abortSignal: signal });
  let eventBridgeMayUse = true;
  for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) eventBridgeMayUse &&= await serviceMay(Policy ?? "{}", action, keyArn, accountId);
  return { refusedRules, key: { id: keyId, eventBridgeMayUse } };
}

async function readSubscriptions(sns: SNSClient, topicArn: string, signal: AbortSignal): Promise<TopicSubscription[]> {
  const { paginateListSubscriptionsByTopic } = sdk().sns;
  const subscriptions: TopicSubscription[] = [];
  for await (const page of paginateListSubscriptionsByTopic({ client: sns }, { TopicArn: topicArn }, { abortSignal: signal })) {
    for (const subscription of page.Subscriptions ?? []) {
      subscriptions.push({
        protocol: subscription.Protocol ?? "",
        endpoint: subscription.Endpoint ?? "",
        pending: subscription.SubscriptionArn === "PendingConfirmation",
      });
    }
  }
  return subscriptions;
}

/** Every trail that records the region, each read in its home region (where its status and selectors are served). */
async function readTrails(context: VerificationContext, client: CloudTrailClient, signal: AbortSignal): Promise<LiveTrail[]> {
  const { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } = sdk().cloudTrail;
  const { trailList = [] } = await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }), { abortSignal: signal });
  return Promise.all(
    trailList.map(async (trail) => {
      const home = context.adminIn(trail.HomeRegion ?? context.input.region).cloudTrail;
      const name = trail.TrailARN ?? trail.Name ?? "";
      const [status, selectors] = await Promise.all([
        home.send(new GetTrailStatusCommand({ Name: name }), { abortSignal: signal }),
        home.send(new GetEventSelectorsCommand({ TrailName: name }), { abortSignal: signal }),
      ]);
      return {
        name: trail.Name ?? name,
        homeRegion: trail.HomeRegion ?? context.input.region,
        multiRegion: trail.IsMultiRegionTrail === true,
        includesGlobalServiceEvents: trail.IncludeGlobalServiceEvents === true,
        logging: status.IsLogging === true,
        eventSelectors: selectors.EventSelectors ?? [],
        advancedEventSelectors: selectors.AdvancedEventSelectors ?? [],
      };
    }),
  );
}

/**
 * The alerts as deployed: every rule of the stack's monitoring in its region and state, matching what
 * the stack declares and delivering; the topic (and its key) letting them publish; a confirmed
 * subscription; a CloudTrail trail feeding EventBridge. Skipped where the monitoring is off.
 */
export const accessMonitoring: Check = {
  id: "access-monitoring",
  title: "Access monitoring: alert rules, their delivery and the trail that feeds them",
  async run(context, signal) {
    const { input } = context;
    const monitoring = input.accessMonitoring;
    if (!monitoring) return skip("the stack's access monitoring is off (talentbase-iam:monitoring)");
    const topicArn = monitoring.alertTopicArn;
    if (!topicArn) return fail("the access monitoring is on, but the stack's outputs name no alerts topic: it is not deployed yet");

    const rules = expectedRules({
      environment: input.environment,
      region: input.region,
      partition: context.partition,
      bucketName: input.bucketName,
      userName: input.userName,
      policyArn: input.policyArn,
      accessKeyIds: [input.accessKeyId, ...(input.retiringAccessKeyId ? [input.retiringAccessKeyId] : []), ...input.unmanagedAccessKeyIds],
      trustedCallers: monitoring.trustedCallers,
      monitoringRegions: monitoring.monitoringRegions,
    });
    const homeBusArn = defaultEventBusArn({ partition: context.partition, region: input.region, accountId: topicArn.split(":")[4] ?? "" });
    const admin = context.admin;
    const [live, subscriptions, trails] = await Promise.all([
      Promise.all(rules.map(async (expected) => ({ expected, live: await readRule(context.adminIn(expected.region).eventBridge, expected.name, signal) }))),
      readSubscriptions(admin.sns, topicArn, signal).catch((error: unknown) => {
        if (isAwsError(error, "NotFoundException", "NotFound")) return [];
        throw error;
      }),
      readTrails(context, admin.cloudTrail, signal).catch((error: unknown) => {
        if (isAwsError(error, "AccessDeniedException", "AccessDenied", "UnauthorizedOperation"))
          return `${awsErrorName(error)}: the operator needs cloudtrail:DescribeTrails, GetTrailStatus and GetEventSelectors`;
        throw error;
      }),
    ]);
    const homeRuleArns = live.filter(({ expected, live: rule }) => expected.delivery === "topic" && rule).map(({ live: rule }) => rule!.arn);
    const delivery = await readDelivery(admin.sns, admin.kms, topicArn, homeRuleArns, signal);
    if (!delivery) return fail(`the alerts topic ${topicArn} the outputs name does not exist`);
    return judgeAccessMonitoring({
      environment: input.environment,
      region: input.region,
      topicArn,
      homeBusArn,
      rules: live,
      delivery,
      subscriptions,
      trustedCallers: monitoring.trustedCallers,
      trails,
    });
  },
};
