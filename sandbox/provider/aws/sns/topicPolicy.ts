import { GetTopicAttributesCommand, SetTopicAttributesCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import { applyDefaults, missingRequired, unsupportedInputs } from "../../checkInputs";
import { diffInputs, type DiffRules } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import { containsUnknown, type PropertyBag } from "../../wireValues";
import { unlessNotFound } from "../errors";
import { isJson } from "../normalizedJson";
import { equivalentPolicies, policyInputAsJson, policyJson } from "../policyDocument";
import { regionFailure, regionFor, regionOfArn, splitImportRegion } from "../region";
import type { RegionalClients } from "../regionalClients";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const TOPIC_POLICY_TYPE = RESOURCE_TYPES.topicPolicy;

// terraform's aws_sns_topic_policy: another topic is another policy object; the document changes in place.
const RULES: DiffRules = { replaceOn: ["arn", "region"], updateInPlace: ["policy"], equivalent: { policy: equivalentPolicies } };

/**
 * terraform's delete: SNS cannot remove a topic's policy or set it empty (as AWS Support confirmed to
 * terraform), so the delete puts back the policy AWS gives a new topic.
 */
export function defaultTopicPolicy(topicArn: string, owner: string): string {
  return JSON.stringify({
    Version: "2008-10-17",
    Id: "__default_policy_ID",
    Statement: [
      {
        Sid: "__default_statement_ID",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: [
          "SNS:GetTopicAttributes",
          "SNS:SetTopicAttributes",
          "SNS:AddPermission",
          "SNS:RemovePermission",
          "SNS:DeleteTopic",
          "SNS:Subscribe",
          "SNS:ListSubscriptionsByTopic",
          "SNS:Publish",
          "SNS:Receive",
        ],
        Resource: topicArn,
        Condition: { StringEquals: { "AWS:SourceOwner": owner } },
      },
    ],
  });
}

function checkTopicPolicyInputs(news: PropertyBag, inputs: PropertyBag): CheckFailure[] {
  const failures = [...unsupportedInputs(news, ["arn", "policy", "region"]), ...missingRequired(inputs, ["arn", "policy"]), ...regionFailure(inputs)];
  if (typeof inputs.policy === "string" && !containsUnknown(inputs.policy) && !isJson(inputs.policy)) {
    failures.push({ property: "policy", reason: "policy contains an invalid JSON policy" });
  }
  return failures;
}

export function topicPolicyHandler(sns: RegionalClients<SNSClient>): ResourceHandler {
  /** The policy as outputs, or undefined when the topic is gone; `knownPolicy` is kept when SNS holds an equivalent one. */
  const readOutputs = async (topicArn: string, region: string, knownPolicy: unknown): Promise<PropertyBag | undefined> => {
    const attributes = await unlessNotFound(async () => (await sns.in(region).send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes);
    if (!attributes?.Policy) return undefined;
    return {
      arn: attributes.TopicArn ?? topicArn,
      owner: attributes.Owner,
      policy: equivalentPolicies(knownPolicy, attributes.Policy) ? policyJson(knownPolicy) : attributes.Policy,
      region,
    };
  };

  const putPolicy = async (topicArn: string, region: string, policy: unknown) => {
    await sns.in(region).send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: "Policy", AttributeValue: policyJson(policy) }));
    const outs = await readOutputs(topicArn, region, policy);
    if (!outs) throw new Error(`SNS topic ${topicArn} vanished right after its policy was written`);
    return outs;
  };

  return {
    check(_olds, news) {
      const inputs = applyDefaults(news, { region: sns.defaultRegion });
      policyInputAsJson(inputs, "policy");
      return { inputs, failures: checkTopicPolicyInputs(news, inputs) };
    },

    diff(_id, olds, news) {
      return diffInputs(olds, news, RULES);
    },

    async create(inputs) {
      const topicArn = inputs.arn as string;
      // The id is the topic's ARN: one topic has one policy.
      return { id: topicArn, outs: await putPolicy(topicArn, inputs.region as string, inputs.policy) };
    },

    async read(id, props) {
      const { id: topicArn, region: importRegion } = splitImportRegion(id);
      const region = regionFor(props, importRegion ?? regionOfArn(topicArn), sns.defaultRegion);
      const outs = await readOutputs(topicArn, region, props.policy);
      if (!outs) return { id: "" };
      return { id: topicArn, props: outs, inputs: { arn: outs.arn, policy: outs.policy, region } };
    },

    async update(id, _olds, news) {
      return putPolicy(id, news.region as string, news.policy);
    },

    async delete(id, props) {
      const region = regionFor(props, regionOfArn(id), sns.defaultRegion);
      const policy = defaultTopicPolicy(id, props.owner as string);
      await unlessNotFound(() => sns.in(region).send(new SetTopicAttributesCommand({ TopicArn: id, AttributeName: "Policy", AttributeValue: policy })));
    },
  };
}
