import type { AttachedPolicy } from "@aws-sdk/client-iam";
import type { SimulationIdentityPolicy } from "@cloud-copilot/iam-simulate";
import { describeAwsError } from "../../aws/errors";
import type { VerificationContext } from "../context";
import { allIamActions, leastPrivilegeRequests, requestKey, type LeastPrivilegeRequests } from "./accessRequests";
import type { Decision, PolicyEvaluation } from "./evaluation";
import { LOCAL_SIMULATOR, simulateLocally, type PrincipalPolicies } from "./localSimulator";
import { PRINCIPAL_SIMULATOR, simulateWithIam } from "./principalSimulator";

export interface UserAccess {
  readonly requests: LeastPrivilegeRequests;
  readonly evaluation: PolicyEvaluation;
}

/**
 * What the user may do, evaluated once per run for every required and forbidden request. IAM's own
 * simulator is preferred; where the endpoint lacks it (moto answers HTTP 500) or the operator may not
 * call it, the same policies are evaluated locally, and the evaluation says so.
 */
export function userAccess(context: VerificationContext): Promise<UserAccess> {
  return context.shared("user-access", async () => {
    const requests = leastPrivilegeRequests(context.bucketArn, await allIamActions());
    const all = [...requests.required, ...requests.forbidden];
    const userArn = await context.userArn();
    let decisions: Map<string, Decision>;
    let evaluator = PRINCIPAL_SIMULATOR;
    let fallbackReason: string | undefined;
    try {
      decisions = await simulateWithIam(context.admin.iam, userArn, all);
    } catch (error) {
      fallbackReason = `SimulatePrincipalPolicy failed: ${describeAwsError(error)}`;
      evaluator = LOCAL_SIMULATOR;
      decisions = await simulateLocally(await principalPolicies(context, userArn), all);
    }
    context.evaluatorNote = { evaluator, ...(fallbackReason ? { fallbackReason } : {}) };
    const evaluation: PolicyEvaluation = {
      evaluator,
      ...(fallbackReason ? { fallbackReason } : {}),
      // A request the evaluator did not answer is not allowed.
      decisionOf: (request) => decisions.get(requestKey(request)) ?? "implicitDeny",
    };
    return { requests, evaluation };
  });
}

/** Every policy IAM would apply to the user: attached managed (default versions) and inline, its own and its groups', and its boundary. */
async function principalPolicies(context: VerificationContext, userArn: string): Promise<PrincipalPolicies> {
  const [attached, inline, groups, user] = await Promise.all([context.attachedPolicies(), context.inlinePolicies(), context.groups(), context.user()]);
  const managedPolicy = async (policy: AttachedPolicy, label: string): Promise<SimulationIdentityPolicy> => ({
    name: label,
    policy: (await context.defaultPolicyVersion(policy.PolicyArn ?? "")).document,
  });
  const fromGroups = groups.flatMap((group) => [
    ...group.attachedPolicies.map((policy) => managedPolicy(policy, `${policy.PolicyName ?? policy.PolicyArn} (group ${group.name})`)),
    ...group.inlinePolicies.map(async ({ name, document }) => ({ name: `${name} (inline, group ${group.name})`, policy: document })),
  ]);
  const identityPolicies = await Promise.all([
    ...attached.map((policy) => managedPolicy(policy, policy.PolicyName ?? policy.PolicyArn ?? "")),
    ...inline.map(async ({ name, document }) => ({ name, policy: document })),
    ...fromGroups,
  ]);
  const boundaryArn = user.PermissionsBoundary?.PermissionsBoundaryArn;
  return {
    userArn,
    identityPolicies,
    ...(boundaryArn ? { permissionsBoundary: { name: boundaryArn, policy: (await context.defaultPolicyVersion(boundaryArn)).document } } : {}),
  };
}
