type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Elements IAM treats as unordered sets, where a lone string means the same as a one-element list.
const SET_VALUED = new Set(["Action", "NotAction", "Resource", "NotResource"]);
// IAM matches action names case-insensitively (s3:GetBucketCors is s3:GetBucketCORS).
const CASE_INSENSITIVE = new Set(["Action", "NotAction"]);

function asSortedSet(value: Json, lowerCase: boolean): Json {
  const items = (Array.isArray(value) ? value : [value]).map((item) => (lowerCase && typeof item === "string" ? item.toLowerCase() : item));
  return [...new Set(items.map((item) => JSON.stringify(item)))].sort().map((item) => JSON.parse(item) as Json);
}

function normalizePrincipal(value: Json): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([kind, ids]) => [kind, asSortedSet(ids, false)]));
}

function normalizeCondition(value: Json): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([operator, keys]) => [
      operator,
      typeof keys === "object" && keys !== null && !Array.isArray(keys)
        ? Object.fromEntries(Object.entries(keys).map(([key, values]) => [key, asSortedSet(values, false)]))
        : keys,
    ]),
  );
}

function normalizeStatement(statement: Json): Json {
  if (typeof statement !== "object" || statement === null || Array.isArray(statement)) return statement;
  return Object.fromEntries(
    Object.entries(statement).map(([key, value]) => {
      if (SET_VALUED.has(key)) return [key, asSortedSet(value, CASE_INSENSITIVE.has(key))];
      if (key === "Principal" || key === "NotPrincipal") return [key, normalizePrincipal(value)];
      if (key === "Condition") return [key, normalizeCondition(value)];
      return [key, value];
    }),
  );
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys(value[key])]),
    );
  }
  return value;
}

/** The statements of a document, whether IAM gave one statement or a list. */
export function statementList(document: unknown): unknown[] {
  const statement = (document as { Statement?: unknown }).Statement;
  if (statement === undefined) return [];
  return Array.isArray(statement) ? statement : [statement];
}

/**
 * A canonical text of one statement, equal for statements IAM reads alike: key order, the order of
 * actions, resources and condition values, one-element lists and the case of action names do not matter.
 */
export function canonicalStatement(statement: unknown): string {
  return JSON.stringify(sortKeys(normalizeStatement(statement as Json)));
}

/**
 * A canonical text of a policy document, equal for documents IAM treats as the same policy. The one
 * definition of policy equality: the sandbox's provider diffs with it and the drift check compares with it.
 */
export function canonicalPolicy(document: unknown): string {
  const normalized = {
    ...(document as { [key: string]: Json }),
    Statement: statementList(document).map(canonicalStatement).sort(),
  };
  return JSON.stringify(sortKeys(normalized));
}
