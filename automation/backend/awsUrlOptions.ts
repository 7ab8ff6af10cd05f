/**
 * How the pinned Pulumi CLI reaches AWS for an `s3://` backend or an `awskms://` secrets provider:
 * gocloud.dev's openers read these query parameters (gocloud.dev/aws V2ConfigFromURLParams), the
 * rest of the configuration comes from the standard chain (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL,
 * the credentials). The same options for an AWS SDK v3 client, so the driver reaches the same place.
 */
export interface AwsUrlClientOptions {
  /** `region=`; absent: the standard chain's region (AWS_REGION, the profile). */
  readonly region?: string;
  /** `endpoint=` (the URL of an S3- or KMS-compatible service, such as moto); absent: AWS_ENDPOINT_URL or AWS. */
  readonly endpoint?: string;
  /** `profile=`: the shared config profile whose credentials (and region) to use. */
  readonly profile?: string;
  /** `role=`: a role ARN assumed with STS from the base credentials. */
  readonly role?: string;
  readonly useFipsEndpoint?: boolean;
  readonly useDualstackEndpoint?: boolean;
}

/** A backend or secrets provider URL the driver cannot use as the CLI would, in one sentence. */
export class BackendUrlError extends Error {
  override readonly name = "BackendUrlError";
}

/** Parameters gocloud.dev reads that change nothing for the driver's few reads, lists and probes. */
const WITHOUT_EFFECT_HERE = new Set(["hostname_immutable", "rate_limiter_capacity", "request_checksum_calculation", "response_checksum_validation", "awssdk"]);

/** The AWS parameters of every gocloud.dev AWS opener; `params` holds only what the opener left. */
export function awsClientOptionsOf(params: URLSearchParams, url: string): AwsUrlClientOptions {
  const options: { -readonly [K in keyof AwsUrlClientOptions]: AwsUrlClientOptions[K] } = {};
  for (const [name, value] of params) {
    switch (name) {
      case "region":
        options.region = value;
        break;
      case "endpoint":
        options.endpoint = value;
        break;
      case "profile":
        options.profile = value;
        break;
      case "role":
        if (!value.startsWith("arn:")) throw new BackendUrlError(`${redactUrl(url)}: role must be a role ARN (arn:...), got "${value}"`);
        options.role = value;
        break;
      case "fips":
        options.useFipsEndpoint = parseBoolean(name, value, url);
        break;
      case "dualstack":
        options.useDualstackEndpoint = parseBoolean(name, value, url);
        break;
      case "anonymous":
        if (parseBoolean(name, value, url)) {
          throw new BackendUrlError(
            `${redactUrl(url)} asks for anonymous access (anonymous=true): a team's state and keys must not be public; remove the parameter and use credentials`,
          );
        }
        break;
      default:
        if (!WITHOUT_EFFECT_HERE.has(name)) {
          throw new BackendUrlError(
            `${redactUrl(url)} has the unknown parameter "${name}", which the Pulumi CLI refuses too: remove it (see docs/team-backend.md)`,
          );
        }
    }
  }
  return options;
}

/** gocloud.dev parses booleans with Go's strconv.ParseBool. */
export function parseBoolean(name: string, value: string, url: string): boolean {
  if (["1", "t", "T", "true", "TRUE", "True"].includes(value)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(value)) return false;
  throw new BackendUrlError(`${redactUrl(url)}: ${name} must be true or false, got "${value}"`);
}

/** Client options for an AWS SDK v3 client from the URL's options, with no retries and the caller's settings. */
export function sdkClientConfig(options: AwsUrlClientOptions, extra: { readonly maxAttempts?: number } = {}) {
  return {
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.useFipsEndpoint ? { useFipsEndpoint: true } : {}),
    ...(options.useDualstackEndpoint ? { useDualstackEndpoint: true } : {}),
    ...(options.role ? { credentials: assumedRole(options) } : {}),
    maxAttempts: extra.maxAttempts ?? 3,
  };
}

interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

/** As gocloud.dev does with `role=`: STS AssumeRole from the base credentials (of `profile=`, else the chain), once per client (a run is short). */
function assumedRole(options: AwsUrlClientOptions): () => Promise<TemporaryCredentials> {
  let assumed: Promise<TemporaryCredentials> | undefined;
  const assume = async (): Promise<TemporaryCredentials> => {
    // Loaded here: only a URL with role= needs STS, and its client takes a tenth of a second to load.
    const { AssumeRoleCommand, STSClient } = require("@aws-sdk/client-sts") as typeof import("@aws-sdk/client-sts");
    const sts = new STSClient({
      ...(options.region ? { region: options.region } : {}),
      ...(options.profile ? { profile: options.profile } : {}),
      maxAttempts: 1,
    });
    try {
      const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: options.role!, RoleSessionName: "talentbase-iam-driver" }));
      return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
    } finally {
      sts.destroy();
    }
  };
  return () =>
    (assumed ??= assume().catch((error: unknown) => {
      assumed = undefined;
      throw error;
    }));
}

/** The URL as it may be printed: any user info (a token in a URL) replaced. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z0-9+.-]+:\/\/)[^/@?#]*@/i, "$1****@");
}
