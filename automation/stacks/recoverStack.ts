import { DeleteAccessKeyCommand } from "@aws-sdk/client-iam";
import { CONFIG_NAMESPACE, type Environment } from "../../infra/config";
import type { ImportIds } from "../../infra/imports";
import { ourCommand, pulumiCommand } from "../commandHints";
import { throwIfInterrupted, type CommandContext } from "../context";
import { RefusedError, UsageError } from "../errors";
import { bookKeys, describeKey } from "../keys/keyBook";
import { listUserKeys } from "../keys/userKeys";
import { adminClientsFor } from "./adminClients";
import { ACCESS_KEY_TYPE, type DeploymentState } from "./deploymentState";
import { findExistingIdentity, importIdsOf } from "./existingIdentity";
import { classifyEngineError } from "./knownFailures";
import { createStack, readState, readStateIfExists, stackTarget, type StackTarget } from "./openStack";
import type { PreparedStack } from "./prepareStack";
import { exportCheckpoint, importCheckpoint } from "./pulumiCalls";
import { refuseNewStackOnSharedBackend } from "./sharedStackCreation";
import { repairCheckpointFiles } from "../recovery/checkpointFiles";
import { waitForOrphanedEngines } from "../recovery/orphanedEngines";
import { backendUrlOf, stateStoreOf } from "../recovery/stackBackend";
import { holderOf, readStackLocks } from "../recovery/stackLocks";
import type { StateStore } from "../recovery/stateStore";

/** The Pulumi project's name (Pulumi.yaml, also the config namespace): the backend files the stack's state under it. */
const PROJECT = CONFIG_NAMESPACE;

export interface Recovered {
  readonly target: StackTarget;
  /** The state once repaired (no pending operations). */
  readonly state: DeploymentState;
  /** Objects AWS holds that the state lost, for the next update to take over. */
  readonly importIds: ImportIds;
  /** Each repair made, a sentence each; empty when nothing was broken. */
  readonly repairs: readonly string[];
}

/**
 * Puts the stack's state back together after an interrupted or killed run, without touching what
 * the stack manages: waits for a killed run's engine to finish; clears a lock only when no process
 * holds it; restores checkpoint files a killed write tore; drops pending operations and looks each
 * up in AWS: what a create made is taken over by the next update (import ids), and a key a killed
 * create made (nobody ever received its secret, nobody used it) is deleted so the update makes the
 * stack's key afresh. The caller then refreshes and converges with a normal update.
 */
export async function recoverStack(
  prepared: PreparedStack,
  context: CommandContext,
  options: { readonly forceUnlock: boolean },
  note: (repair: string) => void,
): Promise<Recovered> {
  const { stack } = prepared;
  const repairs: string[] = [];
  const record = (repair: string) => {
    repairs.push(repair);
    note(repair);
  };
  const backendUrl = await backendUrlOf(stack, context.paths, context.env);
  const store = backendUrl ? stateStoreOf(backendUrl) : undefined;
  if (store) {
    try {
      await waitForOrphanedEngines(stack, context);
      await clearStaleLocks(stack, store, options.forceUnlock, record);
      for (const repair of await repairCheckpointFiles(store, PROJECT, stack)) record(repair);
    } finally {
      store.close();
    }
  }

  const target = await stackTarget(stack, context.paths, prepared.endpoint);
  let state: DeploymentState;
  try {
    let existing = await readStateIfExists(target);
    if (!existing) {
      // Stopped before the stack was created: repairing is provisioning, unless IAM holds what only adoption may take over.
      await refuseNewStackOnSharedBackend(stack, prepared.settings, context);
      await refuseUnmanagedIdentity(prepared, context.signal);
      await createStack(target);
      record(`stack ${stack} did not exist yet (the run stopped before creating it): created it`);
      existing = await readState(target);
    }
    state = existing;
    if (state.pendingOperations.length > 0) {
      await dropPendingOperations(target);
      record(`dropped ${state.pendingOperations.length} pending operation(s) of the interrupted update (${state.pendingOperations.map((operation) => `${operation.type} ${operation.resource.name}`).join(", ")}); each is looked up in AWS next`);
    }
  } catch (error) {
    throw classifyEngineError(stack, "reading the stack", error, context.signal);
  }
  throwIfInterrupted(context, `while repairing stack ${stack}`);
  const interruptedKeyCreates = state.pendingOperations.filter((operation) => operation.type === "creating" && operation.resource.type === ACCESS_KEY_TYPE).length;
  const importIds = await takeOverWhatExists(prepared, state, interruptedKeyCreates, record, context.signal);
  if (state.pendingOperations.length > 0) state = await readState(target);
  if (!store && repairs.length === 0) {
    note(`the state backend (${backendUrl ?? "unknown"}) keeps its own locks: if one is stale, \`${pulumiCommand(stack, "cancel")}\` clears it`);
  }
  return { target, state, importIds, repairs };
}

/** A stack that never existed must not take over what IAM holds: that is `provision --adopt`'s decision, with its findings. */
async function refuseUnmanagedIdentity(prepared: PreparedStack, signal: AbortSignal): Promise<void> {
  const admin = adminClientsFor(prepared);
  try {
    const existing = await findExistingIdentity(admin, prepared.settings, signal);
    if (existing.user || existing.policy) {
      throw new UsageError(
        `stack ${prepared.stack} does not exist, but IAM already has its ${existing.user ? "user" : "policy"}: \`${ourCommand("provision", prepared.stack, "--adopt")}\` takes it over`,
      );
    }
  } finally {
    admin.destroy();
  }
}

/** Clears locks whose process is gone; refuses while a process (or another machine) may hold one. */
async function clearStaleLocks(stack: Environment, store: StateStore, forceUnlock: boolean, record: (repair: string) => void): Promise<void> {
  for (const lock of await readStackLocks(store, PROJECT, stack)) {
    const holder = holderOf(lock);
    const who = `${lock.username}@${lock.hostname} (pid ${lock.pid}, since ${lock.timestamp})`;
    if (holder === "held") {
      throw new RefusedError(`stack ${stack} is locked by a running process, ${who}: an update is in progress; wait for it to finish, then run the command again`);
    }
    if (holder === "foreign" && !forceUnlock) {
      throw new RefusedError(`stack ${stack} is locked by ${who}, another machine, which cannot be checked from here: if no update runs there, \`${ourCommand("repair", stack, "--force-unlock")}\``);
    }
    await store.remove(lock.key);
    record(`removed the lock of ${who}: ${holder === "stale" ? "that process no longer runs" : "--force-unlock"}`);
  }
}

/** `pulumi stack export` then `import` without the pending operations (secrets stay ciphertext throughout). */
async function dropPendingOperations(target: StackTarget): Promise<void> {
  const exported = await exportCheckpoint(target);
  const deployment = { ...exported.deployment };
  delete deployment["pending_operations"];
  await importCheckpoint(target, { ...exported, deployment });
}

/**
 * What AWS holds that the state lost. The user, policy and attachment are taken over by the next
 * update. Keys the stack does not know and nobody ever used are what interrupted key creates left
 * (as many as there were such creates; the newest first): deleted, since nobody holds their secret.
 * Any other unknown key is left for verification to fail and `retire-key` to remove.
 */
async function takeOverWhatExists(
  prepared: PreparedStack,
  state: DeploymentState,
  interruptedKeyCreates: number,
  record: (repair: string) => void,
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
    for (const [kind, id] of Object.entries(importIds)) record(`the ${kind} ${id} exists in AWS but not in the state: the update takes it over`);

    if (existing.user && interruptedKeyCreates > 0) {
      const keys = bookKeys(await listUserKeys(admin.iam, existing.user.name, signal), {
        unmanaged: [...prepared.settings.unmanagedAccessKeys, ...state.accessKeys.map((key) => key.id)],
      });
      const leftovers = keys
        .filter((key) => key.role === "unknown" && !key.lastUsed)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
        .slice(0, interruptedKeyCreates);
      for (const key of leftovers) {
        await admin.iam.send(new DeleteAccessKeyCommand({ UserName: existing.user.name, AccessKeyId: key.id }), { abortSignal: signal });
        record(`deleted key ${describeKey(key, new Date())}: an interrupted create made it, and nobody ever received its secret`);
      }
    }
    return importIds;
  } finally {
    admin.destroy();
  }
}
