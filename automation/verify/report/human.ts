import pc from "picocolors";
import type { CheckStatus, VerificationReport } from "../types";
import { verdictOf } from "./summary";

export interface HumanReportOptions {
  /** Defaults to picocolors' detection (a TTY, and NO_COLOR unset). */
  readonly color?: boolean;
  /** Adds what only a maintainer needs: why the preferred policy evaluator did not run. */
  readonly debug?: boolean;
}

/** The report as verify-iam.sh printed it, one line per check, with counts that match the verdict. */
export function renderHumanReport(report: VerificationReport, options: HumanReportOptions = {}): string {
  const colors = pc.createColors(options.color ?? pc.isColorSupported);
  const paint: Record<CheckStatus, (text: string) => string> = {
    PASS: colors.green,
    WARN: colors.yellow,
    FAIL: colors.red,
    SKIP: colors.dim,
  };
  const { summary } = report;
  const lines = [
    colors.bold(`IAM verification: stack ${report.stack} (${report.environment})`),
    "",
    ...report.checks.map(
      (check) => `${paint[check.status](`[${check.status}]`.padEnd(6))} ${check.title}: ${check.detail} ${colors.dim(`(${check.durationMs} ms)`)}`,
    ),
    ...(options.debug && report.policyEvaluation?.fallbackReason
      ? [colors.dim(`Policy checks evaluated ${report.policyEvaluation.evaluator}: ${report.policyEvaluation.fallbackReason}`)]
      : []),
    "",
    `Passed: ${summary.PASS}  Warnings: ${summary.WARN}  Failed: ${summary.FAIL}  Skipped: ${summary.SKIP}  Total: ${summary.total}  (${report.durationMs} ms)`,
    (summary.FAIL > 0 ? colors.red : summary.WARN > 0 ? colors.yellow : colors.green)(colors.bold(verdictOf(summary))),
    ...(report.rotation ? [`Key rotation: ${report.rotation.advice}`] : []),
  ];
  return `${lines.join("\n")}\n`;
}
