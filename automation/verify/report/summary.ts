import type { CheckResult, CheckStatus, StatusCounts } from "../types";

export function countStatuses(checks: readonly Pick<CheckResult, "status">[]): StatusCounts {
  const counts: Record<CheckStatus, number> = { PASS: 0, WARN: 0, FAIL: 0, SKIP: 0 };
  for (const check of checks) counts[check.status] += 1;
  return { ...counts, total: checks.length };
}

/** The verdict line, derived from the counts alone so it can never contradict them. */
export function verdictOf(summary: StatusCounts): string {
  const skipped = summary.SKIP > 0 ? `, ${summary.SKIP} skipped` : "";
  if (summary.FAIL > 0) return `FAILED: ${summary.FAIL} of ${summary.total} checks failed${skipped}`;
  if (summary.WARN > 0) return `Passed with ${summary.WARN} warning(s)${skipped}`;
  return `All ${summary.PASS} checks passed${skipped}`;
}
