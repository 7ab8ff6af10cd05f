import { GetSubscriptionAttributesCommand, SetSubscriptionAttributesCommand, SubscribeCommand, UnsubscribeCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import { setTimeout as sleep } from "node:timers/promises";
import { applyDefaults, missingRequired, oneOfFailure, unsupportedInputs } from "../../checkInputs";
import { changedInputs, diffInputs, type DiffRules } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import { containsUnknown, type PropertyBag } from "../../wireValues";
import { unlessNotFound } from "../errors";
import { isJson, normalizeJson, sameJson } from "../normalizedJson";
import { regionFailure, regionFor, regionOfArn, splitImportRegion } from "../region";
import type { RegionalClients } from "../regionalClients";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const TOPIC_SUBSCRIPTION_TYPE = RESOURCE_TYPES.topicSubscription;

const SUPPORTED_INPUTS = [
  "topic",
  "protocol",
  "endpoint",
  "rawMessageDelivery",
  "filterPolicy",
  "filterPolicyScope",
  "deliveryPolicy",
  "redrivePolicy",
  "subscriptionRoleArn",
  "confirmationTimeoutInMinutes",
  "endpointAutoConfirms",
  "region",
];

/** The subscription attributes an input sets (SetSubscriptionAttributes names). */
const ATTRIBUTES = {
  rawMessageDelivery: "RawMessageDelivery",
  filterPolicy: "FilterPolicy",
  filterPolicyScope: "FilterPolicyScope",
  deliveryPolicy: "DeliveryPolicy",
  redrivePolicy: "RedrivePolicy",
  subscriptionRoleArn: "SubscriptionRoleArn",
} as const;
type AttributeInput = keyof typeof ATTRIBUTES;

const JSON_INPUTS: readonly AttributeInput[] = ["filterPolicy", "deliveryPolicy", "redrivePolicy"];

// terraform's aws_sns_topic_subscription: topic, protocol and endpoint are the subscription; the rest
// changes in place (the confirmation settings live in the state only).
const RULES: DiffRules = {
  replaceOn: ["topic", "protocol", "endpoint", "region"],
  updateInPlace: [...Object.keys(ATTRIBUTES), "confirmationTimeoutInMinutes", "endpointAutoConfirms"],
  computedWhenAbsent: ["filterPolicyScope"],
  equivalent: { filterPolicy: sameJson, deliveryPolicy: sameJson, redrivePolicy: sameJson },
};

const TERRAFORM_PROTOCOLS = ["application", "firehose", "lambda", "sms", "sqs", "email", "email-json", "http", "https"];
/** The protocols whose behaviour the stand-in has been checked for against moto. */
const SUPPORTED_PROTOCOLS = ["sqs", "email", "email-json"];
const CONFIRMATION_TIMEOUT_MS = 2 * 60_000;
const POLL_MS = 1_000;

function checkSubscriptionInputs(news: PropertyBag, inputs: PropertyBag): CheckFailure[] {
  const failures = [
    ...unsupportedInputs(news, SUPPORTED_INPUTS),
    ...missingRequired(inputs, ["topic", "protocol", "endpoint"]),
    ...oneOfFailure(inputs, "protocol", TERRAFORM_PROTOCOLS),
    ...oneOfFailure(inputs, "filterPolicyScope", ["MessageAttributes", "MessageBody"]),
    ...regionFailure(inputs),
  ];
  const protocol = inputs.protocol;
  if (typeof protocol === "string" && TERRAFORM_PROTOCOLS.includes(protocol) && !SUPPORTED_PROTOCOLS.includes(protocol)) {
    failures.push({ property: "protocol", reason: `the stand-in aws provider supports the protocols ${SUPPORTED_PROTOCOLS.join(", ")}, not ${protocol}` });
  }
  for (const key of JSON_INPUTS) {
    const value = inputs[key];
    if (typeof value === "string" && value !== "" && !containsUnknown(value) && !isJson(value)) {
      failures.push({ property: key, reason: `"${key}" contains an invalid JSON` });
    }
  }
  return failures;
}

/** The attribute value SNS takes for an input value; undefined removes the attribute. */
function attributeValue(input: AttributeInput, value: unknown): string | undefined {
  if (input === "rawMessageDelivery") return value === true ? "true" : "false";
  const text = typeof value === "string" ? value : "";
  // An empty filter policy is "{}" to SNS; an empty redrive policy must be left out (terraform does both).
  if (input === "filterPolicy" && text === "") return "{}";
  if (input === "redrivePolicy" && text === "") return undefined;
  return JSON_INPUTS.includes(input) ? normalizeJson(text) : text;
}

/** JSON documents are kept in terraform's normalized form. */
function jsonOutput(text: string | undefined): string | undefined {
  if (!text || text === "{}") return undefined;
  return isJson(text) ? normalizeJson(text) : text;
}

export function topicSubscriptionHandler(sns: RegionalClients<SNSClient>): ResourceHandler {
  const getAttributes = (subscriptionArn: string, region: string) =>
    unlessNotFound(async () => (await sns.in(region).send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }))).Attributes);

  const readOutputs = async (subscriptionArn: string, region: string, passThrough: PropertyBag): Promise<PropertyBag | undefined> => {
    const attributes = await getAttributes(subscriptionArn, region);
    if (!attributes) return undefined;
    return {
      arn: attributes.SubscriptionArn ?? subscriptionArn,
      confirmationTimeoutInMinutes: passThrough.confirmationTimeoutInMinutes ?? 1,
      confirmationWasAuthenticated: attributes.ConfirmationWasAuthenticated === "true",
      deliveryPolicy: jsonOutput(attributes.DeliveryPolicy),
      endpoint: attributes.Endpoint,
      endpointAutoConfirms: passThrough.endpointAutoConfirms ?? false,
      filterPolicy: jsonOutput(attributes.FilterPolicy),
      filterPolicyScope: attributes.FilterPolicyScope,
      ownerId: attributes.Owner,
      // What SNS says: an email endpoint stays pending until someone confirms it.
      pendingConfirmation: attributes.PendingConfirmation === "true",
      protocol: attributes.Protocol,
      rawMessageDelivery: attributes.RawMessageDelivery === "true",
      redrivePolicy: jsonOutput(attributes.RedrivePolicy),
      region,
      subscriptionRoleArn: attributes.SubscriptionRoleArn,
      topic: attributes.TopicArn,
    };
  };

  const mustReadOutputs = async (subscriptionArn: string, region: string, passThrough: PropertyBag) => {
    const outs = await readOutputs(subscriptionArn, region, passThrough);
    if (!outs) throw new Error(`SNS subscription ${subscriptionArn} vanished right after it was written`);
    return outs;
  };

  /** Polls until `done` says yes, as terraform's waiters do; fails after `timeoutMs`. */
  const pollUntil = async (what: string, done: () => Promise<boolean>, timeoutMs = CONFIRMATION_TIMEOUT_MS) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(POLL_MS);
    }
  };

  const setAttribute = (subscriptionArn: string, region: string, input: AttributeInput, value: unknown) =>
    sns.in(region).send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: subscriptionArn,
        AttributeName: ATTRIBUTES[input],
        AttributeValue: attributeValue(input, value),
      }),
    );

  return {
    check(_olds, news) {
      const inputs = applyDefaults(news, {
        rawMessageDelivery: false,
        confirmationTimeoutInMinutes: 1,
        endpointAutoConfirms: false,
        region: sns.defaultRegion,
      });
      return { inputs, failures: checkSubscriptionInputs(news, inputs) };
    },

    diff(_id, olds, news) {
      return diffInputs(olds, news, RULES);
    },

    async create(inputs) {
      const region = inputs.region as string;
      const protocol = inputs.protocol as string;
      // Only what the program set goes along (terraform leaves zero values out).
      const attributes = Object.fromEntries(
        (Object.keys(ATTRIBUTES) as AttributeInput[])
          .filter((input) => inputs[input] !== undefined && inputs[input] !== "" && inputs[input] !== false)
          .map((input) => [ATTRIBUTES[input], attributeValue(input, inputs[input]) ?? ""]),
      );
      const { SubscriptionArn } = await sns.in(region).send(
        new SubscribeCommand({
          TopicArn: inputs.topic as string,
          Protocol: protocol,
          Endpoint: inputs.endpoint as string,
          ReturnSubscriptionArn: true,
          ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
        }),
      );
      if (!SubscriptionArn) throw new Error(`Subscribe to ${String(inputs.topic)} returned no ARN`);
      // terraform waits for the confirmation except for email, which waits for a person.
      if (!protocol.startsWith("email")) {
        await pollUntil(`the confirmation of ${SubscriptionArn}`, async () => (await getAttributes(SubscriptionArn, region))?.PendingConfirmation === "false");
      }
      return { id: SubscriptionArn, outs: await mustReadOutputs(SubscriptionArn, region, inputs) };
    },

    async read(id, props) {
      const { id: subscriptionArn, region: importRegion } = splitImportRegion(id);
      const region = regionFor(props, importRegion ?? regionOfArn(subscriptionArn), sns.defaultRegion);
      const outs = await readOutputs(subscriptionArn, region, props);
      if (!outs) return { id: "" };
      const inputs: PropertyBag = Object.fromEntries(SUPPORTED_INPUTS.filter((key) => outs[key] !== undefined).map((key) => [key, outs[key]]));
      return { id: subscriptionArn, props: outs, inputs };
    },

    async update(id, olds, news) {
      const region = news.region as string;
      const changed = changedInputs(olds, news, { ...RULES, replaceOn: [], updateInPlace: Object.keys(ATTRIBUTES) }) as AttributeInput[];
      // SNS checks a filter policy against the scope it has: MessageBody goes first, MessageAttributes last.
      const scopeFirst = news.filterPolicyScope === "MessageBody";
      const ordered = [
        ...(scopeFirst ? changed.filter((input) => input === "filterPolicyScope") : []),
        ...changed.filter((input) => input !== "filterPolicyScope"),
        ...(!scopeFirst ? changed.filter((input) => input === "filterPolicyScope") : []),
      ];
      for (const input of ordered) await setAttribute(id, region, input, news[input]);
      return mustReadOutputs(id, region, news);
    },

    async delete(id, props) {
      const region = regionFor(props, regionOfArn(id), sns.defaultRegion);
      const attributes = await getAttributes(id, region);
      // SNS refuses to unsubscribe a pending subscription and drops it itself after three days (terraform lets it be).
      if (!attributes || attributes.PendingConfirmation === "true") return;
      await unlessNotFound(() => sns.in(region).send(new UnsubscribeCommand({ SubscriptionArn: id })));
      await pollUntil(`the deletion of ${id}`, async () => (await getAttributes(id, region)) === undefined);
    },
  };
}
