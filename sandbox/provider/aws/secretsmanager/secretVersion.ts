import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
  type GetSecretValueResponse,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import { missingRequired } from "../../checkInputs";
import { diffInputs, type DiffRules } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import { isUnknown, secretValue, type PropertyBag } from "../../wireValues";
import { unlessResourceMissing } from "../errors";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const SECRET_VERSION_TYPE = RESOURCE_TYPES.secretVersion;

/** The label every secret's current version carries; it can only move to another version, never be removed. */
export const CURRENT_STAGE = "AWSCURRENT";

function sameStages(old: unknown, next: unknown): boolean {
  const asSet = (value: unknown) => [...new Set(Array.isArray(value) ? value : [])].sort().join("\n");
  return asSet(old) === asSet(next);
}

// terraform's aws_secretsmanager_secret_version: a new value is a new version (a new resource); only the
// staging labels change in place.
const RULES: DiffRules = {
  replaceOn: ["secretId", "secretString", "secretBinary", "region"],
  updateInPlace: ["versionStages"],
  computedWhenAbsent: ["versionStages", "region"],
  equivalent: { versionStages: sameStages },
};

/** terraform's id: `<secret id as given>|<version id>`, the form `pulumi import` takes. */
export function secretVersionId(secretId: string, versionId: string): string {
  return `${secretId}|${versionId}`;
}

export function parseSecretVersionId(id: string): { secretId: string; versionId: string } {
  const parts = id.split("|");
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new Error(`unexpected format for ID (${id}), expected SECRET_ID|VERSION_ID`);
  }
  return { secretId: parts[0], versionId: parts[1] };
}

function checkVersionInputs(inputs: PropertyBag, region: string): CheckFailure[] {
  const failures: CheckFailure[] = missingRequired(inputs, ["secretId"]);
  const given = ["secretString", "secretBinary", "secretStringWo"].filter((key) => inputs[key] !== undefined);
  if (given.length > 1) failures.push({ property: given[1]!, reason: `"${given[1]}": conflicts with ${given[0]}` });
  if (given.length === 0) failures.push({ property: "secretString", reason: "one of `secretBinary,secretString,secretStringWo` must be specified" });
  if (inputs.secretStringWo !== undefined) {
    // Write-only values never reach the state, which the stand-in's engine protocol cannot express.
    failures.push({ property: "secretStringWo", reason: "the stand-in aws provider does not support write-only secretStringWo" });
  }
  const stages = inputs.versionStages;
  if (Array.isArray(stages) && stages.some((stage) => !isUnknown(stage) && (typeof stage !== "string" || stage === ""))) {
    failures.push({ property: "versionStages", reason: "versionStages must be non-empty strings" });
  }
  if (typeof inputs.region === "string" && !isUnknown(inputs.region) && inputs.region !== region) {
    failures.push({ property: "region", reason: `the stand-in aws provider serves only its own region ${region}` });
  }
  return failures;
}

/** The value outputs: marked secret always, as the bridge does for the schema's Sensitive fields. */
function valueOutputs(value: GetSecretValueResponse): PropertyBag {
  return {
    secretString: value.SecretString === undefined ? undefined : secretValue(value.SecretString),
    secretBinary: value.SecretBinary === undefined ? undefined : secretValue(Buffer.from(value.SecretBinary).toString("base64")),
  };
}

export function secretVersionHandler(secretsManager: SecretsManagerClient, region: string): ResourceHandler {
  const isScheduledForDeletion = async (secretId: string) => {
    const described = await unlessResourceMissing(() => secretsManager.send(new DescribeSecretCommand({ SecretId: secretId })));
    return !described || described.DeletedDate !== undefined;
  };

  /** The version as outputs, or undefined when it, or its secret, is gone or scheduled for deletion. */
  const readOutputs = async (secretId: string, versionId: string): Promise<PropertyBag | undefined> => {
    let value: GetSecretValueResponse | undefined;
    try {
      value = await unlessResourceMissing(() => secretsManager.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: versionId })));
    } catch (error) {
      // A secret scheduled for deletion refuses reads (InvalidRequestException): terraform drops the version.
      if (error instanceof Error && error.name === "InvalidRequestException" && (await isScheduledForDeletion(secretId))) return undefined;
      throw error;
    }
    if (!value) return undefined;
    return {
      arn: value.ARN,
      hasSecretStringWo: false,
      region,
      secretArn: value.ARN,
      secretId,
      ...valueOutputs(value),
      versionId: value.VersionId,
      versionStages: value.VersionStages ?? [],
    };
  };

  const mustReadOutputs = async (secretId: string, versionId: string) => {
    const outs = await readOutputs(secretId, versionId);
    if (!outs) throw new Error(`version ${versionId} of secret ${secretId} vanished right after it was written`);
    return outs;
  };

  /** Which version carries each label now. */
  const stageHolders = async (secretId: string): Promise<Map<string, string>> => {
    const { VersionIdsToStages } = await secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }));
    const holders = new Map<string, string>();
    for (const [versionId, stages] of Object.entries(VersionIdsToStages ?? {})) for (const stage of stages) holders.set(stage, versionId);
    return holders;
  };

  /** Removes labels from the version, never AWSCURRENT (AWS refuses it), and only those it still carries. */
  const removeStages = async (secretId: string, versionId: string, stages: readonly string[]) => {
    const holders = await stageHolders(secretId);
    for (const stage of stages.filter((candidate) => candidate !== CURRENT_STAGE && holders.get(candidate) === versionId)) {
      await secretsManager.send(new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: stage, RemoveFromVersionId: versionId }));
    }
  };

  return {
    check(_olds, news) {
      return { inputs: { ...news }, failures: checkVersionInputs(news, region) };
    },

    diff(_id, olds, news) {
      return diffInputs(olds, news, RULES);
    },

    async create(inputs) {
      const secretId = inputs.secretId as string;
      const stages = inputs.versionStages as string[] | undefined;
      // Without stages AWS makes the new version AWSCURRENT and the one before it AWSPREVIOUS.
      const { VersionId } = await secretsManager.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          ...(inputs.secretString !== undefined ? { SecretString: inputs.secretString as string } : {}),
          ...(inputs.secretBinary !== undefined ? { SecretBinary: Buffer.from(inputs.secretBinary as string, "base64") } : {}),
          ...(stages && stages.length > 0 ? { VersionStages: stages } : {}),
        }),
      );
      if (!VersionId) throw new Error(`PutSecretValue on ${secretId} returned no version id`);
      return { id: secretVersionId(secretId, VersionId), outs: await mustReadOutputs(secretId, VersionId) };
    },

    async read(id) {
      const { secretId, versionId } = parseSecretVersionId(id);
      const outs = await readOutputs(secretId, versionId);
      if (!outs) return { id: "" };
      const inputs: PropertyBag = {
        secretId,
        secretString: outs.secretString,
        secretBinary: outs.secretBinary,
        versionStages: outs.versionStages,
      };
      return { id, props: outs, inputs };
    },

    async update(id, olds, news) {
      const { secretId, versionId } = parseSecretVersionId(id);
      if (news.versionStages !== undefined && !sameStages(olds.versionStages, news.versionStages)) {
        const before = new Set((olds.versionStages as string[] | undefined) ?? []);
        const after = new Set(news.versionStages as string[]);
        const holders = await stageHolders(secretId);
        for (const stage of [...after].filter((candidate) => !before.has(candidate))) {
          const holder = holders.get(stage);
          await secretsManager.send(
            new UpdateSecretVersionStageCommand({
              SecretId: secretId,
              VersionStage: stage,
              MoveToVersionId: versionId,
              // A label sits on one version at a time: name where it comes from.
              ...(holder && holder !== versionId ? { RemoveFromVersionId: holder } : {}),
            }),
          );
        }
        await removeStages(
          secretId,
          versionId,
          [...before].filter((stage) => !after.has(stage)),
        );
      }
      return mustReadOutputs(secretId, versionId);
    },

    async delete(id, props) {
      const { secretId, versionId } = parseSecretVersionId(id);
      if (await isScheduledForDeletion(secretId)) return;
      // The value itself stays: AWS deprecates a version only once it carries no label.
      await removeStages(secretId, versionId, (props.versionStages as string[] | undefined) ?? []);
    },
  };
}
