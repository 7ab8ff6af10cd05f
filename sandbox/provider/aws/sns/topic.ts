import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  SetTopicAttributesCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type SNSClient,
} from "@aws-sdk/client-sns";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import { applyDefaults, conflictFailure, defaultNameFor, DEFAULTS_KEY, nameToCreate, patternFailure, unsupportedInputs } from "../../checkInputs";
import { looksAutoNamed, namePrefixFromName } from "../../naming";
import { diffNamedInputs, type DiffRules, sameValue } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import type { PropertyBag } from "../../wireValues";
import { unlessNotFound } from "../errors";
import { regionFailure, regionFor, regionOfArn, splitImportRegion } from "../region";
import type { RegionalClients } from "../regionalClients";
import { fromIamTags, tagChanges, toIamTags } from "../tags";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const TOPIC_TYPE = RESOURCE_TYPES.topic;

const SUPPORTED_INPUTS = ["name", "namePrefix", "displayName", "kmsMasterKeyId", "fifoTopic", "contentBasedDeduplication", "tags", "region"];

// terraform's aws_sns_topic: the name, FIFO-ness and region force a new topic; attributes and tags change in place.
const RULES: DiffRules = {
  replaceOn: ["name", "namePrefix", "fifoTopic", "region"],
  updateInPlace: ["displayName", "kmsMasterKeyId", "tags"],
  computedWhenAbsent: ["name", "namePrefix"],
};

/** The topic attributes this handler manages (SetTopicAttributes names), by input. */
const MANAGED_ATTRIBUTES = { displayName: "DisplayName", kmsMasterKeyId: "KmsMasterKeyId" } as const;

const TOPIC_NAME = /^[0-9A-Za-z_-]{1,256}$/;

function checkTopicInputs(news: PropertyBag, inputs: PropertyBag): CheckFailure[] {
  const failures: CheckFailure[] = [
    ...unsupportedInputs(news, [...SUPPORTED_INPUTS, "policy"]),
    ...conflictFailure(news, "namePrefix", "name"),
    ...patternFailure(inputs, "name", TOPIC_NAME, `invalid topic name: ${String(inputs.name)}`),
    ...patternFailure(inputs, "namePrefix", /^[0-9A-Za-z_-]{1,230}$/, `invalid topic name prefix: ${String(inputs.namePrefix)}`),
    ...regionFailure(inputs),
  ];
  if (news.policy !== undefined) {
    // The project keeps a topic's access policy in one place: its own resource.
    failures.push({ property: "policy", reason: "the stand-in aws provider manages a topic's policy only through aws:sns/topicPolicy:TopicPolicy" });
  }
  if (inputs.fifoTopic === true) failures.push({ property: "fifoTopic", reason: "the stand-in aws provider does not support FIFO topics" });
  if (inputs.contentBasedDeduplication === true) {
    failures.push({ property: "contentBasedDeduplication", reason: "content-based deduplication can only be set for FIFO topics" });
  }
  return failures;
}

export function topicHandler(sns: RegionalClients<SNSClient>): ResourceHandler {
  /** The live topic as outputs, or undefined when it is gone. */
  const readOutputs = async (topicArn: string, region: string): Promise<PropertyBag | undefined> => {
    const client = sns.in(region);
    const attributes = await unlessNotFound(async () => (await client.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes);
    if (!attributes) return undefined;
    const tags = fromIamTags((await client.send(new ListTagsForResourceCommand({ ResourceArn: topicArn }))).Tags);
    const name = topicArn.slice(topicArn.lastIndexOf(":") + 1);
    return {
      arn: topicArn,
      contentBasedDeduplication: attributes.ContentBasedDeduplication === "true",
      displayName: attributes.DisplayName,
      fifoTopic: attributes.FifoTopic === "true",
      kmsMasterKeyId: attributes.KmsMasterKeyId,
      name,
      namePrefix: namePrefixFromName(name),
      owner: attributes.Owner,
      // An output only: the access policy is the TopicPolicy resource's to manage.
      policy: attributes.Policy,
      region,
      tags,
      tagsAll: tags,
    };
  };

  const mustReadOutputs = async (topicArn: string, region: string) => {
    const outs = await readOutputs(topicArn, region);
    if (!outs) throw new Error(`SNS topic ${topicArn} vanished right after it was written`);
    return outs;
  };

  const setAttribute = (topicArn: string, region: string, name: string, value: string) =>
    sns.in(region).send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: name, AttributeValue: value }));

  return {
    check(olds, news, context) {
      const inputs = applyDefaults(news, {
        name: defaultNameFor(olds, news, context.name),
        fifoTopic: false,
        contentBasedDeduplication: false,
        region: sns.defaultRegion,
      });
      return { inputs, failures: checkTopicInputs(news, inputs) };
    },

    diff(_id, olds, news) {
      // A topic's name is its identity, so a chosen name means delete first (the bridge's rule).
      return diffNamedInputs(olds, news, RULES);
    },

    async create(inputs) {
      const region = inputs.region as string;
      const name = nameToCreate(inputs);
      const tags = toIamTags(inputs.tags);
      const { TopicArn } = await sns.in(region).send(new CreateTopicCommand({ Name: name, ...(tags.length > 0 ? { Tags: tags } : {}) }));
      if (!TopicArn) throw new Error(`CreateTopic for ${name} returned no ARN`);
      for (const [input, attribute] of Object.entries(MANAGED_ATTRIBUTES)) {
        const value = inputs[input];
        if (typeof value === "string" && value !== "") await setAttribute(TopicArn, region, attribute, value);
      }
      return { id: TopicArn, outs: await mustReadOutputs(TopicArn, region) };
    },

    async read(id, props, context) {
      const { id: topicArn, region: importRegion } = splitImportRegion(id);
      const region = regionFor(props, importRegion ?? regionOfArn(topicArn), sns.defaultRegion);
      const outs = await readOutputs(topicArn, region);
      if (!outs) return { id: "" };
      const inputs: PropertyBag = {
        name: outs.name,
        displayName: outs.displayName || undefined,
        kmsMasterKeyId: outs.kmsMasterKeyId,
        fifoTopic: outs.fifoTopic,
        contentBasedDeduplication: outs.contentBasedDeduplication,
        tags: outs.tags,
        region,
        [DEFAULTS_KEY]: looksAutoNamed(context.name, outs.name) ? ["name"] : [],
      };
      return { id: topicArn, props: outs, inputs };
    },

    async update(id, olds, news) {
      const region = news.region as string;
      for (const [input, attribute] of Object.entries(MANAGED_ATTRIBUTES)) {
        // An empty value clears the attribute (no display name, no server-side encryption).
        if (!sameValue(olds[input], news[input])) await setAttribute(id, region, attribute, (news[input] as string | undefined) ?? "");
      }
      const { toSet, toRemove } = tagChanges(olds.tags, news.tags);
      const client = sns.in(region);
      if (toRemove.length > 0) await client.send(new UntagResourceCommand({ ResourceArn: id, TagKeys: toRemove }));
      if (toSet.length > 0) await client.send(new TagResourceCommand({ ResourceArn: id, Tags: toSet }));
      return mustReadOutputs(id, region);
    },

    async delete(id, props) {
      const region = regionFor(props, regionOfArn(id), sns.defaultRegion);
      await unlessNotFound(() => sns.in(region).send(new DeleteTopicCommand({ TopicArn: id })));
    },
  };
}
