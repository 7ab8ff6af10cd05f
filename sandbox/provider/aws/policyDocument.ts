import { canonicalPolicy } from "../../../infra/policy/canonicalPolicy";
import { containsUnknown, type PropertyBag } from "../wireValues";

/** The bridge accepts a policy document object and sends AWS its JSON text. */
export function policyJson(policy: unknown): string {
  return typeof policy === "string" ? policy : JSON.stringify(policy);
}

/** A check step: a policy input the program gave as a known object becomes the JSON text the state keeps (an unknown stays for the preview). */
export function policyInputAsJson(inputs: PropertyBag, key: string): void {
  const value = inputs[key];
  if (value !== undefined && typeof value === "object" && !containsUnknown(value)) inputs[key] = policyJson(value);
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

/** terraform's SuppressEquivalentPolicyDiffs: formatting, ordering and one-element lists do not matter. */
export function equivalentPolicies(old: unknown, next: unknown): boolean {
  if (old === undefined || next === undefined) return old === next;
  try {
    return canonicalPolicy(JSON.parse(policyJson(old))) === canonicalPolicy(JSON.parse(policyJson(next)));
  } catch {
    return policyJson(old) === policyJson(next);
  }
}
