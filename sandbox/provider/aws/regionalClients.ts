import type { AwsEnvironment } from "../environment";

/** What every SDK client of the stand-in is built with: the loopback endpoint, the credentials, adaptive retries. */
export interface ClientOptions {
  region: string;
  endpoint: string;
  credentials?: AwsEnvironment["credentials"];
  maxAttempts: number;
  retryMode: "adaptive";
}

/**
 * The clients of one regional service (SNS, EventBridge, CloudWatch, KMS). pulumi-aws v7 gives every
 * regional resource a `region` input, so a resource can live outside the provider's region: one client
 * per region, built on first use, all against the same endpoint and credentials.
 */
export interface RegionalClients<Client> {
  /** The provider's region (AWS_REGION): where a resource that names none lives. */
  readonly defaultRegion: string;
  in(region: string): Client;
}

export function regionalClients<Client>(environment: AwsEnvironment, build: (options: ClientOptions) => Client): RegionalClients<Client> {
  const clients = new Map<string, Client>();
  return {
    defaultRegion: environment.region,
    in(region) {
      let client = clients.get(region);
      if (!client) {
        client = build({
          region,
          endpoint: environment.endpoint,
          ...(environment.credentials ? { credentials: environment.credentials } : {}),
          maxAttempts: 5,
          retryMode: "adaptive",
        });
        clients.set(region, client);
      }
      return client;
    },
  };
}
