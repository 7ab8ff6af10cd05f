import { AddUserToGroupCommand, RemoveUserFromGroupCommand, paginateListGroupsForUser, type IAMClient } from "@aws-sdk/client-iam";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import { missingRequired, unsupportedInputs } from "../../checkInputs";
import { prefixedUniqueId } from "../../naming";
import { diffInputs, sameSet, type DiffRules } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import { unlessMissing } from "../errors";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const USER_GROUP_MEMBERSHIP_TYPE = RESOURCE_TYPES.userGroupMembership;

// terraform's aws_iam_user_group_membership: the user forces a new membership; the group set changes in place.
const RULES: DiffRules = { replaceOn: ["user"], updateInPlace: ["groups"], equivalent: { groups: sameSet } };

/** terraform's import id of a membership: `<user>/<group1>/<group2>...`. */
export function parseMembershipImportId(id: string): { user: string; groups: string[] } {
  const [user, ...groups] = id.split("/");
  if (!user || groups.length === 0) {
    throw new Error(`unexpected format of ID ("${id}"), expected <user-name>/<group-name1>/...`);
  }
  return { user, groups };
}

function checkMembership(news: Record<string, unknown>): CheckFailure[] {
  const failures = [...unsupportedInputs(news, ["user", "groups"]), ...missingRequired(news, ["user", "groups"])];
  if (Array.isArray(news.groups) && news.groups.length === 0) {
    // A required set with no members counts as unset in terraform.
    failures.push({ property: "groups", reason: "Missing required property 'groups'" });
  }
  return failures;
}

export function userGroupMembershipHandler(iam: IAMClient): ResourceHandler {
  /** The user's groups among `managed`, or undefined when the user is gone. */
  const managedGroupsOf = (userName: string, managed: readonly string[]) =>
    unlessMissing(async () => {
      const found: string[] = [];
      for await (const page of paginateListGroupsForUser({ client: iam }, { UserName: userName })) {
        for (const group of page.Groups ?? []) if (group.GroupName && managed.includes(group.GroupName)) found.push(group.GroupName);
      }
      return found;
    });

  const addToGroups = async (userName: string, groups: readonly string[]) => {
    for (const group of groups) await iam.send(new AddUserToGroupCommand({ UserName: userName, GroupName: group }));
  };

  const removeFromGroups = async (userName: string, groups: readonly string[]) => {
    for (const group of groups) await unlessMissing(() => iam.send(new RemoveUserFromGroupCommand({ UserName: userName, GroupName: group })));
  };

  return {
    check(_olds, news) {
      return { inputs: { ...news }, failures: checkMembership(news) };
    },

    diff(_id, olds, news) {
      return diffInputs(olds, news, RULES);
    },

    async create(inputs) {
      const user = inputs.user as string;
      const groups = inputs.groups as string[];
      await addToGroups(user, groups);
      // terraform's legacy id: a unique id that names neither user nor group.
      return { id: prefixedUniqueId("terraform-"), outs: { user, groups } };
    },

    async read(id, props) {
      const imported = props.user === undefined;
      const { user, groups } = imported ? parseMembershipImportId(id) : { user: props.user as string, groups: (props.groups as string[] | undefined) ?? [] };
      // Non-exclusive: only the groups this resource manages are read; other memberships are not its business.
      const current = await managedGroupsOf(user, groups);
      if (!current) return { id: "" };
      // terraform's importer gives an imported membership a fresh unique id as well.
      return { id: imported ? prefixedUniqueId("terraform-") : id, props: { user, groups: current }, inputs: { user, groups: current } };
    },

    async update(_id, olds, news) {
      const user = news.user as string;
      const before = (olds.groups as string[] | undefined) ?? [];
      const after = news.groups as string[];
      await removeFromGroups(
        user,
        before.filter((group) => !after.includes(group)),
      );
      await addToGroups(
        user,
        after.filter((group) => !before.includes(group)),
      );
      const current = await managedGroupsOf(user, after);
      if (!current) throw new Error(`IAM user ${user} vanished during the membership update`);
      return { user, groups: current };
    },

    async delete(_id, props) {
      await removeFromGroups(props.user as string, (props.groups as string[] | undefined) ?? []);
    },
  };
}
