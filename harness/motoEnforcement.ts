import type { PolicyDocument } from "../infra/policy/policyDocument";

/**
 * A policy as moto can enforce it. Moto matches every non-S3 request against resource "*" and treats
 * any Condition as failed, so a scoped grant would match nothing there: conditions go, non-S3
 * resources widen to "*". And moto names a request's action by the service's signing name, which for
 * CloudWatch is `monitoring` (PutMetricAlarm is checked as monitoring:PutMetricAlarm), so each
 * cloudwatch: action is granted under that name too. Otherwise the actions stay exactly the same: moto
 * proves the action list (each one needed, none missing), not the resource scoping, which the unit
 * tests prove with iam-simulate.
 */
export function motoEnforceableForm(policy: PolicyDocument): PolicyDocument {
  return {
    Version: policy.Version,
    Statement: policy.Statement.map(({ Condition: _condition, ...statement }) => ({
      ...statement,
      Action: statement.Action.flatMap((action) => (action.startsWith("cloudwatch:") ? [action, action.replace("cloudwatch:", "monitoring:")] : [action])),
      Resource: statement.Action.every((action) => action.startsWith("s3:")) ? statement.Resource : ["*"],
    })),
  };
}
