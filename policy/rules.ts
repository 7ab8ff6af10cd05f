import { RESOURCE_TYPES } from "../infra/resourceTypes";

/** What a rule is shown: a resource's type and inputs (outputs unknown in a preview stay absent). */
export interface ResourceFacts {
  readonly type: string;
  readonly urn: string;
  readonly props: Readonly<Record<string, unknown>>;
  /** URNs the resource's inputs take values from, by input name (the engine's propertyDependencies). */
  readonly inputsFrom?: Readonly<Record<string, readonly string[]>>;
}

/** Resources that give a user permissions of its own, beside its groups (CIS 1.15, CKV_AWS_40). */
export const USER_GRANT_TYPES: readonly string[] = [
  RESOURCE_TYPES.userPolicyAttachment,
  "aws:iam/userPolicy:UserPolicy",
  "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
];

/** aws.iam.PolicyAttachment attaches to users, groups and roles at once; it is judged by its `users`. */
export const POLICY_ATTACHMENT_TYPE = "aws:iam/policyAttachment:PolicyAttachment";

/** A console password: the backend's users are programmatic-only. */
export const LOGIN_PROFILE_TYPE = "aws:iam/userLoginProfile:UserLoginProfile";

/** Why a resource grants a user permissions directly, or undefined. */
export function directUserGrant(resource: ResourceFacts): string | undefined {
  if (USER_GRANT_TYPES.includes(resource.type))
    return `${resource.type} gives a user permissions of its own: attach the policy to a group the user is a member of`;
  const users = resource.props["users"];
  if (resource.type === POLICY_ATTACHMENT_TYPE && Array.isArray(users) && users.length > 0) {
    return `${resource.type} attaches a policy to user(s) ${users.join(", ")}: attach it to a group instead`;
  }
  return undefined;
}

/** Why a resource is a console password, or undefined. */
export function loginProfile(resource: ResourceFacts): string | undefined {
  return resource.type === LOGIN_PROFILE_TYPE ? `${resource.type}: the identities of this project are programmatic-only, with no console password` : undefined;
}

/** The wildcard actions an IAM policy document allows: `*`, `s3:*`, `s3:Get*`, or any NotAction. */
export function wildcardActions(document: unknown): string[] {
  let parsed: unknown = document;
  if (typeof document === "string") {
    try {
      parsed = JSON.parse(document);
    } catch {
      return [];
    }
  }
  const statement = (parsed as { Statement?: unknown } | undefined)?.Statement;
  const statements = (Array.isArray(statement) ? statement : statement ? [statement] : []) as Record<string, unknown>[];
  const list = (value: unknown) => (value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);
  return statements
    .filter((candidate) => candidate["Effect"] === "Allow")
    .flatMap((candidate) => [
      ...list(candidate["Action"]).filter((action) => action.includes("*")),
      ...list(candidate["NotAction"]).map((action) => `NotAction ${action}`),
    ]);
}

/**
 * Managed policies of the stack that no group attachment of the stack grants: matched by the
 * attachment's policyArn, known once deployed, or, in a preview of a new stack, by the attachment
 * taking its policyArn from the policy.
 */
export function policiesOutsideGroups(resources: readonly ResourceFacts[]): string[] {
  const attachments = resources.filter((resource) => resource.type === RESOURCE_TYPES.groupPolicyAttachment);
  return resources
    .filter((resource) => resource.type === RESOURCE_TYPES.policy)
    .filter(
      (policy) =>
        !attachments.some(
          (attachment) =>
            (policy.props["arn"] !== undefined && attachment.props["policyArn"] === policy.props["arn"]) ||
            (attachment.inputsFrom?.["policyArn"] ?? []).includes(policy.urn),
        ),
    )
    .map((policy) => policy.urn);
}
