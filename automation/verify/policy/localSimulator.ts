import type { EvaluationResult, SimulationIdentityPolicy } from "@cloud-copilot/iam-simulate";
import { requestKey, type AccessRequest } from "./accessRequests";
import type { Decision } from "./evaluation";

/** Loaded on first use: only needed where IAM's own simulator is not (moto, or no permission to call it). */
const simulator = () => require("@cloud-copilot/iam-simulate") as typeof import("@cloud-copilot/iam-simulate");

export const LOCAL_SIMULATOR = "locally by iam-simulate";

export interface PrincipalPolicies {
  readonly userArn: string;
  readonly identityPolicies: readonly SimulationIdentityPolicy[];
  readonly permissionsBoundary?: SimulationIdentityPolicy;
}

/** Evaluates each request like IAM would for a user holding exactly these policies. */
export async function simulateLocally(principal: PrincipalPolicies, requests: readonly AccessRequest[]): Promise<Map<string, Decision>> {
  const accountId = principal.userArn.split(":")[4] ?? "";
  const decisions = new Map<string, Decision>();
  for (const request of requests) {
    const response = await simulator().runSimulation(
      {
        request: {
          principal: principal.userArn,
          action: request.action,
          resource: { resource: request.resource, accountId },
          contextVariables: { ...request.context },
        },
        identityPolicies: [...principal.identityPolicies],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(principal.permissionsBoundary ? { permissionBoundaryPolicies: [principal.permissionsBoundary] } : {}),
      },
      {},
    );
    if (response.resultType === "error") {
      throw new Error(`local evaluator rejected ${request.action}: ${response.errors.message}`);
    }
    decisions.set(requestKey(request), toDecision(response.overallResult));
  }
  return decisions;
}

function toDecision(result: EvaluationResult): Decision {
  if (result === "Allowed") return "allowed";
  if (result === "ExplicitlyDenied") return "explicitDeny";
  return "implicitDeny";
}
