import type { RotateResult } from "../commands/rotate";
import { lastUseOf } from "../keys/keyBook";
import type { RotationKey, RotationStatus } from "../rotation/rotationStatus";

const ROLE_LABELS: Record<RotationKey["role"], string> = {
  current: "current: the outputs name it",
  retiring: "old key of the open rotation",
  unmanaged: "adopted, not managed by the stack",
  unknown: "NOT the stack's",
};

function keyLine(key: RotationKey): string {
  const used = key.lastUsed ? lastUseOf({ lastUsed: { ...key.lastUsed, at: new Date(key.lastUsed.at) } }) : "never used";
  return `  ${key.id}  ${key.status.padEnd(8)}  ${ROLE_LABELS[key.role]}; created ${key.createdAt.slice(0, 10)} (${key.ageDays} days); ${used}`;
}

/** `rotate <stack> status`, and the closing summary of the other actions. */
export function renderRotationStatus(status: RotationStatus): string {
  return [`Key rotation of stack ${status.stack}: ${status.phase}`, ...status.keys.map(keyLine), `Next: ${status.schedule.advice}`, ""].join("\n");
}

export function renderRotateResult(result: RotateResult): string {
  if (result.action === "status") return renderRotationStatus(result.status);
  const notice = result.alertTopicNotice === null ? [] : [`Alert topic: ${result.alertTopicNotice}`];
  if (result.action === "auto" && (result.auto?.action === "none" || result.auto?.action === "wait"))
    return ["", renderRotationStatus(result.status), ...notice, ""].join("\n");
  return ["", renderRotationStatus(result.status), ...notice, ...result.nextSteps.map((step) => `- ${step}`), ""].join("\n");
}
