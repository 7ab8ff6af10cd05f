import { backendTags } from "../../../infra/components/backendIdentity";
import { buildUploadsPolicy } from "../../../infra/policy";
import type { AssessmentInput } from "../../../automation/compliance/control";
import type { Evidence, KeyEvidence, PolicyEvidence, SecretEvidence } from "../../../automation/compliance/evidence";
import { analyseGrants, policiesApplyingTo } from "../../../automation/compliance/policyGrants";
import type { LivePolicyStatement } from "../../../automation/verify/policy/livePolicyDocument";

export const NOW = new Date("2026-12-05T12:00:00Z");
export const ACCOUNT = "123456789012";
export const CURRENT_KEY = "AKIAIOSFODNN7EXAMPLE";
export const OTHER_KEY = "AKIAI44QH8DHBEXAMPLE";

export function daysAgo(days: number): Date {
  return new Date(NOW.getTime() - days * 86_400_000);
}

export function key(id: string, role: KeyEvidence["role"], ageDays: number, lastUsedDaysAgo?: number, status: KeyEvidence["status"] = "Active"): KeyEvidence {
  return { id, status, role, createdAt: daysAgo(ageDays), ...(lastUsedDaysAgo === undefined ? {} : { lastUsedAt: daysAgo(lastUsedDaysAgo) }) };
}

export function policy(name: string, statements: readonly LivePolicyStatement[], arn?: string): PolicyEvidence {
  return { name, ...(arn ? { arn } : {}), document: { Version: "2012-10-17", Statement: statements } };
}

/** The stack's own policy, as the program deploys it for dev. */
export const STACK_POLICY: PolicyEvidence = {
  name: "talentbase-backend-dev-s3-policy",
  arn: `arn:aws:iam::${ACCOUNT}:policy/talentbase-backend-dev-s3-policy`,
  document: buildUploadsPolicy({ bucketName: "talentbase-dev-uploads", partition: "aws" }),
};

/** A dev stack as the program leaves it: the policy through the group, one key in use, no console. */
export function compliantEvidence(overrides: Partial<Evidence> = {}): Evidence {
  return {
    stack: "dev",
    environment: "dev",
    now: NOW,
    user: { name: "talentbase-backend-dev", arn: `arn:aws:iam::${ACCOUNT}:user/talentbase-backend-dev`, createdAt: daysAgo(300), tags: backendTags("dev") },
    mfaDeviceCount: 0,
    attachedPolicies: [],
    inlinePolicies: [],
    groups: [{ name: "talentbase-backend-dev-s3", attachedPolicies: [STACK_POLICY], inlinePolicies: [] }],
    keys: [key(CURRENT_KEY, "current", 20, 1)],
    rotation: "idle",
    keyMaxAgeDays: 90,
    ...overrides,
  };
}

export const PROD_SECRET: SecretEvidence = {
  name: "talentbase/prod/aws-credentials",
  createdAt: daysAgo(200),
  rotationEnabled: false,
  lastChangedAt: daysAgo(30),
  lastAccessedAt: daysAgo(1),
};

/** What a verdict is taken over, the grants expanded as assessCompliance does. */
export async function inputOf(evidence: Evidence): Promise<AssessmentInput> {
  return { evidence, grants: await analyseGrants(policiesApplyingTo(evidence)) };
}
