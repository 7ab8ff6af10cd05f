import type { VerificationReport } from "../types";

/** Non-zero only when a check FAILed; warnings and skips do not fail a deploy. */
export function exitCodeFor(report: Pick<VerificationReport, "summary">): number {
  return report.summary.FAIL > 0 ? 1 : 0;
}
