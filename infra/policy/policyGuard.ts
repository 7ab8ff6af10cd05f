import { lintPolicy, type PolicyFinding } from "./lintPolicy";
import type { PolicyDocument } from "./policyDocument";

/** Thrown when the generated policy fails the guard; the deployment stops before registering anything. */
export class PolicyLintError extends Error {
  override readonly name = "PolicyLintError";

  constructor(readonly findings: readonly PolicyFinding[]) {
    super(`The backend's IAM policy failed the policy guard:\n${findings.map((f) => `  - ${f.message}`).join("\n")}`);
  }
}

/** Runs the guard and throws with every finding if there is any. */
export async function assertPolicyPassesGuard(doc: PolicyDocument): Promise<void> {
  const findings = await lintPolicy(doc);
  if (findings.length > 0) throw new PolicyLintError(findings);
}
