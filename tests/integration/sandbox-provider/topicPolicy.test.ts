import { CreateTopicCommand, DeleteTopicCommand, GetTopicAttributesCommand, SetTopicAttributesCommand } from "@aws-sdk/client-sns";
import { expect } from "chai";
import { canonicalPolicy } from "../../../infra/policy/canonicalPolicy";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const TOPIC_POLICY = urnOf("aws:sns/topicPolicy:TopicPolicy", "iam-alerts-policy");
const PROVIDER_REGION = "eu-west-1";

const publishPolicy = (topicArn: string, service: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "EventBridgePublish", Effect: "Allow", Principal: { Service: service }, Action: "sns:Publish", Resource: topicArn }],
  });

describe("stand-in aws:sns/topicPolicy:TopicPolicy", () => {
  const fixture = useProviderAgainstMoto({ region: PROVIDER_REGION });
  let topicArn: string;

  beforeEach(async () => {
    topicArn = (await fixture.regional().sns.send(new CreateTopicCommand({ Name: "talentbase-iam-alerts" }))).TopicArn!;
  });

  const livePolicy = async (arn: string, region = PROVIDER_REGION) =>
    JSON.parse((await fixture.regional(region).sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes?.Policy ?? "{}");

  it("requires the topic ARN and a JSON policy, and takes a policy object as its JSON text", async () => {
    const missing = await fixture.provider.check(TOPIC_POLICY, {}, {});
    expect(missing.failures?.map((failure) => failure.property)).to.have.members(["arn", "policy"]);
    const broken = await fixture.provider.check(TOPIC_POLICY, {}, { arn: "arn:aws:sns:eu-west-1:123456789012:t", policy: "{nope" });
    expect(broken.failures?.map((failure) => failure.property)).to.deep.equal(["policy"]);
    const document = JSON.parse(publishPolicy("arn:aws:sns:eu-west-1:123456789012:t", "events.amazonaws.com"));
    const fromObject = await fixture.provider.check(TOPIC_POLICY, {}, { arn: "arn:aws:sns:eu-west-1:123456789012:t", policy: document });
    expect(fromObject.inputs.policy).to.equal(JSON.stringify(document));
  });

  it("sets the topic's policy; the id is the topic ARN and the document is kept as the program wrote it", async () => {
    const policy = publishPolicy(topicArn, "events.amazonaws.com");
    const { id, outs } = await checkAndCreate(fixture, TOPIC_POLICY, { arn: topicArn, policy });
    expect(id).to.equal(topicArn);
    expect(outs).to.deep.equal({ arn: topicArn, owner: "123456789012", policy, region: PROVIDER_REGION });
    expect(canonicalPolicy(await livePolicy(topicArn))).to.equal(canonicalPolicy(JSON.parse(policy)));
  });

  it("honours the region input: the policy of a us-east-1 topic is set there", async () => {
    const eastArn = (await fixture.regional("us-east-1").sns.send(new CreateTopicCommand({ Name: "talentbase-iam-alerts" }))).TopicArn!;
    const policy = publishPolicy(eastArn, "events.amazonaws.com");
    const { outs } = await checkAndCreate(fixture, TOPIC_POLICY, { arn: eastArn, policy, region: "us-east-1" });
    expect(outs.region).to.equal("us-east-1");
    expect(canonicalPolicy(await livePolicy(eastArn, "us-east-1"))).to.equal(canonicalPolicy(JSON.parse(policy)));
  });

  it("replaces for another topic or region, updates a new document in place, and ignores a reformatted one", async () => {
    const policy = publishPolicy(topicArn, "events.amazonaws.com");
    const olds = { arn: topicArn, policy, owner: "123456789012", region: PROVIDER_REGION };
    const news = { arn: topicArn, policy, region: PROVIDER_REGION };
    expect((await fixture.provider.diff(topicArn, TOPIC_POLICY, olds, { ...news, policy: JSON.stringify(JSON.parse(policy), null, 2) })).changes).to.equal(
      false,
    );
    expect((await fixture.provider.diff(topicArn, TOPIC_POLICY, olds, { ...news, arn: `${topicArn}-2` })).replaces).to.deep.equal(["arn"]);
    expect((await fixture.provider.diff(topicArn, TOPIC_POLICY, olds, { ...news, region: "us-east-1" })).replaces).to.deep.equal(["region"]);
    const changed = await fixture.provider.diff(topicArn, TOPIC_POLICY, olds, { ...news, policy: publishPolicy(topicArn, "cloudwatch.amazonaws.com") });
    expect(changed.changes).to.equal(true);
    expect(changed.replaces ?? []).to.be.empty;
  });

  it("updates the document in place", async () => {
    const { id, inputs, outs } = await checkAndCreate(fixture, TOPIC_POLICY, { arn: topicArn, policy: publishPolicy(topicArn, "events.amazonaws.com") });
    const next = publishPolicy(topicArn, "cloudwatch.amazonaws.com");
    const { outs: updated } = await fixture.provider.update(id, TOPIC_POLICY, outs, { ...inputs, policy: next });
    expect(updated.policy).to.equal(next);
    expect((await livePolicy(topicArn)).Statement[0].Principal).to.deep.equal({ Service: "cloudwatch.amazonaws.com" });
  });

  describe("read", () => {
    it("imports by the topic ARN alone", async () => {
      const policy = publishPolicy(topicArn, "events.amazonaws.com");
      await fixture.regional().sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: "Policy", AttributeValue: policy }));
      const read = await fixture.provider.read(topicArn, TOPIC_POLICY, {});
      expect(read.id).to.equal(topicArn);
      expect(read.inputs).to.include({ arn: topicArn, region: PROVIDER_REGION });
      expect(canonicalPolicy(JSON.parse(read.inputs?.policy as string))).to.equal(canonicalPolicy(JSON.parse(policy)));
    });

    it("shows a document changed outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, TOPIC_POLICY, { arn: topicArn, policy: publishPolicy(topicArn, "events.amazonaws.com") });
      await fixture
        .regional()
        .sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: "Policy", AttributeValue: publishPolicy(topicArn, "s3.amazonaws.com") }));
      const read = await fixture.provider.read(id, TOPIC_POLICY, outs);
      expect(JSON.parse(read.props?.policy as string).Statement[0].Principal).to.deep.equal({ Service: "s3.amazonaws.com" });
    });

    it("returns an empty id once the topic was deleted outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, TOPIC_POLICY, { arn: topicArn, policy: publishPolicy(topicArn, "events.amazonaws.com") });
      await fixture.regional().sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
      expect((await fixture.provider.read(id, TOPIC_POLICY, outs)).id).to.equal("");
    });
  });

  it("puts back the default policy on delete (SNS cannot remove one) and tolerates a topic already gone", async () => {
    const { id, outs } = await checkAndCreate(fixture, TOPIC_POLICY, { arn: topicArn, policy: publishPolicy(topicArn, "events.amazonaws.com") });
    await fixture.provider.delete(id, TOPIC_POLICY, outs);
    const restored = await livePolicy(topicArn);
    expect(restored.Id).to.equal("__default_policy_ID");
    expect(restored.Statement[0].Condition).to.deep.equal({ StringEquals: { "AWS:SourceOwner": "123456789012" } });
    await fixture.regional().sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
    await fixture.provider.delete(id, TOPIC_POLICY, outs);
  });
});
