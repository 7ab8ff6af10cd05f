import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { MOTO_CREDENTIALS } from "./moto/motoServer";

/** The separate S3 setup owns the real uploads buckets; in the sandbox this stands in for it. */
export async function createUploadsBucket(endpoint: string, region: string, bucket: string): Promise<void> {
  const s3 = new S3Client({ endpoint, region, credentials: { ...MOTO_CREDENTIALS }, forcePathStyle: true, maxAttempts: 3 });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if ((error as Error).name !== "BucketAlreadyOwnedByYou") throw error;
  } finally {
    s3.destroy();
  }
}

/** The sandbox account's trail and the bucket its logs go to. */
export const SANDBOX_TRAIL = { name: "account-trail", bucket: "sandbox-cloudtrail-logs" } as const;

/**
 * A real account's security team keeps a multi-region trail logging every management event (the
 * access monitoring's rules get nothing without one); in the sandbox this stands in for it. moto makes
 * no events from it: it only answers DescribeTrails, GetTrailStatus and GetEventSelectors.
 */
export async function createAccountTrail(endpoint: string, region: string): Promise<void> {
  await createUploadsBucket(endpoint, region, SANDBOX_TRAIL.bucket);
  const cloudTrail = new CloudTrailClient({ endpoint, region, credentials: { ...MOTO_CREDENTIALS }, maxAttempts: 3 });
  try {
    await cloudTrail.send(
      new CreateTrailCommand({ Name: SANDBOX_TRAIL.name, S3BucketName: SANDBOX_TRAIL.bucket, IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true }),
    );
  } catch (error) {
    if ((error as Error).name !== "TrailAlreadyExistsException") throw error;
  }
  try {
    await cloudTrail.send(new StartLoggingCommand({ Name: SANDBOX_TRAIL.name }));
  } finally {
    cloudTrail.destroy();
  }
}
