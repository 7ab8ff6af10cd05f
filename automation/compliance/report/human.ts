import pc from "picocolors";
import type { ComplianceReport } from "../assessCompliance";
import type { ComplianceStatus } from "../control";
import { complianceCountsLine, complianceVerdict, countFindings, describeControlIds } from "./summary";

/**
 * One line per control (status, title, every id, the reason; an accepted one with the architecture's
 * sentence and where it is written; the evidence), then the counts and the verdict; `color` defaults
 * to picocolors' detection.
 */
export function renderComplianceReport(report: ComplianceReport, options: { readonly color?: boolean } = {}): string {
  const colors = pc.createColors(options.color ?? pc.isColorSupported);
  const paint: Record<ComplianceStatus, (text: string) => string> = {
    PASS: colors.green,
    FAIL: colors.red,
    ACCEPTED: colors.cyan,
    NOT_ASSESSED: colors.dim,
  };
  const counts = countFindings(report.findings);
  const width = Math.max(...report.findings.map((finding) => finding.status.length)) + 2;
  const lines = [
    colors.bold(`Compliance: stack ${report.stack} (${report.environment}), ${report.assessedAt}`),
    "",
    ...report.findings.map((finding) => {
      const ids = describeControlIds(finding.controls);
      const accepted = finding.acceptance ? `; accepted by ${finding.acceptance.source}: ${finding.acceptance.decision}` : "";
      return `${paint[finding.status](`[${finding.status}]`.padEnd(width))} ${finding.title}${ids ? ` (${ids})` : ""}: ${finding.reason}${accepted}; ${colors.dim(`evidence: ${finding.evidence}`)}`;
    }),
    "",
    complianceCountsLine(counts),
    (counts.FAIL > 0 ? colors.red : colors.green)(colors.bold(complianceVerdict(counts))),
  ];
  return `${lines.join("\n")}\n`;
}
