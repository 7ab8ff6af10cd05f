import type { ComplianceFinding } from "../assessCompliance";
import { COMPLIANCE_STATUSES, type ComplianceStatus, type ControlIds } from "../control";

export type ComplianceCounts = Readonly<Record<ComplianceStatus, number>> & { readonly total: number };

export function countFindings(findings: readonly Pick<ComplianceFinding, "status">[]): ComplianceCounts {
  const counts = Object.fromEntries(COMPLIANCE_STATUSES.map((status) => [status, 0])) as Record<ComplianceStatus, number>;
  for (const finding of findings) counts[finding.status] += 1;
  return { ...counts, total: findings.length };
}

/** The verdict line, from the counts alone so it never contradicts them. */
export function complianceVerdict(counts: ComplianceCounts): string {
  if (counts.FAIL > 0) return `FAILED: ${counts.FAIL} of ${counts.total} controls failed`;
  return `No control failed: ${counts.PASS} passed, ${counts.ACCEPTED} accepted by the architecture, ${counts.NOT_ASSESSED} not assessed`;
}

/** "Passed: 20  Failed: 0  Accepted: 7  Not assessed: 18  Total: 45". */
export function complianceCountsLine(counts: ComplianceCounts): string {
  return `Passed: ${counts.PASS}  Failed: ${counts.FAIL}  Accepted: ${counts.ACCEPTED}  Not assessed: ${counts.NOT_ASSESSED}  Total: ${counts.total}`;
}

/** "CIS 1.15, IAM.2, CKV_AWS_40, iam_policy_attached_only_to_group_or_roles": every id an auditor may search for. */
export function describeControlIds(ids: ControlIds): string {
  return [...(ids.cis ? [`CIS ${ids.cis}`] : []), ...ids.securityHub, ...ids.checkov, ...ids.prowler].join(", ");
}
