import { IAMClient, paginateSimulatePrincipalPolicy, type ContextEntry } from "@aws-sdk/client-iam";
import { requestKey, type AccessRequest } from "./accessRequests";
import type { Decision } from "./evaluation";

export const PRINCIPAL_SIMULATOR = "by IAM SimulatePrincipalPolicy";

/**
 * Where SimulatePrincipalPolicy failed in this process (by endpoint), and why: asked once, not again
 * for every stack of a run (moto answers HTTP 500; an operator may not be allowed to call it).
 */
const unavailable = new Map<string, unknown>();

async function endpointKeyOf(iam: IAMClient): Promise<string> {
  const endpoint = await iam.config.endpoint?.();
  return endpoint ? `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port ?? ""}${endpoint.path}` : `aws:${await iam.config.region()}`;
}

/**
 * Asks IAM itself how it would decide each request for the user, with every policy that applies to
 * the user (attached, inline, permissions boundary). One paginated call per resource and request
 * context, each tried once: a failure is an answer (the caller evaluates locally), not something to
 * retry, and it is remembered for the rest of the process.
 */
export async function simulateWithIam(iam: IAMClient, userArn: string, requests: readonly AccessRequest[]): Promise<Map<string, Decision>> {
  const key = await endpointKeyOf(iam);
  if (unavailable.has(key)) throw unavailable.get(key);
  const oneAttempt = new IAMClient({
    region: iam.config.region,
    credentials: iam.config.credentials,
    ...(iam.config.endpoint ? { endpoint: iam.config.endpoint } : {}),
    maxAttempts: 1,
  });
  try {
    return await simulateBatches(oneAttempt, userArn, requests);
  } catch (error) {
    unavailable.set(key, error);
    throw error;
  } finally {
    oneAttempt.destroy();
  }
}

async function simulateBatches(iam: IAMClient, userArn: string, requests: readonly AccessRequest[]): Promise<Map<string, Decision>> {
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
