import type { GetSecretValueCommandOutput } from "@aws-sdk/client-secrets-manager";
import { DJANGO_CREDENTIAL_NAMES } from "../../../infra/components/djangoCredentials";
import { awsErrorName, isAwsError } from "../../aws/errors";
import type { CheckOutcome, VerificationInput } from "../types";
import { fail, pass, skip, type Check } from "./check";
import { callerIdentityOf, NOT_YET_PROPAGATED } from "./callerIdentity";

/** The label of the version consumers read; never left to GetSecretValue's default (moto's can lag behind). */
export const CURRENT_STAGE = "AWSCURRENT";

/** Fewer retries than the stack key's check: that one has already waited out IAM's propagation. */
const SECRET_PAIR_RETRIES = 2;

export interface SecretKeyPair {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * Judges the AWSCURRENT secret string against the stack: the django-storages names present, and the
 * key, bucket and region the stack's own. Returns the pair to authenticate with, or the failure. No
 * detail ever quotes the string.
 */
export function assessCredentialsDocument(
  secretString: string,
  expected: Pick<VerificationInput, "accessKeyId" | "bucketName" | "region">,
  label: string,
): { pair: SecretKeyPair } | { outcome: CheckOutcome } {
  let document: unknown;
  try {
    document = JSON.parse(secretString);
  } catch {
    return { outcome: fail(`${label} is not JSON`) };
  }
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    return { outcome: fail(`${label} is not a JSON object`) };
  }
  const values = document as Record<string, unknown>;
  const missing = DJANGO_CREDENTIAL_NAMES.filter((name) => typeof values[name] !== "string" || values[name] === "");
  if (missing.length > 0) return { outcome: fail(`${label} lacks ${missing.join(", ")}`) };
  const mismatches = [
    values["AWS_ACCESS_KEY_ID"] !== expected.accessKeyId && `key ${values["AWS_ACCESS_KEY_ID"]}, not the stack's current key ${expected.accessKeyId}`,
    values["AWS_STORAGE_BUCKET_NAME"] !== expected.bucketName && `bucket ${values["AWS_STORAGE_BUCKET_NAME"]}, not ${expected.bucketName}`,
    values["AWS_S3_REGION_NAME"] !== expected.region && `region ${values["AWS_S3_REGION_NAME"]}, not ${expected.region}`,
  ].filter((mismatch): mismatch is string => typeof mismatch === "string");
  if (mismatches.length > 0) return { outcome: fail(`${label} names ${mismatches.join("; ")}`) };
  return { pair: { accessKeyId: values["AWS_ACCESS_KEY_ID"] as string, secretAccessKey: values["AWS_SECRET_ACCESS_KEY"] as string } };
}

/**
 * What Django reads in prod: the secret's AWSCURRENT version holds the stack's current key (with its
 * bucket and region), and that pair authenticates as the stack's user. Nothing of the value is shown.
 */
export const credentialsSecret: Check = {
  id: "credentials-secret",
  title: "Secrets Manager hand-off: AWSCURRENT holds the stack's key, which authenticates as the user",
  async run(context, signal): Promise<CheckOutcome> {
    const { credentialsSecretName: name } = context.input;
    if (!name) return skip("the stack keeps no credentials secret (talentbase-iam:credentialsSecret is off)");

    let current: GetSecretValueCommandOutput;
    try {
      // Loaded here: most stacks have no secret, and the package costs a tenth of a second to load.
      const { GetSecretValueCommand } = require("@aws-sdk/client-secrets-manager") as typeof import("@aws-sdk/client-secrets-manager");
      current = await context.admin.secretsManager.send(new GetSecretValueCommand({ SecretId: name, VersionStage: CURRENT_STAGE }), { abortSignal: signal });
    } catch (error) {
      if (isAwsError(error, "ResourceNotFoundException")) return fail(`secret ${name} does not exist or has no ${CURRENT_STAGE} version`);
      // Secrets Manager refuses reads of a secret scheduled for deletion this way.
      if (isAwsError(error, "InvalidRequestException")) return fail(`secret ${name} cannot be read (InvalidRequestException): is it scheduled for deletion?`);
      if (isAwsError(error, "AccessDeniedException", "AccessDenied")) return fail(`the operator may not read secret ${name} (${awsErrorName(error)})`);
      throw error;
    }
    const secretString = current.SecretString ?? "";
    context.treatAsSecret(secretString);
    const label = `${name} ${CURRENT_STAGE} (version ${current.VersionId})`;
    const assessed = assessCredentialsDocument(secretString, context.input, label);
    if ("outcome" in assessed) return assessed.outcome;
    context.treatAsSecret(assessed.pair.secretAccessKey);

    const clients = context.clientsFor(assessed.pair);
    try {
      const identity = await callerIdentityOf(clients.sts, signal, SECRET_PAIR_RETRIES);
      const expectedArn = await context.userArn();
      if (identity.Arn !== expectedArn) return fail(`${label} holds key ${assessed.pair.accessKeyId}, which is ${identity.Arn}, not ${expectedArn}`);
      return pass(`${label} holds key ${assessed.pair.accessKeyId}, which authenticates as ${identity.Arn}`);
    } catch (error) {
      if (isAwsError(error, ...NOT_YET_PROPAGATED, "InvalidAccessKeyId")) {
        return fail(`${label} holds key ${assessed.pair.accessKeyId} with a secret that does not authenticate (${awsErrorName(error)})`);
      }
      throw error;
    } finally {
      clients.destroy();
    }
  },
};
