/**
 * The pulumi-aws type tokens of every resource the program declares: how the engine's state, the
 * driver's state reads and the sandbox's stand-in provider name them. A unit test holds each against
 * the @pulumi/aws class it stands for.
 */
export const RESOURCE_TYPES = {
  user: "aws:iam/user:User",
  policy: "aws:iam/policy:Policy",
  userPolicyAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  accessKey: "aws:iam/accessKey:AccessKey",
  group: "aws:iam/group:Group",
  groupPolicyAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
  userGroupMembership: "aws:iam/userGroupMembership:UserGroupMembership",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  topic: "aws:sns/topic:Topic",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  topicSubscription: "aws:sns/topicSubscription:TopicSubscription",
  eventRule: "aws:cloudwatch/eventRule:EventRule",
  eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  kmsKey: "aws:kms/key:Key",
  kmsAlias: "aws:kms/alias:Alias",
} as const;
