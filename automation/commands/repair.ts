import { DeleteAccessKeyCommand } from "@aws-sdk/client-iam";
import type { Stack } from "@pulumi/pulumi/automation";
import { CONFIG_NAMESPACE, type Environment } from "../../infra/config";
import type { ImportIds } from "../../infra/imports";
import { ourCommand, pulumiCommand } from "../commandHints";
import { requireWayToConfirm } from "../confirm";
import { throwIfInterrupted, type CommandContext } from "../context";
import { RefusedError, UsageError, VerificationFailedError } from "../errors";
import { bookKeys, describeKey } from "../keys/keyBook";
import { listUserKeys } from "../keys/userKeys";
import { repairCheckpointFiles } from "../recovery/checkpointFiles";
import { backendUrlOf, stateStoreOf } from "../recovery/stackBackend";
import { waitForOrphanedEngines } from "../recovery/orphanedEngines";
import { holderOf, readStackLocks } from "../recovery/stackLocks";
import { adminClientsFor } from "../stacks/adminClients";
import type { ChangeCounts } from "../stacks/changeSummary";
import { secretValuesOf, toDeployedOutputs } from "../stacks/deployedOutputs";
import { readDeploymentState, type DeploymentState } from "../stacks/deploymentState";
import { deployStack } from "../stacks/deployStack";
import { findExistingIdentity, importIdsOf } from "../stacks/existingIdentity";
import { classifyEngineError } from "../stacks/knownFailures";
import { openStackIfExists } from "../stacks/openStack";
import { checkStack, preflightStack, type PreparedStack } from "../stacks/prepareStack";
import { parseStackName } from "../stacks/stackSelection";
import { verifyDeployment } from "../stacks/verifyDeployment";
import { renderHumanReport, toJsonReport, type JsonReport } from "../verify";

/** The Pulumi project's name (Pulumi.yaml, also the config namespace): the backend files the stack's state under it. */
const PROJECT = CONFIG_NAMESPACE;

export interface RepairOptions {
  readonly stack: string;
  readonly yes: boolean;
  /** Remove a lock taken on another machine, which cannot be checked from here. */
  readonly forceUnlock: boolean;
}

export interface RepairResult {
  readonly stack: Environment;
  /** Each repair made, a sentence each. */
  readonly repairs: readonly string[];
  readonly changes: ChangeCounts;
  readonly verification: JsonReport;
}

/**
 * One command that puts a stack back together after an interrupted or killed run, with no Pulumi
 * knowledge needed: a lock is cleared only when no process holds it; a checkpoint torn by a killed
 * write is restored; each pending operation is looked up in AWS: what a create made is taken over
 * (imported), a key a killed create made, which nobody ever received the secret of, is deleted; then
 * the stack is refreshed and converged by a normal update, and verified.
 */
export async function repair(options: RepairOptions, context: CommandContext): Promise<RepairResult> {
  const stack = parseStackName(options.stack);
  const checked = await checkStack(stack, context);
  if (stack === "prod") requireWayToConfirm("repairing prod", options.yes, context.prompter);
  const prepared = await preflightStack(checked, context);
  const repairs: string[] = [];
  const note = (repair: string) => {
    repairs.push(repair);
    context.io.report(`- ${repair}\n`);
  };
  context.io.report(`\n== Repairing stack ${stack} ==\n`);

  const backendUrl = await backendUrlOf(stack, context.paths, context.env);
  const store = backendUrl ? stateStoreOf(backendUrl) : undefined;
  if (store) {
    await waitForOrphanedEngines(stack, context);
    await clearStaleLocks(stack, store, options.forceUnlock, note);
    for (const repair of await repairCheckpointFiles(store, PROJECT, stack)) note(repair);
  } else {
    note(`the state backend (${backendUrl ?? "unknown"}) keeps its own locks: if one is stale, \`${pulumiCommand(stack, "cancel")}\` clears it`);
  }

  let pulumiStack: Stack | undefined;
  let state: DeploymentState;
  try {
    pulumiStack = await openStackIfExists(stack, { paths: context.paths, endpoint: prepared.endpoint });
    if (!pulumiStack) throw new UsageError(`stack ${stack} does not exist, so there is nothing to repair: \`${ourCommand("provision", stack)}\` creates it`);
    state = await readDeploymentState(pulumiStack);
  } catch (error) {
    throw classifyEngineError(stack, "reading the stack", error, context.signal);
  }

  if (state.pendingOperations.length > 0) {
    await dropPendingOperations(pulumiStack);
    note(`dropped ${state.pendingOperations.length} pending operation(s) of the interrupted update (${state.pendingOperations.map((operation) => `${operation.type} ${operation.resource.name}`).join(", ")}); each is looked up in AWS next`);
  }
  throwIfInterrupted(context, `while repairing stack ${stack}`);
  const importIds = await takeOverWhatExists(prepared, state, note, context.signal);

  const deployed = await deployStack(
    pulumiStack,
    stack,
    { yes: options.yes, refresh: true, importIds, question: "Apply the repair to prod?" },
    context,
  );
  const outputs = toDeployedOutputs(stack, deployed.outputs);
  const report = await verifyDeployment({ prepared, outputs, secretValues: secretValuesOf(deployed.outputs), signal: context.signal });
  context.io.report("\n" + renderHumanReport(report, { color: context.io.color, debug: context.debug }));
  if (report.summary.FAIL > 0) {
    throw new VerificationFailedError(`stack ${stack} was repaired and converged, but verification failed (${report.summary.FAIL} of ${report.summary.total} checks): see the report above`);
  }
  return { stack, repairs, changes: deployed.changes, verification: toJsonReport(report) };
}

/** Clears locks whose process is gone; refuses while a process of this machine holds one. */
async function clearStaleLocks(stack: Environment, store: NonNullable<ReturnType<typeof stateStoreOf>>, forceUnlock: boolean, note: (repair: string) => void) {
  for (const lock of await readStackLocks(store, PROJECT, stack)) {
    const holder = holderOf(lock);
    const who = `${lock.username}@${lock.hostname} (pid ${lock.pid}, since ${lock.timestamp})`;
    if (holder === "held") {
      throw new RefusedError(`stack ${stack} is locked by a running process, ${who}: an update is in progress; wait for it to finish (or stop it with Ctrl-C in its terminal), then repair again if needed`);
    }
    if (holder === "foreign" && !forceUnlock) {
      throw new RefusedError(`stack ${stack} is locked by ${who}, another machine, which cannot be checked from here: if no update runs there, \`${ourCommand("repair", stack, "--force-unlock")}\``);
    }
    await store.remove(lock.key);
    note(`removed the lock of ${who}: ${holder === "stale" ? "that process no longer runs" : "--force-unlock"}`);
  }
}

/** `pulumi stack export` then `import` without the pending operations, which import refuses to keep anyway. */
async function dropPendingOperations(pulumiStack: Stack): Promise<void> {
  const exported = await pulumiStack.exportStack();
  const deployment = { ...(exported.deployment as Record<string, unknown>) };
  delete deployment["pending_operations"];
  await pulumiStack.importStack({ ...exported, deployment });
}

/**
 * What AWS holds that the state lost: the user, policy and attachment are taken over by the next
 * update (import); a key no stack slot, adoption or anyone ever used is what a killed create left,
 * and is deleted (its secret never reached anyone), so the update creates the stack's key afresh.
 * A used unknown key is left for verification to fail and `retire-key` to remove.
 */
async function takeOverWhatExists(
  prepared: PreparedStack,
  state: DeploymentState,
  note: (repair: string) => void,
  signal: AbortSignal,
): Promise<ImportIds> {
  const admin = adminClientsFor(prepared);
  try {
    const existing = await findExistingIdentity(admin, prepared.settings, signal);
    const inState = (type: string) => state.resources.some((resource) => resource.type === type);
    const ids = importIdsOf(existing);
    const importIds: ImportIds = {
      ...(ids.user && !inState("aws:iam/user:User") ? { user: ids.user } : {}),
      ...(ids.policy && !inState("aws:iam/policy:Policy") ? { policy: ids.policy } : {}),
      ...(ids.attachment && !inState("aws:iam/userPolicyAttachment:UserPolicyAttachment") ? { attachment: ids.attachment } : {}),
    };
    for (const [kind, id] of Object.entries(importIds)) note(`the ${kind} ${id} exists in AWS but not in the state: the update takes it over`);

    if (existing.user) {
      const keys = bookKeys(await listUserKeys(admin.iam, existing.user.name, signal), {
        unmanaged: [...prepared.settings.unmanagedAccessKeys, ...state.accessKeys.map((key) => key.id)],
      });
      for (const key of keys.filter((candidate) => candidate.role === "unknown")) {
        if (key.lastUsed) {
          note(`key ${describeKey(key, new Date())} is not the stack's and has been used: left in place; verification names it and \`${ourCommand("retire-key", prepared.stack, key.id)}\` removes it`);
          continue;
        }
        await admin.iam.send(new DeleteAccessKeyCommand({ UserName: existing.user.name, AccessKeyId: key.id }), { abortSignal: signal });
        note(`deleted key ${key.id}: an interrupted create made it, nobody ever received its secret or used it`);
      }
    }
    return importIds;
  } finally {
    admin.destroy();
  }
}
