/** IAM allows two access keys per user: a rotation needs the second, so the user must hold only its own. */
export const IAM_ACCESS_KEY_LIMIT = 2;

/** Share of a key's allowed age from which its rotation is due by default (verification warns, `rotate auto` starts it). */
export const DUE_SOON_SHARE = 0.9;

/**
 * The age in days from which a key's rotation is due: `rotateAheadDays` before the limit when the stack
 * sets it, else at DUE_SOON_SHARE of the limit.
 */
export function rotationDueAtDays(keyMaxAgeDays: number, rotateAheadDays?: number): number {
  return rotateAheadDays === undefined ? keyMaxAgeDays * DUE_SOON_SHARE : keyMaxAgeDays - rotateAheadDays;
}

export const DAY_MS = 86_400_000;

/** Days between `since` and `now`, fractional. */
export function daysBetween(since: Date, now: Date): number {
  return (now.getTime() - since.getTime()) / DAY_MS;
}

/** Whole days between `since` and `now` (floored): a key's age as every report shows it. */
export function wholeDaysBetween(since: Date, now: Date): number {
  return Math.floor(daysBetween(since, now));
}

/** The day (YYYY-MM-DD) `days` after `since`. */
export function dayAfter(since: Date, days: number): string {
  return new Date(since.getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** A time as reports print it: ISO 8601 to the second, `2026-11-28T10:03:12Z`. */
export function isoSeconds(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}
