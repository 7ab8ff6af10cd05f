/**
 * A stand-in for the running Django backend during a key rotation: S3 calls every 100 ms with the
 * key the stack's outputs name, read from an outputs file (`outputs --format json --show-secrets
 * --out FILE`). SIGUSR1 re-reads the file (a redeploy with the new key); SIGUSR2 prints the counts so
 * far (`snapshot {...}`), to time a window; SIGTERM prints a summary.
 * Usage: tsx tests/support/s3Poller.ts <outputs file> <endpoint>
 */
import { readFileSync } from "node:fs";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { silenceSdkNodeNotice } from "../../automation/aws/sdkNotice";

const INTERVAL_MS = 100;

silenceSdkNodeNotice();
const [outputsFile, endpoint] = process.argv.slice(2);
let calls = 0;
const failures: string[] = [];
const keysUsed: string[] = [];
let client: S3Client;
/** The client a redeploy replaced: destroyed once the round that may be using it has ended, never mid-call. */
let replaced: S3Client | undefined;
let bucket = "";

function connect(): void {
  const outputs = JSON.parse(readFileSync(outputsFile!, "utf8")) as { accessKeyId: string; secretAccessKey: string; bucketName: string; region: string };
  replaced = client;
  client = new S3Client({
    endpoint,
    region: outputs.region,
    forcePathStyle: true,
    // As boto3 does for Django: a call that got no answer (moto slowed by the parallel e2e files) is
    // retried; a refused key or signature is not retried by the SDK, so it still counts as a failure.
    maxAttempts: 3,
    credentials: { accessKeyId: outputs.accessKeyId, secretAccessKey: outputs.secretAccessKey },
  });
  bucket = outputs.bucketName;
  keysUsed.push(outputs.accessKeyId);
  process.stdout.write(`using ${outputs.accessKeyId}\n`);
}

async function poll(round: number): Promise<void> {
  const key = `poller/${round % 5}.txt`;
  for (const call of [
    () => client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `round ${round}` })),
    () => client.send(new GetObjectCommand({ Bucket: bucket, Key: key })).then((response) => response.Body?.transformToString()),
    () => client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 })),
  ]) {
    calls += 1;
    try {
      await call();
    } catch (error) {
      failures.push(`${new Date().toISOString()} ${keysUsed.at(-1)}: ${(error as Error).name} (${(error as Error).message.split("\n")[0]})`);
    }
  }
}

connect();
process.on("SIGUSR1", connect);
process.on("SIGUSR2", () => process.stdout.write(`snapshot ${JSON.stringify({ calls, failures: failures.length })}\n`));
process.on("SIGTERM", () => {
  process.stdout.write(`${JSON.stringify({ calls, failures, keysUsed })}\n`);
  process.exit(0);
});
let round = 0;
const loop = async () => {
  await poll(round++);
  replaced?.destroy();
  replaced = undefined;
  setTimeout(() => void loop(), INTERVAL_MS);
};
void loop();
