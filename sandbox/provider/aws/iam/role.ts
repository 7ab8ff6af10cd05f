import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  PutRolePermissionsBoundaryCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateRoleDescriptionCommand,
  paginateListAttachedRolePolicies,
  paginateListInstanceProfilesForRole,
  paginateListRolePolicies,
  type IAMClient,
  type Role,
} from "@aws-sdk/client-iam";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import {
  applyDefaults,
  conflictFailure,
  defaultNameFor,
  DEFAULTS_KEY,
  intRangeFailure,
  missingRequired,
  nameToCreate,
  patternFailure,
  unsupportedInputs,
} from "../../checkInputs";
import { looksAutoNamed, namePrefixFromName } from "../../naming";
import { diffNamedInputs, type DiffRules } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import { containsUnknown, type PropertyBag } from "../../wireValues";
import { unlessMissing } from "../errors";
import { isJson, normalizeJson } from "../normalizedJson";
import { decodeLivePolicyDocument, equivalentPolicies, policyInputAsJson, policyJson } from "../policyDocument";
import { fromIamTags, tagChanges, toIamTags } from "../tags";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const ROLE_TYPE = RESOURCE_TYPES.role;

const SUPPORTED_INPUTS = [
  "name",
  "namePrefix",
  "path",
  "description",
  "assumeRolePolicy",
  "maxSessionDuration",
  "permissionsBoundary",
  "forceDetachPolicies",
  "tags",
];

// terraform's aws_iam_role: name and path are the role; the trust policy, description, session length,
// boundary and tags change in place. inlinePolicies and managedPolicyArns (deprecated) are read only:
// RolePolicy and RolePolicyAttachment manage them.
const RULES: DiffRules = {
  replaceOn: ["name", "namePrefix", "path"],
  updateInPlace: ["assumeRolePolicy", "description", "maxSessionDuration", "permissionsBoundary", "forceDetachPolicies", "tags"],
  computedWhenAbsent: ["name", "namePrefix"],
  equivalent: { assumeRolePolicy: equivalentPolicies },
};

/** terraform's validResourceName(64); a prefix leaves room for the 26-character unique suffix. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_NAME_PREFIX = /^[\w+=,.@-]{1,38}$/;
const ROLE_NAME_REASON = "must match [\\w+=,.@-] and be at most 64 characters (a prefix 38)";

function checkRoleInputs(news: PropertyBag, inputs: PropertyBag): CheckFailure[] {
  const failures: CheckFailure[] = [
    ...unsupportedInputs(news, SUPPORTED_INPUTS),
    ...missingRequired(inputs, ["assumeRolePolicy"]),
    ...conflictFailure(news, "namePrefix", "name"),
    ...patternFailure(inputs, "name", ROLE_NAME, ROLE_NAME_REASON),
    ...patternFailure(inputs, "namePrefix", ROLE_NAME_PREFIX, ROLE_NAME_REASON),
    ...intRangeFailure(inputs, "maxSessionDuration", 3600, 43200),
  ];
  const trust = inputs.assumeRolePolicy;
  if (typeof trust === "string" && !containsUnknown(trust) && !isJson(trust)) {
    failures.push({ property: "assumeRolePolicy", reason: '"assume_role_policy" contains an invalid JSON' });
  }
  const description = inputs.description;
  if (typeof description === "string" && (description.length > 1000 || /[“‘]/.test(description))) {
    failures.push({ property: "description", reason: "must be at most 1000 characters, without specially formatted quotes [“‘]" });
  }
  if (typeof inputs.path === "string" && inputs.path.length > 512) {
    failures.push({ property: "path", reason: "expected length of path to be in the range (0 - 512)" });
  }
  return failures;
}

export function roleHandler(iam: IAMClient): ResourceHandler {
  const getRole = (roleName: string) => unlessMissing(async () => (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role);

  const inlinePoliciesOf = async (roleName: string) => {
    const policies: PropertyBag[] = [];
    for await (const page of paginateListRolePolicies({ client: iam }, { RoleName: roleName })) {
      for (const name of page.PolicyNames ?? []) {
        const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
        policies.push({ name, policy: decodeLivePolicyDocument(PolicyDocument ?? "") });
      }
    }
    return policies;
  };

  const managedPolicyArnsOf = async (roleName: string) => {
    const arns: string[] = [];
    for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName })) {
      arns.push(...(page.AttachedPolicies ?? []).map((policy) => policy.PolicyArn ?? ""));
    }
    return arns.sort();
  };

  /** The live role as outputs; `knownTrust` is kept verbatim when IAM holds an equivalent document. */
  const roleOutputs = async (role: Role, knownTrust: unknown, passThrough: PropertyBag): Promise<PropertyBag> => {
    const roleName = role.RoleName ?? "";
    const liveTrust = decodeLivePolicyDocument(role.AssumeRolePolicyDocument ?? "");
    const tags = fromIamTags(role.Tags);
    return {
      arn: role.Arn,
      assumeRolePolicy: equivalentPolicies(knownTrust, liveTrust) ? policyJson(knownTrust) : normalizeJson(liveTrust),
      createDate: role.CreateDate?.toISOString().replace(/\.\d{3}Z$/, "Z"),
      description: role.Description,
      forceDetachPolicies: passThrough.forceDetachPolicies ?? false,
      inlinePolicies: await inlinePoliciesOf(roleName),
      managedPolicyArns: await managedPolicyArnsOf(roleName),
      maxSessionDuration: role.MaxSessionDuration,
      name: roleName,
      namePrefix: namePrefixFromName(roleName),
      path: role.Path,
      permissionsBoundary: role.PermissionsBoundary?.PermissionsBoundaryArn,
      tags,
      tagsAll: tags,
      uniqueId: role.RoleId,
    };
  };

  const mustReadOutputs = async (roleName: string, knownTrust: unknown, passThrough: PropertyBag) => {
    const role = await getRole(roleName);
    if (!role) throw new Error(`IAM role ${roleName} vanished right after it was written`);
    return roleOutputs(role, knownTrust, passThrough);
  };

  return {
    check(olds, news, context) {
      const inputs = applyDefaults(news, {
        name: defaultNameFor(olds, news, context.name),
        path: "/",
        maxSessionDuration: 3600,
        forceDetachPolicies: false,
      });
      policyInputAsJson(inputs, "assumeRolePolicy");
      return { inputs, failures: checkRoleInputs(news, inputs) };
    },

    diff(_id, olds, news) {
      // Two roles cannot share a name, so a chosen name means delete first (the bridge's rule).
      return diffNamedInputs(olds, news, RULES);
    },

    async create(inputs) {
      const roleName = nameToCreate(inputs);
      const trust = normalizeJson(policyJson(inputs.assumeRolePolicy));
      const tags = toIamTags(inputs.tags);
      await iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          Path: inputs.path as string,
          AssumeRolePolicyDocument: trust,
          Description: (inputs.description as string | undefined) || undefined,
          MaxSessionDuration: inputs.maxSessionDuration as number,
          PermissionsBoundary: (inputs.permissionsBoundary as string | undefined) || undefined,
          ...(tags.length > 0 ? { Tags: tags } : {}),
        }),
      );
      return { id: roleName, outs: await mustReadOutputs(roleName, inputs.assumeRolePolicy, inputs) };
    },

    async read(id, props, context) {
      const role = await getRole(id);
      if (!role) return { id: "" };
      const outs = await roleOutputs(role, props.assumeRolePolicy, props);
      const inputs: PropertyBag = Object.fromEntries(
        ["name", "path", "description", "assumeRolePolicy", "maxSessionDuration", "permissionsBoundary", "forceDetachPolicies", "tags"]
          .filter((key) => outs[key] !== undefined)
          .map((key) => [key, outs[key]]),
      );
      inputs[DEFAULTS_KEY] = looksAutoNamed(context.name, outs.name) ? ["name"] : [];
      return { id, props: outs, inputs };
    },

    async update(id, olds, news) {
      if (!equivalentPolicies(olds.assumeRolePolicy, news.assumeRolePolicy)) {
        await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: id, PolicyDocument: normalizeJson(policyJson(news.assumeRolePolicy)) }));
      }
      if ((olds.description ?? "") !== (news.description ?? "")) {
        await iam.send(new UpdateRoleDescriptionCommand({ RoleName: id, Description: (news.description as string | undefined) ?? "" }));
      }
      if (olds.maxSessionDuration !== news.maxSessionDuration) {
        // The description goes along: moto's UpdateRole clears one it is not given (AWS keeps it).
        const description = (news.description as string | undefined) || undefined;
        await iam.send(
          new UpdateRoleCommand({ RoleName: id, MaxSessionDuration: news.maxSessionDuration as number, ...(description ? { Description: description } : {}) }),
        );
      }
      if ((olds.permissionsBoundary ?? "") !== (news.permissionsBoundary ?? "")) {
        if (news.permissionsBoundary) {
          await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: id, PermissionsBoundary: news.permissionsBoundary as string }));
        } else {
          await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: id }));
        }
      }
      const { toSet, toRemove } = tagChanges(olds.tags, news.tags);
      if (toRemove.length > 0) await iam.send(new UntagRoleCommand({ RoleName: id, TagKeys: toRemove }));
      if (toSet.length > 0) await iam.send(new TagRoleCommand({ RoleName: id, Tags: toSet }));
      return mustReadOutputs(id, news.assumeRolePolicy, news);
    },

    async delete(id, props) {
      // terraform's deleteRole: off its instance profiles always; its policies with forceDetachPolicies,
      // or those the state read (a RolePolicy of the program is deleted before the role anyway).
      const force = props.forceDetachPolicies === true;
      const emptied = await unlessMissing(async () => {
        for await (const page of paginateListInstanceProfilesForRole({ client: iam }, { RoleName: id })) {
          for (const profile of page.InstanceProfiles ?? []) {
            await iam.send(new RemoveRoleFromInstanceProfileCommand({ RoleName: id, InstanceProfileName: profile.InstanceProfileName }));
          }
        }
        const inline = Array.isArray(props.inlinePolicies) && props.inlinePolicies.length > 0;
        if (force || inline) {
          for await (const page of paginateListRolePolicies({ client: iam }, { RoleName: id })) {
            for (const name of page.PolicyNames ?? []) await unlessMissing(() => iam.send(new DeleteRolePolicyCommand({ RoleName: id, PolicyName: name })));
          }
        }
        const managed = Array.isArray(props.managedPolicyArns) && props.managedPolicyArns.length > 0;
        if (force || managed) {
          for (const arn of await managedPolicyArnsOf(id)) await unlessMissing(() => iam.send(new DetachRolePolicyCommand({ RoleName: id, PolicyArn: arn })));
        }
        return true;
      });
      if (emptied === undefined) return;
      await unlessMissing(() => iam.send(new DeleteRoleCommand({ RoleName: id })));
    },
  };
}
