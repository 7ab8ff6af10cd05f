import { paginateSimulatePrincipalPolicy, type ContextEntry, type IAMClient } from "@aws-sdk/client-iam";
import { requestKey, type AccessRequest } from "./accessRequests";
import type { Decision } from "./evaluation";

export const PRINCIPAL_SIMULATOR = "by IAM SimulatePrincipalPolicy";

/**
 * Asks IAM itself how it would decide each request for the user, with every policy that applies to
 * the user (attached, inline, permissions boundary). One paginated call per resource and request context.
 */
export async function simulateWithIam(
  iam: IAMClient,
  userArn: string,
  requests: readonly AccessRequest[],
): Promise<Map<string, Decision>> {
  const batches = new Map<string, { resource: string; context: AccessRequest["context"]; actions: string[] }>();
  for (const request of requests) {
    const batchKey = requestKey({ action: "", resource: request.resource, ...(request.context ? { context: request.context } : {}) });
    const batch = batches.get(batchKey) ?? { resource: request.resource, context: request.context, actions: [] };
    batch.actions.push(request.action);
    batches.set(batchKey, batch);
  }
  const decisions = new Map<string, Decision>();
  for (const { resource, context, actions } of batches.values()) {
    const pages = paginateSimulatePrincipalPolicy(
      { client: iam },
      {
        PolicySourceArn: userArn,
        ActionNames: actions,
        ...(resource === "*" ? {} : { ResourceArns: [resource] }),
        ...(context ? { ContextEntries: contextEntries(context) } : {}),
      },
    );
    for await (const page of pages) {
      for (const result of page.EvaluationResults ?? []) {
        if (!result.EvalActionName || !result.EvalDecision) continue;
        const answered: AccessRequest = { action: result.EvalActionName, resource, ...(context ? { context } : {}) };
        decisions.set(requestKey(answered), result.EvalDecision as Decision);
      }
    }
  }
  return decisions;
}

function contextEntries(context: Readonly<Record<string, string>>): ContextEntry[] {
  return Object.entries(context).map(([name, value]) => ({ ContextKeyName: name, ContextKeyType: "string", ContextKeyValues: [value] }));
}
