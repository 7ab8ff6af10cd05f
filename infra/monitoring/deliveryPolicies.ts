import type { Partition } from "../policy/arns";
import type { PolicyDocument } from "../policy/policyDocument";

/** A statement of a resource policy (key policy, topic policy, trust policy). */
export interface ResourcePolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Principal: { readonly AWS: string } | { readonly Service: string };
  readonly Action: string | readonly string[];
  readonly Resource?: string;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface ResourcePolicy {
  readonly Version: "2012-10-17";
  readonly Statement: readonly ResourcePolicyStatement[];
}

/** The services that publish the alerts: EventBridge rules and CloudWatch alarms. */
export const EVENTS_SERVICE = "events.amazonaws.com";
export const CLOUDWATCH_SERVICE = "cloudwatch.amazonaws.com";

/** A publisher to an encrypted topic needs these on its key: SNS encrypts with a data key made for the publisher. */
const PUBLISHER_KEY_ACTIONS = ["kms:GenerateDataKey*", "kms:Decrypt"];

/**
 * The policy of the topic's customer managed key: the account administers it (as a default key policy
 * lets it), and the two publishing services may use it. The AWS managed alias/aws/sns key cannot be
 * used: its policy cannot be changed to let EventBridge in, and SNS silently drops every event
 * EventBridge then delivers. No condition narrows the services' statements: their use of the key is
 * SNS's, on their behalf, for a publish the topic policy already limited to this stack's rules and alarm.
 */
export function alertKeyPolicy(options: { partition: Partition; accountId: string }): ResourcePolicy {
  const { partition, accountId } = options;
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AccountAdministersKey", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
      { Sid: "EventBridgeRulesPublish", Effect: "Allow", Principal: { Service: EVENTS_SERVICE }, Action: PUBLISHER_KEY_ACTIONS, Resource: "*" },
      { Sid: "CloudWatchAlarmsPublish", Effect: "Allow", Principal: { Service: CLOUDWATCH_SERVICE }, Action: PUBLISHER_KEY_ACTIONS, Resource: "*" },
    ],
  };
}

/**
 * The topic's policy: only this stack's EventBridge rules and its alarm may publish, each service
 * limited by `aws:SourceArn` to the exact rule or alarm, so no other rule or account's resource can use
 * the topic through the service principal (the confused deputy). Principals of the account act through
 * their own IAM policies, as for any topic.
 */
export function alertTopicPolicy(options: { topicArn: string; ruleArns: readonly string[]; alarmArn: string }): ResourcePolicy {
  const { topicArn, ruleArns, alarmArn } = options;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AlertRulesPublish",
        Effect: "Allow",
        Principal: { Service: EVENTS_SERVICE },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { ArnEquals: { "aws:SourceArn": [...ruleArns] } },
      },
      {
        Sid: "ObjectCountAlarmPublishes",
        Effect: "Allow",
        Principal: { Service: CLOUDWATCH_SERVICE },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { ArnEquals: { "aws:SourceArn": alarmArn } },
      },
    ],
  };
}

/** The default event bus of a region, where AWS services put their events and forwarded ones arrive. */
export function defaultEventBusArn(options: { partition: Partition; region: string; accountId: string }): string {
  const { partition, region, accountId } = options;
  return `arn:${partition}:events:${region}:${accountId}:event-bus/default`;
}

/** Who may assume the forwarding role: EventBridge, for rules of this account only. */
export function forwarderTrustPolicy(accountId: string): ResourcePolicy {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EventBridgeForwardsAlerts",
        Effect: "Allow",
        Principal: { Service: EVENTS_SERVICE },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  };
}

/** What the forwarding role may do: put events on the home region's default bus, nothing else. */
export function forwarderPermissions(homeBusArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "PutAlertEventsOnHomeBus", Effect: "Allow", Action: ["events:PutEvents"], Resource: [homeBusArn] }],
  };
}
