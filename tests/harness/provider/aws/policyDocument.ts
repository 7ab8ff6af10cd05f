/** The bridge accepts a policy document object and sends AWS its JSON text. */
export function policyJson(policy: unknown): string {
  return typeof policy === "string" ? policy : JSON.stringify(policy);
}

/** AWS returns version documents URL-encoded (RFC 3986); moto returns them raw. Accept both. */
export function decodeLivePolicyDocument(document: string): string {
  try {
    JSON.parse(document);
    return document;
  } catch {
    return decodeURIComponent(document);
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Elements IAM treats as unordered sets, where a lone string means the same as a one-element list.
const SET_VALUED = new Set(["Action", "NotAction", "Resource", "NotResource"]);
const CASE_INSENSITIVE = new Set(["Action", "NotAction"]);

function asSortedSet(value: Json, lowerCase: boolean): Json {
  const items = (Array.isArray(value) ? value : [value]).map((item) =>
    lowerCase && typeof item === "string" ? item.toLowerCase() : item,
  );
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

/** A canonical text of a policy document, equal for documents IAM treats as the same policy. */
export function canonicalPolicy(json: string): string {
  const document = JSON.parse(json) as { [key: string]: Json };
  const statements = document.Statement === undefined ? [] : Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const normalized = {
    ...document,
    Statement: statements.map((statement) => JSON.stringify(sortKeys(normalizeStatement(statement)))).sort(),
  };
  return JSON.stringify(sortKeys(normalized));
}

/** terraform's SuppressEquivalentPolicyDiffs: formatting, ordering and one-element lists do not matter. */
export function equivalentPolicies(old: unknown, next: unknown): boolean {
  if (old === undefined || next === undefined) return old === next;
  try {
    return canonicalPolicy(policyJson(old)) === canonicalPolicy(policyJson(next));
  } catch {
    return policyJson(old) === policyJson(next);
  }
}
