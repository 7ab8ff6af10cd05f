import { IAMClient } from "@aws-sdk/client-iam";
import type { AwsEnvironment } from "../../environment";

/** One IAM client for the provider's lifetime, pointed at the (loopback) endpoint explicitly. */
export function createIamClient(environment: AwsEnvironment): IAMClient {
  return new IAMClient({
    region: environment.region,
    endpoint: environment.endpoint,
    ...(environment.credentials ? { credentials: environment.credentials } : {}),
    maxAttempts: 5,
    retryMode: "adaptive",
  });
}
