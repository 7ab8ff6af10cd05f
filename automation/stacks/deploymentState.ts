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
}

interface CheckpointResource {
  urn?: string;
  type?: string;
  protect?: boolean;
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
  };
}
