import { anyOf, CLOUDTRAIL_API_CALL, type EventPattern } from "./eventPattern";

/**
 * The IAM calls that change what the backend identity can do or who can act as it: its keys, the
 * policies on the user or its group, the managed policy's versions or its attachment to anyone else, a
 * password or MFA device (the user is programmatic-only), group membership. Failed attempts are
 * recorded under the same names.
 */
export const WATCHED_IAM_CALLS = [
  "CreateAccessKey",
  "UpdateAccessKey",
  "DeleteAccessKey",
  "AttachUserPolicy",
  "DetachUserPolicy",
  "PutUserPolicy",
  "DeleteUserPolicy",
  "AttachGroupPolicy",
  "DetachGroupPolicy",
  "PutGroupPolicy",
  "DeleteGroupPolicy",
  "AttachRolePolicy",
  "CreatePolicyVersion",
  "SetDefaultPolicyVersion",
  "CreateLoginProfile",
  "EnableMFADevice",
  "AddUserToGroup",
] as const;

/** The IAM objects that make up the backend identity, as CloudTrail names them in requestParameters. */
export interface WatchedIdentity {
  readonly userName: string;
  readonly groupName: string;
  readonly policyArn: string;
}

/**
 * Callers other than `trustedCallers` (IAM user and role ARNs). CloudTrail records an IAM user's call
 * with the user's ARN in userIdentity.arn; an assumed-role session's with the session's STS ARN there
 * (`arn:aws:sts::<account>:assumed-role/<role>/<session>`, the session name changing per run) and the
 * role's IAM ARN, path included, in userIdentity.sessionContext.sessionIssuer.arn: so a trusted user
 * is matched on the first, a trusted role on the second. Every other identity type (root, federated
 * users, AWS services) is never trusted. Each alternative names the fields it compares, because a
 * pattern field absent from the event never matches, `anything-but` included.
 */
export function untrustedCallerPattern(trustedCallers: readonly string[]): EventPattern {
  if (trustedCallers.length === 0) return {};
  const users = trustedCallers.filter((arn) => arn.split(":")[5]?.startsWith("user/"));
  const roles = trustedCallers.filter((arn) => arn.split(":")[5]?.startsWith("role/"));
  return {
    userIdentity: anyOf(
      { type: [{ "anything-but": ["IAMUser", "AssumedRole"] }] },
      { type: ["IAMUser"], ...(users.length > 0 ? { arn: [{ "anything-but": users }] } : {}) },
      { type: ["AssumedRole"], ...(roles.length > 0 ? { sessionContext: { sessionIssuer: { arn: [{ "anything-but": roles }] } } } : {}) },
    ),
  };
}

/**
 * Rule 1: a watched IAM call on the backend user, its group or its managed policy (attached to anyone),
 * made by someone other than the trusted callers. IAM is global: these events reach EventBridge only in
 * the partition's global event region.
 */
export function iamChangePattern(identity: WatchedIdentity, trustedCallers: readonly string[]): EventPattern {
  return {
    source: ["aws.iam"],
    "detail-type": [CLOUDTRAIL_API_CALL],
    detail: {
      eventName: [...WATCHED_IAM_CALLS],
      requestParameters: anyOf({ userName: [identity.userName] }, { groupName: [identity.groupName] }, { policyArn: [identity.policyArn] }),
      ...untrustedCallerPattern(trustedCallers),
    },
  };
}
