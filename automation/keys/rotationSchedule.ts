import type { Environment, RotationPhase } from "../../infra/config";
import { ourCommand } from "../stacks/printedCommands";
import { dayAfter, daysBetween, rotationDueAtDays } from "./keyContract";

/** Where the stack's key rotation stands, for reports and `rotate status`. */
export interface RotationSchedule {
  readonly phase: RotationPhase;
  /** The day the current key reaches the stack's limit. */
  readonly dueDate: string;
  /** Whole days until then (negative when overdue). */
  readonly daysLeft: number;
  /** One sentence saying what to do next, with the command. */
  readonly advice: string;
}

export function rotationSchedule(options: {
  stack: Environment;
  phase: RotationPhase;
  /** Creation time of the current key (during a rotation: the new key, i.e. when the rotation started). */
  currentKeyCreated: Date;
  keyMaxAgeDays: number;
  /** Days before the limit from which the rotation is due (default: from 90% of the limit). */
  rotateAheadDays?: number | undefined;
  now: Date;
}): RotationSchedule {
  const { stack, phase, currentKeyCreated, keyMaxAgeDays, rotateAheadDays, now } = options;
  const ageDays = daysBetween(currentKeyCreated, now);
  const dueDate = dayAfter(currentKeyCreated, keyMaxAgeDays);
  const daysLeft = Math.ceil(keyMaxAgeDays - ageDays);
  const ago = Math.floor(ageDays);
  const since = ago === 0 ? "today" : `${ago} day${ago === 1 ? "" : "s"} ago`;
  const advice = (() => {
    switch (phase) {
      case "started":
        return `rotation started ${since}: deploy the new key, then \`${ourCommand("rotate", stack, "finish")}\``;
      case "old-key-inactive":
        return `rotation paused with the old key Inactive: \`${ourCommand("rotate", stack, "finish")}\` deletes it, \`${ourCommand("rotate", stack, "reactivate")}\` turns it back on`;
      case "contained":
        return `emergency rotation ${since}: the old key is Inactive; once CloudTrail shows what it did, \`${ourCommand("rotate", stack, "finish")}\` deletes it`;
      case "finishing":
        return `the old key is being deleted: \`${ourCommand("rotate", stack, "finish")}\` completes the rotation`;
      case "idle":
        if (daysLeft <= 0) return `rotation overdue since ${dueDate}: \`${ourCommand("rotate", stack, "start")}\``;
        if (ageDays >= rotationDueAtDays(keyMaxAgeDays, rotateAheadDays))
          return `rotate in ${daysLeft} day${daysLeft === 1 ? "" : "s"} (by ${dueDate}): \`${ourCommand("rotate", stack, "start")}\``;
        return `next rotation due ${dueDate} (${daysLeft} days)`;
    }
  })();
  return { phase, dueDate, daysLeft, advice };
}
