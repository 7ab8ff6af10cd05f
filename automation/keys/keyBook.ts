import type { UserKey } from "./userKeys";

/**
 * What the stack knows about the user's keys. current: the key the outputs name (consumers run on
 * it); retiring: the old key of an open rotation; unmanaged: keys adopted from setup-iam.sh that the
 * stack tolerates until they are retired; unknown: anything else, a key nobody accounts for.
 */
export type KeyRole = "current" | "retiring" | "unmanaged" | "unknown";

export interface KnownKeys {
  readonly current?: string;
  readonly retiring?: string;
  readonly unmanaged: readonly string[];
}

export interface BookedKey extends UserKey {
  readonly role: KeyRole;
}

export function bookKeys(keys: readonly UserKey[], known: KnownKeys): BookedKey[] {
  return keys.map((key) => ({ ...key, role: roleOf(key.id, known) }));
}

function roleOf(id: string, known: KnownKeys): KeyRole {
  if (id === known.current) return "current";
  if (id === known.retiring) return "retiring";
  if (known.unmanaged.includes(id)) return "unmanaged";
  return "unknown";
}

const DAY_MS = 86_400_000;

/** "41 days" (whole days, floored). */
export function ageOf(key: Pick<UserKey, "createdAt">, now: Date): string {
  const days = Math.floor((now.getTime() - key.createdAt.getTime()) / DAY_MS);
  return `${days} day${days === 1 ? "" : "s"}`;
}

/** "last used 2026-11-28T10:03:12Z (s3, us-east-1)" or "never used". */
export function lastUseOf(key: Pick<UserKey, "lastUsed">): string {
  if (!key.lastUsed) return "never used";
  const where = [key.lastUsed.service, key.lastUsed.region].filter(Boolean).join(", ");
  return `last used ${key.lastUsed.at.toISOString().replace(/\.\d{3}Z$/, "Z")}${where ? ` (${where})` : ""}`;
}

/** One line naming a key: id, status, age and last use. */
export function describeKey(key: UserKey, now: Date): string {
  return `${key.id} (${key.status}, ${ageOf(key, now)} old, ${lastUseOf(key)})`;
}
