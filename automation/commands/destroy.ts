import { CONFIG_NAMESPACE } from "../../infra/config";
import { ourCommand, pulumiCommand } from "../commandHints";
import { confirmOrAbort, requireWayToConfirm } from "../confirm";
import type { CommandContext } from "../context";
import { UsageError } from "../errors";
import { formatChangeSummary, type ChangeCounts } from "../stacks/changeSummary";
import { waitForOrphanedEngines } from "../recovery/orphanedEngines";
import { readDeploymentState } from "../stacks/deploymentState";
import { engineOptions } from "../stacks/deployStack";
import { classifyEngineError, pendingOperationsFailure, protectedResourceFailure } from "../stacks/knownFailures";
import { openStack } from "../stacks/openStack";
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
    const pulumiStack = await openStack(stack, { paths: context.paths, endpoint, create: false });
    const state = await readDeploymentState(pulumiStack);
    if (state.pendingOperations.length > 0) throw pendingOperationsFailure(stack, state.pendingOperations);
    if (state.protectedUrns.length > 0) throw protectedResourceFailure(stack);
    if (needsConfirmation) {
      await confirmOrAbort(`Destroy the ${state.resourceCount} resources of stack ${stack}?`, options.yes, context.prompter);
    }
    io.report(`\n== Destroying stack ${stack} ==\n`);
    const result = await pulumiStack.destroy(engineOptions(context));
    const changes = result.summary.resourceChanges ?? {};
    io.report(`Destroyed ${stack}: ${formatChangeSummary(changes)}\n`);
    return { stack, changes };
  } catch (error) {
    throw classifyEngineError(stack, "destroy", error, context.signal);
  }
}
