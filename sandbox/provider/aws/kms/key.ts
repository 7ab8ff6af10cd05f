import {
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateKeyDescriptionCommand,
  paginateListResourceTags,
  type KeyMetadata,
  type KeySpec,
  type KeyUsageType,
  type KMSClient,
  type Tag,
} from "@aws-sdk/client-kms";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import { applyDefaults, intRangeFailure, oneOfFailure, unsupportedInputs } from "../../checkInputs";
import { diffInputs, sameValue, type DiffRules } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import { containsUnknown, type PropertyBag } from "../../wireValues";
import { unlessNotFound } from "../errors";
import { isJson } from "../normalizedJson";
import { equivalentPolicies, policyInputAsJson, policyJson } from "../policyDocument";
import { regionFailure, regionFor, splitImportRegion } from "../region";
import type { RegionalClients } from "../regionalClients";
import { fromKmsTags, tagChanges, toIamTags, toKmsTags } from "../tags";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const KEY_TYPE = RESOURCE_TYPES.kmsKey;

const SUPPORTED_INPUTS = [
  "description",
  "policy",
  "enableKeyRotation",
  "rotationPeriodInDays",
  "deletionWindowInDays",
  "isEnabled",
  "keyUsage",
  "customerMasterKeySpec",
  "multiRegion",
  "bypassPolicyLockoutSafetyCheck",
  "tags",
  "region",
];

// terraform's aws_kms_key: what the key material is (usage, spec, multi-region) forces a new key; the rest
// changes in place. The deletion window is only read by the delete.
const RULES: DiffRules = {
  replaceOn: ["keyUsage", "customerMasterKeySpec", "multiRegion", "region"],
  updateInPlace: [
    "description",
    "policy",
    "enableKeyRotation",
    "rotationPeriodInDays",
    "isEnabled",
    "tags",
    "deletionWindowInDays",
    "bypassPolicyLockoutSafetyCheck",
  ],
  computedWhenAbsent: ["description", "policy", "multiRegion", "rotationPeriodInDays"],
  equivalent: { policy: equivalentPolicies },
};

/** KMS keeps a key's policy under this one name. */
const POLICY_NAME = "default";

const KEY_USAGES = ["ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"];
const KEY_SPECS = [
  "SYMMETRIC_DEFAULT",
  "RSA_2048",
  "RSA_3072",
  "RSA_4096",
  "HMAC_224",
  "HMAC_256",
  "HMAC_384",
  "HMAC_512",
  "ECC_NIST_P256",
  "ECC_NIST_P384",
  "ECC_NIST_P521",
  "ECC_SECG_P256K1",
  "SM2",
];

function checkKeyInputs(news: PropertyBag, inputs: PropertyBag): CheckFailure[] {
  const failures: CheckFailure[] = [
    ...unsupportedInputs(news, SUPPORTED_INPUTS),
    ...intRangeFailure(inputs, "deletionWindowInDays", 7, 30),
    ...intRangeFailure(inputs, "rotationPeriodInDays", 90, 2560),
    ...oneOfFailure(inputs, "keyUsage", KEY_USAGES),
    ...oneOfFailure(inputs, "customerMasterKeySpec", KEY_SPECS),
    ...regionFailure(inputs),
  ];
  if (typeof inputs.policy === "string" && !containsUnknown(inputs.policy) && !isJson(inputs.policy)) {
    failures.push({ property: "policy", reason: "policy contains an invalid JSON policy" });
  }
  if (typeof inputs.description === "string" && inputs.description.length > 8192) {
    failures.push({ property: "description", reason: "expected length of description to be in the range (0 - 8192)" });
  }
  return failures;
}

export function keyHandler(kms: RegionalClients<KMSClient>): ResourceHandler {
  /** The key, or undefined when it is gone or scheduled for deletion (terraform treats both as gone). */
  const describeKey = async (keyId: string, region: string): Promise<KeyMetadata | undefined> => {
    const metadata = await unlessNotFound(async () => (await kms.in(region).send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata);
    return metadata && metadata.KeyState !== "PendingDeletion" && metadata.KeyState !== "PendingReplicaDeletion" ? metadata : undefined;
  };

  /** The live key as outputs; `knownPolicy` is kept verbatim when KMS holds an equivalent one. */
  const readOutputs = async (keyId: string, region: string, knownPolicy: unknown, passThrough: PropertyBag): Promise<PropertyBag | undefined> => {
    const metadata = await describeKey(keyId, region);
    if (!metadata) return undefined;
    const client = kms.in(region);
    const { Policy } = await client.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: POLICY_NAME }));
    const rotation = await client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    const tagList: Tag[] = [];
    for await (const page of paginateListResourceTags({ client }, { KeyId: keyId })) tagList.push(...(page.Tags ?? []));
    const tags = fromKmsTags(tagList);
    const livePolicy = Policy ?? "";
    return {
      arn: metadata.Arn,
      bypassPolicyLockoutSafetyCheck: passThrough.bypassPolicyLockoutSafetyCheck ?? false,
      customerMasterKeySpec: metadata.KeySpec,
      // Not an AWS property: the state remembers it for the delete.
      deletionWindowInDays: passThrough.deletionWindowInDays,
      description: metadata.Description,
      enableKeyRotation: rotation.KeyRotationEnabled === true,
      isEnabled: metadata.Enabled === true,
      keyId: metadata.KeyId,
      keyUsage: metadata.KeyUsage,
      multiRegion: metadata.MultiRegion === true,
      policy: equivalentPolicies(knownPolicy, livePolicy) ? policyJson(knownPolicy) : livePolicy,
      region,
      // moto never reports a rotation period; keep what was asked for rather than invent drift.
      rotationPeriodInDays: rotation.RotationPeriodInDays ?? passThrough.rotationPeriodInDays,
      tags,
      tagsAll: tags,
    };
  };

  const mustReadOutputs = async (keyId: string, region: string, knownPolicy: unknown, passThrough: PropertyBag) => {
    const outs = await readOutputs(keyId, region, knownPolicy, passThrough);
    if (!outs) throw new Error(`KMS key ${keyId} vanished right after it was written`);
    return outs;
  };

  const setRotation = async (client: KMSClient, keyId: string, inputs: PropertyBag) => {
    if (inputs.enableKeyRotation === true) {
      const period = inputs.rotationPeriodInDays;
      await client.send(new EnableKeyRotationCommand({ KeyId: keyId, ...(typeof period === "number" ? { RotationPeriodInDays: period } : {}) }));
    } else {
      await client.send(new DisableKeyRotationCommand({ KeyId: keyId }));
    }
  };

  return {
    check(_olds, news) {
      const inputs = applyDefaults(news, {
        enableKeyRotation: false,
        isEnabled: true,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        bypassPolicyLockoutSafetyCheck: false,
        region: kms.defaultRegion,
      });
      policyInputAsJson(inputs, "policy");
      return { inputs, failures: checkKeyInputs(news, inputs) };
    },

    diff(_id, olds, news) {
      return diffInputs(olds, news, RULES);
    },

    async create(inputs) {
      const region = inputs.region as string;
      const client = kms.in(region);
      const tags = toKmsTags(toIamTags(inputs.tags));
      const { KeyMetadata } = await client.send(
        new CreateKeyCommand({
          Description: (inputs.description as string | undefined) || undefined,
          KeyUsage: inputs.keyUsage as KeyUsageType,
          KeySpec: inputs.customerMasterKeySpec as KeySpec,
          MultiRegion: inputs.multiRegion === true ? true : undefined,
          Policy: inputs.policy === undefined ? undefined : policyJson(inputs.policy),
          BypassPolicyLockoutSafetyCheck: inputs.bypassPolicyLockoutSafetyCheck === true,
          ...(tags.length > 0 ? { Tags: tags } : {}),
        }),
      );
      const keyId = KeyMetadata?.KeyId;
      if (!keyId) throw new Error("CreateKey returned no key id");
      if (inputs.enableKeyRotation === true) await setRotation(client, keyId, inputs);
      if (inputs.isEnabled === false) await client.send(new DisableKeyCommand({ KeyId: keyId }));
      return { id: keyId, outs: await mustReadOutputs(keyId, region, inputs.policy, inputs) };
    },

    async read(id, props) {
      const { id: keyId, region: importRegion } = splitImportRegion(id);
      const region = regionFor(props, importRegion, kms.defaultRegion);
      const outs = await readOutputs(keyId, region, props.policy, props);
      if (!outs) return { id: "" };
      const inputs: PropertyBag = Object.fromEntries(SUPPORTED_INPUTS.filter((key) => outs[key] !== undefined).map((key) => [key, outs[key]]));
      return { id: keyId, props: outs, inputs };
    },

    async update(id, olds, news) {
      const region = news.region as string;
      const client = kms.in(region);
      const changed = (key: string) => news[key] !== undefined && !(RULES.equivalent?.[key] ?? sameValue)(olds[key], news[key]);
      // As terraform: enable first and disable last, because a disabled key takes no other change.
      if (changed("isEnabled") && news.isEnabled === true) await client.send(new EnableKeyCommand({ KeyId: id }));
      if (changed("enableKeyRotation") || (news.enableKeyRotation === true && changed("rotationPeriodInDays"))) await setRotation(client, id, news);
      if (changed("description")) await client.send(new UpdateKeyDescriptionCommand({ KeyId: id, Description: news.description as string }));
      if (changed("policy")) {
        await client.send(
          new PutKeyPolicyCommand({
            KeyId: id,
            PolicyName: POLICY_NAME,
            Policy: policyJson(news.policy),
            BypassPolicyLockoutSafetyCheck: news.bypassPolicyLockoutSafetyCheck === true,
          }),
        );
      }
      const { toSet, toRemove } = tagChanges(olds.tags, news.tags);
      if (toRemove.length > 0) await client.send(new UntagResourceCommand({ KeyId: id, TagKeys: toRemove }));
      if (toSet.length > 0) await client.send(new TagResourceCommand({ KeyId: id, Tags: toKmsTags(toSet) }));
      if (changed("isEnabled") && news.isEnabled === false) await client.send(new DisableKeyCommand({ KeyId: id }));
      return mustReadOutputs(id, region, news.policy ?? olds.policy, news);
    },

    async delete(id, props) {
      const region = regionFor(props, undefined, kms.defaultRegion);
      // A key already gone or already scheduled for deletion needs nothing more (AWS refuses a second schedule).
      if (!(await describeKey(id, region))) return;
      const days = props.deletionWindowInDays;
      await kms.in(region).send(new ScheduleKeyDeletionCommand({ KeyId: id, ...(typeof days === "number" ? { PendingWindowInDays: days } : {}) }));
    },
  };
}
