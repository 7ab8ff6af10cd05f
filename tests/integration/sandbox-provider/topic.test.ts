import { CreateTopicCommand, DeleteTopicCommand, GetTopicAttributesCommand, ListTagsForResourceCommand, SetTopicAttributesCommand } from "@aws-sdk/client-sns";
import { expect } from "chai";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const TOPIC = urnOf("aws:sns/topic:Topic", "iam-alerts");
const PROVIDER_REGION = "eu-west-1";

describe("stand-in aws:sns/topic:Topic", () => {
  const fixture = useProviderAgainstMoto({ region: PROVIDER_REGION });
  const attributesOf = async (topicArn: string, region = PROVIDER_REGION) =>
    (await fixture.regional(region).sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes ?? {};
  const errorName = (promise: Promise<unknown>) =>
    promise.then(
      () => "none",
      (error: Error) => error.name,
    );

  describe("check", () => {
    it("autonames a topic, fills terraform's defaults and the provider's region", async () => {
      const { inputs, failures } = await fixture.provider.check(TOPIC, {}, {});
      expect(failures).to.be.empty;
      expect(inputs.name).to.match(/^iam-alerts-[0-9a-f]{7}$/);
      expect(inputs).to.include({ fifoTopic: false, contentBasedDeduplication: false, region: PROVIDER_REGION });
    });

    it("refuses the topic's own policy input (TopicPolicy manages it), FIFO topics, bad names and inputs it does not implement", async () => {
      const { failures } = await fixture.provider.check(
        TOPIC,
        {},
        { name: "has space", policy: "{}", fifoTopic: true, tracingConfig: "Active", region: "mars" },
      );
      expect(failures?.map((failure) => failure.property)).to.have.members(["name", "policy", "fifoTopic", "tracingConfig", "region"]);
      expect(failures?.find((failure) => failure.property === "policy")?.reason).to.include("aws:sns/topicPolicy:TopicPolicy");
    });
  });

  describe("create", () => {
    it("creates the topic in the provider's region with id = ARN, attributes and tags, and the access policy as an output", async () => {
      const { id, outs } = await checkAndCreate(fixture, TOPIC, {
        name: "talentbase-iam-alerts",
        displayName: "IAM alerts",
        kmsMasterKeyId: "alias/talentbase-alerts",
        tags: { Purpose: "monitoring" },
      });
      expect(id).to.equal("arn:aws:sns:eu-west-1:123456789012:talentbase-iam-alerts");
      expect(outs).to.include({
        arn: id,
        name: "talentbase-iam-alerts",
        displayName: "IAM alerts",
        kmsMasterKeyId: "alias/talentbase-alerts",
        owner: "123456789012",
        region: PROVIDER_REGION,
        fifoTopic: false,
      });
      expect(outs.tagsAll).to.deep.equal({ Purpose: "monitoring" });
      expect(JSON.parse(outs.policy as string).Statement[0].Resource).to.equal(id);
      expect(await attributesOf(id)).to.include({ DisplayName: "IAM alerts", KmsMasterKeyId: "alias/talentbase-alerts" });
    });

    it("builds the name from namePrefix plus terraform's unique suffix", async () => {
      const { outs } = await checkAndCreate(fixture, TOPIC, { namePrefix: "iam-alerts-" });
      expect(outs.name).to.match(/^iam-alerts-\d{18}[0-9a-f]{8}$/);
      expect(outs.namePrefix).to.equal("iam-alerts-");
    });

    it("honours the region input: a topic for us-east-1 lands there, not in the provider's eu-west-1", async () => {
      const { id, outs } = await checkAndCreate(fixture, TOPIC, { name: "talentbase-iam-alerts", region: "us-east-1" });
      expect(id).to.equal("arn:aws:sns:us-east-1:123456789012:talentbase-iam-alerts");
      expect(outs.region).to.equal("us-east-1");
      expect((await attributesOf(id, "us-east-1")).TopicArn).to.equal(id);
      expect(await errorName(attributesOf(id.replace("us-east-1", PROVIDER_REGION)))).to.equal("NotFoundException");
    });
  });

  describe("diff", () => {
    const olds = { name: "t", fifoTopic: false, contentBasedDeduplication: false, region: PROVIDER_REGION, displayName: "", tags: {}, policy: "{}" };
    const news = {
      name: "t",
      fifoTopic: false,
      contentBasedDeduplication: false,
      region: PROVIDER_REGION,
      __defaults: ["fifoTopic", "contentBasedDeduplication", "region"],
    };

    it("reports no change for the same inputs, whatever policy the topic has (an output only)", async () => {
      expect((await fixture.provider.diff("arn", TOPIC, olds, news)).changes).to.equal(false);
    });

    it("replaces, deleting first, on a new chosen name; replaces on another region", async () => {
      const renamed = await fixture.provider.diff("arn", TOPIC, olds, { ...news, name: "u" });
      expect(renamed).to.include({ deleteBeforeReplace: true });
      expect(renamed.replaces).to.deep.equal(["name"]);
      expect((await fixture.provider.diff("arn", TOPIC, olds, { ...news, region: "us-east-1" })).replaces).to.deep.equal(["region"]);
    });

    it("updates the display name, KMS key and tags in place", async () => {
      for (const change of [{ displayName: "x" }, { kmsMasterKeyId: "alias/k" }, { tags: { a: "b" } }]) {
        const diff = await fixture.provider.diff("arn", TOPIC, olds, { ...news, ...change });
        expect(diff.changes, JSON.stringify(change)).to.equal(true);
        expect(diff.replaces ?? [], JSON.stringify(change)).to.be.empty;
      }
    });
  });

  it("updates attributes and tags in place, keeping the ARN; an emptied KMS key turns encryption off", async () => {
    const { id, inputs, outs } = await checkAndCreate(fixture, TOPIC, { name: "talentbase-iam-alerts", kmsMasterKeyId: "alias/old", tags: { a: "1", b: "2" } });
    const { outs: updated } = await fixture.provider.update(id, TOPIC, outs, { ...inputs, displayName: "Alerts", kmsMasterKeyId: undefined, tags: { a: "9" } });
    expect(updated).to.include({ arn: id, displayName: "Alerts" });
    expect(updated).to.not.have.property("kmsMasterKeyId");
    expect(updated.tags).to.deep.equal({ a: "9" });
    expect((await fixture.regional().sns.send(new ListTagsForResourceCommand({ ResourceArn: id }))).Tags).to.deep.equal([{ Key: "a", Value: "9" }]);
    expect(await attributesOf(id)).to.not.have.property("KmsMasterKeyId");
  });

  describe("read", () => {
    it("imports by ARN alone, in the region the ARN names, with the inputs the program would declare", async () => {
      const { TopicArn } = await fixture
        .regional("us-east-1")
        .sns.send(new CreateTopicCommand({ Name: "legacy-alerts", Tags: [{ Key: "Team", Value: "sec" }] }));
      const read = await fixture.provider.read(TopicArn!, TOPIC, {});
      expect(read.id).to.equal(TopicArn);
      expect(read.inputs).to.deep.equal({
        name: "legacy-alerts",
        fifoTopic: false,
        contentBasedDeduplication: false,
        tags: { Team: "sec" },
        region: "us-east-1",
        __defaults: [],
      });
    });

    it("shows attributes changed outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, TOPIC, { name: "talentbase-iam-alerts", displayName: "IAM alerts" });
      await fixture.regional().sns.send(new SetTopicAttributesCommand({ TopicArn: id, AttributeName: "DisplayName", AttributeValue: "changed by hand" }));
      expect((await fixture.provider.read(id, TOPIC, outs)).props).to.include({ displayName: "changed by hand" });
    });

    it("returns an empty id once the topic was deleted outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, TOPIC, { name: "talentbase-iam-alerts" });
      await fixture.regional().sns.send(new DeleteTopicCommand({ TopicArn: id }));
      expect((await fixture.provider.read(id, TOPIC, outs)).id).to.equal("");
    });
  });

  it("deletes the topic in its own region and tolerates one already gone", async () => {
    const { id, outs } = await checkAndCreate(fixture, TOPIC, { name: "talentbase-iam-alerts", region: "us-east-1" });
    await fixture.provider.delete(id, TOPIC, outs);
    expect(await errorName(attributesOf(id, "us-east-1"))).to.equal("NotFoundException");
    await fixture.provider.delete(id, TOPIC, outs);
  });
});
