import type { CheckStatus, EvaluatorNote, RotationNote, StatusCounts, VerificationReport } from "../types";
import { verdictOf } from "./summary";

export interface JsonReport {
  readonly stack: string;
  readonly environment: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly checks: readonly {
    readonly id: string;
    readonly title: string;
    readonly status: CheckStatus;
    readonly detail: string;
    readonly durationMs: number;
  }[];
  readonly summary: StatusCounts & { readonly verdict: string };
  /** Which evaluator decided the policy checks, and why IAM's own simulator did not, when it did not. */
  readonly policyEvaluation?: EvaluatorNote;
  readonly rotation?: RotationNote;
}

/** The `--json` shape: stable field names for machines, nothing secret. */
export function toJsonReport(report: VerificationReport): JsonReport {
  return {
    stack: report.stack,
    environment: report.environment,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    checks: report.checks.map(({ id, title, status, detail, durationMs }) => ({ id, title, status, detail, durationMs })),
    summary: { ...report.summary, verdict: verdictOf(report.summary) },
    ...(report.policyEvaluation ? { policyEvaluation: report.policyEvaluation } : {}),
    ...(report.rotation ? { rotation: report.rotation } : {}),
  };
}
