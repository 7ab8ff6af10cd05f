import { PolicyPack, type PolicyResource, type ReportViolation } from "@pulumi/policy";
import { RESOURCE_TYPES } from "../infra/resourceTypes";
import { directUserGrant, loginProfile, policiesOutsideGroups, wildcardActions, type ResourceFacts } from "./rules";

const facts = (resource: Pick<PolicyResource, "type" | "urn" | "props"> & { propertyDependencies?: Record<string, PolicyResource[]> }): ResourceFacts => ({
  type: resource.type,
  urn: resource.urn,
  props: resource.props,
  ...(resource.propertyDependencies
    ? {
        inputsFrom: Object.fromEntries(Object.entries(resource.propertyDependencies).map(([input, from]) => [input, from.map((dependency) => dependency.urn)])),
      }
    : {}),
});

const report = (reportViolation: ReportViolation, finding: string | undefined) => {
  if (finding) reportViolation(finding);
};

/**
 * The rules a preview can judge before anything exists (`preview --policy-pack policy`): the same
 * intent the verification and the compliance view check on the deployed stack. Mandatory: a preview
 * or update that breaks one fails.
 */
new PolicyPack("talentbase-iam", {
  enforcementLevel: "mandatory",
  policies: [
    {
      name: "permissions-only-through-groups",
      description: "Users get policies only through groups: no policy attached to or inline in a user (CIS 1.15, CKV_AWS_40)",
      validateResource: (args, reportViolation) => report(reportViolation, directUserGrant(facts(args))),
    },
    {
      name: "policies-attached-to-a-group",
      description: "Every managed policy of the stack is attached to one of its groups",
      validateStack: (args, reportViolation) => {
        for (const urn of policiesOutsideGroups(args.resources.map(facts))) reportViolation(`${urn} is attached to no group of the stack`, urn);
      },
    },
    {
      name: "no-wildcard-actions",
      description: "IAM policies allow named actions, never a wildcard or NotAction (IAM.21, CKV_AWS_355)",
      validateResource: (args, reportViolation) => {
        if (args.type !== RESOURCE_TYPES.policy) return;
        const wildcards = wildcardActions(args.props["policy"]);
        if (wildcards.length > 0) reportViolation(`allows ${wildcards.join(", ")}: list the actions instead`);
      },
    },
    {
      name: "no-console-password",
      description: "No login profile: the identities are programmatic-only (CIS 1.10, IAM.5)",
      validateResource: (args, reportViolation) => report(reportViolation, loginProfile(facts(args))),
    },
  ],
});
