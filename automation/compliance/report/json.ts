import type { ComplianceFinding, ComplianceReport } from "../assessCompliance";
import { complianceVerdict, countFindings, type ComplianceCounts } from "./summary";

export interface ComplianceJson {
  readonly stack: string;
  readonly environment: string;
  readonly assessedAt: string;
  /** The CIS version the `cis` ids number. */
  readonly benchmark: string;
  readonly findings: readonly ComplianceFinding[];
  readonly summary: ComplianceCounts & { readonly verdict: string };
}

export const CIS_VERSION = "CIS AWS Foundations Benchmark v3.0.0";

/** The `--json` shape: every finding with all its ids, and counts that match them. */
export function toComplianceJson(report: ComplianceReport): ComplianceJson {
  const counts = countFindings(report.findings);
  return {
    stack: report.stack,
    environment: report.environment,
    assessedAt: report.assessedAt,
    benchmark: CIS_VERSION,
    findings: report.findings,
    summary: { ...counts, verdict: complianceVerdict(counts) },
  };
}
