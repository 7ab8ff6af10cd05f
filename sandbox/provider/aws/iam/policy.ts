import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  TagPolicyCommand,
  UntagPolicyCommand,
  paginateListPolicyVersions,
  type IAMClient,
  type PolicyVersion,
} from "@aws-sdk/client-iam";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import { applyDefaults, defaultNameFor, DEFAULTS_KEY, missingRequired, nameToCreate } from "../../checkInputs";
import { looksAutoNamed, namePrefixFromName } from "../../naming";
import { diffNamedInputs, type DiffRules } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import { containsUnknown, type PropertyBag } from "../../wireValues";
import { unlessMissing } from "../errors";
import { decodeLivePolicyDocument, equivalentPolicies, policyInputAsJson, policyJson } from "../policyDocument";
import { fromIamTags, tagChanges, toIamTags } from "../tags";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const POLICY_TYPE = RESOURCE_TYPES.policy;

// terraform's aws_iam_policy: identity and description force a new policy; the document gets a new version.
const RULES: DiffRules = {
  replaceOn: ["name", "namePrefix", "path", "description"],
  updateInPlace: ["policy", "tags"],
  computedWhenAbsent: ["name", "namePrefix"],
  equivalent: { policy: equivalentPolicies },
};

// IAM keeps at most five versions of a managed policy.
const MAX_POLICY_VERSIONS = 5;

function checkPolicyDocument(inputs: PropertyBag): CheckFailure[] {
  const policy = inputs.policy;
  if (typeof policy !== "string" || containsUnknown(policy)) return [];
  try {
    JSON.parse(policy);
    return [];
  } catch {
    return [{ property: "policy", reason: "policy contains an invalid JSON policy" }];
  }
}

async function listVersions(iam: IAMClient, policyArn: string): Promise<PolicyVersion[]> {
  const versions: PolicyVersion[] = [];
  for await (const page of paginateListPolicyVersions({ client: iam }, { PolicyArn: policyArn })) {
    versions.push(...(page.Versions ?? []));
  }
  return versions;
}

/** Makes room for one more version by deleting the oldest non-default one, as terraform does. */
async function pruneOldestVersion(iam: IAMClient, policyArn: string): Promise<void> {
  const versions = await listVersions(iam, policyArn);
  if (versions.length < MAX_POLICY_VERSIONS) return;
  const [oldest] = versions.filter((version) => !version.IsDefaultVersion).sort((a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0));
  if (oldest) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: oldest.VersionId }));
}

export function policyHandler(iam: IAMClient): ResourceHandler {
  /** The live policy as outputs; `knownDocument` is kept verbatim when IAM holds an equivalent one. */
  const readOutputs = async (policyArn: string, knownDocument: unknown, passThrough: PropertyBag) => {
    const policy = await unlessMissing(async () => (await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }))).Policy);
    if (!policy) return undefined;
    const version = await unlessMissing(
      async () => (await iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: policy.DefaultVersionId }))).PolicyVersion,
    );
    if (!version) return undefined;
    const liveDocument = decodeLivePolicyDocument(version.Document ?? "");
    const tags = fromIamTags(policy.Tags);
    const name = policy.PolicyName ?? "";
    return {
      arn: policy.Arn,
      attachmentCount: policy.AttachmentCount ?? 0,
      delayAfterPolicyCreationInMs: passThrough.delayAfterPolicyCreationInMs,
      description: policy.Description,
      name,
      namePrefix: namePrefixFromName(name),
      path: policy.Path,
      policy: equivalentPolicies(knownDocument, liveDocument) ? policyJson(knownDocument) : liveDocument,
      policyId: policy.PolicyId,
      tags,
      tagsAll: tags,
    } satisfies PropertyBag;
  };

  const mustReadOutputs = async (policyArn: string, knownDocument: unknown, passThrough: PropertyBag) => {
    const outs = await readOutputs(policyArn, knownDocument, passThrough);
    if (!outs) throw new Error(`IAM policy ${policyArn} vanished right after it was written`);
    return outs;
  };

  return {
    check(olds, news, context) {
      const inputs = applyDefaults(news, {
        name: defaultNameFor(olds, news, context.name),
        path: "/",
      });
      policyInputAsJson(inputs, "policy");
      const failures: CheckFailure[] = [...missingRequired(inputs, ["policy"]), ...checkPolicyDocument(inputs)];
      if (news.name !== undefined && news.namePrefix !== undefined) {
        failures.push({ property: "namePrefix", reason: '"namePrefix": conflicts with name' });
      }
      return { inputs, failures };
    },

    diff(_id, olds, news) {
      // Two policies cannot share a name, so a chosen name means delete first (the bridge's rule).
      return diffNamedInputs(olds, news, RULES);
    },

    async create(inputs) {
      const document = policyJson(inputs.policy);
      const name = nameToCreate(inputs);
      const created = await iam.send(
        new CreatePolicyCommand({
          PolicyName: name,
          Path: inputs.path as string,
          Description: (inputs.description as string | undefined) || undefined,
          PolicyDocument: document,
          Tags: toIamTags(inputs.tags),
        }),
      );
      const policyArn = created.Policy?.Arn;
      if (!policyArn) throw new Error(`CreatePolicy for ${name} returned no ARN`);
      return { id: policyArn, outs: await mustReadOutputs(policyArn, document, inputs) };
    },

    async read(id, props, context) {
      const outs = await readOutputs(id, props.policy, props);
      if (!outs) return { id: "" };
      const inputs: PropertyBag = {
        name: outs.name,
        path: outs.path,
        description: outs.description,
        policy: outs.policy,
        tags: outs.tags,
        [DEFAULTS_KEY]: looksAutoNamed(context.name, outs.name) ? ["name"] : [],
      };
      return { id, props: outs, inputs };
    },

    async update(id, olds, news) {
      if (!equivalentPolicies(olds.policy, news.policy)) {
        await pruneOldestVersion(iam, id);
        await iam.send(new CreatePolicyVersionCommand({ PolicyArn: id, PolicyDocument: policyJson(news.policy), SetAsDefault: true }));
      }
      const { toSet, toRemove } = tagChanges(olds.tags, news.tags);
      if (toRemove.length > 0) await iam.send(new UntagPolicyCommand({ PolicyArn: id, TagKeys: toRemove }));
      if (toSet.length > 0) await iam.send(new TagPolicyCommand({ PolicyArn: id, Tags: toSet }));
      return mustReadOutputs(id, news.policy, news);
    },

    async delete(id) {
      const versions = await unlessMissing(() => listVersions(iam, id));
      if (!versions) return;
      for (const version of versions.filter((candidate) => !candidate.IsDefaultVersion)) {
        await iam.send(new DeletePolicyVersionCommand({ PolicyArn: id, VersionId: version.VersionId }));
      }
      await unlessMissing(() => iam.send(new DeletePolicyCommand({ PolicyArn: id })));
    },
  };
}
