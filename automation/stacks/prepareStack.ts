import type { Environment, StackSettings } from "../../infra/config";
import { readStackSettings } from "./stackConfigFile";
import type { CommandContext } from "../context";
import type { AwsCredentials } from "../aws/clients";
import { adminCredentialsFor } from "./adminClients";
import { requireAwsCredentials, requireEndpointAnswers, requireSandboxEndpoint } from "./preflight";

/** A stack whose config is valid and whose AWS (or moto) can be reached. */
export interface PreparedStack {
  readonly stack: Environment;
  readonly settings: StackSettings;
  /** moto's URL for `local`; the operator's AWS_ENDPOINT_URL, if any, for the others. */
  readonly endpoint: string | undefined;
  /** The operator's credentials where they are not the standard chain's (the sandbox). */
  readonly adminCredentials: AwsCredentials | undefined;
}

/**
 * Every check that needs no API call: config through the program's own parser, then AWS
 * credentials (real stacks) or a moto that answers (local). `needsAws` false skips the latter for
 * commands that only read state.
 */
export async function prepareStack(stack: Environment, context: CommandContext, needsAws: boolean): Promise<PreparedStack> {
  const settings = await readStackSettings(context.paths.projectDir, stack);
  const configured = context.env["AWS_ENDPOINT_URL"] || undefined;
  const adminCredentials = adminCredentialsFor(stack, context.env);
  if (!needsAws) return { stack, settings, endpoint: configured, adminCredentials };
  if (stack === "local") return { stack, settings, endpoint: await requireSandboxEndpoint(context.env), adminCredentials };
  if (configured) await requireEndpointAnswers(configured);
  await requireAwsCredentials(stack, settings.region);
  return { stack, settings, endpoint: configured, adminCredentials };
}
