import { CONFIG_NAMESPACE, type Environment } from "../../infra/config";
import { awsCliCommand, ourCommand, pulumiCommand } from "../commandHints";
import { confirmOrAbort, requireWayToConfirm } from "../confirm";
import type { CommandContext } from "../context";
import { UsageError } from "../errors";
import { formatChangeSummary, type ChangeCounts } from "../stacks/changeSummary";
import { waitForOrphanedEngines } from "../recovery/orphanedEngines";
import type { ManagedSecret } from "../stacks/deploymentState";
import { runEngine } from "../stacks/deployStack";
import { classifyEngineError, pendingOperationsFailure, protectedResourceFailure } from "../stacks/knownFailures";
import { readState, stackTarget } from "../stacks/openStack";
import { checkStack, preflightStack } from "../stacks/prepareStack";
import { parseStackName } from "../stacks/stackSelection";

export interface DestroyOptions {
  readonly stack: string;
  /** Skip the confirmation every stack but the sandbox asks for. */
  readonly yes: boolean;
}

export interface DestroyResult {
  readonly stack: string;
  readonly changes: ChangeCounts;
  /** Secrets the destroy deleted, each restorable for its recovery window (0: gone). */
  readonly secrets: readonly ManagedSecret[];
}

/** What became of a deleted secret, and the one way back while there is one. */
export function describeSecretDeletion(stack: Environment, { name, recoveryWindowInDays }: ManagedSecret): string {
  if (recoveryWindowInDays === 0) return `Secret ${name} was deleted without recovery.\n`;
  return (
    `Secret ${name} is scheduled for deletion in ${recoveryWindowInDays} days: until then \`${awsCliCommand(stack, "secretsmanager", "restore-secret", "--secret-id", name)}\` restores it, ` +
    `and it holds its name, so provisioning ${stack} again first needs \`${awsCliCommand(stack, "secretsmanager", "delete-secret", "--secret-id", name, "--force-delete-without-recovery")}\`.\n`
  );
}

/**
 * Deletes the stack's user, policy, attachment and key (the stack and its history stay). Refuses
 * up front, before deleting anything, when protection is on in config (prod's default) or still
 * recorded in the state, or when an interrupted update left pending operations.
 */
export async function destroy(options: DestroyOptions, context: CommandContext): Promise<DestroyResult> {
  const stack = parseStackName(options.stack);
  const checked = await checkStack(stack, context);
  if (checked.settings.protect) {
    throw new UsageError(
      `stack ${stack} is protected by config: run \`${pulumiCommand(stack, "config", "set", `${CONFIG_NAMESPACE}:protect`, "false")}\`, then \`${ourCommand("provision", stack)}\` to apply it, then destroy`,
    );
  }
  // Destroying a shared environment's identity breaks that environment; only the sandbox goes unasked.
  const needsConfirmation = stack !== "local";
  if (needsConfirmation) requireWayToConfirm(`destroying ${stack}`, options.yes, context.prompter);
  const { endpoint } = await preflightStack(checked, context);

  const { io } = context;
  await waitForOrphanedEngines(stack, context);
  try {
    const target = await stackTarget(stack, context.paths, endpoint);
    const state = await readState(target);
    if (state.pendingOperations.length > 0) throw pendingOperationsFailure(stack, state.pendingOperations);
    if (state.protectedUrns.length > 0) throw protectedResourceFailure(stack);
    if (needsConfirmation) {
      await confirmOrAbort(`Destroy the ${state.resourceCount} resources of stack ${stack}?`, options.yes, context.prompter);
    }
    io.report(`\n== Destroying stack ${stack} ==\n`);
    const changes = await runEngine(target, "destroy", context);
    io.report(`Destroyed ${stack}: ${formatChangeSummary(changes)}\n`);
    for (const secret of state.secrets) io.report(describeSecretDeletion(stack, secret));
    return { stack, changes, secrets: state.secrets };
  } catch (error) {
    throw classifyEngineError(stack, "destroy", error, context.signal);
  }
}
