import { canonicalStatement, statementList } from "../../../infra/policy/canonicalPolicy";
import type { LivePolicyDocument, LivePolicyStatement } from "./livePolicyDocument";

export interface PolicyDrift {
  /** Expected statements the live document lacks (or has changed), by Sid. */
  readonly missing: readonly string[];
  /** Live statements the expected document does not have, by Sid. */
  readonly unexpected: readonly string[];
  readonly versionDiffers: boolean;
}

/** Compares two policy documents statement by statement, as IAM reads them (infra's canonical form). */
export function diffPolicyDocuments(expected: LivePolicyDocument, live: LivePolicyDocument): PolicyDrift {
  const keyed = (document: LivePolicyDocument) =>
    statementList(document).map((statement, index) => ({
      key: canonicalStatement(statement),
      label: (statement as LivePolicyStatement).Sid || `Statement[${index}]`,
    }));
  const expectedStatements = keyed(expected);
  const liveStatements = keyed(live);
  const liveKeys = new Set(liveStatements.map((statement) => statement.key));
  const expectedKeys = new Set(expectedStatements.map((statement) => statement.key));
  return {
    missing: expectedStatements.filter((statement) => !liveKeys.has(statement.key)).map((statement) => statement.label),
    unexpected: liveStatements.filter((statement) => !expectedKeys.has(statement.key)).map((statement) => statement.label),
    versionDiffers: (expected.Version ?? "2008-10-17") !== (live.Version ?? "2008-10-17"),
  };
}

export function hasDrift(drift: PolicyDrift): boolean {
  return drift.missing.length > 0 || drift.unexpected.length > 0 || drift.versionDiffers;
}
