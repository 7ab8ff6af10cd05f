import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  UpdateAccessKeyCommand,
  paginateListAccessKeys,
  type AccessKeyMetadata,
  type IAMClient,
  type StatusType,
} from "@aws-sdk/client-iam";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import { applyDefaults, missingRequired } from "../../checkInputs";
import { diffInputs, type DiffRules } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import { isUnknown, type PropertyBag } from "../../wireValues";
import { unlessMissing } from "../errors";
import { sesSmtpPasswordV4 } from "./sesSmtpPassword";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const ACCESS_KEY_TYPE = RESOURCE_TYPES.accessKey;

// terraform's aws_iam_access_key: a key belongs to one user for life; only its status changes in place.
const RULES: DiffRules = { replaceOn: ["user", "pgpKey"], updateInPlace: ["status"] };

const STATUSES = ["Active", "Inactive"];

/** terraform formats the creation time as RFC 3339 without fractional seconds. */
function rfc3339(date: Date | undefined): string | undefined {
  return date?.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function metadataOutputs(key: AccessKeyMetadata, userName: string): PropertyBag {
  return { user: userName, status: key.Status, createDate: rfc3339(key.CreateDate) };
}

export function accessKeyHandler(iam: IAMClient, region: string): ResourceHandler {
  const findKey = (userName: string, accessKeyId: string) =>
    unlessMissing(async () => {
      for await (const page of paginateListAccessKeys({ client: iam }, { UserName: userName })) {
        const key = (page.AccessKeyMetadata ?? []).find((candidate) => candidate.AccessKeyId === accessKeyId);
        if (key) return key;
      }
      return undefined;
    });

  return {
    check(_olds, news) {
      const inputs = applyDefaults(news, { status: "Active" });
      const failures: CheckFailure[] = missingRequired(inputs, ["user"]);
      const status = inputs.status;
      if (!isUnknown(status) && typeof status === "string" && !STATUSES.includes(status)) {
        failures.push({ property: "status", reason: `expected status to be one of ${STATUSES.join(", ")}, got ${status}` });
      }
      if (news.pgpKey !== undefined) {
        // Encrypting for a PGP key needs an OpenPGP implementation the stand-in does not carry.
        failures.push({ property: "pgpKey", reason: "the stand-in aws provider does not support pgpKey" });
      }
      return { inputs, failures };
    },

    diff(_id, olds, news) {
      return diffInputs(olds, news, RULES);
    },

    async create(inputs) {
      const userName = inputs.user as string;
      const created = (await iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey;
      if (!created?.AccessKeyId || !created.SecretAccessKey) {
        throw new Error(`CreateAccessKey for ${userName} returned no key pair`);
      }
      let status = created.Status;
      if (inputs.status === "Inactive") {
        await iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: created.AccessKeyId, Status: "Inactive" }));
        status = "Inactive";
      }
      return {
        id: created.AccessKeyId,
        outs: {
          ...metadataOutputs({ ...created, Status: status }, userName),
          secret: created.SecretAccessKey,
          sesSmtpPasswordV4: sesSmtpPasswordV4(created.SecretAccessKey, region),
        },
      };
    },

    async read(id, props) {
      // An import knows only the key id; IAM names its user (terraform's importer does the same).
      const userName = (props.user as string | undefined) ?? (await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id }))).UserName;
      if (!userName) return { id: "" };
      const key = await findKey(userName, id);
      if (!key) return { id: "" };
      // IAM never returns a secret again: keep the ones from creation.
      const outs = { ...metadataOutputs(key, userName), secret: props.secret, sesSmtpPasswordV4: props.sesSmtpPasswordV4 };
      return { id, props: outs, inputs: { user: userName, status: key.Status } };
    },

    async update(id, olds, news) {
      const userName = news.user as string;
      if (olds.status !== news.status) {
        await iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: id, Status: news.status as StatusType }));
      }
      const key = await findKey(userName, id);
      if (!key) throw new Error(`IAM access key ${id} of ${userName} vanished during the update`);
      return { ...metadataOutputs(key, userName), secret: olds.secret, sesSmtpPasswordV4: olds.sesSmtpPasswordV4 };
    },

    async delete(id, props) {
      const request = new DeleteAccessKeyCommand({ UserName: props.user as string, AccessKeyId: id });
      await unlessMissing(() => iam.send(request));
    },
  };
}
