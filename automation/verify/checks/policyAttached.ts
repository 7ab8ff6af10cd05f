import { backendIdentityNames } from "../../../infra/components/backendIdentity";
import type { Environment } from "../../../infra/config";
import { awsCliCommand, ourCommand } from "../../stacks/printedCommands";
import type { UserGroup } from "../context";
import type { CheckOutcome } from "../types";
import { fail, pass, type Check } from "./check";

/** What decides the check: where the user's policies come from. */
export interface PolicyPath {
  readonly stack: string;
  readonly environment: Environment;
  readonly userName: string;
  readonly policyArn: string;
  /** The stack's group, which alone should grant the policy. */
  readonly groupName: string;
  /** Managed policies attached to the user itself, by ARN. */
  readonly attachedToUser: readonly string[];
  /** Inline policies of the user, by name. */
  readonly inlineInUser: readonly string[];
  readonly groups: readonly Pick<UserGroup, "name" | "attachedPolicies">[];
}

/**
 * The user gets the stack's policy through the stack's group and nothing directly (CIS 1.15): the
 * policy attached to the group, the user a member, no managed or inline policy on the user itself.
 */
export function judgePolicyPath(path: PolicyPath): CheckOutcome {
  const { userName, policyArn, groupName, environment } = path;
  const group = path.groups.find((candidate) => candidate.name === groupName);
  const throughGroup = group?.attachedPolicies.some((policy) => policy.PolicyArn === policyArn) ?? false;
  const foreign = [...path.attachedToUser.filter((arn) => arn !== policyArn), ...path.inlineInUser.map((name) => `inline ${name}`)];
  const direct = path.attachedToUser.includes(policyArn);
  const problems = [
    !group && `${userName} is not a member of group ${groupName}`,
    group && !throughGroup && `${policyArn} is not attached to group ${groupName}`,
    direct && `${policyArn} is attached to the user directly`,
    foreign.length > 0 && `the user has policies of its own: ${foreign.join(", ")}`,
  ].filter((problem): problem is string => typeof problem === "string");
  if (problems.length === 0) return pass(`${policyArn} reaches ${userName} only through group ${groupName}`);
  const detach = awsCliCommand(environment, "iam", "detach-user-policy", "--user-name", userName, "--policy-arn", policyArn);
  const fixes = [
    // A plain update compares the program with the state only: the refresh sees what went missing in IAM.
    (!group || !throughGroup) && `\`${ourCommand("provision", path.stack, "--refresh")}\` puts the group back`,
    direct && (group && throughGroup ? `the group grants the policy, so \`${detach}\`` : "detach it once the group grants the policy"),
    foreign.length > 0 && "attach those to a group instead, or remove them",
  ].filter((fix): fix is string => typeof fix === "string");
  return fail(`${problems.join("; ")}: ${fixes.join("; ")}`);
}

export const policyAttached: Check = {
  id: "policy-attached",
  title: "Stack policy reaches the user only through its group",
  async run(context) {
    const { userName, policyArn, environment, stack } = context.input;
    const [attached, inline, groups] = await Promise.all([context.attachedPolicies(), context.inlinePolicies(), context.groups()]);
    return judgePolicyPath({
      stack,
      environment,
      userName,
      policyArn,
      groupName: backendIdentityNames(environment).groupName,
      attachedToUser: attached.map((policy) => policy.PolicyArn ?? policy.PolicyName ?? ""),
      inlineInUser: inline.map((policy) => policy.name),
      groups,
    });
  },
};
