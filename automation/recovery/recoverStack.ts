import { DeleteAccessKeyCommand } from "@aws-sdk/client-iam";
import { CONFIG_NAMESPACE, type Environment } from "../../infra/config";
import type { ImportIds } from "../../infra/imports";
import { RESOURCE_TYPES } from "../../infra/resourceTypes";
import { ourCommand, pulumiCommand } from "../stacks/printedCommands";
import { throwIfInterrupted, type CommandContext } from "../context";
import { RefusedError } from "../errors";
import { bookKeys, describeKey } from "../keys/keyBook";
import { listUserKeys } from "../keys/userKeys";
import type { DeploymentState } from "../engine/deploymentState";
import { findExistingIdentity, importIdsOf } from "../adoption/existingIdentity";
import { classifyEngineError } from "../engine/engineFailures";
import { createStack, readState } from "../engine/stackState";
import type { StackSession } from "../session/stackSession";
import { exportCheckpoint, importCheckpoint } from "../engine/stackCalls";
import { removeInterruptedCreates } from "./interruptedCreates";
import { refuseNewStackOnSharedBackend } from "../preflight/sharedStackCreation";
import { repairCheckpointFiles } from "../backend/checkpointFiles";
import { waitForOrphanedEngines } from "../backend/orphanedEngines";
import { backendUrlOf, stateStoreOf } from "../backend/stackBackend";
import { holderOf, readStackLocks } from "../backend/stackLocks";
import type { StateStore } from "../backend/stateStore";

/** The Pulumi project's name (Pulumi.yaml, also the config namespace): the backend files the stack's state under it. */
const PROJECT = CONFIG_NAMESPACE;

export interface Recovered {
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
 * stack's key afresh, as is a named object (alarm, role, secret) the next create would refuse. The caller then refreshes and converges with a normal update.
 */
export async function recoverStack(
  session: StackSession,
  context: CommandContext,
  options: { readonly forceUnlock: boolean },
  note: (repair: string) => void,
): Promise<Recovered> {
  const { stack } = session;
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

  const { target } = session;
  let state: DeploymentState;
  try {
    let existing = await session.stateIfExists();
    if (!existing) {
      // Stopped before the stack was created: repairing is provisioning, unless IAM holds what only adoption may take over.
      await refuseNewStackOnSharedBackend(stack, session.settings, context);
      await refuseUnmanagedIdentity(session, context.signal);
      await createStack(target);
      record(`stack ${stack} did not exist yet (the run stopped before creating it): created it`);
      existing = await readState(target);
    }
    state = existing;
    if (state.pendingOperations.length > 0) {
      await dropPendingOperations(target);
      record(
        `dropped ${state.pendingOperations.length} pending operation(s) of the interrupted update (${state.pendingOperations.map((operation) => `${operation.type} ${operation.resource.name}`).join(", ")}); each is looked up in AWS next`,
      );
    }
  } catch (error) {
    throw classifyEngineError(stack, "reading the stack", error, context.signal);
  }
  throwIfInterrupted(context, `while repairing stack ${stack}`);
  const interruptedKeyCreates = state.pendingOperations.filter(
    (operation) => operation.type === "creating" && operation.resource.type === RESOURCE_TYPES.accessKey,
  ).length;
  const importIds = await takeOverWhatExists(session, state, interruptedKeyCreates, record, context.signal);
  await removeInterruptedCreates(state.pendingOperations, state.resources, session.admin(), record, context.signal);
  if (state.pendingOperations.length > 0) state = await readState(target);
  if (!store && repairs.length === 0) {
    note(`the state backend (${backendUrl ?? "unknown"}) keeps its own locks: if one is stale, \`${pulumiCommand(stack, "cancel")}\` clears it`);
  }
  return { state, importIds, repairs };
}

/** A stack that never existed must not take over what IAM holds: that is `provision --adopt`'s decision, with its findings. */
async function refuseUnmanagedIdentity(session: StackSession, signal: AbortSignal): Promise<void> {
  const existing = await findExistingIdentity(session.admin(), session.settings, signal);
  if (existing.user || existing.policy) {
    throw new RefusedError(
      `stack ${session.stack} does not exist, but IAM already has its ${existing.user ? "user" : "policy"}: \`${ourCommand("provision", session.stack, "--adopt")}\` takes it over`,
    );
  }
}

/** Clears locks whose process is gone; refuses while a process (or another machine) may hold one. */
async function clearStaleLocks(stack: Environment, store: StateStore, forceUnlock: boolean, record: (repair: string) => void): Promise<void> {
  for (const lock of await readStackLocks(store, PROJECT, stack)) {
    const holder = holderOf(lock);
    const who = `${lock.username}@${lock.hostname} (pid ${lock.pid}, since ${lock.timestamp})`;
    if (holder === "held") {
      throw new RefusedError(
        `stack ${stack} is locked by a running process, ${who}: an update is in progress; wait for it to finish, then run the command again`,
      );
    }
    if (holder === "foreign" && !forceUnlock) {
      throw new RefusedError(
        `stack ${stack} is locked by ${who}, another machine, which cannot be checked from here: if no update runs there, \`${ourCommand("repair", stack, "--force-unlock")}\``,
      );
    }
    await store.remove(lock.key);
    record(`removed the lock of ${who}: ${holder === "stale" ? "that process no longer runs" : "--force-unlock"}`);
  }
}

/** `pulumi stack export` then `import` without the pending operations (secrets stay ciphertext throughout). */
async function dropPendingOperations(target: StackSession["target"]): Promise<void> {
  const exported = await exportCheckpoint(target);
  const deployment = { ...exported.deployment };
  delete deployment["pending_operations"];
  await importCheckpoint(target, { ...exported, deployment });
}

/**
 * What AWS holds that the state lost. The user, policy, the group, its attachment and the membership
 * (and setup-iam.sh's direct attachment, which the update after that detaches) are taken over. Keys the stack does not know and nobody ever used are what interrupted key creates left
 * (as many as there were such creates; the newest first): deleted, since nobody holds their secret.
 * Any other unknown key is left for verification to fail and `retire-key` to remove.
 */
async function takeOverWhatExists(
  session: StackSession,
  state: DeploymentState,
  interruptedKeyCreates: number,
  record: (repair: string) => void,
  signal: AbortSignal,
): Promise<ImportIds> {
  const admin = session.admin();
  const existing = await findExistingIdentity(admin, session.settings, signal);
  const inState = (type: string) => state.resources.some((resource) => resource.type === type);
  const ids = importIdsOf(existing);
  // Each part with the type the state records it under; the group's parts a killed run of the program made.
  const typeOf: Readonly<Record<keyof ImportIds, string>> = {
    user: RESOURCE_TYPES.user,
    policy: RESOURCE_TYPES.policy,
    attachment: RESOURCE_TYPES.userPolicyAttachment,
    group: RESOURCE_TYPES.group,
    groupAttachment: RESOURCE_TYPES.groupPolicyAttachment,
    membership: RESOURCE_TYPES.userGroupMembership,
  };
  const importIds: ImportIds = Object.fromEntries(Object.entries(ids).filter(([kind]) => !inState(typeOf[kind as keyof ImportIds])));
  for (const [kind, id] of Object.entries(importIds)) record(`the ${kind} ${id} exists in AWS but not in the state: the update takes it over`);

  if (existing.user && interruptedKeyCreates > 0) {
    const keys = bookKeys(await listUserKeys(admin.iam, existing.user.name, signal), {
      unmanaged: [...session.settings.unmanagedAccessKeys, ...state.accessKeys.map((key) => key.id)],
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
}
