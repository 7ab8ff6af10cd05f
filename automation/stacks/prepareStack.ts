import type { Environment, StackSettings } from "../../infra/config";
import { readStackSettings } from "./stackConfigFile";
import type { CommandContext } from "../context";
import type { AwsCredentials } from "../aws/clients";
import { adminCredentialsFor } from "./adminClients";
import { requireStateBackend } from "./backendPreflight";
import { requireAwsCredentials, requireAwsEndpoint, requireSandboxEndpoint } from "./preflight";

/** A stack whose config files parse and pass the program's own validation. */
export interface CheckedStack {
  readonly stack: Environment;
  readonly settings: StackSettings;
}

/** A stack whose config is valid and whose AWS (or moto) can be reached. */
export interface PreparedStack extends CheckedStack {
  /** moto's URL for `local`; the operator's AWS_ENDPOINT_URL, if any, for the others. */
  readonly endpoint: string | undefined;
  /** The operator's credentials where they are not the standard chain's (the sandbox). */
  readonly adminCredentials: AwsCredentials | undefined;
}

/** Config through the program's own parser, from the stack's files: no API call, no Pulumi CLI. */
export async function checkStack(stack: Environment, context: CommandContext): Promise<CheckedStack> {
  return { stack, settings: await readStackSettings(context.paths.projectDir, stack) };
}

/**
 * AWS credentials (real stacks, resolved without a call) and, when AWS_ENDPOINT_URL is set (always
 * for local), one STS call proving it is an AWS-compatible endpoint; for real stacks on a self-managed
 * backend, the state bucket and the stack's KMS key (backendPreflight.ts). Runs after every check that
 * needs no API call, so a refusal of those makes no call at all.
 */
export async function preflightStack({ stack, settings }: CheckedStack, context: CommandContext): Promise<PreparedStack> {
  const adminCredentials = adminCredentialsFor(stack, context.env);
  if (stack === "local") {
    return { stack, settings, endpoint: await requireSandboxEndpoint(context.env, settings.region, adminCredentials!), adminCredentials };
  }
  const configured = context.env["AWS_ENDPOINT_URL"] || undefined;
  await requireAwsCredentials(stack, settings.region);
  if (configured) await requireAwsEndpoint({ endpoint: configured, region: settings.region });
  await requireStateBackend(stack, context);
  return { stack, settings, endpoint: configured, adminCredentials };
}

/**
 * checkStack, then (when `needsAws`) preflightStack. `needsAws` false is for commands that only read
 * state: they make no AWS call at all.
 */
export async function prepareStack(stack: Environment, context: CommandContext, needsAws: boolean): Promise<PreparedStack> {
  const checked = await checkStack(stack, context);
  if (!needsAws) return { ...checked, endpoint: context.env["AWS_ENDPOINT_URL"] || undefined, adminCredentials: adminCredentialsFor(stack, context.env) };
  return preflightStack(checked, context);
}
