import type { Environment } from "../config/environments";

/** Physical IAM names of one environment's backend identity; the Django deploy and runbooks use them. */
export interface BackendIdentityNames {
  readonly userName: string;
  readonly policyName: string;
}

export function backendIdentityNames(environment: Environment): BackendIdentityNames {
  const userName = `talentbase-backend-${environment}`;
  return { userName, policyName: `${userName}-s3-policy` };
}

/** Tags on the user and the policy, so an audit can tell what they are for and who manages them. */
export function backendTags(environment: Environment): Record<string, string> {
  return {
    Environment: environment,
    Project: "talentbase",
    Purpose: "backend-s3-access",
    ManagedBy: "pulumi",
  };
}
