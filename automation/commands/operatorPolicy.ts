import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { PolicyDocument } from "../../infra/policy/policyDocument";
import { backendUrlOf } from "../backend/stackBackend";
import type { CommandContext } from "../context";
import { UsageError } from "../errors";
import { writeReportFile, checkReportFileTarget } from "../files/reportFile";
import { buildOperatorPolicy } from "../operator/operatorPolicy";
import { checkStackSession, openCheckedSession } from "../session/stackSession";
import { readStackSecretsProvider } from "../stacks/stackConfigFile";

export interface OperatorPolicyOptions {
  readonly stack: string;
  /** The stack's AWS account; without it, the account of the operator's credentials (one STS call). */
  readonly account?: string;
  /** Also write the policy to this file. */
  readonly out?: string;
}

export interface OperatorPolicyResult {
  readonly policy: PolicyDocument;
  readonly writtenTo?: string;
}

/**
 * The IAM policy the operator and the deploy pipeline need for one stack, derived from what the
 * provider and the driver call (automation/operator/): the stack's config names the resources, the
 * CLI's backend URL and the stack's secrets provider the state's bucket and key. Changes nothing.
 */
export async function operatorPolicy(options: OperatorPolicyOptions, context: CommandContext): Promise<OperatorPolicyResult> {
  if (options.account !== undefined && !/^\d{12}$/.test(options.account))
    throw new UsageError(`--account ${options.account} is not an AWS account id (12 digits)`);
  const checked = await checkStackSession(options.stack, context, { operation: "read" });
  if (options.out) await checkReportFileTarget(options.out);
  const account = options.account ?? (await accountOfCredentials(checked, context));
  const policy = await buildOperatorPolicy({
    settings: checked.settings,
    account,
    ...(await stateBackendOf(checked.stack, context)),
  });
  const text = `${JSON.stringify(policy, null, 2)}\n`;
  return { policy, ...(options.out ? { writtenTo: await writeReportFile(options.out, text) } : {}) };
}

async function accountOfCredentials(checked: Awaited<ReturnType<typeof checkStackSession>>, context: CommandContext): Promise<string> {
  const session = await openCheckedSession(checked, context);
  try {
    const { Account } = await session.admin().sts.send(new GetCallerIdentityCommand({}), { abortSignal: context.signal });
    if (!Account) throw new UsageError("STS named no account for these credentials: pass --account");
    return Account;
  } finally {
    session.close();
  }
}

/** The backend URL as the CLI finds it for the stack, and the stack's secrets provider. */
async function stateBackendOf(stack: Parameters<typeof backendUrlOf>[0], context: CommandContext): Promise<{ backendUrl?: string; secretsProvider?: string }> {
  const [backendUrl, { secretsProvider }] = await Promise.all([
    backendUrlOf(stack, context.paths, context.env),
    readStackSecretsProvider(context.paths.projectDir, stack),
  ]);
  return { ...(backendUrl ? { backendUrl } : {}), ...(secretsProvider ? { secretsProvider } : {}) };
}
