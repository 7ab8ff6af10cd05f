import {
  GetGroupCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetUserCommand,
  paginateListAttachedGroupPolicies,
  paginateListAttachedUserPolicies,
  paginateListEntitiesForPolicy,
  paginateListGroupsForUser,
  paginateListUserPolicies,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { backendIdentityNames } from "../../infra/components/backendIdentity";
import type { StackSettings } from "../../infra/config";
import type { ImportIds } from "../../infra/imports";
import { RESOURCE_TYPES } from "../../infra/resourceTypes";
import { isAwsError } from "../aws/errors";
import { listUserKeys, type UserKey } from "../keys/userKeys";

/**
 * What IAM already holds under the stack's names, whoever made it: the old setup-iam.sh, or an
 * interrupted update whose creates never reached the state. Adoption and repair both start here.
 */
export interface ExistingIdentity {
  readonly user?: {
    readonly name: string;
    readonly arn: string;
    readonly path: string;
    readonly permissionsBoundaryArn?: string;
    readonly loginProfile: boolean;
    readonly groups: readonly string[];
    /** Managed policies attached besides the stack's. */
    readonly otherPolicies: readonly string[];
    readonly inlinePolicies: readonly string[];
    readonly keys: readonly UserKey[];
  };
  readonly policy?: {
    readonly arn: string;
    readonly defaultVersionId: string;
    /** Users, groups and roles it is attached to, besides the stack's user. */
    readonly otherEntities: readonly string[];
  };
  /** Whether the stack's policy is attached to the stack's user (directly, as setup-iam.sh did). */
  readonly attached: boolean;
  /** The stack's group, when IAM has one by its name (an interrupted run of the program made it, or someone did). */
  readonly group?: {
    readonly name: string;
    readonly path: string;
    /** Whether the stack's policy is attached to it. */
    readonly grantsPolicy: boolean;
    /** Whether the stack's user is a member. */
    readonly hasUser: boolean;
    /** Managed policies attached besides the stack's. */
    readonly otherPolicies: readonly string[];
  };
}

const missing = (error: unknown) => isAwsError(error, "NoSuchEntity", "NoSuchEntityException");

async function collect<T>(pages: AsyncIterable<T>, pick: (page: T) => readonly string[] | undefined): Promise<string[]> {
  const items: string[] = [];
  for await (const page of pages) items.push(...(pick(page) ?? []));
  return items;
}

/** The policy's ARN as the program would create it (path "/"), in the account of the credentials. */
async function expectedPolicyArn(sts: STSClient, settings: Pick<StackSettings, "partition" | "environment">): Promise<string> {
  const { Account } = await sts.send(new GetCallerIdentityCommand({}));
  return `arn:${settings.partition}:iam::${Account}:policy/${backendIdentityNames(settings.environment).policyName}`;
}

export async function findExistingIdentity(
  clients: { iam: IAMClient; sts: STSClient },
  settings: Pick<StackSettings, "partition" | "environment">,
  signal?: AbortSignal,
): Promise<ExistingIdentity> {
  const { iam } = clients;
  const names = backendIdentityNames(settings.environment);
  const policyArn = await expectedPolicyArn(clients.sts, settings);
  const [userFound, policyFound, groupFound] = await Promise.all([
    iam.send(new GetUserCommand({ UserName: names.userName }), { abortSignal: signal }).then(
      (response) => response.User,
      (error: unknown) => {
        if (missing(error)) return undefined;
        throw error;
      },
    ),
    iam.send(new GetPolicyCommand({ PolicyArn: policyArn }), { abortSignal: signal }).then(
      (response) => response.Policy,
      (error: unknown) => {
        if (missing(error)) return undefined;
        throw error;
      },
    ),
    // GetGroup lists the members too (one page is enough to find the stack's user among a group's first hundred).
    iam.send(new GetGroupCommand({ GroupName: names.groupName }), { abortSignal: signal }).then(
      (response) => response,
      (error: unknown) => {
        if (missing(error)) return undefined;
        throw error;
      },
    ),
  ]);

  let user: ExistingIdentity["user"];
  let attached = false;
  if (userFound?.UserName && userFound.Arn) {
    const userName = userFound.UserName;
    const [loginProfile, groups, attachedArns, inlinePolicies, keys] = await Promise.all([
      iam.send(new GetLoginProfileCommand({ UserName: userName }), { abortSignal: signal }).then(
        () => true,
        (error: unknown) => {
          if (missing(error)) return false;
          throw error;
        },
      ),
      collect(paginateListGroupsForUser({ client: iam }, { UserName: userName }), (page) => page.Groups?.map((group) => group.GroupName ?? "")),
      collect(paginateListAttachedUserPolicies({ client: iam }, { UserName: userName }), (page) =>
        page.AttachedPolicies?.map((policy) => policy.PolicyArn ?? ""),
      ),
      collect(paginateListUserPolicies({ client: iam }, { UserName: userName }), (page) => page.PolicyNames),
      listUserKeys(iam, userName, signal),
    ]);
    attached = attachedArns.includes(policyArn);
    user = {
      name: userName,
      arn: userFound.Arn,
      path: userFound.Path ?? "/",
      ...(userFound.PermissionsBoundary?.PermissionsBoundaryArn ? { permissionsBoundaryArn: userFound.PermissionsBoundary.PermissionsBoundaryArn } : {}),
      loginProfile,
      groups,
      otherPolicies: attachedArns.filter((arn) => arn !== policyArn),
      inlinePolicies,
      keys,
    };
  }

  let policy: ExistingIdentity["policy"];
  if (policyFound?.Arn) {
    const entities = await collect(paginateListEntitiesForPolicy({ client: iam }, { PolicyArn: policyFound.Arn }), (page) => [
      ...(page.PolicyUsers ?? []).map((entity) => `user ${entity.UserName}`),
      ...(page.PolicyGroups ?? []).map((entity) => `group ${entity.GroupName}`),
      ...(page.PolicyRoles ?? []).map((entity) => `role ${entity.RoleName}`),
    ]);
    policy = {
      arn: policyFound.Arn,
      defaultVersionId: policyFound.DefaultVersionId ?? "v1",
      otherEntities: entities.filter((entity) => entity !== `user ${names.userName}`),
    };
  }
  let group: ExistingIdentity["group"];
  if (groupFound?.Group?.GroupName) {
    const groupPolicies = await collect(paginateListAttachedGroupPolicies({ client: iam }, { GroupName: names.groupName }), (page) =>
      page.AttachedPolicies?.map((attachedPolicy) => attachedPolicy.PolicyArn ?? ""),
    );
    group = {
      name: groupFound.Group.GroupName,
      path: groupFound.Group.Path ?? "/",
      grantsPolicy: groupPolicies.includes(policyArn),
      hasUser: user?.groups.includes(names.groupName) ?? false,
      otherPolicies: groupPolicies.filter((arn) => arn !== policyArn),
    };
  }
  return { ...(user ? { user } : {}), ...(policy ? { policy } : {}), attached, ...(group ? { group } : {}) };
}

/**
 * What IAM holds under the stack's names that the stack's own state does not: an interrupted first
 * provision records what it created (the policy before the user, say), and that is the stack's, not
 * something for adoption to take over.
 */
export function notInState(
  existing: ExistingIdentity,
  state: { readonly resources: readonly { readonly type: string; readonly id?: string }[] } | undefined,
): ExistingIdentity {
  const holds = (type: string, id: string | undefined) => state?.resources.some((resource) => resource.type === type && resource.id === id) ?? false;
  const user = existing.user && !holds(RESOURCE_TYPES.user, existing.user.name) ? existing.user : undefined;
  const policy = existing.policy && !holds(RESOURCE_TYPES.policy, existing.policy.arn) ? existing.policy : undefined;
  const group = existing.group && !holds(RESOURCE_TYPES.group, existing.group.name) ? existing.group : undefined;
  return { ...(user ? { user } : {}), ...(policy ? { policy } : {}), attached: existing.attached, ...(group ? { group } : {}) };
}

/**
 * Import ids in terraform-provider-aws's forms: user name, policy ARN, `<user>/<policy arn>`, group
 * name, `<group>/<policy arn>`, `<user>/<group>`. The group's attachment and the membership are taken
 * over only with both their ends, since the import reads them through the names in the id.
 */
export function importIdsOf(existing: ExistingIdentity): ImportIds {
  const { user, policy, group } = existing;
  return {
    ...(user ? { user: user.name } : {}),
    ...(policy ? { policy: policy.arn } : {}),
    ...(user && policy && existing.attached ? { attachment: `${user.name}/${policy.arn}` } : {}),
    ...(group ? { group: group.name } : {}),
    ...(group && policy && group.grantsPolicy ? { groupAttachment: `${group.name}/${policy.arn}` } : {}),
    ...(group && user && group.hasUser ? { membership: `${user.name}/${group.name}` } : {}),
  };
}
