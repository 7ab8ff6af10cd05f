import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { IAMClient, IAMClientConfig } from "@aws-sdk/client-iam";
import type { KMSClient } from "@aws-sdk/client-kms";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { STSClient } from "@aws-sdk/client-sts";

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
  /** The access monitoring's services: its rules, topic, the topic's key and the account's trails. */
  readonly eventBridge: EventBridgeClient;
  readonly sns: SNSClient;
  readonly kms: KMSClient;
  readonly cloudTrail: CloudTrailClient;
  /** The object-count alarm's service (repair removes what a killed create of it made). */
  readonly cloudWatch: CloudWatchClient;
  /** Closes the clients' sockets so a finished run does not keep the process alive. */
  destroy(): void;
}

const DEFAULT_MAX_ATTEMPTS = 3;

/** The endpoint in effect: the explicit option, else the SDK's standard AWS_ENDPOINT_URL. */
export function resolveEndpoint(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return explicit ?? (env.AWS_ENDPOINT_URL || undefined);
}

/**
 * One client per service with adaptive retries, all pointed at the same endpoint. Each is built (and
 * its SDK package loaded, a tenth of a second or more) on first use: a command pays only for the
 * services it calls.
 */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const endpoint = resolveEndpoint(options.endpoint);
  const common = {
    region: options.region,
    ...(endpoint ? { endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: "adaptive",
  };
  const built: { destroy(): void }[] = [];
  const lazily = <T extends { destroy(): void }>(make: () => T): (() => T) => {
    let client: T | undefined;
    return () => {
      if (!client) {
        client = make();
        built.push(client);
      }
      return client;
    };
  };
  const iam = lazily(() => new (require("@aws-sdk/client-iam") as typeof import("@aws-sdk/client-iam")).IAMClient(common));
  // Local S3 endpoints (moto) have no per-bucket DNS names, so buckets go in the path there.
  const s3 = lazily(
    () => new (require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3")).S3Client({ ...common, forcePathStyle: endpoint !== undefined }),
  );
  const sts = lazily(() => new (require("@aws-sdk/client-sts") as typeof import("@aws-sdk/client-sts")).STSClient(common));
  const secretsManager = lazily(
    () => new (require("@aws-sdk/client-secrets-manager") as typeof import("@aws-sdk/client-secrets-manager")).SecretsManagerClient(common),
  );
  const eventBridge = lazily(() => new (require("@aws-sdk/client-eventbridge") as typeof import("@aws-sdk/client-eventbridge")).EventBridgeClient(common));
  const sns = lazily(() => new (require("@aws-sdk/client-sns") as typeof import("@aws-sdk/client-sns")).SNSClient(common));
  const kms = lazily(() => new (require("@aws-sdk/client-kms") as typeof import("@aws-sdk/client-kms")).KMSClient(common));
  const cloudTrail = lazily(() => new (require("@aws-sdk/client-cloudtrail") as typeof import("@aws-sdk/client-cloudtrail")).CloudTrailClient(common));
  const cloudWatch = lazily(() => new (require("@aws-sdk/client-cloudwatch") as typeof import("@aws-sdk/client-cloudwatch")).CloudWatchClient(common));
  return {
    get iam() {
      return iam();
    },
    get s3() {
      return s3();
    },
    get sts() {
      return sts();
    },
    get secretsManager() {
      return secretsManager();
    },
    get eventBridge() {
      return eventBridge();
    },
    get sns() {
      return sns();
    },
    get kms() {
      return kms();
    },
    get cloudTrail() {
      return cloudTrail();
    },
    get cloudWatch() {
      return cloudWatch();
    },
    destroy() {
      for (const client of built) client.destroy();
    },
  };
}
