import { ourCommand } from "../stacks/printedCommands";
import type { VerificationReport } from "../verify";

/**
 * Checks whose FAIL means AWS lost or changed an object the stack manages. A plain update cannot see
 * that (it compares the program with the state, not with AWS); a refresh reads AWS into the state
 * first, and the update that follows puts back what the program declares.
 */
const STACK_OBJECT_CHECKS = ["user-exists", "policy-attached", "access-keys", "policy-drift", "tags", "credentials-secret"] as const;

/** What the run that produced a report did. */
export interface VerifiedRun {
  readonly stack: string;
  /** The state was refreshed from AWS before the update (provision --refresh, the demo). */
  readonly refreshed: boolean;
}

/**
 * One sentence saying that `provision --refresh` repairs the failure, when the report shows the
 * stack's objects missing (moto restarted empty) or changed outside Pulumi and the run did not refresh.
 */
export function refreshHint(report: VerificationReport, run: VerifiedRun): string | undefined {
  const failures = report.checks.filter((check) => check.status === "FAIL");
  // A refused read says nothing about drift: the operator lacks a permission.
  if (failures.some((check) => check.detail.includes("(AccessDenied"))) {
    return `AWS refused the operator's credentials (AccessDenied): they need what \`${ourCommand("operator-policy", run.stack)}\` prints`;
  }
  if (run.refreshed) return undefined;
  const failed = new Set(failures.map((check) => check.id));
  const repair = ourCommand("provision", run.stack, "--refresh");
  if (failed.has("user-exists")) {
    return `the stack's IAM user is missing in AWS (for the sandbox: moto restarted without its state), so run \`${repair}\` to recreate the user, policy and key`;
  }
  const changed = STACK_OBJECT_CHECKS.filter((id) => failed.has(id));
  if (changed.length === 0) return undefined;
  return `AWS no longer matches the stack's state (${changed.join(", ")} changed outside Pulumi), so run \`${repair}\` to repair it`;
}

/** The one line a failed verification ends with: how many checks failed and, when it applies, the repair. */
export function verificationFailedMessage(report: VerificationReport, run: VerifiedRun): string {
  const failed = `verification of stack ${run.stack} failed: ${report.summary.FAIL} of ${report.summary.total} checks failed`;
  const hint = refreshHint(report, run);
  return hint ? `${failed}; ${hint}` : failed;
}
