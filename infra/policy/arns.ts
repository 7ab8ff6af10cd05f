/** AWS partitions the program can target; the partition is the second field of every ARN. */
export const PARTITIONS = ["aws", "aws-cn", "aws-us-gov"] as const;
export type Partition = (typeof PARTITIONS)[number];

/** ARN of an S3 bucket (S3 ARNs carry neither region nor account). */
export function s3BucketArn(partition: Partition, bucketName: string): string {
  return ["arn", partition, "s3", "", "", bucketName].join(":");
}

/** ARN pattern matching every object in an S3 bucket. */
export function s3AllObjectsArn(partition: Partition, bucketName: string): string {
  return `${s3BucketArn(partition, bucketName)}/*`;
}

/** The account of an IAM or other account-scoped ARN (its fifth field). */
export function accountIdOfArn(arn: string): string {
  return arn.split(":")[4] ?? "";
}
