export { accountIdOfArn, PARTITIONS, s3AllObjectsArn, s3BucketArn, type Partition } from "./arns";
export { lintPolicy, type PolicyFinding, type PolicyFindingKind } from "./lintPolicy";
export type { PolicyCondition, PolicyDocument, PolicyStatement } from "./policyDocument";
export { guardPolicy, PolicyLintError, type GuardedPolicyDocument } from "./policyGuard";
export { buildUploadsPolicy, PUBLIC_CANNED_ACLS, UPLOADS_POLICY_SIDS, type UploadsPolicyArgs } from "./uploadsPolicy";
