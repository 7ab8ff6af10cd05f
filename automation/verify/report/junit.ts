import junit from "junit-report-builder";
import type { VerificationReport } from "../types";

/** JUnit XML for CI: FAIL is a failure, SKIP is skipped, WARN passes with its detail on stdout. */
export function buildJunitXml(report: VerificationReport): string {
  const builder = junit.newBuilder();
  const suite = builder
    .testSuite()
    .name(`talentbase-iam verify ${report.stack}`)
    .time(report.durationMs / 1000)
    .property("environment", report.environment);
  for (const check of report.checks) {
    const testCase = suite
      .testCase()
      .className(`talentbase-iam.verify.${report.stack}`)
      .name(`${check.id}: ${check.title}`)
      .time(check.durationMs / 1000)
      .property("status", check.status)
      .standardOutput(`${check.status} ${check.detail}`);
    if (check.status === "FAIL") testCase.failure(check.detail, "VerificationFailure");
    if (check.status === "SKIP") testCase.skipped();
  }
  return builder.build();
}
