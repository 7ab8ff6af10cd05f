import type { Environment } from "../../../infra/config";
import { bookKeys, knownKeysOf, lastUseOf, type BookedKey } from "../../keys/keyBook";
import { wholeDaysBetween } from "../../keys/keyContract";
import { ourCommand } from "../../stacks/printedCommands";
import type { CheckOutcome } from "../types";
import type { Check } from "./check";

/** prod's unused key is a finding (CIS 1.12 says disable it); elsewhere a warning. */
const IDLE_STATUS: Readonly<Record<Environment, "WARN" | "FAIL">> = { dev: "WARN", staging: "WARN", local: "WARN", prod: "FAIL" };

/**
 * CIS AWS Foundations 1.12: an Active key unused for `maxIdleDays` or more (never used since it was
 * made that long ago counts as unused). Judged for the stack's current key and the keys adopted from
 * setup-iam.sh; the old key of an open rotation is on its way out, and Inactive keys are disabled
 * already. Each idle key is named with what to do about it.
 */
export function judgeIdleKeys(stack: string, environment: Environment, keys: readonly BookedKey[], now: Date, maxIdleDays: number): CheckOutcome {
  const judged = keys.filter((key) => key.status === "Active" && (key.role === "current" || key.role === "unmanaged"));
  const idleDaysOf = (key: BookedKey) => wholeDaysBetween(key.lastUsed?.at ?? key.createdAt, now);
  const idle = judged.filter((key) => idleDaysOf(key) >= maxIdleDays);
  const lines = judged.map(
    (key) => `${key.role === "current" ? "key" : "adopted key"} ${key.id} ${lastUseOf(key)}${key.lastUsed ? "" : `, made ${idleDaysOf(key)} days ago`}`,
  );
  if (idle.length === 0) return { status: "PASS", detail: `used within ${maxIdleDays} days: ${lines.join("; ")}` };
  const remedies = idle.map((key) =>
    key.role === "current"
      ? `key ${key.id} unused for ${idleDaysOf(key)} days (limit ${maxIdleDays}): nothing runs on it; check Django's deploy uses it (\`${ourCommand("outputs", stack)}\`), or remove this environment's identity (\`${ourCommand("destroy", stack)}\`)`
      : `adopted key ${key.id} unused for ${idleDaysOf(key)} days (limit ${maxIdleDays}): \`${ourCommand("retire-key", stack, key.id)}\``,
  );
  return { status: IDLE_STATUS[environment], detail: remedies.join("; ") };
}

export const keyIdle: Check = {
  id: "access-key-idle",
  title: "Access keys used recently (CIS 1.12: unused credentials)",
  async run(context) {
    const { stack, environment, unmanagedAccessKeyIds, keyMaxIdleDays } = context.input;
    const booked = bookKeys(await context.userKeys(), knownKeysOf(context.input, unmanagedAccessKeyIds));
    return judgeIdleKeys(stack, environment, booked, context.now, keyMaxIdleDays);
  },
};
