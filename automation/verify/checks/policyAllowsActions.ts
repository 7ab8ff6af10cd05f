import { probeObjectArn, REQUIRED_BUCKET_ACTION, type AccessRequest } from "../policy/accessRequests";
import { describeDecision, evaluatorLabel } from "../policy/evaluation";
import { userAccess } from "../policy/userAccess";
import type { VerificationContext } from "../context";
import { fail, pass, type Check } from "./check";

function allowsCheck(id: string, action: string, resourceOf: (context: VerificationContext) => string): Check {
  return {
    id,
    title: `User's policies allow ${action} (evaluated)`,
    async run(context) {
      const { evaluation } = await userAccess(context);
      const request: AccessRequest = { action, resource: resourceOf(context) };
      const decision = evaluation.decisionOf(request);
      const detail = `${action} on ${request.resource}: ${describeDecision(decision)} (${evaluatorLabel(evaluation)})`;
      return decision === "allowed" ? pass(detail) : fail(detail);
    },
  };
}

const onBucket = (context: VerificationContext) => context.bucketArn;
const onProbeObject = (context: VerificationContext) => probeObjectArn(context.bucketArn);

export const policyAllowsListBucket = allowsCheck("policy-allows-list-bucket", REQUIRED_BUCKET_ACTION, onBucket);
export const policyAllowsPutObject = allowsCheck("policy-allows-put-object", "s3:PutObject", onProbeObject);
export const policyAllowsGetObject = allowsCheck("policy-allows-get-object", "s3:GetObject", onProbeObject);
export const policyAllowsDeleteObject = allowsCheck("policy-allows-delete-object", "s3:DeleteObject", onProbeObject);
