import { CONFIG_NAMESPACE, type Environment, type StackSettings } from "../../infra/config";
import { awsCliCommand, ourCommand, pulumiCommand } from "../stacks/printedCommands";
import { confirmOrAbort } from "../confirm";
import type { CommandContext } from "../context";
import { UsageError } from "../errors";
import { waitForOrphanedEngines } from "../backend/orphanedEngines";
import { formatChangeSummary, type ChangeCounts } from "../engine/changeSummary";
import type { ManagedSecret, StateResource } from "../engine/deploymentState";
import { RESOURCE_TYPES } from "../../infra/resourceTypes";
import { classifyEngineError, pendingOperationsFailure, protectedResourceFailure } from "../engine/engineFailures";
import { openStackSession } from "../session/stackSession";

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

/** The IAM objects a destroy deleted, by the names IAM knows them by (the attachments and the membership go with them). */
export function describeDeletedIdentity(resources: readonly Pick<StateResource, "type" | "id">[]): string {
  const named = (type: string) => resources.filter((resource) => resource.type === type && resource.id).map((resource) => resource.id!);
  const parts = [
    ...named(RESOURCE_TYPES.user).map((name) => `user ${name}`),
    ...named(RESOURCE_TYPES.group).map((name) => `group ${name} (with the user's membership)`),
    ...named(RESOURCE_TYPES.policy).map((arn) => `policy ${arn} (detached first)`),
    ...named(RESOURCE_TYPES.accessKey).map((id) => `access key ${id}`),
  ];
  return parts.length > 0 ? `Deleted ${parts.join(", ")}.\n` : "";
}

/** prod's default: its identity cannot be destroyed until the config lifts the protection (and an update applies it). */
function refuseWhenProtected(stack: Environment, settings: StackSettings): void {
  if (!settings.protect) return;
  throw new UsageError(
    `stack ${stack} is protected by config: run \`${pulumiCommand(stack, "config", "set", `${CONFIG_NAMESPACE}:protect`, "false")}\`, then \`${ourCommand("provision", stack)}\` to apply it, then destroy`,
  );
}

/**
 * Deletes the stack's user, its group, the policy (with its attachment and the membership) and the
 * key(s), and the credentials secret where the stack keeps one (the stack and its history stay). Refuses
 * up front, before deleting anything, when protection is on in config (prod's default) or still
 * recorded in the state, or when an interrupted update left pending operations.
 */
export async function destroy(options: DestroyOptions, context: CommandContext): Promise<DestroyResult> {
  const session = await openStackSession(options.stack, context, { operation: "destroy", yes: options.yes, refuse: refuseWhenProtected });
  const { stack } = session;
  const { io } = context;
  await waitForOrphanedEngines(stack, context);
  try {
    const state = await session.state();
    if (state.pendingOperations.length > 0) throw pendingOperationsFailure(stack, state.pendingOperations);
    if (state.protectedUrns.length > 0) throw protectedResourceFailure(stack);
    if (session.asks) await confirmOrAbort(`Destroy the ${state.resourceCount} resources of stack ${stack}?`, false, context.prompter);
    io.report(`\n== Destroying stack ${stack} ==\n`);
    const changes = await session.runEngine("destroy");
    io.report(`Destroyed ${stack}: ${formatChangeSummary(changes)}\n`);
    io.report(describeDeletedIdentity(state.resources));
    for (const secret of state.secrets) io.report(describeSecretDeletion(stack, secret));
    return { stack, changes, secrets: state.secrets };
  } catch (error) {
    throw classifyEngineError(stack, "destroy", error, context.signal);
  } finally {
    session.close();
  }
}
