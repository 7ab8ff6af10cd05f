import { ourCommand } from "../../stacks/printedCommands";
import { bookKeys, describeKey, knownKeysOf, type BookedKey, type KnownKeys } from "../../keys/keyBook";
import { IAM_ACCESS_KEY_LIMIT } from "../../keys/keyContract";
import type { UserKey } from "../../keys/userKeys";
import type { CheckOutcome } from "../types";
import { fail, pass, warn, type Check } from "./check";

/**
 * Accounts for every key of the user: the stack's current key must be Active; the old key of an open
 * rotation is reported; a key adopted from setup-iam.sh is a warning until retired; an Active key
 * nobody accounts for is a failure (anyone holding its secret has the backend's access), naming the
 * command that removes it.
 */
export function assessAccessKeys(stack: string, keys: readonly UserKey[], known: KnownKeys, now: Date): CheckOutcome {
  const booked = bookKeys(keys, known);
  const current = booked.find((key) => key.role === "current");
  const retire = (key: BookedKey) => `\`${ourCommand("retire-key", stack, key.id)}\``;
  const lines = booked.map((key) => `${key.role === "unknown" ? "not the stack's" : key.role} key ${describeKey(key, now)}`);
  const listing = lines.join("; ") || "none";

  if (!current) return fail(`stack key ${known.current} does not exist (keys: ${listing})`);
  if (current.status !== "Active") return fail(`stack key ${current.id} is ${current.status} (keys: ${listing})`);
  const unknown = booked.filter((key) => key.role === "unknown");
  const activeUnknown = unknown.filter((key) => key.status === "Active");
  if (activeUnknown.length > 0) {
    const named = activeUnknown.map((key) => `${describeKey(key, now)}: remove it with ${retire(key)}`).join("; ");
    return fail(`an Active key the stack does not know: ${named} (keys: ${listing})`);
  }
  const warnings = [
    ...unknown.map((key) => `Inactive key ${key.id} is not the stack's: remove it with ${retire(key)}`),
    ...booked
      .filter((key) => key.role === "unmanaged")
      .map((key) => `key ${key.id} predates the stack (adopted): switch its consumers to ${current.id}, then ${retire(key)}`),
  ];
  if (warnings.length > 0) return warn(`${warnings.join("; ")} (keys: ${listing})`);
  if (booked.some((key) => key.role === "retiring")) return pass(`rotation open (keys: ${listing})`);
  return pass(`stack key ${current.id} is Active; ${booked.length} of the ${IAM_ACCESS_KEY_LIMIT} keys IAM allows a user`);
}

export const accessKeys: Check = {
  id: "access-keys",
  title: "Access keys: every key accounted for, the stack's key Active",
  async run(context) {
    const { stack, unmanagedAccessKeyIds } = context.input;
    return assessAccessKeys(stack, await context.userKeys(), knownKeysOf(context.input, unmanagedAccessKeyIds), context.now);
  },
};
