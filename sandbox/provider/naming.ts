import { randomBytes } from "node:crypto";

/** The bridge's autoname: `<logical name>-<7 hex>` when the program sets no name. */
export function autoName(logicalName: string): string {
  return `${logicalName}-${randomBytes(4).toString("hex").slice(0, 7)}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Whether `name` has the shape autoName gives `logicalName` (how read recovers that fact on refresh). */
export function looksAutoNamed(logicalName: string, name: unknown): boolean {
  return typeof name === "string" && new RegExp(`^${escapeRegExp(logicalName)}-[0-9a-f]{7}$`).test(name);
}

let uniqueIdCounter = 0;

/**
 * terraform-plugin-sdk's `id.PrefixedUniqueId`: prefix + UTC timestamp to 1/10000 s + an 8-hex
 * counter (26 characters), the suffix of attachment ids and `namePrefix` names.
 */
export function prefixedUniqueId(prefix: string, now: Date = new Date()): string {
  uniqueIdCounter += 1;
  const timestamp = `${now.toISOString().replace(/[-:TZ.]/g, "")}0`;
  return `${prefix}${timestamp}${uniqueIdCounter.toString(16).padStart(8, "0")}`;
}

const UNIQUE_ID_SUFFIX = /^(.+)\d{18}[0-9a-f]{8}$/;

/** terraform's `create.NamePrefixFromName`: the prefix when `name` ends in a unique-id suffix. */
export function namePrefixFromName(name: string): string | undefined {
  return UNIQUE_ID_SUFFIX.exec(name)?.[1];
}
