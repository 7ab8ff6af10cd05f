import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as sns from "@pulumi/aws/sns";
import * as pulumi from "@pulumi/pulumi";
import { backendIdentityNames } from "../components/backendIdentity";
import type { Environment } from "../config/environments";
import type { Partition } from "../policy/arns";
import { alertInputTransformer } from "./alertMessages";
import { ALERT_KINDS, ALERT_RULES, alertPatterns, planAlertPlacement, type AlertKind } from "./alertRules";
import { alertKeyPolicy, alertTopicPolicy, defaultEventBusArn, forwarderPermissions, forwarderTrustPolicy } from "./deliveryPolicies";
import { backendGroupName, monitoringNames, monitoringTags } from "./monitoringNames";

export interface AccessMonitoringArgs {
  /** Environment whose backend identity is watched; it names the user, the group and the alerts. */
  readonly environment: Environment;
  /** The stack's region: the topic, the alarm and the rules that publish to the topic live there. */
  readonly region: string;
  /** Partition of the account: it decides where IAM's events arrive and forms every ARN. */
  readonly partition: Partition;
  /** The account the identity lives in. */
  readonly accountId: pulumi.Input<string>;
  /** ARN of the backend's managed S3 policy. */
  readonly policyArn: pulumi.Input<string>;
  /** Every access key id of the user the stack knows: the current key, the retiring one, unmanaged ones. */
  readonly accessKeyIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The uploads bucket: S3 calls on it are the key's job, and its object count is alarmed. */
  readonly bucketName: string;
  /** Object count of the bucket above which the alarm fires. */
  readonly objectCountThreshold: number;
  /** IAM user and role ARNs whose IAM changes to the identity raise no alert (default none). */
  readonly trustedCallers?: readonly string[];
  /** Regions watched for the key's use besides the stack's and the partition's global event region. */
  readonly monitoringRegions?: readonly string[];
  /** Addresses subscribed by e-mail (each stays pending until its owner confirms). */
  readonly alertEmails?: readonly string[];
}

/** S3 reports a bucket's storage metrics once a day. */
const ONE_DAY_SECONDS = 86_400;

/**
 * Watches the backend identity as the seed architecture's "Access Monitoring" asks: CloudTrail events
 * through EventBridge rules (IAM changes not made by a trusted caller, the key used outside its bucket,
 * console sign-in attempts) and a CloudWatch alarm on the bucket's object count, all publishing to one
 * SNS topic in the stack's region. The topic is encrypted with a customer managed key ($1 a month):
 * security benchmarks expect encrypted topics (checkov CKV_AWS_26), and the AWS managed SNS key cannot
 * let EventBridge or CloudWatch publish. Rules in other regions send their events to this region's
 * default event bus (see planAlertPlacement). Creates no trail: object-level S3 calls need data events
 * on a trail the account owns.
 */
export class AccessMonitoring extends pulumi.ComponentResource {
  /** The alerts topic; subscribe to it for the stack's alerts. */
  public readonly topicArn: pulumi.Output<string>;
  /** Every rule, in every region. */
  public readonly ruleArns: pulumi.Output<string>[];
  public readonly objectCountAlarmArn: pulumi.Output<string>;

  constructor(name: string, args: AccessMonitoringArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("talentbase:monitoring:AccessMonitoring", name, {}, opts);
    const {
      environment,
      region,
      partition,
      accountId,
      policyArn,
      accessKeyIds,
      bucketName,
      objectCountThreshold,
      trustedCallers = [],
      monitoringRegions = [],
      alertEmails = [],
    } = args;
    const names = monitoringNames(environment, bucketName);
    const tags = monitoringTags(environment);
    const { userName } = backendIdentityNames(environment);
    const placement = planAlertPlacement({ homeRegion: region, partition, monitoringRegions });
    const account = pulumi.output(accountId);
    const patterns = pulumi
      .all([policyArn, accessKeyIds])
      .apply(([policy, keys]) =>
        alertPatterns({ identity: { userName, groupName: backendGroupName(environment), policyArn: policy }, trustedCallers, accessKeyIds: keys, bucketName }),
      );
    const patternOf = (kind: AlertKind) => patterns.apply((all) => JSON.stringify(all[kind]));

    const key = new kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the alerts of ${userName} (SNS topic ${names.topic}); EventBridge and CloudWatch may use it to publish`,
        policy: account.apply((id) => JSON.stringify(alertKeyPolicy({ partition, accountId: id }))),
        enableKeyRotation: true,
        tags,
      },
      { parent: this },
    );
    const topic = new sns.Topic(
      `${name}-topic`,
      { name: names.topic, displayName: `TalentBase IAM alerts (${environment})`, kmsMasterKeyId: key.arn, tags },
      { parent: this },
    );
    for (const address of alertEmails) {
      new sns.TopicSubscription(`${name}-email-${address}`, { topic: topic.arn, protocol: "email", endpoint: address }, { parent: this });
    }

    const alarm = new cloudwatch.MetricAlarm(
      `${name}-object-count`,
      {
        name: names.objectCountAlarm,
        alarmDescription: `More than ${objectCountThreshold} objects in ${bucketName}: unusual S3 activity (S3 counts once a day)`,
        namespace: "AWS/S3",
        metricName: "NumberOfObjects",
        dimensions: { BucketName: bucketName, StorageType: "AllStorageTypes" },
        statistic: "Average",
        period: ONE_DAY_SECONDS,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold: objectCountThreshold,
        // An empty or new bucket reports nothing for a day or two: that is no alarm.
        treatMissingData: "notBreaching",
        alarmActions: [topic.arn],
        tags,
      },
      { parent: this },
    );

    const alertRules = ALERT_KINDS.map((kind) => ({
      kind,
      rule: new cloudwatch.EventRule(
        `${name}-${kind}`,
        { name: names.rule(kind), region, description: ALERT_RULES[kind].description, eventPattern: patternOf(kind), state: ALERT_RULES[kind].state, tags },
        { parent: this },
      ),
    }));
    const topicPolicy = new sns.TopicPolicy(
      `${name}-topic-policy`,
      {
        arn: topic.arn,
        policy: pulumi
          .all([topic.arn, alarm.arn, ...alertRules.map(({ rule }) => rule.arn)])
          .apply(([topicArn, alarmArn, ...ruleArns]) => JSON.stringify(alertTopicPolicy({ topicArn, alarmArn, ruleArns }))),
      },
      { parent: this },
    );
    for (const { kind, rule } of alertRules) {
      const { inputPaths, inputTemplate } = alertInputTransformer(kind, userName);
      new cloudwatch.EventTarget(
        `${name}-${kind}-alert`,
        { rule: rule.name, region, arn: topic.arn, inputTransformer: { inputPaths: { ...inputPaths }, inputTemplate } },
        { parent: this, dependsOn: [topicPolicy] },
      );
    }

    const forwardingRules: cloudwatch.EventRule[] = [];
    if (placement.forwarded.length > 0) {
      // One role for every rule of the other regions, allowed to put events on the home region's default bus only.
      const homeBusArn = account.apply((id) => defaultEventBusArn({ partition, region, accountId: id }));
      const role = new iam.Role(
        `${name}-forwarding-role`,
        {
          name: names.forwardingRole,
          description: `Lets EventBridge send the alert events of other regions to ${region}`,
          assumeRolePolicy: account.apply((id) => JSON.stringify(forwarderTrustPolicy(id))),
          tags,
        },
        { parent: this },
      );
      const permissions = new iam.RolePolicy(
        `${name}-forwarding-policy`,
        { role: role.name, policy: homeBusArn.apply((arn) => JSON.stringify(forwarderPermissions(arn))) },
        { parent: this },
      );
      for (const { region: remote, kind } of placement.forwarded) {
        const rule = new cloudwatch.EventRule(
          `${name}-${kind}-${remote}`,
          {
            name: names.forwardingRule(kind, region),
            region: remote,
            description: `${ALERT_RULES[kind].description}; sent to ${region}`,
            eventPattern: patternOf(kind),
            state: ALERT_RULES[kind].state,
            tags,
          },
          { parent: this },
        );
        // No input transformer: the home region's rule must see the event as CloudTrail made it.
        new cloudwatch.EventTarget(
          `${name}-${kind}-${remote}-forward`,
          { rule: rule.name, region: remote, arn: homeBusArn, roleArn: role.arn },
          { parent: this, dependsOn: [permissions] },
        );
        forwardingRules.push(rule);
      }
    }

    this.topicArn = topic.arn;
    this.ruleArns = [...alertRules.map(({ rule }) => rule.arn), ...forwardingRules.map((rule) => rule.arn)];
    this.objectCountAlarmArn = alarm.arn;
    this.registerOutputs({ topicArn: this.topicArn, ruleArns: this.ruleArns, objectCountAlarmArn: this.objectCountAlarmArn });
  }
}
