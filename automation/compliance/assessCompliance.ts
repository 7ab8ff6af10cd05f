import type { Acceptance, ComplianceStatus, Control, ControlIds } from "./control";
import { ALL_CONTROLS } from "./controls";
import type { Evidence } from "./evidence";
import { analyseGrants, policiesApplyingTo } from "./policyGrants";

/** One control's outcome for one stack: what the reports carry. */
export interface ComplianceFinding {
  readonly id: string;
  readonly controls: ControlIds;
  readonly title: string;
  readonly link: string;
  readonly status: ComplianceStatus;
  readonly reason: string;
  /** What was looked at, in one line. */
  readonly evidence: string;
  /** The written decision behind an ACCEPTED finding. */
  readonly acceptance?: Acceptance;
}

/** The findings of one stack, and when they were made. */
export interface ComplianceReport {
  readonly stack: string;
  readonly environment: string;
  readonly assessedAt: string;
  readonly findings: readonly ComplianceFinding[];
}

/**
 * Judges every control against one stack's evidence, in catalogue order. No AWS call: the policies'
 * grants are expanded from bundled IAM data, everything else is read from `evidence`.
 */
export async function assessCompliance(evidence: Evidence, controls: readonly Control[] = ALL_CONTROLS): Promise<ComplianceReport> {
  const grants = await analyseGrants(policiesApplyingTo(evidence));
  const findings = controls.map((control): ComplianceFinding => {
    const { status, reason, evidence: line, acceptance } = control.assess({ evidence, grants });
    return {
      id: control.id,
      controls: control.ids,
      title: control.title,
      link: control.link,
      status,
      reason,
      evidence: line,
      ...(acceptance ? { acceptance } : {}),
    };
  });
  return { stack: evidence.stack, environment: evidence.environment, assessedAt: evidence.now.toISOString(), findings };
}
