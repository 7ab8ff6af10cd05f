import type { AccessRequest } from "./accessRequests";

export type Decision = "allowed" | "explicitDeny" | "implicitDeny";

/** Decisions for a batch of requests, and which evaluator made them (reports must say). */
export interface PolicyEvaluation {
  readonly evaluator: string;
  /** Why the preferred evaluator did not run, when it did not. */
  readonly fallbackReason?: string;
  decisionOf(request: AccessRequest): Decision;
}

export function describeDecision(decision: Decision): string {
  switch (decision) {
    case "allowed":
      return "allowed";
    case "explicitDeny":
      return "explicitly denied";
    case "implicitDeny":
      return "implicitly denied";
  }
}

/** How a check line names its evaluator; why IAM's own simulator was not used goes in the JSON and --debug only. */
export function evaluatorLabel(evaluation: PolicyEvaluation): string {
  return `evaluated ${evaluation.evaluator}`;
}
