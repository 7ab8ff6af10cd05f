import { GetCallerIdentityCommand, type GetCallerIdentityCommandOutput, type STSClient } from "@aws-sdk/client-sts";
import pRetry, { AbortError } from "p-retry";
import { isAwsError } from "../../aws/errors";
import { fail, pass, type Check } from "./check";

/** Errors a freshly created key gives until IAM has propagated it (eventual consistency). */
export const NOT_YET_PROPAGATED = ["InvalidClientTokenId", "SignatureDoesNotMatch"];

/** Who the client's key is, retrying while a new key may still be propagating; `retries` bounds the wait. */
export function callerIdentityOf(sts: STSClient, signal: AbortSignal, retries = 4): Promise<GetCallerIdentityCommandOutput> {
  return pRetry(
    async () => {
      try {
        return await sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
      } catch (error) {
        if (isAwsError(error, ...NOT_YET_PROPAGATED)) throw error;
        throw new AbortError(error as Error);
      }
    },
    { retries, minTimeout: 500, maxTimeout: 4_000, signal },
  );
}

export const callerIdentity: Check = {
  id: "caller-identity",
  title: "User's key authenticates as the user (STS)",
  async run(context, signal) {
    const expectedArn = await context.userArn();
    const identity = await callerIdentityOf(context.userKey.sts, signal);
    if (identity.Arn === expectedArn) return pass(`key ${context.input.accessKeyId} is ${identity.Arn}`);
    return fail(`key ${context.input.accessKeyId} is ${identity.Arn}, expected ${expectedArn}`);
  },
};
