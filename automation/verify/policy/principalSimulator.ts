import { paginateSimulatePrincipalPolicy, type IAMClient } from "@aws-sdk/client-iam";
import { requestKey, type AccessRequest } from "./accessRequests";
import type { Decision } from "./evaluation";

export const PRINCIPAL_SIMULATOR = "by IAM SimulatePrincipalPolicy";

/**
 * Asks IAM itself how it would decide each request for the user, with every policy that applies to
 * the user (attached, inline, permissions boundary). One paginated call per resource.
 */
export async function simulateWithIam(
  iam: IAMClient,
  userArn: string,
  requests: readonly AccessRequest[],
): Promise<Map<string, Decision>> {
  const actionsByResource = new Map<string, string[]>();
  for (const request of requests) {
    actionsByResource.set(request.resource, [...(actionsByResource.get(request.resource) ?? []), request.action]);
  }
  const decisions = new Map<string, Decision>();
  for (const [resource, actions] of actionsByResource) {
    const pages = paginateSimulatePrincipalPolicy(
      { client: iam },
      { PolicySourceArn: userArn, ActionNames: actions, ...(resource === "*" ? {} : { ResourceArns: [resource] }) },
    );
    for await (const page of pages) {
      for (const result of page.EvaluationResults ?? []) {
        if (!result.EvalActionName || !result.EvalDecision) continue;
        decisions.set(requestKey({ action: result.EvalActionName, resource }), result.EvalDecision as Decision);
      }
    }
  }
  return decisions;
}
