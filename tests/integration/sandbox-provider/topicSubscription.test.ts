import { CreateTopicCommand, GetSubscriptionAttributesCommand, SetSubscriptionAttributesCommand, UnsubscribeCommand } from "@aws-sdk/client-sns";
import { expect } from "chai";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const SUBSCRIPTION = urnOf("aws:sns/topicSubscription:TopicSubscription", "iam-alerts-queue");
const PROVIDER_REGION = "eu-west-1";
const QUEUE_ARN = "arn:aws:sqs:eu-west-1:123456789012:talentbase-iam-alerts";

describe("stand-in aws:sns/topicSubscription:TopicSubscription", () => {
  const fixture = useProviderAgainstMoto({ region: PROVIDER_REGION });
  let topicArn: string;

  beforeEach(async () => {
    topicArn = (await fixture.regional().sns.send(new CreateTopicCommand({ Name: "talentbase-iam-alerts" }))).TopicArn!;
  });

  const liveAttributes = async (subscriptionArn: string, region = PROVIDER_REGION) =>
    (await fixture.regional(region).sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }))).Attributes ?? {};
  const errorName = (promise: Promise<unknown>) =>
    promise.then(
      () => "none",
      (error: Error) => error.name,
    );

  describe("check", () => {
    it("requires topic, protocol and endpoint and fills terraform's defaults", async () => {
      const missing = await fixture.provider.check(SUBSCRIPTION, {}, {});
      expect(missing.failures?.map((failure) => failure.property)).to.have.members(["topic", "protocol", "endpoint"]);
      const { inputs } = await fixture.provider.check(SUBSCRIPTION, {}, { topic: "arn:t", protocol: "sqs", endpoint: QUEUE_ARN });
      expect(inputs).to.include({ rawMessageDelivery: false, confirmationTimeoutInMinutes: 1, endpointAutoConfirms: false, region: PROVIDER_REGION });
    });

    it("refuses a protocol SNS lacks, one the stand-in has not been checked with, a filter policy that is not JSON, and replay policies", async () => {
      const failing = async (news: Record<string, unknown>) =>
        ((await fixture.provider.check(SUBSCRIPTION, {}, { topic: "arn:t", endpoint: "x", ...news })).failures ?? []).map((failure) => failure.property);
      expect(await failing({ protocol: "smtp" })).to.deep.equal(["protocol"]);
      expect(await failing({ protocol: "https" })).to.deep.equal(["protocol"]);
      expect(await failing({ protocol: "sqs", filterPolicy: "{oops" })).to.deep.equal(["filterPolicy"]);
      expect(await failing({ protocol: "sqs", replayPolicy: "{}" })).to.deep.equal(["replayPolicy"]);
    });
  });

  describe("create", () => {
    it("subscribes a queue, waits for the confirmation, id = subscription ARN, filter policy in terraform's normalized form", async () => {
      const { id, outs } = await checkAndCreate(fixture, SUBSCRIPTION, {
        topic: topicArn,
        protocol: "sqs",
        endpoint: QUEUE_ARN,
        rawMessageDelivery: true,
        filterPolicy: JSON.stringify({ severity: ["high"], event: [{ prefix: "Create" }] }, null, 2),
      });
      expect(id).to.match(new RegExp(`^${topicArn}:[0-9a-f-]{36}$`));
      expect(outs).to.include({
        arn: id,
        topic: topicArn,
        protocol: "sqs",
        endpoint: QUEUE_ARN,
        ownerId: "123456789012",
        pendingConfirmation: false,
        rawMessageDelivery: true,
        filterPolicy: '{"event":[{"prefix":"Create"}],"severity":["high"]}',
        region: PROVIDER_REGION,
      });
      expect(await liveAttributes(id)).to.include({ RawMessageDelivery: "true", Protocol: "sqs" });
    });

    it("subscribes an email address without waiting for a person to confirm; moto reports it as already confirmed", async () => {
      for (const protocol of ["email", "email-json"]) {
        const { id, outs } = await checkAndCreate(fixture, SUBSCRIPTION, { topic: topicArn, protocol, endpoint: "security@talentbase.example" });
        expect(outs, protocol).to.include({ protocol, endpoint: "security@talentbase.example" });
        // AWS says pendingConfirmation true until the recipient clicks the link; moto 5.2.1 confirms at once.
        expect(outs.pendingConfirmation, protocol).to.equal(false);
        expect((await liveAttributes(id)).PendingConfirmation, protocol).to.equal("false");
      }
    });

    it("honours the region input: a subscription to a us-east-1 topic is made there", async () => {
      const eastTopic = (await fixture.regional("us-east-1").sns.send(new CreateTopicCommand({ Name: "talentbase-iam-alerts" }))).TopicArn!;
      const { id, outs } = await checkAndCreate(fixture, SUBSCRIPTION, { topic: eastTopic, protocol: "sqs", endpoint: QUEUE_ARN, region: "us-east-1" });
      expect(id.startsWith("arn:aws:sns:us-east-1:")).to.equal(true);
      expect(outs.region).to.equal("us-east-1");
      expect((await liveAttributes(id, "us-east-1")).TopicArn).to.equal(eastTopic);
    });
  });

  describe("diff", () => {
    const olds = {
      topic: "arn:t",
      protocol: "sqs",
      endpoint: QUEUE_ARN,
      rawMessageDelivery: false,
      confirmationTimeoutInMinutes: 1,
      endpointAutoConfirms: false,
      region: PROVIDER_REGION,
      filterPolicy: '{"a":["b"]}',
    };

    it("replaces on another topic, protocol, endpoint or region", async () => {
      for (const key of ["topic", "protocol", "endpoint", "region"]) {
        expect((await fixture.provider.diff("arn", SUBSCRIPTION, olds, { ...olds, [key]: "other" })).replaces, key).to.deep.equal([key]);
      }
    });

    it("updates delivery settings in place and ignores a reformatted filter policy", async () => {
      expect((await fixture.provider.diff("arn", SUBSCRIPTION, olds, { ...olds, filterPolicy: '{ "a": [ "b" ] }' })).changes).to.equal(false);
      for (const change of [{ rawMessageDelivery: true }, { filterPolicy: '{"a":["c"]}' }, { redrivePolicy: '{"deadLetterTargetArn":"arn:q"}' }]) {
        const diff = await fixture.provider.diff("arn", SUBSCRIPTION, olds, { ...olds, ...change });
        expect(diff.changes, JSON.stringify(change)).to.equal(true);
        expect(diff.replaces ?? [], JSON.stringify(change)).to.be.empty;
      }
    });
  });

  it("updates the delivery settings in place with SetSubscriptionAttributes", async () => {
    const { id, inputs, outs } = await checkAndCreate(fixture, SUBSCRIPTION, {
      topic: topicArn,
      protocol: "sqs",
      endpoint: QUEUE_ARN,
      rawMessageDelivery: true,
    });
    const { outs: updated } = await fixture.provider.update(id, SUBSCRIPTION, outs, {
      ...inputs,
      rawMessageDelivery: false,
      filterPolicy: '{"severity":["high"]}',
    });
    expect(updated).to.include({ arn: id, rawMessageDelivery: false, filterPolicy: '{"severity":["high"]}' });
    expect(await liveAttributes(id)).to.include({ RawMessageDelivery: "false", FilterPolicy: '{"severity":["high"]}' });
    // A filter policy dropped from the program is cleared with "{}", as terraform does.
    const { outs: cleared } = await fixture.provider.update(id, SUBSCRIPTION, updated, { ...inputs, rawMessageDelivery: false });
    expect(cleared).to.not.have.property("filterPolicy");
  });

  describe("read", () => {
    it("imports by subscription ARN alone", async () => {
      const { id } = await checkAndCreate(fixture, SUBSCRIPTION, { topic: topicArn, protocol: "sqs", endpoint: QUEUE_ARN, rawMessageDelivery: true });
      const read = await fixture.provider.read(id, SUBSCRIPTION, {});
      expect(read.id).to.equal(id);
      expect(read.inputs).to.deep.equal({
        topic: topicArn,
        protocol: "sqs",
        endpoint: QUEUE_ARN,
        rawMessageDelivery: true,
        confirmationTimeoutInMinutes: 1,
        endpointAutoConfirms: false,
        region: PROVIDER_REGION,
      });
    });

    it("shows a delivery setting changed outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, SUBSCRIPTION, { topic: topicArn, protocol: "sqs", endpoint: QUEUE_ARN });
      await fixture
        .regional()
        .sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: id, AttributeName: "RawMessageDelivery", AttributeValue: "true" }));
      expect((await fixture.provider.read(id, SUBSCRIPTION, outs)).props).to.include({ rawMessageDelivery: true });
    });

    it("returns an empty id once the subscription was removed outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, SUBSCRIPTION, { topic: topicArn, protocol: "sqs", endpoint: QUEUE_ARN });
      await fixture.regional().sns.send(new UnsubscribeCommand({ SubscriptionArn: id }));
      expect((await fixture.provider.read(id, SUBSCRIPTION, outs)).id).to.equal("");
    });
  });

  it("unsubscribes on delete and tolerates a subscription already gone", async () => {
    const { id, outs } = await checkAndCreate(fixture, SUBSCRIPTION, { topic: topicArn, protocol: "sqs", endpoint: QUEUE_ARN });
    await fixture.provider.delete(id, SUBSCRIPTION, outs);
    expect(await errorName(liveAttributes(id))).to.equal("NotFoundException");
    await fixture.provider.delete(id, SUBSCRIPTION, outs);
  });
});
