import type { Environment } from "../../infra/config";
import { ourCommand } from "../stacks/printedCommands";
import { awsErrorName, describeAwsError, httpStatusOf } from "../aws/errors";
import type { CommandContext } from "../context";
import { profileOf } from "../stacks/stackProfile";
import { PreflightError } from "../errors";
import { parseAwsKmsUrl, type AwsKmsKeeper } from "../backend/awsKmsUrl";
import { BackendUrlError, redactUrl, sdkClientConfig } from "../backend/awsUrlOptions";
import type { S3Backend } from "../backend/s3StateStore";
import { backendKindOf, backendUrlOf } from "../backend/stackBackend";
import { networkErrorCode } from "./awsPreflight";
import { readStackSecretsProvider } from "../stacks/stackConfigFile";

const PROBE_TIMEOUT_MS = 3_000;

/** Where the team setup is described; every refusal below points there. */
const SETUP = "docs/team-backend.md";

/** Error names with which S3 or KMS turn the credentials themselves away (not a missing permission). */
const CREDENTIALS_REJECTED = new Set([
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "InvalidSignatureException",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidToken",
  "UnrecognizedClientException",
  "IncompleteSignature",
  "MissingAuthenticationToken",
  "InvalidClientTokenId",
]);

/**
 * Before the engine runs a real stack on a self-managed backend: the state bucket (s3://) answers a
 * one-key listing of the backend's `.pulumi/` folder, and the KMS key of the stack's `awskms://`
 * secrets provider decrypts the stack's data key (Pulumi.<stack>.yaml's `encryptedkey`): the access the CLI
 * needs before anything else. One sentence, exit 2, when either cannot be done. Both probes run at once,
 * with no retries and a short timeout. Skipped for `local` and for the Pulumi Cloud. Without any backend
 * (no login, no PULUMI_BACKEND_URL, no Pulumi Cloud token) it says so instead of letting the CLI ask for a token.
 */
export async function requireStateBackend(stack: Environment, context: CommandContext): Promise<void> {
  if (profileOf(stack).sandbox) return;
  const backendUrl = await backendUrlOf(stack, context.paths, context.env);
  if (!backendUrl && !context.env["PULUMI_ACCESS_TOKEN"]) {
    // The CLI would fall back to the Pulumi Cloud and ask for a token nobody means to give.
    throw new PreflightError(
      `stack ${stack} has no state backend (no \`pulumi login\`, no PULUMI_BACKEND_URL): log in to your team's with \`${ourCommand("pulumi", stack, "login", "'<its URL>'")}\` (an S3 one: see ${SETUP}), then run again`,
    );
  }
  if (!backendUrl || backendKindOf(backendUrl) === "cloud") return;
  const { secretsProvider, encryptedKey } = await readStackSecretsProvider(context.paths.projectDir, stack);
  const probes: Promise<void>[] = [];
  try {
    if (backendUrl.startsWith("s3://")) probes.push(probeStateBucket(stack, s3Modules().store.parseS3BackendUrl(backendUrl), context.env));
    if (secretsProvider?.startsWith("awskms://") && encryptedKey) probes.push(probeKmsKey(stack, parseAwsKmsUrl(secretsProvider), encryptedKey, context.env));
  } catch (error) {
    if (error instanceof BackendUrlError) throw new PreflightError(error.message, { cause: error });
    throw error;
  }
  // The bucket's sentence first when both fail: without the state nothing else matters.
  for (const outcome of await Promise.allSettled(probes)) {
    if (outcome.status === "rejected") throw outcome.reason;
  }
}

/*
 * The SDK clients the probes use, loaded when a probe runs: each costs a tenth of a second to load,
 * which file backends and passphrase stacks (every stack but a team's) do without.
 */
function s3Modules() {
  return {
    store: require("../backend/s3StateStore") as typeof import("../backend/s3StateStore"),
    s3: require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3"),
  };
}

async function probeStateBucket(stack: Environment, backend: S3Backend, env: NodeJS.ProcessEnv): Promise<void> {
  const {
    store,
    s3: { ListObjectsV2Command },
  } = s3Modules();
  const s3 = store.s3ClientFor(backend, { maxAttempts: 1 });
  try {
    await s3.config.region();
  } catch (error) {
    s3.destroy();
    throw new PreflightError(
      `the state backend ${redactUrl(backend.url)} names no region and none is configured: add region=<the bucket's region> to it (log in again with it, or set it in PULUMI_BACKEND_URL)`,
      { cause: error },
    );
  }
  try {
    await s3.send(new ListObjectsV2Command({ Bucket: backend.bucket, Prefix: `${backend.prefix}.pulumi/`, MaxKeys: 1 }), {
      abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
  } catch (error) {
    throw new PreflightError(stateBucketFailure(stack, backend, error, endpointOf(backend.client.endpoint, env)), { cause: error });
  } finally {
    s3.destroy();
  }
}

async function probeKmsKey(stack: Environment, keeper: AwsKmsKeeper, encryptedKey: string, env: NodeJS.ProcessEnv): Promise<void> {
  const { DecryptCommand, KMSClient } = require("@aws-sdk/client-kms") as typeof import("@aws-sdk/client-kms");
  const kms = new KMSClient(sdkClientConfig(keeper.client, { maxAttempts: 1 }));
  try {
    const { Plaintext } = await kms.send(
      new DecryptCommand({ CiphertextBlob: Buffer.from(encryptedKey, "base64"), EncryptionContext: { ...keeper.encryptionContext } }),
      { abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS) },
    );
    // The stack's data key: proven usable, not kept.
    Plaintext?.fill(0);
  } catch (error) {
    throw new PreflightError(kmsKeyFailure(stack, keeper, error, endpointOf(keeper.client.endpoint, env)), { cause: error });
  } finally {
    kms.destroy();
  }
}

/** Where a client without `endpoint=` goes: AWS_ENDPOINT_URL, else AWS itself. */
function endpointOf(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  return explicit ?? (env["AWS_ENDPOINT_URL"] || "AWS");
}

/** Whether the call never got an HTTP answer (refused, unresolvable, timed out); missing credentials are not that. */
function unanswered(error: unknown): boolean {
  return httpStatusOf(error) === undefined && awsErrorName(error) !== "CredentialsProviderError";
}

/** For credentials the URL's profile= or role= asks for, which the earlier check of the standard chain did not see. */
function noCredentials(what: string, error: unknown): string | undefined {
  if (awsErrorName(error) !== "CredentialsProviderError") return undefined;
  return `no AWS credentials for ${what}: export AWS_PROFILE (after \`aws sso login\`) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or fix the URL's profile=, then run again`;
}

/** The sentence for a state bucket the CLI could not use. */
export function stateBucketFailure(stack: string, backend: S3Backend, error: unknown, endpoint: string): string {
  const bucket = `state bucket ${backend.bucket}`;
  const name = awsErrorName(error);
  const status = httpStatusOf(error);
  const missing = noCredentials(`the ${bucket}`, error);
  if (missing) return missing;
  if (unanswered(error)) {
    return `the ${bucket} cannot be reached at ${endpoint} (${networkErrorCode(error)}): check the backend URL's endpoint= (the URL you logged in with, or PULUMI_BACKEND_URL: now ${redactUrl(backend.url)}) and the network, then run again`;
  }
  if (name === "NoSuchBucket") {
    return `the ${bucket} does not exist at ${endpoint} (NoSuchBucket): create it as ${SETUP} shows, or log in to the team's backend (the URL you logged in with, or PULUMI_BACKEND_URL: now ${redactUrl(backend.url)})`;
  }
  if (CREDENTIALS_REJECTED.has(name)) {
    return `the ${bucket} rejected your AWS credentials (${describeAwsError(error)}): log in again (AWS_PROFILE after \`aws sso login\`, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), then run again`;
  }
  if (name === "AccessDenied" || status === 403) {
    return `access to the ${bucket} is denied (${describeAwsError(error)}): your identity needs the operator policy (\`${ourCommand("operator-policy", stack)}\` prints it: s3:ListBucket on the bucket, s3:GetObject, s3:PutObject and s3:DeleteObject under .pulumi/)`;
  }
  if (name === "PermanentRedirect" || name === "AuthorizationHeaderMalformed" || status === 301) {
    return `the ${bucket} is in another region than the backend URL says (${describeAwsError(error)}): set region=<the bucket's region> in it (log in again with it, or set it in PULUMI_BACKEND_URL)`;
  }
  return `the ${bucket} could not be listed at ${endpoint} (${describeAwsError(error)}): check the backend URL ${redactUrl(backend.url)}, then run again`;
}

/** The sentence for a stack whose KMS key cannot decrypt its data key. */
export function kmsKeyFailure(stack: string, keeper: AwsKmsKeeper, error: unknown, endpoint: string): string {
  const key = `the KMS key of stack ${stack} (${keeper.keyId}, Pulumi.${stack}.yaml's secretsprovider)`;
  const name = awsErrorName(error);
  const missing = noCredentials(`the KMS key of stack ${stack}`, error);
  if (missing) return missing;
  if (unanswered(error)) {
    return `${key} cannot be reached at ${endpoint} (${networkErrorCode(error)}): check the secretsprovider URL's region= and endpoint= and the network, then run again`;
  }
  if (CREDENTIALS_REJECTED.has(name)) {
    return `${key} cannot be used: KMS rejected your AWS credentials (${describeAwsError(error)}): log in again (AWS_PROFILE after \`aws sso login\`, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), then run again`;
  }
  if (name === "NotFoundException") {
    return `${key} does not exist at ${endpoint} (NotFoundException): check the secretsprovider URL's region= (and endpoint=), or restore the key as ${SETUP} shows`;
  }
  if (name === "DisabledException") {
    return `${key} is disabled (DisabledException): an administrator enables it with \`aws kms enable-key --key-id <its key id>\`, then run again`;
  }
  if (name === "KMSInvalidStateException") {
    return `${key} is pending deletion or not usable (KMSInvalidStateException): an administrator cancels the deletion with \`aws kms cancel-key-deletion --key-id <its key id>\` and enables it, then run again`;
  }
  if (name === "InvalidCiphertextException" || name === "IncorrectKeyException") {
    return `${key} cannot decrypt the stack's encryptedkey (${name}): Pulumi.${stack}.yaml's secretsprovider and encryptedkey must come from the same stack init (restore both from git), then run again`;
  }
  if (name === "AccessDeniedException" || httpStatusOf(error) === 403) {
    return `${key} refuses your identity (${describeAwsError(error)}): it needs kms:Decrypt on the key (the operator policy: \`${ourCommand("operator-policy", stack)}\` prints it), then run again`;
  }
  return `${key} could not be used at ${endpoint} (${describeAwsError(error)}): check the secretsprovider URL, then run again`;
}
