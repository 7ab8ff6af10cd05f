// A small program with every resource type the monitoring (alerts on IAM changes) and group-based
// permission features add (the rules' targets with their input transformer, the forwarding role), run by the real engine against the stand-in aws plugin. The IAM-watching
// pieces go to us-east-1 through their `region` input, whatever the stack's region, as the features will.
"use strict";
const aws = require("@pulumi/aws");

const WATCH_REGION = "us-east-1";

const group = new aws.iam.Group("uploaders", { path: "/talentbase/" });
const uploads = new aws.iam.Policy("uploads", {
  policy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::talentbase-local-uploads/*" }],
  }),
});
new aws.iam.GroupPolicyAttachment("uploaders-uploads", { group: group.name, policyArn: uploads.arn });
const user = new aws.iam.User("backend", { forceDestroy: true });
new aws.iam.UserGroupMembership("backend-groups", { user: user.name, groups: [group.name] });

const key = new aws.kms.Key("alerts", { description: "IAM alerts", enableKeyRotation: true, deletionWindowInDays: 7, region: WATCH_REGION });
const alias = new aws.kms.Alias("alerts", { targetKeyId: key.keyId, region: WATCH_REGION });
const topic = new aws.sns.Topic("iam-alerts", { kmsMasterKeyId: key.arn, region: WATCH_REGION });
new aws.sns.TopicPolicy("iam-alerts", {
  arn: topic.arn,
  region: WATCH_REGION,
  policy: topic.arn.apply((arn) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sns:Publish", Resource: arn }],
    }),
  ),
});
const subscription = new aws.sns.TopicSubscription("security-email", {
  topic: topic.arn,
  protocol: "email",
  endpoint: "security@talentbase.example",
  region: WATCH_REGION,
});
const rule = new aws.cloudwatch.EventRule("iam-changes", {
  eventPattern: JSON.stringify({ source: ["aws.iam"], "detail-type": ["AWS API Call via CloudTrail"] }),
  state: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
  region: WATCH_REGION,
});
const target = new aws.cloudwatch.EventTarget("iam-changes-to-alerts", {
  rule: rule.name,
  arn: topic.arn,
  region: WATCH_REGION,
  inputTransformer: { inputPaths: { call: "$.detail.eventName", caller: "$.detail.userIdentity.arn" }, inputTemplate: '{"call":"<call>","by":"<caller>"}' },
});
// The role the rules of other regions forward their events through, with its one inline policy.
const forwarding = new aws.iam.Role("forwarding", {
  description: "Lets EventBridge send alert events to the stack's region",
  assumeRolePolicy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sts:AssumeRole" }],
  }),
});
new aws.iam.RolePolicy("forwarding", {
  role: forwarding.name,
  policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: "*" }] }),
});
// In the stack's own region: the stand-in takes it from AWS_REGION.
const alarm = new aws.cloudwatch.MetricAlarm("iam-policy-changes", {
  metricName: "IAMPolicyChanges",
  namespace: "CISBenchmark",
  statistic: "Sum",
  period: 300,
  evaluationPeriods: 1,
  threshold: 1,
  comparisonOperator: "GreaterThanOrEqualToThreshold",
  treatMissingData: "notBreaching",
});

module.exports = {
  groupName: group.name,
  userName: user.name,
  keyId: key.keyId,
  aliasName: alias.name,
  topicArn: topic.arn,
  subscriptionArn: subscription.arn,
  ruleName: rule.name,
  ruleArn: rule.arn,
  targetId: target.targetId,
  alarmArn: alarm.arn,
  roleName: forwarding.name,
};
