import { createAwsClients } from "../aws/clients";
import { awsErrorName } from "../aws/errors";
import { PreflightError } from "../errors";

const ENDPOINT_PROBE_TIMEOUT_MS = 3_000;

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

/** Any HTTP answer counts: the point is that something listens there before the engine starts. */
export async function requireEndpointAnswers(endpoint: string): Promise<void> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (error) {
    throw new PreflightError(`AWS_ENDPOINT_URL "${endpoint}" is not a URL (expected e.g. http://127.0.0.1:5000)`, { cause: error });
  }
  try {
    await fetch(url, { method: "GET", signal: AbortSignal.timeout(ENDPOINT_PROBE_TIMEOUT_MS) });
  } catch (error) {
    const reason = networkErrorCode(error);
    throw new PreflightError(
      `AWS endpoint ${endpoint} does not answer (${reason}): start it (for the sandbox: \`npm run demo -- --keep-running\`) or unset AWS_ENDPOINT_URL`,
      { cause: error },
    );
  }
}

/** `ECONNREFUSED`, `ENOTFOUND`, or `TimeoutError`: the code fetch wraps in its cause, never message text. */
function networkErrorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  return error instanceof Error && error.name === "TimeoutError" ? "timed out" : "no answer";
}

/**
 * The sandbox stack lives in moto: its AWS_ENDPOINT_URL must be set and answer. Returns the endpoint.
 */
export async function requireSandboxEndpoint(env: NodeJS.ProcessEnv): Promise<string> {
  const endpoint = env["AWS_ENDPOINT_URL"];
  if (!endpoint) {
    throw new PreflightError(
      "stack local runs against moto, but AWS_ENDPOINT_URL is not set: run `npm run demo -- --keep-running` and export the AWS_ENDPOINT_URL it prints (or just run `npm run demo`)",
    );
  }
  await requireEndpointAnswers(endpoint);
  return endpoint;
}
