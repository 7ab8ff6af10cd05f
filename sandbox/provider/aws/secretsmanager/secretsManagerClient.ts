import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { AwsEnvironment } from "../../environment";

/** One Secrets Manager client for the provider's lifetime, pointed at the (loopback) endpoint explicitly. */
export function createSecretsManagerClient(environment: AwsEnvironment): SecretsManagerClient {
  return new SecretsManagerClient({
    region: environment.region,
    endpoint: environment.endpoint,
    ...(environment.credentials ? { credentials: environment.credentials } : {}),
    maxAttempts: 5,
    retryMode: "adaptive",
  });
}
