import junit from "junit-report-builder";
import type { ComplianceReport } from "../assessCompliance";
import { describeControlIds } from "./summary";

/**
 * JUnit XML for CI: FAIL is a failure, NOT_ASSESSED is skipped, PASS and ACCEPTED pass; every case
 * carries its status and ids as properties and its evidence (and acceptance) on stdout.
 */
export function buildComplianceJunitXml(report: ComplianceReport): string {
  const builder = junit.newBuilder();
  const suite = builder.testSuite().name(`talentbase-iam compliance ${report.stack}`).timestamp(report.assessedAt).property("environment", report.environment);
  for (const finding of report.findings) {
    const accepted = finding.acceptance ? `\naccepted: ${finding.acceptance.decision} (${finding.acceptance.source})` : "";
    const testCase = suite
      .testCase()
      .className(`talentbase-iam.compliance.${report.stack}`)
      .name(`${finding.id}: ${finding.title}`)
      .property("status", finding.status)
      .property("controls", describeControlIds(finding.controls))
      .property("link", finding.link)
      .standardOutput(`${finding.status} ${finding.reason}\nevidence: ${finding.evidence}${accepted}`);
    if (finding.status === "FAIL") testCase.failure(finding.reason, "ComplianceFailure");
    if (finding.status === "NOT_ASSESSED") testCase.skipped();
  }
  return builder.build();
}
