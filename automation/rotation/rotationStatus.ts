import type { Environment, RotationPhase } from "../../infra/config";
import type { DeployedOutputs } from "../engine/deployedOutputs";
import { bookKeys, knownKeysOf, type BookedKey } from "../keys/keyBook";
import { wholeDaysBetween } from "../keys/keyContract";
import { rotationSchedule, type RotationSchedule } from "../keys/rotationSchedule";
import type { UserKey } from "../keys/userKeys";

/** One key of the user, as `rotate status` shows it. */
export interface RotationKey {
  readonly id: string;
  readonly status: "Active" | "Inactive";
  readonly role: BookedKey["role"];
  readonly createdAt: string;
  readonly ageDays: number;
  readonly lastUsed: { readonly at: string; readonly service?: string; readonly region?: string } | null;
  /** Whether the stack's outputs (and the Django env, and the credentials secret) name this key. */
  readonly namedByOutputs: boolean;
}

export interface RotationStatus {
  readonly stack: Environment;
  readonly phase: RotationPhase;
  readonly keys: readonly RotationKey[];
  readonly schedule: RotationSchedule;
}

/** Where the stack's rotation stands: every key of the user with its role, and the schedule. */
export function rotationStatusOf(
  stack: Environment,
  phase: RotationPhase,
  userKeys: readonly UserKey[],
  outputs: DeployedOutputs,
  unmanaged: readonly string[],
  now: Date,
): RotationStatus {
  const keys = bookKeys(userKeys, knownKeysOf(outputs, unmanaged));
  const current = keys.find((key) => key.role === "current");
  return {
    stack,
    phase,
    keys: keys.map((key) => ({
      id: key.id,
      status: key.status,
      role: key.role,
      createdAt: key.createdAt.toISOString(),
      ageDays: wholeDaysBetween(key.createdAt, now),
      lastUsed: key.lastUsed ? { ...key.lastUsed, at: key.lastUsed.at.toISOString() } : null,
      namedByOutputs: key.id === outputs.accessKeyId,
    })),
    schedule: rotationSchedule({
      stack,
      phase,
      currentKeyCreated: current?.createdAt ?? new Date(outputs.accessKeyCreateDate),
      keyMaxAgeDays: outputs.keyMaxAgeDays,
      now,
    }),
  };
}
