import { isoSeconds, wholeDaysBetween } from "./keyContract";
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

/**
 * The keys a stack knows, from the key ids its outputs name (absent before the first deployment) and
 * the adopted keys its config lists: the one definition every key book uses.
 */
export function knownKeysOf(
  named: { readonly accessKeyId?: string | undefined; readonly retiringAccessKeyId?: string | undefined } | undefined,
  unmanaged: readonly string[],
): KnownKeys {
  return {
    ...(named?.accessKeyId ? { current: named.accessKeyId } : {}),
    ...(named?.retiringAccessKeyId ? { retiring: named.retiringAccessKeyId } : {}),
    unmanaged,
  };
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

/** "41 days" (whole days, floored). */
export function ageOf(key: Pick<UserKey, "createdAt">, now: Date): string {
  const days = wholeDaysBetween(key.createdAt, now);
  return `${days} day${days === 1 ? "" : "s"}`;
}

/** "last used 2026-11-28T10:03:12Z (s3, us-east-1)" or "never used". */
export function lastUseOf(key: Pick<UserKey, "lastUsed">): string {
  if (!key.lastUsed) return "never used";
  const where = [key.lastUsed.service, key.lastUsed.region].filter(Boolean).join(", ");
  return `last used ${isoSeconds(key.lastUsed.at)}${where ? ` (${where})` : ""}`;
}

/** One line naming a key: id, status, age and last use. */
export function describeKey(key: UserKey, now: Date): string {
  return `${key.id} (${key.status}, ${ageOf(key, now)} old, ${lastUseOf(key)})`;
}
