import type { Environment, RotationPhase } from "../../infra/config";
import { lastUseOf } from "../keys/keyBook";
import { dayAfter, daysBetween, isoSeconds, rotationDueAtDays } from "../keys/keyContract";
import type { UserKey } from "../keys/userKeys";
import { ourCommand } from "../stacks/printedCommands";

/** What one `rotate <stack> auto` run does: one step at most, so it is safe every night. */
export type AutoAction = "none" | "start" | "wait" | "finish" | "refuse";

export interface AutoDecision {
  readonly action: AutoAction;
  /** One sentence: why, and what it waits for or what a person must do. */
  readonly reason: string;
  /** When waiting on time alone: the earliest moment the next run can move on. */
  readonly notBefore?: string;
}

/** What the decision rests on: the stack's schedule and what IAM says of its keys. */
export interface AutoFacts {
  readonly stack: Environment;
  readonly phase: RotationPhase;
  readonly now: Date;
  readonly keyMaxAgeDays: number;
  readonly rotateAheadDays?: number | undefined;
  readonly graceHours: number;
  /** The key the outputs name: during a rotation, the new one. */
  readonly current: UserKey;
  /** The old key of an open rotation, as IAM still holds it. */
  readonly old?: UserKey | undefined;
  /** Django reads the key from the stack's Secrets Manager secret (AWSCURRENT), so starting is the whole deploy. */
  readonly handsOffThroughSecret: boolean;
}

const HOUR_MS = 3_600_000;

/**
 * The nightly job's decision, phase by phase. Idle: start once the key is due, else nothing. Started:
 * finish once the old key went quiet for a grace: unused since the new key went live, or last used a
 * grace ago or more (IAM's last-use records lag by hours). Within the grace of the new key's creation
 * consumers are still moving: wait. A consumer still on the old key after that grace needs a person:
 * refuse, naming the key and its last use. The new key's own record is no evidence: the verification
 * signs with it. Paused by a person (old key Inactive) or contained in an emergency: leave it
 * to them. Finishing: complete it.
 */
export function decideAutoRotation(facts: AutoFacts): AutoDecision {
  const { stack, phase, now, current } = facts;
  switch (phase) {
    case "idle": {
      const dueAt = rotationDueAtDays(facts.keyMaxAgeDays, facts.rotateAheadDays);
      const age = daysBetween(current.createdAt, now);
      const ageText = `key ${current.id} is ${Math.floor(age)} days old (limit ${facts.keyMaxAgeDays})`;
      if (age >= dueAt)
        return { action: "start", reason: `${ageText}, and the schedule rotates it from ${dayAfter(current.createdAt, dueAt)} on: starting its rotation` };
      return { action: "none", reason: `${ageText}: the schedule starts its rotation on ${dayAfter(current.createdAt, dueAt)}; nothing to do` };
    }
    case "old-key-inactive":
      return {
        action: "none",
        reason: `a person paused this rotation with the old key Inactive: they finish it (\`${ourCommand("rotate", stack, "finish")}\`) or turn the key back on (\`${ourCommand("rotate", stack, "reactivate")}\`)`,
      };
    case "contained":
      return {
        action: "none",
        reason: `an emergency contained the old key (Inactive, kept for the investigation): a person deletes it once the incident is closed (\`${ourCommand("rotate", stack, "finish")}\`)`,
      };
    case "finishing":
      return { action: "finish", reason: `the previous finish stopped while deleting the old key: completing it` };
    case "started":
      return decideFinish(facts);
  }
}

function decideFinish(facts: AutoFacts): AutoDecision {
  const { stack, now, current, old, graceHours } = facts;
  if (!old) return { action: "finish", reason: `IAM no longer holds the old key: finishing the rotation` };
  const after = (since: Date) => new Date(since.getTime() + graceHours * HOUR_MS);
  const graceFromNewKey = after(current.createdAt);
  // Judged on the old key alone: the new key's record also shows the verification's own calls with it.
  const oldUse = old.lastUsed?.at;
  const usedSinceNewKey = oldUse !== undefined && oldUse > current.createdAt;
  if (usedSinceNewKey && now < graceFromNewKey) {
    const how = facts.handsOffThroughSecret
      ? `Django takes the new key from the secret's AWSCURRENT when its processes restart or their secret cache refreshes (an hour by default)`
      : `Django needs a deploy with the new key: \`${ourCommand("outputs", stack, "--format", "env", "--show-secrets", "--out", "<file outside git>")}\``;
    return {
      action: "wait",
      reason: `the old key ${old.id} is still in use (${lastUseOf(old)}): ${how}; the grace of ${graceHours} hours runs until ${isoSeconds(graceFromNewKey)}`,
      notBefore: isoSeconds(graceFromNewKey),
    };
  }
  if (usedSinceNewKey && now < after(oldUse)) {
    return {
      action: "refuse",
      reason: `the old key ${old.id} is still in use more than ${graceHours} hours after ${current.id} went live (${isoSeconds(current.createdAt)}): it was ${lastUseOf(old)}; switch whatever still runs on it to ${current.id}, then this job finishes the rotation (\`${ourCommand("rotate", stack, "finish", "--force")}\` retires it anyway)`,
    };
  }
  const quietSince = usedSinceNewKey ? oldUse : current.createdAt;
  if (now < after(quietSince)) {
    return {
      action: "wait",
      reason: `the old key ${old.id} has not been used since ${current.id} went live (${lastUseOf(old)}); finishing once ${graceHours} hours have passed, as IAM's last-use records lag: after ${isoSeconds(after(quietSince))}`,
      notBefore: isoSeconds(after(quietSince)),
    };
  }
  return {
    action: "finish",
    reason: `the old key ${old.id} has not been used for ${graceHours} hours or more since ${current.id} went live (${lastUseOf(old)}): finishing the rotation`,
  };
}
