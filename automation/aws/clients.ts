import { IAMClient, type IAMClientConfig } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { STSClient } from "@aws-sdk/client-sts";

/** Static keys or a provider, exactly what every v3 client accepts. */
export type AwsCredentials = NonNullable<IAMClientConfig["credentials"]>;

export interface AwsClientOptions {
  readonly region: string;
  /** Overrides AWS_ENDPOINT_URL; set for moto (local). */
  readonly endpoint?: string;
  /** Omitted: the standard credential chain (env, profile, SSO, instance role). */
  readonly credentials?: AwsCredentials;
  readonly maxAttempts?: number;
}

export interface AwsClients {
  readonly iam: IAMClient;
  readonly s3: S3Client;
  readonly sts: STSClient;
  readonly secretsManager: SecretsManagerClient;
  /** Closes the clients' sockets so a finished run does not keep the process alive. */
  destroy(): void;
}

const DEFAULT_MAX_ATTEMPTS = 3;

/** The endpoint in effect: the explicit option, else the SDK's standard AWS_ENDPOINT_URL. */
export function resolveEndpoint(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return explicit ?? (env.AWS_ENDPOINT_URL || undefined);
}

/** One client per service with adaptive retries, all pointed at the same endpoint. */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const endpoint = resolveEndpoint(options.endpoint);
  const common = {
    region: options.region,
    ...(endpoint ? { endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: "adaptive",
  };
  const iam = new IAMClient(common);
  // Local S3 endpoints (moto) have no per-bucket DNS names, so buckets go in the path there.
  const s3 = new S3Client({ ...common, forcePathStyle: endpoint !== undefined });
  const sts = new STSClient(common);
  const secretsManager = new SecretsManagerClient(common);
  return {
    iam,
    s3,
    sts,
    secretsManager,
    destroy() {
      iam.destroy();
      s3.destroy();
      sts.destroy();
      secretsManager.destroy();
    },
  };
}
