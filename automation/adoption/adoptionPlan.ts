import type { Environment, StackSettings } from "../../infra/config";
import type { ImportIds } from "../../infra/imports";
import { awsCliCommand, ourCommand } from "../stacks/printedCommands";
import { RefusedError } from "../errors";
import { describeKey } from "../keys/keyBook";
import { IAM_ACCESS_KEY_LIMIT } from "../keys/keyContract";
import type { UserKey } from "../keys/userKeys";
import { backendIdentityNames } from "../../infra/components/backendIdentity";
import { importIdsOf, type ExistingIdentity } from "./existingIdentity";

/** What `provision --adopt` will take over, leave alone, and tell the operator first. */
export interface AdoptionPlan {
  readonly imports: ImportIds;
  /** The user's existing keys: never importable with their secrets, left working, tracked until retired. */
  readonly unmanagedKeys: readonly UserKey[];
  /** Each a sentence: what differs from what setup-iam.sh made, and what the update does (or does not do) about it. */
  readonly findings: readonly string[];
}

/**
 * Plans the takeover of what the old setup-iam.sh made. The program's parts (user, managed policy,
 * the group that grants it, when one exists) are imported and brought to the program's form by an
 * in-place update; setup-iam.sh's direct attachment is imported too, and detached by a second update
 * once the group grants the policy. Anything else on the user is reported and left alone. Refused,
 * before any change, when the user has no room for the stack's own key.
 */
export function planAdoption(
  stack: Environment,
  existing: ExistingIdentity,
  settings: Pick<StackSettings, "userPath" | "permissionsBoundaryArn">,
  now: Date,
): AdoptionPlan {
  const { user, policy } = existing;
  const { groupName } = backendIdentityNames(stack);
  const keys = user?.keys ?? [];
  if (user && keys.length >= IAM_ACCESS_KEY_LIMIT) {
    const leastRecent = [...keys].sort((a, b) => (a.lastUsed?.at.getTime() ?? 0) - (b.lastUsed?.at.getTime() ?? 0))[0]!;
    throw new RefusedError(
      `user ${user.name} already has ${keys.length} access keys, IAM's limit, so the stack cannot add its own: ${keys.map((key) => describeKey(key, now)).join("; ")}; retire the one nothing uses first, e.g. \`${ourCommand("retire-key", stack, leastRecent.id)}\` (the least recently used), then adopt again`,
    );
  }

  const findings: string[] = [];
  if (user) {
    if (user.path !== settings.userPath)
      findings.push(`user ${user.name} has path ${user.path}; the update moves it to ${settings.userPath} (the stack's userPath)`);
    if ((user.permissionsBoundaryArn ?? "") !== (settings.permissionsBoundaryArn ?? "")) {
      findings.push(
        `user ${user.name} has permissions boundary ${user.permissionsBoundaryArn ?? "none"}; the update sets ${settings.permissionsBoundaryArn ?? "none"}`,
      );
    }
    if (user.loginProfile)
      findings.push(
        `user ${user.name} has a console password, which the stack does not manage and verification fails: delete it (\`${awsCliCommand(stack, "iam", "delete-login-profile", "--user-name", user.name)}\`)`,
      );
    for (const arn of user.otherPolicies)
      findings.push(`policy ${arn} is also attached to ${user.name}: not touched (verification fails on it: permissions only through groups)`);
    for (const name of user.inlinePolicies)
      findings.push(`inline policy ${name} on ${user.name}: not touched (verification fails on it: permissions only through groups)`);
    const otherGroups = user.groups.filter((name) => name !== groupName);
    if (otherGroups.length > 0) findings.push(`${user.name} is in group(s) ${otherGroups.join(", ")}: not touched; their policies apply to the backend too`);
    for (const key of keys) {
      findings.push(
        `access key ${describeKey(key, now)} is left as it is and keeps working: switch its consumers to the stack's key, then retire it with \`${ourCommand("retire-key", stack, key.id)}\``,
      );
    }
  } else {
    findings.push(`no user exists yet: the update creates it`);
  }
  if (policy) {
    findings.push(
      `policy ${policy.arn} gets the program's document as a new default version; its current default ${policy.defaultVersionId} is kept, as IAM keeps old versions`,
    );
    for (const entity of policy.otherEntities) findings.push(`the policy is also attached to ${entity}: the new document applies there too`);
  } else {
    findings.push(`no policy exists yet: the update creates it`);
  }
  findings.push(...groupFindings(existing, groupName, settings.userPath));
  return { imports: importIdsOf(existing), unmanagedKeys: keys, findings };
}

/** The group the policy reaches the user through: taken over or created, and how setup-iam.sh's direct attachment goes. */
function groupFindings({ user, group, attached }: ExistingIdentity, groupName: string, path: string): string[] {
  const userName = user?.name ?? "the user";
  const findings = group
    ? [
        `group ${groupName} exists and is taken over${group.path !== path ? `; the update moves it from path ${group.path} to ${path}` : ""}`,
        ...(group.grantsPolicy ? [] : [`the policy is not attached to group ${groupName}: the update attaches it`]),
        ...(group.hasUser ? [] : [`${userName} is not a member of group ${groupName}: the update adds it`]),
        ...group.otherPolicies.map((arn) => `policy ${arn} is also attached to group ${groupName}: not touched; it applies to the backend too`),
      ]
    : [`no group ${groupName} exists yet: the update creates it, attaches the policy to it and makes ${userName} a member`];
  if (attached) {
    findings.push(
      `the policy is attached to ${userName} directly (as setup-iam.sh did it): the update takes that attachment over and a second update detaches it, once group ${groupName} grants the policy, so the user never goes without it`,
    );
  }
  return findings;
}
