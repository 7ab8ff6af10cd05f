import { backendIdentityNames } from "../../../infra/components/backendIdentity";
import { awsCliCommand, ourCommand } from "../../stacks/printedCommands";
import { CHECKOV_INDEX, fail, pass, securityHubLink, type Control } from "../control";
import { statementsOf, type AppliedPolicy } from "../policyGrants";

const names = (policies: readonly { name: string }[]) => policies.map((policy) => policy.name).join(", ");

/** An AWS managed policy (account `aws` in its ARN): not the account's to change. */
const isAwsManaged = (policy: AppliedPolicy) => policy.arn?.split(":")[4] === "aws";

export const permissionsOnlyThroughGroups: Control = {
  id: "cis-1.15",
  ids: { cis: "1.15", prowler: ["iam_policy_attached_only_to_group_or_roles"], checkov: ["CKV_AWS_40"], securityHub: ["IAM.2"] },
  title: "Permissions reach the user only through groups",
  link: securityHubLink("iam", "IAM.2"),
  assess({ evidence }) {
    const { attachedPolicies: attached, inlinePolicies: inline, groups } = evidence;
    const line = `attached to the user: ${names(attached) || "none"}; inline: ${names(inline) || "none"}; groups: ${names(groups) || "none"}`;
    if (attached.length === 0 && inline.length === 0) {
      return pass(`no policy is attached to the user or inline in it; it gets its permissions from group(s) ${names(groups) || "(none)"}`, line);
    }
    const { groupName, policyName } = backendIdentityNames(evidence.environment);
    const own = attached.find((policy) => policy.name === policyName);
    const others = [...attached.filter((policy) => policy !== own), ...inline];
    const detach = own && awsCliCommand(evidence.environment, "iam", "detach-user-policy", "--user-name", evidence.user.name, "--policy-arn", own.arn ?? "");
    const fixes = [
      // An adopted setup-iam.sh user keeps its direct attachment until the update after adoption removes it.
      ...(own
        ? [
            `${policyName} is attached to the user directly: \`${ourCommand("provision", evidence.stack)}\` detaches it when the stack took it over, otherwise, with group ${groupName} granting it, \`${detach}\``,
          ]
        : []),
      ...(others.length > 0 ? [`${names(others)} ${others.length === 1 ? "is" : "are"} not the stack's: attach to a group instead, or remove`] : []),
    ];
    return fail(fixes.join("; "), line);
  },
};

export const memberOfAGroup: Control = {
  id: "ckv2-aws-21",
  ids: { prowler: [], checkov: ["CKV2_AWS_21"], securityHub: [] },
  title: "The user is a member of at least one group",
  link: CHECKOV_INDEX,
  assess({ evidence }) {
    const line = `groups: ${names(evidence.groups) || "none"}`;
    if (evidence.groups.length > 0) return pass(`member of ${names(evidence.groups)}`, line);
    const { groupName } = backendIdentityNames(evidence.environment);
    return fail(`the user is in no group: \`${ourCommand("provision", evidence.stack)}\` makes it a member of ${groupName}`, line);
  },
};

/** Allow statements granting every action on every resource: the `*:*` of an administrator. */
function fullAdministratorGrants(policies: readonly AppliedPolicy[]): string[] {
  return policies
    .filter((policy) =>
      statementsOf(policy).some(
        (statement) =>
          statement.effect === "Allow" &&
          (statement.actions ?? []).some((action) => action === "*" || action === "*:*") &&
          (statement.resources ?? []).includes("*"),
      ),
    )
    .map((policy) => policy.label);
}

export const noFullAdministrator: Control = {
  id: "cis-1.16",
  ids: {
    cis: "1.16",
    prowler: [
      "iam_aws_attached_policy_no_administrative_privileges",
      "iam_customer_attached_policy_no_administrative_privileges",
      "iam_inline_policy_no_administrative_privileges",
    ],
    checkov: ["CKV_AWS_62", "CKV_AWS_1"],
    securityHub: ["IAM.1"],
  },
  title: "No policy of the user grants every action on every resource",
  link: securityHubLink("iam", "IAM.1"),
  assess({ grants }) {
    const line = `${grants.policies.length} policies apply: ${grants.policies.map((policy) => policy.label).join("; ") || "none"}`;
    const admin = fullAdministratorGrants(grants.policies);
    if (admin.length === 0) return pass('no Allow statement has Action "*" on Resource "*"', line);
    return fail(`${admin.join("; ")} grant${admin.length === 1 ? "s" : ""} "*" on "*": remove it from the user's path`, line);
  },
};

/** `*` or a whole service (`s3:*`), in an Allow statement of a policy the account wrote. */
function serviceWildcards(policies: readonly AppliedPolicy[]): string[] {
  // IAM.21 judges the policies the account wrote.
  const own = policies.filter((policy) => !isAwsManaged(policy));
  return own.flatMap((policy) =>
    statementsOf(policy)
      .filter((statement) => statement.effect === "Allow")
      .flatMap((statement) => (statement.actions ?? []).filter((action) => action === "*" || /^[^:]+:\*$/.test(action)))
      .map((action) => `${policy.label} allows ${action}`),
  );
}

export const noServiceWildcards: Control = {
  id: "iam-21",
  ids: { prowler: [], checkov: [], securityHub: ["IAM.21"] },
  title: "The account's own policies name actions, never a whole service",
  link: securityHubLink("iam", "IAM.21"),
  assess({ grants }) {
    const line = `${grants.policies.length} policies apply`;
    const wildcards = serviceWildcards(grants.policies);
    if (wildcards.length === 0) return pass('no Allow statement of a customer managed or inline policy grants "*" or "<service>:*"', line);
    return fail(`${wildcards.join("; ")}: list the actions`, line);
  },
};

/** The AWS managed policy CIS 1.22 and IAM.27 are about. */
const CLOUDSHELL_FULL_ACCESS = "AWSCloudShellFullAccess";

export const noCloudShellFullAccess: Control = {
  id: "cis-1.22",
  ids: { cis: "1.22", prowler: ["iam_policy_cloudshell_admin_not_attached"], checkov: [], securityHub: ["IAM.27"] },
  title: "The user cannot use CloudShell with full access",
  link: securityHubLink("iam", "IAM.27"),
  assess({ grants }) {
    const line = `${grants.policies.length} policies apply (the account's other identities are not judged here)`;
    const found = grants.policies.filter((policy) => policy.name === CLOUDSHELL_FULL_ACCESS && isAwsManaged(policy));
    if (found.length === 0) return pass(`${CLOUDSHELL_FULL_ACCESS} reaches the user neither directly nor through a group`, line);
    return fail(`${found.map((policy) => policy.label).join("; ")}: detach it`, line);
  },
};
