import type { AttachedPolicy } from "@aws-sdk/client-iam";
import { backendIdentityNames } from "../../../infra/components/backendIdentity";
import { buildUploadsPolicy } from "../../../infra/policy";
import type { InlinePolicy, UserGroup } from "../context";
import { diffPolicyDocuments, hasDrift } from "../policy/policyDrift";
import { fail, pass, warn, type Check } from "./check";

/**
 * Every policy that reaches the user besides the stack's own through the stack's group: attached to or
 * inline in the user (the stack's policy attached directly included), the stack's group's others, and
 * whatever the user's other groups grant.
 */
export function otherPolicies(
  policyArn: string,
  groupName: string,
  user: { attached: readonly AttachedPolicy[]; inline: readonly InlinePolicy[] },
  groups: readonly UserGroup[],
): string[] {
  const grantsOf = (group: UserGroup, skip?: string) => [
    ...group.attachedPolicies.filter((policy) => policy.PolicyArn !== skip).map((policy) => `attached ${policy.PolicyName}`),
    ...group.inlinePolicies.map((policy) => `inline ${policy.name}`),
  ];
  return [
    ...user.attached.map((policy) => `attached ${policy.PolicyName}${policy.PolicyArn === policyArn ? " (directly)" : ""}`),
    ...user.inline.map((policy) => `inline ${policy.name}`),
    ...groups.flatMap((group) => {
      const grants = grantsOf(group, group.name === groupName ? policyArn : undefined);
      if (group.name === groupName) return grants.map((grant) => `${grant} (group ${group.name})`);
      return [`group ${group.name}${grants.length > 0 ? ` (${grants.join(", ")})` : ""}`];
    }),
  ];
}

export const policyDrift: Check = {
  id: "policy-drift",
  title: "No drift: live policy equals the program's, no other policies on the user or its groups",
  async run(context) {
    const { policyArn } = context.input;
    const expected = buildUploadsPolicy({ bucketName: context.input.bucketName, partition: context.partition });
    const [live, attached, inline, groups] = await Promise.all([
      context.defaultPolicyVersion(policyArn),
      context.attachedPolicies(),
      context.inlinePolicies(),
      context.groups(),
    ]);
    const drift = diffPolicyDocuments(expected, live.document);
    if (hasDrift(drift)) {
      const parts = [
        drift.missing.length > 0 ? `missing or changed: ${drift.missing.join(", ")}` : "",
        drift.unexpected.length > 0 ? `unexpected: ${drift.unexpected.join(", ")}` : "",
        drift.versionDiffers ? `Version ${live.document.Version ?? "(none)"}` : "",
      ].filter(Boolean);
      return fail(`default version ${live.versionId} differs from the program's policy: ${parts.join("; ")}`);
    }
    const extras = otherPolicies(policyArn, backendIdentityNames(context.input.environment).groupName, { attached, inline }, groups);
    if (extras.length > 0) {
      return warn(`default version ${live.versionId} matches, but the user also has: ${extras.join(", ")}`);
    }
    return pass(`default version ${live.versionId} matches the program's policy; no other policies`);
  },
};
