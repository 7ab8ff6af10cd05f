import type { Environment } from "../config/environments";

/** Physical IAM names of one environment's backend identity; the Django deploy and runbooks use them. */
export interface BackendIdentityNames {
  readonly userName: string;
  readonly policyName: string;
  /** The group the user gets the policy through (CIS 1.15: users receive permissions only through groups). */
  readonly groupName: string;
}

export function backendIdentityNames(environment: Environment): BackendIdentityNames {
  const userName = `talentbase-backend-${environment}`;
  return { userName, policyName: `${userName}-s3-policy`, groupName: `${userName}-s3` };
}

/** Tags on the user and the policy (IAM groups take no tags), so an audit can tell what they are for and who manages them. */
export function backendTags(environment: Environment): Record<string, string> {
  return {
    Environment: environment,
    Project: "talentbase",
    Purpose: "backend-s3-access",
    ManagedBy: "pulumi",
  };
}
