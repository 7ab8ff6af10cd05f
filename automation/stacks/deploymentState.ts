import type { Stack } from "@pulumi/pulumi/automation";

export interface PendingOperation {
  readonly urn: string;
  /** creating, updating, deleting, reading, ... as the engine recorded it. */
  readonly type: string;
}

/** What the stack's last checkpoint says beyond its resources' values. */
export interface DeploymentState {
  /** Operations an interrupted update started and never finished. */
  readonly pendingOperations: readonly PendingOperation[];
  /** URNs of resources the engine refuses to delete. */
  readonly protectedUrns: readonly string[];
  readonly resourceCount: number;
  /** The Secrets Manager secrets the stack manages, with the recovery window their delete will use. */
  readonly secrets: readonly ManagedSecret[];
}

export interface ManagedSecret {
  readonly name: string;
  /** Days the secret stays restorable once deleted; 0: deleted at once. */
  readonly recoveryWindowInDays: number;
}

const SECRET_TYPE = "aws:secretsmanager/secret:Secret";
/** terraform's default, and what the delete uses when the state has none. */
const DEFAULT_RECOVERY_WINDOW_IN_DAYS = 30;

interface CheckpointResource {
  urn?: string;
  type?: string;
  protect?: boolean;
  outputs?: { name?: unknown; recoveryWindowInDays?: unknown };
}

interface Checkpoint {
  resources?: CheckpointResource[];
  pending_operations?: { resource?: CheckpointResource; type?: string }[];
}

/** Reads the checkpoint through `pulumi stack export` (no provider, no cloud API). */
export async function readDeploymentState(stack: Stack): Promise<DeploymentState> {
  const exported = await stack.exportStack();
  return summarizeCheckpoint((exported.deployment ?? {}) as Checkpoint);
}

export function summarizeCheckpoint(checkpoint: Checkpoint): DeploymentState {
  const resources = checkpoint.resources ?? [];
  return {
    pendingOperations: (checkpoint.pending_operations ?? []).map((operation) => ({
      urn: operation.resource?.urn ?? "(unknown resource)",
      type: operation.type ?? "unknown",
    })),
    protectedUrns: resources.filter((resource) => resource.protect === true).map((resource) => resource.urn ?? ""),
    resourceCount: resources.filter((resource) => !resource.type?.startsWith("pulumi:")).length,
    secrets: resources
      .filter((resource) => resource.type === SECRET_TYPE && typeof resource.outputs?.name === "string")
      .map((resource) => ({
        name: resource.outputs!.name as string,
        recoveryWindowInDays: typeof resource.outputs?.recoveryWindowInDays === "number" ? resource.outputs.recoveryWindowInDays : DEFAULT_RECOVERY_WINDOW_IN_DAYS,
      })),
  };
}
