import { planAccessKeys } from "../../infra/components/accessKeySlots";
import type { Environment, StackSettings } from "../../infra/config";
import { ourCommand } from "../stacks/printedCommands";
import { UsageError } from "../errors";
import type { DeploymentState } from "../engine/deploymentState";

/**
 * The key guard: an update must never delete the key the stack hands out (consumers run on it) except
 * through `rotate finish`. That happens when Pulumi.<stack>.yaml is older than the stack's last
 * rotation (a checkout without the committed rotation, or a hand edit): the config would bring back
 * the old slot and drop the current one. Checked from the state before the engine runs.
 */
export function guardCurrentKey(stack: Environment, settings: Pick<StackSettings, "accessKeySlot" | "rotation" | "protect">, state: DeploymentState): void {
  const current = state.accessKeys.find((key) => key.id === state.currentAccessKeyId);
  if (!current) return;
  const keptSlots = planAccessKeys({ slot: settings.accessKeySlot, rotation: settings.rotation, protect: settings.protect }).map((key) => key.slot);
  if (keptSlots.includes(current.slot)) return;
  throw new UsageError(
    `Pulumi.${stack}.yaml would delete ${current.id}, the key stack ${stack} hands out (slot ${current.slot}): it is older than the stack's last key rotation; use the Pulumi.${stack}.yaml committed with that rotation (\`${ourCommand("rotate", stack, "status")}\` shows the keys)`,
  );
}
