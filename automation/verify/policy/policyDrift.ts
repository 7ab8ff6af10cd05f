import { statementsOf, type LivePolicyDocument, type LivePolicyStatement } from "./livePolicyDocument";

export interface PolicyDrift {
  /** Expected statements the live document lacks (or has changed), by Sid. */
  readonly missing: readonly string[];
  /** Live statements the expected document does not have, by Sid. */
  readonly unexpected: readonly string[];
  readonly versionDiffers: boolean;
}

const LIST_ELEMENTS = ["Action", "NotAction", "Resource", "NotResource"] as const;

/**
 * Compares two policy documents the way IAM reads them: a single value equals a one-element list,
 * and the order of statements and of list elements carries no meaning.
 */
export function diffPolicyDocuments(expected: LivePolicyDocument, live: LivePolicyDocument): PolicyDrift {
  const expectedStatements = statementsOf(expected).map(canonicalStatement);
  const liveStatements = statementsOf(live).map(canonicalStatement);
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

function canonicalStatement(statement: LivePolicyStatement, index: number): { key: string; label: string } {
  const canonical: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(statement)) {
    canonical[name] = (LIST_ELEMENTS as readonly string[]).includes(name) ? [...asList(value)].sort() : sortKeys(value);
  }
  return { key: JSON.stringify(sortKeys(canonical)), label: statement.Sid || `Statement[${index}]` };
}

function asList(value: unknown): readonly string[] {
  return Array.isArray(value) ? (value as string[]) : [value as string];
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
