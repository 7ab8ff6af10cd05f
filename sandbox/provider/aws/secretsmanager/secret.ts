import {
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  PutResourcePolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  type DescribeSecretResponse,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import { applyDefaults, defaultNameFor, DEFAULTS_KEY, nameToCreate } from "../../checkInputs";
import { looksAutoNamed, namePrefixFromName } from "../../naming";
import { diffNamedInputs, type DiffRules, sameValue } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import { containsUnknown, isUnknown, type PropertyBag } from "../../wireValues";
import { unlessResourceMissing } from "../errors";
import { equivalentPolicies } from "../policyDocument";
import { fromIamTags, tagChanges, toIamTags } from "../tags";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const SECRET_TYPE = RESOURCE_TYPES.secret;

/** The value that deletes a secret's resource policy; removing `policy` from the program keeps it. */
const NO_POLICY = "{}";

/** terraform's `policy` suppression: equivalent documents, and "{}" meaning none, are no change. */
function equivalentResourcePolicies(old: unknown, next: unknown): boolean {
  const none = (value: unknown) => value === undefined || value === "" || value === NO_POLICY;
  if (none(old) || none(next)) return none(old) && none(next);
  return equivalentPolicies(old, next);
}

// terraform's aws_secretsmanager_secret: only the name (and the partner type) force a new secret;
// description, KMS key, policy and tags change in place; the recovery window is only read on delete.
const RULES: DiffRules = {
  replaceOn: ["name", "namePrefix", "type", "region"],
  updateInPlace: ["description", "kmsKeyId", "policy", "tags", "recoveryWindowInDays", "forceOverwriteReplicaSecret", "replicas"],
  computedWhenAbsent: ["name", "namePrefix", "policy", "region"],
  equivalent: { policy: equivalentResourcePolicies },
};

const SECRET_NAME = /^[0-9A-Za-z/_+=.@-]+$/;
const DEFAULT_RECOVERY_WINDOW_IN_DAYS = 30;

function checkSecretInputs(inputs: PropertyBag, region: string): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const key of ["name", "namePrefix"]) {
    const value = inputs[key];
    if (typeof value !== "string" || isUnknown(value)) continue;
    if (!SECRET_NAME.test(value)) {
      failures.push({ property: key, reason: `"${key}" must only contain alphanumeric characters and the characters /_+=.@-` });
    } else if (value.length > 512) {
      failures.push({ property: key, reason: `expected length of ${key} to be in the range (1 - 512), got ${value}` });
    }
  }
  if (inputs.name !== undefined && inputs.namePrefix !== undefined) {
    failures.push({ property: "namePrefix", reason: '"namePrefix": conflicts with name' });
  }
  const days = inputs.recoveryWindowInDays;
  if (typeof days === "number" && !(days === 0 || (Number.isInteger(days) && days >= 7 && days <= 30))) {
    failures.push({ property: "recoveryWindowInDays", reason: `expected recoveryWindowInDays to be 0 or in the range (7 - 30), got ${days}` });
  }
  const policy = inputs.policy;
  if (typeof policy === "string" && !containsUnknown(policy)) {
    try {
      JSON.parse(policy);
    } catch {
      failures.push({ property: "policy", reason: `"policy" contains an invalid JSON: ${policy.slice(0, 40)}` });
    }
  }
  if (Array.isArray(inputs.replicas) && inputs.replicas.length > 0) {
    // Replicas live in other regions; the sandbox's one moto endpoint has one region to offer.
    failures.push({ property: "replicas", reason: "the stand-in aws provider does not support replicas" });
  }
  if (inputs.type !== undefined) {
    failures.push({ property: "type", reason: "the stand-in aws provider does not support managed external secrets (type)" });
  }
  if (typeof inputs.region === "string" && !isUnknown(inputs.region) && inputs.region !== region) {
    failures.push({ property: "region", reason: `the stand-in aws provider serves only its own region ${region}` });
  }
  return failures;
}

export function secretHandler(secretsManager: SecretsManagerClient, region: string): ResourceHandler {
  /** The live secret, or undefined when it is gone or scheduled for deletion (terraform treats both as gone). */
  const describe = async (secretId: string): Promise<DescribeSecretResponse | undefined> => {
    const described = await unlessResourceMissing(() => secretsManager.send(new DescribeSecretCommand({ SecretId: secretId })));
    return described && !described.DeletedDate ? described : undefined;
  };

  /** The live secret as outputs; `knownPolicy` is kept verbatim when the live policy is equivalent. */
  const readOutputs = async (secretId: string, knownPolicy: unknown, passThrough: PropertyBag) => {
    const described = await describe(secretId);
    if (!described) return undefined;
    const { ResourcePolicy } = await secretsManager.send(new GetResourcePolicyCommand({ SecretId: secretId }));
    const livePolicy = ResourcePolicy ?? "";
    const tags = fromIamTags(described.Tags);
    const name = described.Name ?? "";
    return {
      arn: described.ARN,
      description: described.Description,
      forceOverwriteReplicaSecret: passThrough.forceOverwriteReplicaSecret ?? false,
      kmsKeyId: described.KmsKeyId,
      name,
      namePrefix: namePrefixFromName(name),
      policy: equivalentResourcePolicies(knownPolicy, livePolicy) && typeof knownPolicy === "string" ? knownPolicy : livePolicy,
      // Not an AWS property: the state remembers it for the delete (terraform's import sets 30).
      recoveryWindowInDays: passThrough.recoveryWindowInDays ?? DEFAULT_RECOVERY_WINDOW_IN_DAYS,
      region,
      replicas: [],
      tags,
      tagsAll: tags,
    } satisfies PropertyBag;
  };

  const mustReadOutputs = async (secretId: string, knownPolicy: unknown, passThrough: PropertyBag) => {
    const outs = await readOutputs(secretId, knownPolicy, passThrough);
    if (!outs) throw new Error(`Secrets Manager secret ${secretId} vanished right after it was written`);
    return outs;
  };

  /** CreateSecret, answering for a name held by a secret scheduled for deletion as AWS does (moto says "already exists"). */
  const createSecret = async (command: CreateSecretCommand) => {
    try {
      return await secretsManager.send(command);
    } catch (error) {
      const name = command.input.Name ?? "";
      if (error instanceof Error && error.name === "ResourceExistsException") {
        const held = await unlessResourceMissing(() => secretsManager.send(new DescribeSecretCommand({ SecretId: name })));
        if (held?.DeletedDate) {
          const scheduled = new Error("You can't create this secret because a secret with this name is already scheduled for deletion.");
          scheduled.name = "InvalidRequestException";
          throw scheduled;
        }
      }
      throw error;
    }
  };

  const putPolicy = async (secretId: string, policy: unknown) => {
    if (policy === undefined || policy === "") return;
    if (policy === NO_POLICY) await secretsManager.send(new DeleteResourcePolicyCommand({ SecretId: secretId }));
    else await secretsManager.send(new PutResourcePolicyCommand({ SecretId: secretId, ResourcePolicy: policy as string }));
  };

  return {
    check(olds, news, context) {
      const { policy, ...rest } = news;
      // An empty policy means "not managed here", like an absent one.
      const inputs = applyDefaults(policy === "" ? rest : news, {
        name: defaultNameFor(olds, news, context.name),
        recoveryWindowInDays: DEFAULT_RECOVERY_WINDOW_IN_DAYS,
        forceOverwriteReplicaSecret: false,
      });
      return { inputs, failures: checkSecretInputs(inputs, region) };
    },

    diff(_id, olds, news) {
      // Two secrets cannot share a name, so a chosen name means delete first (the bridge's rule).
      return diffNamedInputs(olds, news, RULES);
    },

    async create(inputs) {
      const name = nameToCreate(inputs);
      const tags = toIamTags(inputs.tags);
      const created = await createSecret(
        new CreateSecretCommand({
          Name: name,
          Description: (inputs.description as string | undefined) || undefined,
          KmsKeyId: (inputs.kmsKeyId as string | undefined) || undefined,
          ForceOverwriteReplicaSecret: inputs.forceOverwriteReplicaSecret === true,
          ...(tags.length > 0 ? { Tags: tags } : {}),
        }),
      );
      if (!created.ARN) throw new Error(`CreateSecret for ${name} returned no ARN`);
      await putPolicy(created.ARN, inputs.policy);
      return { id: created.ARN, outs: await mustReadOutputs(created.ARN, inputs.policy, inputs) };
    },

    async read(id, props, context) {
      const outs = await readOutputs(id, props.policy, props);
      if (!outs) return { id: "" };
      const inputs: PropertyBag = {
        name: outs.name,
        description: outs.description,
        kmsKeyId: outs.kmsKeyId,
        policy: outs.policy || undefined,
        recoveryWindowInDays: outs.recoveryWindowInDays,
        forceOverwriteReplicaSecret: outs.forceOverwriteReplicaSecret,
        tags: outs.tags,
        [DEFAULTS_KEY]: looksAutoNamed(context.name, outs.name) ? ["name"] : [],
      };
      return { id, props: outs, inputs };
    },

    async update(id, olds, news) {
      if (!sameValue(olds.description, news.description) || !sameValue(olds.kmsKeyId, news.kmsKeyId)) {
        // As terraform: the description is always sent, the key only when one is configured.
        await secretsManager.send(
          new UpdateSecretCommand({
            SecretId: id,
            Description: (news.description as string | undefined) ?? "",
            ...(news.kmsKeyId ? { KmsKeyId: news.kmsKeyId as string } : {}),
          }),
        );
      }
      if (news.policy !== undefined && !equivalentResourcePolicies(olds.policy, news.policy)) await putPolicy(id, news.policy);
      const { toSet, toRemove } = tagChanges(olds.tags, news.tags);
      if (toRemove.length > 0) await secretsManager.send(new UntagResourceCommand({ SecretId: id, TagKeys: toRemove }));
      if (toSet.length > 0) await secretsManager.send(new TagResourceCommand({ SecretId: id, Tags: toSet }));
      return mustReadOutputs(id, news.policy ?? olds.policy, news);
    },

    async delete(id, props) {
      // A secret already gone, or already scheduled for deletion, needs nothing more.
      if (!(await describe(id))) return;
      const days = typeof props.recoveryWindowInDays === "number" ? props.recoveryWindowInDays : DEFAULT_RECOVERY_WINDOW_IN_DAYS;
      await unlessResourceMissing(() =>
        secretsManager.send(new DeleteSecretCommand({ SecretId: id, ...(days === 0 ? { ForceDeleteWithoutRecovery: true } : { RecoveryWindowInDays: days }) })),
      );
    },
  };
}
