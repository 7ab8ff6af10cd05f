import type { CheckResult, VerificationReport } from "../../../automation/verify";
import { countStatuses } from "../../../automation/verify/report/summary";

export function sampleReport(checks: readonly Pick<CheckResult, "id" | "status" | "detail">[]): VerificationReport {
  const results = checks.map((check) => ({ ...check, title: `Title of ${check.id}`, durationMs: 12 }));
  return {
    stack: "dev",
    environment: "dev",
    startedAt: "2026-11-27T20:00:00.000Z",
    durationMs: 345,
    checks: results,
    summary: countStatuses(results),
  };
}
