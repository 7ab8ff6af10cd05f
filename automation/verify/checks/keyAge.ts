import { ourCommand } from "../../stacks/printedCommands";
import { bookKeys, knownKeysOf, type BookedKey } from "../../keys/keyBook";
import { dayAfter, daysBetween, rotationDueAtDays } from "../../keys/keyContract";
import type { CheckOutcome, CheckStatus } from "../types";
import { fail, type Check } from "./check";

/**
 * Judges a key's age against the stack's limit and says when rotation is (or was) due; a WARN or
 * FAIL ends with `remedy`, the command that deals with it.
 */
export function assessKeyAge(createdAt: Date, now: Date, maxAgeDays: number, remedy: string, rotateAheadDays?: number): CheckOutcome {
  const ageDays = daysBetween(createdAt, now);
  const dueDate = dayAfter(createdAt, maxAgeDays);
  const age = `${Math.floor(ageDays)} days old (limit ${maxAgeDays})`;
  if (ageDays > maxAgeDays) {
    return fail(`${age}: rotation overdue since ${dueDate} (${Math.floor(ageDays - maxAgeDays)} days): ${remedy}`);
  }
  const daysLeft = Math.ceil(maxAgeDays - ageDays);
  if (ageDays >= rotationDueAtDays(maxAgeDays, rotateAheadDays))
    return { status: "WARN", detail: `${age}: rotate by ${dueDate} (${daysLeft} days left): ${remedy}` };
  return { status: "PASS", detail: `${age}: rotation due ${dueDate} (${daysLeft} days left)` };
}

const SEVERITY: Readonly<Record<CheckStatus, number>> = { SKIP: 0, PASS: 1, WARN: 2, FAIL: 3 };

/**
 * The ages of the stack's keys, each with the command that deals with it. The current key is judged
 * against the limit: `rotate start` renews it (`rotate finish` first while a rotation is open). The
 * old key of an open rotation is what that rotation removes: past the limit it is a WARN naming
 * `rotate finish`, never a FAIL, so an overdue key rotates with every command succeeding. A key
 * adopted from setup-iam.sh past the limit FAILs with its `retire-key`.
 */
export function judgeKeyAges(stack: string, keys: readonly BookedKey[], now: Date, maxAgeDays: number, rotateAheadDays?: number): CheckOutcome {
  const current = keys.find((key) => key.role === "current");
  if (!current) return fail(`the stack's key is not among the user's keys; its age is unknown`);
  const rotationOpen = keys.some((key) => key.role === "retiring");
  const finish = `\`${ourCommand("rotate", stack, "finish")}\``;
  const currentRemedy = rotationOpen
    ? `${finish} completes the open rotation, then \`${ourCommand("rotate", stack, "start")}\``
    : `\`${ourCommand("rotate", stack, "start")}\``;
  const judged: CheckOutcome[] = [];
  const currentAge = assessKeyAge(current.createdAt, now, maxAgeDays, currentRemedy, rotateAheadDays);
  judged.push({ status: currentAge.status, detail: `key ${current.id} is ${currentAge.detail}` });
  for (const key of keys) {
    if (key.role === "retiring") {
      const age = assessKeyAge(key.createdAt, now, maxAgeDays, "");
      const overAge = age.status === "FAIL";
      const detail = `old key ${key.id} of the open rotation is ${age.detail.split(":")[0]}${overAge ? `, past the limit: ${finish} retires it` : ""}`;
      judged.push({ status: overAge ? "WARN" : "PASS", detail });
    } else if (key.role === "unmanaged") {
      const age = assessKeyAge(key.createdAt, now, maxAgeDays, "");
      const overAge = age.status === "FAIL";
      const detail = `adopted key ${key.id} is ${age.detail.split(":")[0]}${overAge ? `, past the limit: \`${ourCommand("retire-key", stack, key.id)}\` retires it` : ""}`;
      judged.push({ status: overAge ? "FAIL" : "PASS", detail });
    }
  }
  const status = judged.reduce<CheckStatus>((worst, outcome) => (SEVERITY[outcome.status] > SEVERITY[worst] ? outcome.status : worst), "PASS");
  return { status, detail: judged.map((outcome) => outcome.detail).join("; ") };
}

export const keyAge: Check = {
  id: "access-key-age",
  title: "Access key age within the stack's limit",
  async run(context) {
    const { stack, unmanagedAccessKeyIds, keyMaxAgeDays, rotateAheadDays } = context.input;
    const booked = bookKeys(await context.userKeys(), knownKeysOf(context.input, unmanagedAccessKeyIds));
    return judgeKeyAges(stack, booked, context.now, keyMaxAgeDays, rotateAheadDays);
  },
};
