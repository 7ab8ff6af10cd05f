import { bookKeys } from "../../keys/keyBook";
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

/**
 * The current key is judged against the stack's limit. The old key of an open rotation and keys
 * adopted from setup-iam.sh are reported with their age and fail only once older than the limit:
 * they are on their way out, but an over-age key is over age whoever holds it.
 */
export const keyAge: Check = {
  id: "access-key-age",
  title: "Access key age within the stack's limit",
  async run(context) {
    const { accessKeyId, retiringAccessKeyId, unmanagedAccessKeyIds, keyMaxAgeDays } = context.input;
    const booked = bookKeys(await context.userKeys(), {
      current: accessKeyId,
      ...(retiringAccessKeyId ? { retiring: retiringAccessKeyId } : {}),
      unmanaged: unmanagedAccessKeyIds,
    });
    const current = booked.find((key) => key.role === "current");
    if (!current) return fail(`stack key ${accessKeyId} not found; its age is unknown`);
    const outcome = assessKeyAge(current.createdAt, context.now, keyMaxAgeDays);
    const others = booked
      .filter((key) => key.role === "retiring" || key.role === "unmanaged")
      .map((key) => ({ key, outcome: assessKeyAge(key.createdAt, context.now, keyMaxAgeDays) }));
    const overAge = others.filter((other) => other.outcome.status === "FAIL");
    const details = [
      `key ${accessKeyId} is ${outcome.detail}`,
      ...others.map(({ key, outcome: other }) => `${key.role === "retiring" ? "old key of the open rotation" : "adopted key"} ${key.id} is ${other.detail.split(":")[0]}`),
    ].join("; ");
    if (outcome.status === "FAIL" || overAge.length > 0) return fail(details);
    return { status: outcome.status, detail: details };
  },
};
