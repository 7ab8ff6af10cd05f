import { lastUseOf, type KeyRole } from "./keyBook";
import { isoSeconds } from "./keyContract";
import type { UserKey } from "./userKeys";

export interface RetirementVerdict {
  /** The old key still serves someone: retiring it now would break them. */
  readonly stillInUse: boolean;
  /** One sentence saying why, naming the last use. */
  readonly reason: string;
}

/**
 * Whether a key about to be retired is still in use, judged from IAM's last-use records against the
 * key that replaces it. In use: it signed a request after the replacement existed, and more recently
 * than the replacement did. So a consumer that switched (its last old-key call was before its first
 * new-key call) lets the old key go, while one still on the old key holds it. IAM updates last-use
 * records with a delay on real AWS (minutes to hours): wait a while after switching before retiring.
 */
export function judgeRetirement(old: UserKey, replacement: UserKey): RetirementVerdict {
  const oldUse = old.lastUsed?.at;
  if (!oldUse || oldUse <= replacement.createdAt) {
    return { stillInUse: false, reason: `${old.id} was not used since ${replacement.id} was created (${lastUseOf(old)})` };
  }
  const newUse = replacement.lastUsed?.at;
  if (newUse && newUse > oldUse) {
    return {
      stillInUse: false,
      reason: `${old.id} was ${lastUseOf(old)}, before ${replacement.id} was last used (${isoSeconds(newUse)}): its consumers moved on`,
    };
  }
  return {
    stillInUse: true,
    reason: `${old.id} is still in use: ${lastUseOf(old)}, after ${replacement.id} was created and ${newUse ? "more recently than it" : "while it was never used"}`,
  };
}

/** Whether a key of this role may be retired with retire-key (the stack's own keys go through rotate). */
export function retirableRole(role: KeyRole): boolean {
  return role === "unmanaged" || role === "unknown";
}
