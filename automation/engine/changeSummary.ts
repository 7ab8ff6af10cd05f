/** Resource operations counted by the engine, e.g. `{ create: 6 }` or `{ same: 6 }`. */
export type ChangeCounts = Readonly<Record<string, number>>;

/** Whether applying would change anything (everything other than `same` is a change). */
export function hasChanges(changes: ChangeCounts): boolean {
  return Object.entries(changes).some(([operation, count]) => operation !== "same" && count > 0);
}

/** One line: "create 6" / "update 1, unchanged 5" / "no changes (6 unchanged)". */
export function formatChangeSummary(changes: ChangeCounts): string {
  const unchanged = changes["same"] ?? 0;
  const parts = Object.entries(changes)
    .filter(([operation, count]) => operation !== "same" && count > 0)
    .map(([operation, count]) => `${operation} ${count}`);
  if (parts.length === 0) return `no changes (${unchanged} unchanged)`;
  return unchanged > 0 ? `${parts.join(", ")}, unchanged ${unchanged}` : parts.join(", ");
}

/**
 * What two updates in a row changed together: each operation summed. Unchanged is left out: what the
 * first update created, the second leaves unchanged, so no sum of the two counts means anything.
 */
export function addChanges(first: ChangeCounts, second: ChangeCounts): ChangeCounts {
  const sum: Record<string, number> = {};
  for (const [operation, count] of [...Object.entries(first), ...Object.entries(second)]) {
    if (operation !== "same") sum[operation] = (sum[operation] ?? 0) + count;
  }
  return sum;
}
