import { DEFAULT_RECOVERY_DAYS, type AccessKeySlot } from "../../infra/config";
import { slotOfAccessKeyResource } from "../../infra/components/accessKeySlots";
import { RESOURCE_TYPES } from "../../infra/resourceTypes";

/** A resource of the checkpoint, as far as the driver needs it. */
export interface StateResource {
  readonly urn: string;
  readonly type: string;
  /** The logical name (the URN's last part). */
  readonly name: string;
  readonly id?: string;
  readonly protect: boolean;
  /** The resource's inputs as last deployed (plain JSON; secrets stay ciphertext). */
  readonly inputs: Readonly<Record<string, unknown>>;
}

export interface PendingOperation {
  readonly urn: string;
  /** creating, updating, deleting, reading, ... as the engine recorded it. */
  readonly type: string;
  /** What the engine was about to do it with: the resource's type, name and inputs. */
  readonly resource: Omit<StateResource, "id" | "protect">;
}

/** A key the stack holds, by slot. */
export interface StateAccessKey {
  readonly slot: AccessKeySlot;
  readonly id: string;
}

/** What the stack's last checkpoint says beyond its resources' values. */
export interface DeploymentState {
  /** Operations an interrupted update started and never finished. */
  readonly pendingOperations: readonly PendingOperation[];
  /** URNs of resources the engine refuses to delete. */
  readonly protectedUrns: readonly string[];
  readonly resourceCount: number;
  readonly resources: readonly StateResource[];
  readonly accessKeys: readonly StateAccessKey[];
  /** The stack's outputs as `pulumi stack output --json` prints them: secrets masked "[secret]". */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** The key the stack's outputs name (its current key), when the stack has outputs. */
  readonly currentAccessKeyId?: string;
  /** The Secrets Manager secrets the stack manages, with the recovery window their delete will use. */
  readonly secrets: readonly ManagedSecret[];
}

export interface ManagedSecret {
  readonly name: string;
  /** Days the secret stays restorable once deleted; 0: deleted at once. */
  readonly recoveryWindowInDays: number;
}

interface CheckpointResource {
  urn?: string;
  type?: string;
  id?: string;
  protect?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export interface Checkpoint {
  resources?: CheckpointResource[];
  pending_operations?: { resource?: CheckpointResource; type?: string }[];
}

/** How a checkpoint marks a secret value (its ciphertext sits beside the marker). */
const SECRET_SIGNATURE = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" } as const;

/** A checkpoint value with every secret in it replaced by "[secret]", as the CLI prints it without --show-secrets. */
function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  if (object[SECRET_SIGNATURE.key] === SECRET_SIGNATURE.value) return "[secret]";
  return Object.fromEntries(Object.entries(object).map(([name, item]) => [name, maskSecrets(item)]));
}

function toStateResource(resource: CheckpointResource): StateResource {
  const urn = resource.urn ?? "";
  return {
    urn,
    type: resource.type ?? "",
    name: urn.split("::").pop() ?? "",
    ...(resource.id ? { id: resource.id } : {}),
    protect: resource.protect === true,
    inputs: resource.inputs ?? {},
  };
}

/** What the driver needs from a checkpoint (`pulumi stack export`'s `deployment`). */
export function summarizeCheckpoint(checkpoint: Checkpoint): DeploymentState {
  const resources = (checkpoint.resources ?? []).map(toStateResource);
  const stackOutputs = checkpoint.resources?.find((resource) => resource.type === "pulumi:pulumi:Stack")?.outputs ?? {};
  const currentAccessKeyId = typeof stackOutputs["accessKeyId"] === "string" ? stackOutputs["accessKeyId"] : undefined;
  return {
    pendingOperations: (checkpoint.pending_operations ?? []).map((operation) => {
      const { id: _id, protect: _protect, ...resource } = toStateResource(operation.resource ?? {});
      return { urn: resource.urn || "(unknown resource)", type: operation.type ?? "unknown", resource };
    }),
    protectedUrns: resources.filter((resource) => resource.protect).map((resource) => resource.urn),
    resourceCount: resources.filter((resource) => !resource.type.startsWith("pulumi:")).length,
    resources,
    accessKeys: resources
      .filter((resource) => resource.type === RESOURCE_TYPES.accessKey && resource.id)
      .map((resource) => ({ slot: slotOfAccessKeyResource(resource.name), id: resource.id! })),
    outputs: maskSecrets(stackOutputs) as Record<string, unknown>,
    ...(currentAccessKeyId ? { currentAccessKeyId } : {}),
    secrets: (checkpoint.resources ?? [])
      .filter((resource) => resource.type === RESOURCE_TYPES.secret && typeof resource.outputs?.["name"] === "string")
      .map((resource) => ({
        name: resource.outputs!["name"] as string,
        recoveryWindowInDays:
          typeof resource.outputs?.["recoveryWindowInDays"] === "number" ? (resource.outputs["recoveryWindowInDays"] as number) : DEFAULT_RECOVERY_DAYS,
      })),
  };
}
