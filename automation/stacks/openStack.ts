import { mkdir } from "node:fs/promises";
import { LocalWorkspace, StackAlreadyExistsError, StackNotFoundError, type Stack } from "@pulumi/pulumi/automation";
import type { Environment } from "../../infra/config";
import { ourCommand } from "../commandHints";
import { DeploymentError } from "../errors";
import type { ProjectPaths } from "../projectPaths";
import { getPulumiCli } from "../toolchain/pulumiCli";
import { secretValuesOf, toDeployedOutputs, type DeployedOutputs } from "./deployedOutputs";
import { engineEnvironment } from "./engineEnvironment";
import { classifyEngineError } from "./knownFailures";

export interface OpenStackOptions {
  readonly paths: ProjectPaths;
  /** moto's URL for `local`; real stacks leave it to the operator's AWS_ENDPOINT_URL, if any. */
  readonly endpoint?: string;
  /** Create the stack when it does not exist yet (provision); otherwise it must exist. */
  readonly create: boolean;
}

/**
 * The stack in a LocalWorkspace on the project directory: the same program and Pulumi.<stack>.yaml
 * that `pulumi up -s <stack>` uses, with the engine environment of that stack.
 */
export async function openStack(stack: Environment, options: OpenStackOptions): Promise<Stack> {
  const { paths } = options;
  if (stack === "local") await mkdir(paths.localStateDir, { recursive: true });
  const args = { stackName: stack, workDir: paths.projectDir };
  const workspaceOptions = {
    pulumiCommand: await getPulumiCli(),
    envVars: engineEnvironment(stack, paths, options.endpoint),
  };
  if (options.create) {
    try {
      return await LocalWorkspace.createOrSelectStack(args, workspaceOptions);
    } catch (error) {
      // Another run created it between our select and our init: it exists now, so select it (that
      // run's lock then says clearly that an update is in progress).
      if (error instanceof StackAlreadyExistsError) return LocalWorkspace.selectStack(args, workspaceOptions);
      throw error;
    }
  }
  try {
    return await LocalWorkspace.selectStack(args, workspaceOptions);
  } catch (error) {
    if (error instanceof StackNotFoundError) {
      throw new DeploymentError("stack-not-found", `stack ${stack} has not been provisioned yet: run \`${ourCommand("provision", stack)}\` first`, { cause: error });
    }
    throw error;
  }
}

/** The stack if it exists, without creating it (nothing is written until the caller decides). */
export async function openStackIfExists(stack: Environment, options: Omit<OpenStackOptions, "create">): Promise<Stack | undefined> {
  try {
    return await openStack(stack, { ...options, create: false });
  } catch (error) {
    if (error instanceof DeploymentError && error.kind === "stack-not-found") return undefined;
    throw error;
  }
}

export interface StackOutputsRead {
  readonly outputs: DeployedOutputs;
  /** Every value the stack marks secret, so reports can be kept free of them. */
  readonly secretValues: readonly string[];
}

/** The deployed outputs of an existing stack, from its state (no cloud call). */
export async function readDeployedOutputs(stack: Environment, options: Omit<OpenStackOptions, "create">): Promise<StackOutputsRead> {
  try {
    const map = await (await openStack(stack, { ...options, create: false })).outputs();
    return { outputs: toDeployedOutputs(stack, map), secretValues: secretValuesOf(map) };
  } catch (error) {
    throw classifyEngineError(stack, "reading the outputs", error);
  }
}
