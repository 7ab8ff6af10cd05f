import type { GetCallerIdentityCommandOutput } from "@aws-sdk/client-sts";
import { createAwsClients, type AwsCredentials } from "../aws/clients";
import { awsErrorName, describeAwsError, httpStatusOf } from "../aws/errors";
import { PreflightError } from "../errors";
import { KEEP_SANDBOX_RUNNING, ourCommand } from "../stacks/printedCommands";

const ENDPOINT_PROBE_TIMEOUT_MS = 3_000;

/** Error names with which an AWS-compatible endpoint turns credentials away (AWS's common errors). */
export const CREDENTIALS_REJECTED = new Set([
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "IncompleteSignature",
  "MissingAuthenticationToken",
  "UnrecognizedClientException",
  "InvalidAccessKeyId",
  "AccessDenied",
  "AccessDeniedException",
  "NotAuthorized",
  "RequestExpired",
]);

/**
 * Resolves the standard credential chain (environment, profile, SSO, container or instance role)
 * without calling AWS, so a missing login is reported before anything starts.
 */
export async function requireAwsCredentials(stack: string, region: string): Promise<void> {
  const clients = createAwsClients({ region, maxAttempts: 1 });
  try {
    await clients.sts.config.credentials();
  } catch (error) {
    if (awsErrorName(error) !== "CredentialsProviderError") throw error;
    throw new PreflightError(
      `no AWS credentials for stack ${stack}: export AWS_PROFILE (after \`aws sso login\`) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then run again`,
      { cause: error },
    );
  } finally {
    clients.destroy();
  }
}

export interface EndpointProbe {
  readonly endpoint: string;
  readonly region: string;
  /** The stack's credentials (moto's for the sandbox); omitted: the standard chain. */
  readonly credentials?: AwsCredentials;
}

/**
 * Proves that AWS_ENDPOINT_URL is an AWS-compatible endpoint before anything starts: one STS
 * GetCallerIdentity, no retries, a short timeout, which must answer with an account and an ARN. A web
 * server that answers HTTP (200 HTML, 404) is not one, and nothing may be written against it.
 */
export async function requireAwsEndpoint({ endpoint, region, credentials }: EndpointProbe): Promise<void> {
  try {
    new URL(endpoint);
  } catch (error) {
    throw new PreflightError(`AWS_ENDPOINT_URL "${endpoint}" is not a URL (expected e.g. http://127.0.0.1:5000)`, { cause: error });
  }
  const clients = createAwsClients({ region, endpoint, maxAttempts: 1, ...(credentials ? { credentials } : {}) });
  let answered: RawAnswer | undefined;
  clients.sts.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      answered = rawAnswerOf(result.response);
      return result;
    },
    // Below the deserializer, so the raw answer is seen even when it cannot be parsed.
    { step: "deserialize", priority: "low", name: "endpointProbeAnswer" },
  );
  let identity: GetCallerIdentityCommandOutput;
  try {
    // Loaded here, as the clients are: outputs and --help make no AWS call and do without STS.
    const { GetCallerIdentityCommand } = require("@aws-sdk/client-sts") as typeof import("@aws-sdk/client-sts");
    identity = await clients.sts.send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.timeout(ENDPOINT_PROBE_TIMEOUT_MS) });
  } catch (error) {
    if (answered === undefined && httpStatusOf(error) === undefined) {
      throw new PreflightError(
        `AWS endpoint ${endpoint} does not answer (${networkErrorCode(error)}): start it (for the sandbox: \`${KEEP_SANDBOX_RUNNING}\`) or unset AWS_ENDPOINT_URL`,
        { cause: error },
      );
    }
    if (CREDENTIALS_REJECTED.has(awsErrorName(error))) {
      throw new PreflightError(
        `AWS endpoint ${endpoint} rejected the credentials (${describeAwsError(error)}): check AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the sandbox needs none of them), then run again`,
        { cause: error },
      );
    }
    throw notAwsEndpoint(endpoint, describeAnswer(answered, error), error);
  } finally {
    clients.destroy();
  }
  if (!/^\d{12}$/.test(identity.Account ?? "") || !identity.Arn?.startsWith("arn:")) {
    throw notAwsEndpoint(endpoint, `${describeAnswer(answered)} without an account and ARN`);
  }
}

/**
 * The sandbox stack lives in moto: its AWS_ENDPOINT_URL must be set and answer like AWS (with the
 * sandbox's operator credentials). Returns the endpoint.
 */
export async function requireSandboxEndpoint(env: NodeJS.ProcessEnv, region: string, credentials: AwsCredentials): Promise<string> {
  const endpoint = env["AWS_ENDPOINT_URL"];
  if (!endpoint) {
    throw new PreflightError(
      `stack local runs against moto, but AWS_ENDPOINT_URL is not set: run \`${KEEP_SANDBOX_RUNNING}\` and export the AWS_ENDPOINT_URL it prints (or just run \`${ourCommand("demo")}\`)`,
    );
  }
  await requireAwsEndpoint({ endpoint, region, credentials });
  return endpoint;
}

interface RawAnswer {
  readonly status: number;
  readonly contentType: string | undefined;
}

function rawAnswerOf(response: unknown): RawAnswer | undefined {
  const { statusCode, headers } = (response ?? {}) as { statusCode?: unknown; headers?: Record<string, string | undefined> };
  if (typeof statusCode !== "number") return undefined;
  return { status: statusCode, contentType: headers?.["content-type"]?.split(";")[0]?.trim() || undefined };
}

function describeAnswer(answer: RawAnswer | undefined, error?: unknown): string {
  const status = answer?.status ?? httpStatusOf(error);
  const parts = [status === undefined ? "an answer" : `HTTP ${status}`, answer?.contentType].filter(Boolean);
  return parts.join(" ");
}

function notAwsEndpoint(endpoint: string, answer: string, cause?: unknown): PreflightError {
  return new PreflightError(
    `AWS_ENDPOINT_URL ${endpoint} is not an AWS endpoint (STS GetCallerIdentity got ${answer}): point it at moto (the URL \`${KEEP_SANDBOX_RUNNING}\` prints) or an AWS-compatible endpoint, or unset it`,
    { cause },
  );
}

/** `ECONNREFUSED`, `ENOTFOUND`, or `timed out`: from the error's code, never its message text. */
export function networkErrorCode(error: unknown): string {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  if (name === "AbortError" || name === "TimeoutError") return "timed out";
  return typeof code === "string" ? code : "no answer";
}
