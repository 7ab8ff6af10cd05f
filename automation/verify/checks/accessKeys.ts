import type { AccessKeyMetadata } from "@aws-sdk/client-iam";
import type { CheckOutcome } from "../types";
import { fail, pass, warn, type Check } from "./check";

/** IAM allows two access keys per user; rotation needs the second slot free. */
export const MAX_ACCESS_KEYS = 2;

/** Judges the user's keys against the key the stack handed out. */
export function assessAccessKeys(keys: readonly AccessKeyMetadata[], stackKeyId: string): CheckOutcome {
  const listing = keys.map((key) => `${key.AccessKeyId} ${key.Status}`).join(", ") || "none";
  const stackKey = keys.find((key) => key.AccessKeyId === stackKeyId);
  if (!keys.some((key) => key.Status === "Active")) return fail(`no Active access key (keys: ${listing})`);
  if (!stackKey) return fail(`stack key ${stackKeyId} does not exist (keys: ${listing})`);
  if (stackKey.Status !== "Active") return fail(`stack key ${stackKeyId} is ${stackKey.Status} (keys: ${listing})`);
  if (keys.length >= MAX_ACCESS_KEYS) {
    return warn(`${keys.length} keys, IAM's limit: no room to rotate until one is deleted (keys: ${listing})`);
  }
  return pass(`stack key ${stackKeyId} is Active; ${keys.length} of ${MAX_ACCESS_KEYS} keys used`);
}

export const accessKeys: Check = {
  id: "access-keys",
  title: "Access keys: stack key Active, within IAM's limit",
  async run(context) {
    return assessAccessKeys(await context.accessKeys(), context.input.accessKeyId);
  },
};
