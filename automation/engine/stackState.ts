import { StackAlreadyExistsError, StackNotFoundError } from "@pulumi/pulumi/automation/errors";
import { CONFIG_NAMESPACE, type Environment } from "../../infra/config";
import { ourCommand } from "../stacks/printedCommands";
import { DeploymentError, DriverError } from "../errors";
import type { ProjectPaths } from "../projectPaths";
import { readCheckpointFile, type CheckpointRead } from "../backend/checkpointFiles";
import { withStateStore } from "../backend/stackBackend";
import { secretValuesOf, toDeployedOutputs, type DeployedOutputs } from "./deployedOutputs";
import { summarizeCheckpoint, type DeploymentState } from "./deploymentState";
import { profileOf } from "../stacks/stackProfile";
import { classifyEngineError } from "./engineFailures";
import { exportCheckpoint, readStackOutputs, runOnStack, type StackTarget } from "./stackCalls";

export type { StackTarget } from "./stackCalls";

/**
 * A stack of the project as the driver addresses it: the same program and Pulumi.<stack>.yaml that
 * `pulumi up -s <stack>` uses, in that stack's engine environment. Makes sure a state directory the
 * stack's profile keeps (the sandbox's file backend) exists.
 */
export async function stackTarget(stack: Environment, paths: ProjectPaths, endpoint: string | undefined): Promise<StackTarget> {
  await profileOf(stack).prepareState(paths);
  return { stack, paths, endpoint };
}

function notProvisioned(stack: Environment, cause: unknown): DeploymentError {
  return new DeploymentError("stack-not-found", `stack ${stack} has not been provisioned yet: run \`${ourCommand("provision", stack)}\` first`, { cause });
}

/**
 * The stack's checkpoint, summarized; undefined when the stack does not exist. Read from the
 * backend's files where the driver can (a self-managed backend: no CLI process), else (the Pulumi
 * Cloud, a file it cannot read) with one CLI call.
 */
export async function readStateIfExists(target: StackTarget): Promise<DeploymentState | undefined> {
  const read = await readCheckpointDirectly(target);
  if (read?.kind === "found") return summarizeCheckpoint(read.deployment);
  if (read?.kind === "absent") return undefined;
  try {
    return summarizeCheckpoint((await exportCheckpoint(target)).deployment);
  } catch (error) {
    if (error instanceof StackNotFoundError) return undefined;
    throw error;
  }
}

/** The checkpoint file as the backend holds it; undefined where only the CLI can read it or the read failed (the CLI then says why). */
async function readCheckpointDirectly(target: StackTarget): Promise<CheckpointRead | undefined> {
  return withStateStore(target.stack, target.paths, process.env, (store) => readCheckpointFile(store, CONFIG_NAMESPACE, target.stack).catch(() => undefined));
}

/** The stack's checkpoint, summarized; the stack must exist. */
export async function readState(target: StackTarget): Promise<DeploymentState> {
  const state = await readStateIfExists(target);
  if (!state) throw notProvisioned(target.stack, undefined);
  return state;
}

/** Creates the stack in its backend (`stack init`); another run that just created it is fine too. */
export async function createStack(target: StackTarget): Promise<void> {
  try {
    await runOnStack(target, ["stack", "init"]);
  } catch (error) {
    if (!(error instanceof StackAlreadyExistsError)) throw error;
  }
}

export interface StackOutputsRead {
  readonly outputs: DeployedOutputs;
  /** Every value the stack marks secret, so reports can be kept free of them. */
  readonly secretValues: readonly string[];
}

/**
 * The deployed outputs of an existing stack, from its state (no cloud call). The secret is read only
 * when it is needed (`showSecrets`): otherwise it stays the masked "[secret]".
 */
export async function readDeployedOutputs(target: StackTarget, showSecrets: boolean): Promise<StackOutputsRead> {
  try {
    if (!showSecrets) {
      const state = await readStateIfExists(target);
      if (!state) throw notProvisioned(target.stack, undefined);
      return { outputs: toDeployedOutputs(target.stack, state.outputs), secretValues: [] };
    }
    // A stack the backend's files show absent is not asked about: on an empty file backend the CLI's
    // first call would initialise it, a change a refused command must not leave behind.
    if ((await readCheckpointDirectly(target))?.kind === "absent") throw notProvisioned(target.stack, undefined);
    const values = await readStackOutputs(target, true);
    return { outputs: toDeployedOutputs(target.stack, values), secretValues: secretValuesOf(values) };
  } catch (error) {
    if (error instanceof DriverError) throw error;
    if (error instanceof StackNotFoundError) throw notProvisioned(target.stack, error);
    throw classifyEngineError(target.stack, "reading the outputs", error);
  }
}

/** Sets stack config in Pulumi.<stack>.yaml (one call); plain text, as every setting here is. */
export async function setStackConfig(target: StackTarget, values: Readonly<Record<string, string>>): Promise<void> {
  const pairs = Object.entries(values).flatMap(([key, value]) => ["--plaintext", `${key}=${value}`]);
  if (pairs.length > 0) await runOnStack(target, ["config", "set-all", ...pairs]);
}

/** Removes stack config keys from Pulumi.<stack>.yaml (one call). */
export async function removeStackConfig(target: StackTarget, keys: readonly string[]): Promise<void> {
  if (keys.length > 0) await runOnStack(target, ["config", "rm-all", ...keys]);
}
