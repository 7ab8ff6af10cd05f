import { lintPolicy, type PolicyFinding } from "./lintPolicy";
import type { PolicyDocument } from "./policyDocument";

declare const guarded: unique symbol;
/** A policy document that passed the guard; only `guardPolicy` makes one, so nothing unchecked is deployed. */
export type GuardedPolicyDocument = PolicyDocument & { readonly [guarded]: true };

/** Thrown when the generated policy fails the guard; the deployment stops before registering anything. */
export class PolicyLintError extends Error {
  override readonly name = "PolicyLintError";

  constructor(readonly findings: readonly PolicyFinding[]) {
    super(`The backend's IAM policy failed the policy guard:\n${findings.map((f) => `  - ${f.message}`).join("\n")}`);
  }
}

/** Runs the guard; returns the document marked as checked, or throws with every finding. */
export async function guardPolicy(doc: PolicyDocument): Promise<GuardedPolicyDocument> {
  const findings = await lintPolicy(doc);
  if (findings.length > 0) throw new PolicyLintError(findings);
  return doc as GuardedPolicyDocument;
}
