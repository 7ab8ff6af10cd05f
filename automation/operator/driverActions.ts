import type { StackSettings } from "../../infra/config";

/**
 * The calls the driver makes itself with the operator's credentials, beside the provider's, by what
 * makes them. Their resources follow from iam-data like the provider's (the checks that sign with the
 * user's own key are not here: the user's policy allows those).
 */
export const DRIVER_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  // Whose credentials these are (always allowed by IAM; listed so the policy says what is called).
  preflight: ["sts:GetCallerIdentity"],
  verification: [
    "iam:GetUser",
    "iam:ListAttachedUserPolicies",
    "iam:ListUserPolicies",
    "iam:GetUserPolicy",
    "iam:ListGroupsForUser",
    "iam:ListAttachedGroupPolicies",
    "iam:ListGroupPolicies",
    "iam:GetGroupPolicy",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "iam:ListAccessKeys",
    "iam:GetAccessKeyLastUsed",
    "iam:GetLoginProfile",
    "iam:ListMFADevices",
    "iam:ListUserTags",
    "iam:ListPolicyTags",
    // IAM's own evaluation of the user, preferred to the local one.
    "iam:SimulatePrincipalPolicy",
    "secretsmanager:GetSecretValue",
    "kms:Decrypt",
    // The access monitoring: its rules and their targets, the topic, its key and subscriptions, the trail.
    "events:DescribeRule",
    "events:ListTargetsByRule",
    "sns:GetTopicAttributes",
    "sns:ListSubscriptionsByTopic",
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetTrailStatus",
    "cloudtrail:GetEventSelectors",
  ],
  compliance: ["secretsmanager:DescribeSecret"],
  // What IAM holds under the stack's names (adoption, repair), and the keys an interrupted create left.
  takeover: ["iam:GetUser", "iam:GetPolicy", "iam:GetGroup", "iam:GetLoginProfile", "iam:ListEntitiesForPolicy", "iam:ListAccessKeys", "iam:DeleteAccessKey"],
  // The key a killed create of the alerts' KMS key made has no name: repair finds it among the account's keys.
  "repair of an interrupted key create": ["kms:ListKeys"],
  "rotation and retire-key": ["iam:ListAccessKeys", "iam:GetAccessKeyLastUsed", "iam:UpdateAccessKey", "iam:DeleteAccessKey"],
  // An emergency and each scheduled step tell the alert topic; its messages are encrypted with the topic's key.
  "alert topic notices": ["sts:GetCallerIdentity", "sns:Publish", "kms:GenerateDataKey", "kms:Decrypt"],
  // The sandbox's inbox on the topic (`local` only: moto sends no e-mail).
  "sandbox alert inbox": ["sqs:CreateQueue", "sqs:GetQueueAttributes", "sns:Subscribe"],
};

/**
 * Actions that name no resource, needed only by a part a stack may not have: without that part they
 * are left out rather than allowed on "*".
 */
export const ONLY_WITH: Readonly<Record<string, (settings: Pick<StackSettings, "monitoring">) => boolean>> = {
  "kms:CreateKey": (settings) => settings.monitoring,
  "cloudtrail:DescribeTrails": (settings) => settings.monitoring,
  "kms:ListKeys": (settings) => settings.monitoring,
};

/** The service a role is passed to, for actions that pass one (iam:PassedToService). */
export const PASSED_TO: Readonly<Record<string, string>> = {
  // The forwarding rules' target role, which EventBridge assumes to put events on the home region's bus.
  "iam:PassRole": "events.amazonaws.com",
};

/** Actions whose iam-data resource types are all optional: the one the driver calls them on. */
export const ONLY_ON: Readonly<Record<string, string>> = {
  // PolicySourceArn is the stack's user; simulating its group or a role is not needed.
  "iam:SimulatePrincipalPolicy": "iam:user",
};
