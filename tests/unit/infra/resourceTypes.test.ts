import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { RESOURCE_TYPES } from "../../../infra/resourceTypes";

/** The @pulumi/aws class each token stands for: its own (internal) static token is what the engine records. */
const CLASSES: { readonly [K in keyof typeof RESOURCE_TYPES]: unknown } = {
  user: aws.iam.User,
  policy: aws.iam.Policy,
  userPolicyAttachment: aws.iam.UserPolicyAttachment,
  accessKey: aws.iam.AccessKey,
  group: aws.iam.Group,
  groupPolicyAttachment: aws.iam.GroupPolicyAttachment,
  userGroupMembership: aws.iam.UserGroupMembership,
  role: aws.iam.Role,
  rolePolicy: aws.iam.RolePolicy,
  secret: aws.secretsmanager.Secret,
  secretVersion: aws.secretsmanager.SecretVersion,
  topic: aws.sns.Topic,
  topicPolicy: aws.sns.TopicPolicy,
  topicSubscription: aws.sns.TopicSubscription,
  eventRule: aws.cloudwatch.EventRule,
  eventTarget: aws.cloudwatch.EventTarget,
  metricAlarm: aws.cloudwatch.MetricAlarm,
  kmsKey: aws.kms.Key,
  kmsAlias: aws.kms.Alias,
};

describe("resource type tokens", () => {
  for (const [name, token] of Object.entries(RESOURCE_TYPES)) {
    it(`${name} is ${token}, the token @pulumi/aws registers`, () => {
      expect((CLASSES[name as keyof typeof RESOURCE_TYPES] as { __pulumiType: string }).__pulumiType).to.equal(token);
    });
  }
});
