import { CONFIG_NAMESPACE, type AccessKeySlot, type RotationPhase } from "../../infra/config";
import { removeStackConfig, setStackConfig, type StackTarget } from "../engine/stackState";

/**
 * Records where the rotation stands in the stack's config (Pulumi.<stack>.yaml), defaults left out:
 * the key slot the outputs name and the phase. `pulumi up -s <stack>` then deploys that phase too.
 */
export async function writeRotationConfig(target: StackTarget, slot: AccessKeySlot, phase: RotationPhase): Promise<void> {
  const key = (name: string) => `${CONFIG_NAMESPACE}:${name}`;
  const set: Record<string, string> = {};
  const remove: string[] = [];
  if (slot === "a") remove.push(key("accessKeySlot"));
  else set[key("accessKeySlot")] = slot;
  if (phase === "idle") remove.push(key("rotation"));
  else set[key("rotation")] = phase;
  await setStackConfig(target, set);
  await removeStackConfig(target, remove);
}
