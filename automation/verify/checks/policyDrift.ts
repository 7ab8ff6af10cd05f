import { buildUploadsPolicy } from "../../../infra/policy";
import { diffPolicyDocuments, hasDrift } from "../policy/policyDrift";
import { fail, pass, warn, type Check } from "./check";

export const policyDrift: Check = {
  id: "policy-drift",
  title: "No drift: live policy equals the program's, no other policies",
  async run(context) {
    const { policyArn } = context.input;
    const expected = buildUploadsPolicy({ bucketName: context.input.bucketName, partition: context.partition });
    const [live, attached, inline] = await Promise.all([
      context.defaultPolicyVersion(policyArn),
      context.attachedPolicies(),
      context.inlinePolicies(),
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
    const extras = [
      ...attached.filter((policy) => policy.PolicyArn !== policyArn).map((policy) => `attached ${policy.PolicyName}`),
      ...inline.map((policy) => `inline ${policy.name}`),
    ];
    if (extras.length > 0) {
      return warn(`default version ${live.versionId} matches, but the user also has: ${extras.join(", ")}`);
    }
    return pass(`default version ${live.versionId} matches the program's policy; no other policies`);
  },
};
