import type { Environment } from "../../infra/config";
import { MOTO_CREDENTIALS } from "../../sandbox/moto/motoServer";
import { createAwsClients, type AwsClients, type AwsCredentials } from "../aws/clients";
import type { PreparedStack } from "./prepareStack";

/**
 * The operator's credentials for a stack: for the sandbox, a moto-made key exported as
 * AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (needed once moto enforces IAM), else moto's `testing`
 * keys; for real stacks the standard chain (undefined).
 */
export function adminCredentialsFor(environment: Environment, env: NodeJS.ProcessEnv): AwsCredentials | undefined {
  if (environment !== "local") return undefined;
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : { ...MOTO_CREDENTIALS };
}

/** Clients signed as the operator, against the stack's region and endpoint. Destroy them when done. */
export function adminClientsFor(prepared: PreparedStack): AwsClients {
  const credentials = prepared.adminCredentials;
  return createAwsClients({
    region: prepared.settings.region,
    ...(prepared.endpoint ? { endpoint: prepared.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  });
}
