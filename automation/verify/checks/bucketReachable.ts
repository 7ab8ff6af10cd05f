import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { awsErrorName } from "../../aws/errors";
import { fail, pass, type Check } from "./check";

const EXPLAINED_FAILURES: Readonly<Record<string, string>> = {
  NoSuchBucket: "bucket does not exist",
  AccessDenied: "the user's key is denied s3:ListBucket",
  InvalidAccessKeyId: "the user's key is unknown (deleted, or not yet propagated)",
  SignatureDoesNotMatch: "the user's secret does not match its key id",
};

/** Proves access with the user's own key: admin credentials would prove nothing about the user. */
export const bucketReachable: Check = {
  id: "bucket-reachable",
  title: "Bucket reachable with the user's own key",
  async run(context, signal) {
    const { bucketName } = context.input;
    try {
      // ListObjectsV2, not HeadBucket: moto authorises HeadBucket as s3:HeadBucket, AWS as s3:ListBucket.
      await context.userKey.s3.send(new ListObjectsV2Command({ Bucket: bucketName, MaxKeys: 1 }), { abortSignal: signal });
      return pass(`listed ${bucketName} with key ${context.input.accessKeyId}`);
    } catch (error) {
      const reason = EXPLAINED_FAILURES[awsErrorName(error)];
      if (reason) return fail(`${bucketName}: ${reason} (${awsErrorName(error)})`);
      throw error;
    }
  },
};
