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
