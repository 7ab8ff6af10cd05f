import type { Environment, StackSettings } from "../../infra/config";
import { createAwsClients, type AwsClients, type AwsCredentials } from "../aws/clients";

/** Where a stack's AWS is and who the operator is there. */
export interface StackAws {
  readonly settings: Pick<StackSettings, "region">;
  readonly endpoint: string | undefined;
  readonly adminCredentials: AwsCredentials | undefined;
}

/** A stack whose config is valid and whose AWS (or moto) answered the preflight. */
export interface PreparedStack extends StackAws {
  readonly stack: Environment;
  readonly settings: StackSettings;
  /** moto's URL for `local`; the operator's AWS_ENDPOINT_URL, if any, for the others. */
  readonly endpoint: string | undefined;
  /** The operator's credentials where they are not the standard chain's (the sandbox). */
  readonly adminCredentials: AwsCredentials | undefined;
}

/** Clients signed as the operator, against the stack's region and endpoint. Destroy them when done. */
export function adminClientsFor(stack: StackAws): AwsClients {
  const credentials = stack.adminCredentials;
  return createAwsClients({
    region: stack.settings.region,
    ...(stack.endpoint ? { endpoint: stack.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  });
}
