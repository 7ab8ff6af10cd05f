import { AttachUserPolicyCommand, DetachUserPolicyCommand, paginateListAttachedUserPolicies, type IAMClient } from "@aws-sdk/client-iam";
import { missingRequired } from "../../checkInputs";
import { prefixedUniqueId } from "../../naming";
import { diffInputs, type DiffRules } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import { unlessMissing } from "../errors";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const USER_POLICY_ATTACHMENT_TYPE = RESOURCE_TYPES.userPolicyAttachment;

// terraform's aws_iam_user_policy_attachment has no update: both inputs force a new attachment.
const RULES: DiffRules = { replaceOn: ["user", "policyArn"], updateInPlace: [] };

/** terraform's import id of an attachment: `<user name>/<policy ARN>` (the ARN itself contains slashes). */
export function parseImportId(id: string): { user: string; policyArn: string } {
  const separator = id.indexOf("/");
  if (separator <= 0 || !id.slice(separator + 1).startsWith("arn:")) {
    throw new Error(`unexpected format of ID (${id}), expected <user-name>/<policy_arn>`);
  }
  return { user: id.slice(0, separator), policyArn: id.slice(separator + 1) };
}

export function userPolicyAttachmentHandler(iam: IAMClient): ResourceHandler {
  const isAttached = async (userName: string, policyArn: string): Promise<boolean> => {
    const attached = await unlessMissing(async () => {
      for await (const page of paginateListAttachedUserPolicies({ client: iam }, { UserName: userName })) {
        if ((page.AttachedPolicies ?? []).some((policy) => policy.PolicyArn === policyArn)) return true;
      }
      return false;
    });
    return attached === true;
  };

  return {
    check(_olds, news) {
      return { inputs: { ...news }, failures: missingRequired(news, ["user", "policyArn"]) };
    },

    diff(_id, olds, news) {
      return diffInputs(olds, news, RULES);
    },

    async create(inputs) {
      const user = inputs.user as string;
      const policyArn = inputs.policyArn as string;
      await iam.send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: policyArn }));
      // terraform's legacy id: the user name plus a unique suffix.
      return { id: prefixedUniqueId(`${user}-`), outs: { user, policyArn } };
    },

    async read(id, props) {
      // An import knows only the id, which terraform forms as `<user>/<policy arn>`.
      const { user, policyArn } = props.user ? { user: props.user as string, policyArn: props.policyArn as string } : parseImportId(id);
      if (!(await isAttached(user, policyArn))) return { id: "" };
      return { id, props: { user, policyArn }, inputs: { user, policyArn } };
    },

    async update() {
      throw new Error("an IAM user policy attachment is never updated in place; it is replaced");
    },

    async delete(_id, props) {
      await unlessMissing(() => iam.send(new DetachUserPolicyCommand({ UserName: props.user as string, PolicyArn: props.policyArn as string })));
    },
  };
}
