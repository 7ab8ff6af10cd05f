import { AttachGroupPolicyCommand, DetachGroupPolicyCommand, paginateListAttachedGroupPolicies, type IAMClient } from "@aws-sdk/client-iam";
import { missingRequired, unsupportedInputs } from "../../checkInputs";
import { prefixedUniqueId } from "../../naming";
import { diffInputs, type DiffRules } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import { unlessMissing } from "../errors";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const GROUP_POLICY_ATTACHMENT_TYPE = RESOURCE_TYPES.groupPolicyAttachment;

// terraform's aws_iam_group_policy_attachment has no update: both inputs force a new attachment.
const RULES: DiffRules = { replaceOn: ["group", "policyArn"], updateInPlace: [] };

/** terraform's import id of a group attachment: `<group name>/<policy ARN>` (the ARN itself contains slashes). */
export function parseGroupAttachmentImportId(id: string): { group: string; policyArn: string } {
  const separator = id.indexOf("/");
  if (separator <= 0 || separator === id.length - 1) {
    throw new Error(`unexpected format of ID ("${id}"), expected <group-name>/<policy_arn>`);
  }
  return { group: id.slice(0, separator), policyArn: id.slice(separator + 1) };
}

export function groupPolicyAttachmentHandler(iam: IAMClient): ResourceHandler {
  const isAttached = async (groupName: string, policyArn: string): Promise<boolean> => {
    const attached = await unlessMissing(async () => {
      for await (const page of paginateListAttachedGroupPolicies({ client: iam }, { GroupName: groupName })) {
        if ((page.AttachedPolicies ?? []).some((policy) => policy.PolicyArn === policyArn)) return true;
      }
      return false;
    });
    return attached === true;
  };

  return {
    check(_olds, news) {
      return { inputs: { ...news }, failures: [...unsupportedInputs(news, ["group", "policyArn"]), ...missingRequired(news, ["group", "policyArn"])] };
    },

    diff(_id, olds, news) {
      return diffInputs(olds, news, RULES);
    },

    async create(inputs) {
      const group = inputs.group as string;
      const policyArn = inputs.policyArn as string;
      await iam.send(new AttachGroupPolicyCommand({ GroupName: group, PolicyArn: policyArn }));
      // terraform's legacy id: the group name plus a unique suffix.
      return { id: prefixedUniqueId(`${group}-`), outs: { group, policyArn } };
    },

    async read(id, props) {
      const imported = props.group === undefined;
      const { group, policyArn } = imported ? parseGroupAttachmentImportId(id) : { group: props.group as string, policyArn: props.policyArn as string };
      if (!(await isAttached(group, policyArn))) return { id: "" };
      // terraform's importer turns `<group>/<arn>` into the id `<group>-<arn>`.
      return { id: imported ? `${group}-${policyArn}` : id, props: { group, policyArn }, inputs: { group, policyArn } };
    },

    async update() {
      throw new Error("an IAM group policy attachment is never updated in place; it is replaced");
    },

    async delete(_id, props) {
      await unlessMissing(() => iam.send(new DetachGroupPolicyCommand({ GroupName: props.group as string, PolicyArn: props.policyArn as string })));
    },
  };
}
