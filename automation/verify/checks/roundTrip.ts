import { randomUUID } from "node:crypto";
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { awsErrorName } from "../../aws/errors";
import { PROBE_PREFIX } from "../policy/accessRequests";
import type { CheckOutcome } from "../types";
import { fail, pass, skip, warn, type Check } from "./check";

const PRESIGNED_POST_TTL_SECONDS = 60;

class StepFailure extends Error {
  constructor(
    readonly step: string,
    readonly cause: unknown,
  ) {
    super(`${step} failed: ${awsErrorName(cause)}`);
  }
}

async function step<T>(name: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw new StepFailure(name, error);
  }
}

async function readBody(s3: S3Client, bucket: string, key: string, signal: AbortSignal): Promise<string> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
  return (await Body?.transformToString()) ?? "";
}

/** Uploads the way the Django app does: a presigned POST form, signed with the user's key. */
async function uploadWithPresignedPost(s3: S3Client, bucket: string, key: string, body: string): Promise<Response> {
  const { url, fields } = await createPresignedPost(s3, {
    Bucket: bucket,
    Key: key,
    Conditions: [["content-length-range", 1, 1024]],
    Expires: PRESIGNED_POST_TTL_SECONDS,
  });
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", new Blob([body], { type: "text/plain" }), "probe.txt");
  return fetch(url, { method: "POST", body: form });
}

interface Probe {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly putKey: string;
  readonly postKey: string;
  readonly body: string;
  readonly signal: AbortSignal;
  /** Objects written and not yet deleted; the caller removes them whatever happens. */
  readonly leftovers: Set<string>;
}

async function probeRoundTrip({ s3, bucket, putKey, postKey, body, signal, leftovers }: Probe): Promise<CheckOutcome> {
  leftovers.add(putKey);
  await step("PutObject", () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: putKey, Body: body }), { abortSignal: signal }));
  const readBack = await step("GetObject", () => readBody(s3, bucket, putKey, signal));
  if (readBack !== body) return fail(`GetObject returned different content for ${putKey}`);
  await step("DeleteObject", () => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: putKey }), { abortSignal: signal }));
  leftovers.delete(putKey);

  leftovers.add(postKey);
  const response = await step("presigned POST", () => uploadWithPresignedPost(s3, bucket, postKey, body));
  if (response.status >= 500) {
    // A server error is not a denial: the upload path is unproven, not broken (moto answers 500 under IAM enforcement).
    return warn(`put, get and delete work; presigned POST unproven: the endpoint answered HTTP ${response.status}`);
  }
  if (!response.ok) return fail(`put, get and delete work; presigned POST rejected with HTTP ${response.status}`);
  const posted = await step("GetObject after POST", () => readBody(s3, bucket, postKey, signal));
  if (posted !== body) return fail(`presigned POST stored different content at ${postKey}`);
  return pass(`put, get, delete and presigned POST under ${PROBE_PREFIX}`);
}

/** Put, get, delete and a presigned POST with the user's key, under the probe prefix; always cleaned up. */
export const roundTrip: Check = {
  id: "round-trip",
  title: "Round trip with the user's key (put, get, delete, presigned POST)",
  async run(context, signal): Promise<CheckOutcome> {
    if (!context.input.roundTripCheck) {
      return skip("off for this stack (set talentbase-iam:roundTripCheck to true to run it)");
    }
    const runId = randomUUID();
    const probe: Probe = {
      s3: context.userKey.s3,
      bucket: context.input.bucketName,
      putKey: `${PROBE_PREFIX}${runId}-put.txt`,
      postKey: `${PROBE_PREFIX}${runId}-post.txt`,
      body: `talentbase-iam verification probe ${context.now.toISOString()}`,
      signal,
      leftovers: new Set<string>(),
    };
    let outcome: CheckOutcome;
    try {
      outcome = await probeRoundTrip(probe);
    } catch (error) {
      if (!(error instanceof StepFailure)) throw error;
      outcome = fail(error.message);
    } finally {
      await removeLeftovers(probe);
    }
    if (probe.leftovers.size === 0) return outcome;
    const detail = `${outcome.detail}; could not delete probe object(s) ${[...probe.leftovers].join(", ")}`;
    return outcome.status === "FAIL" ? fail(detail) : warn(detail);
  },
};

/** Best effort, without the check's signal: cleanup must run even after a timeout. */
async function removeLeftovers({ s3, bucket, leftovers }: Probe): Promise<void> {
  for (const key of [...leftovers]) {
    try {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      leftovers.delete(key);
    } catch {
      // the key stays in `leftovers` and the report names it for the operator to remove
    }
  }
}
