import type { CheckOutcome } from "../types";
import { fail, pass, warn, type Check } from "./check";

const DAY_MS = 86_400_000;
/** Share of the allowed age after which rotation is announced as due soon. */
const WARNING_SHARE = 0.9;

/** Judges a key's age against the stack's limit and says when rotation is (or was) due. */
export function assessKeyAge(createdAt: Date, now: Date, maxAgeDays: number): CheckOutcome {
  const ageDays = (now.getTime() - createdAt.getTime()) / DAY_MS;
  const dueAt = new Date(createdAt.getTime() + maxAgeDays * DAY_MS);
  const dueDate = dueAt.toISOString().slice(0, 10);
  const age = `${Math.floor(ageDays)} days old (limit ${maxAgeDays})`;
  if (ageDays > maxAgeDays) {
    return fail(`${age}: rotation overdue since ${dueDate} (${Math.floor(ageDays - maxAgeDays)} days)`);
  }
  const daysLeft = Math.ceil(maxAgeDays - ageDays);
  if (ageDays >= maxAgeDays * WARNING_SHARE) return warn(`${age}: rotate by ${dueDate} (${daysLeft} days left)`);
  return pass(`${age}: rotation due ${dueDate} (${daysLeft} days left)`);
}

export const keyAge: Check = {
  id: "access-key-age",
  title: "Access key age within the stack's limit",
  async run(context) {
    const { accessKeyId, keyMaxAgeDays } = context.input;
    const key = (await context.accessKeys()).find((candidate) => candidate.AccessKeyId === accessKeyId);
    if (!key?.CreateDate) return fail(`stack key ${accessKeyId} not found; its age is unknown`);
    const outcome = assessKeyAge(key.CreateDate, context.now, keyMaxAgeDays);
    return { ...outcome, detail: `key ${accessKeyId} is ${outcome.detail}` };
  },
};
