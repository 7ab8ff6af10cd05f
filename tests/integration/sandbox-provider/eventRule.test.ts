import {
  CreateEventBusCommand,
  DeleteRuleCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  ListTagsForResourceCommand,
  PutRuleCommand,
} from "@aws-sdk/client-eventbridge";
import { expect } from "chai";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const RULE = urnOf("aws:cloudwatch/eventRule:EventRule", "iam-changes");
const PROVIDER_REGION = "eu-west-1";

/** The CloudTrail-shaped pattern the monitoring feature watches IAM with. */
const IAM_CHANGES = JSON.stringify({
  source: ["aws.iam"],
  "detail-type": ["AWS API Call via CloudTrail"],
  detail: { eventSource: ["iam.amazonaws.com"], eventName: [{ prefix: "Create" }, { prefix: "Attach" }] },
});
const NORMALIZED_IAM_CHANGES =
  '{"detail":{"eventName":[{"prefix":"Create"},{"prefix":"Attach"}],"eventSource":["iam.amazonaws.com"]},"detail-type":["AWS API Call via CloudTrail"],"source":["aws.iam"]}';

describe("stand-in aws:cloudwatch/eventRule:EventRule", () => {
  const fixture = useProviderAgainstMoto({ region: PROVIDER_REGION });
  const describeLive = (name: string, region = PROVIDER_REGION, eventBusName?: string) =>
    fixture.regional(region).eventBridge.send(new DescribeRuleCommand({ Name: name, EventBusName: eventBusName }));
  const errorName = (promise: Promise<unknown>) =>
    promise.then(
      () => "none",
      (error: Error) => error.name,
    );

  describe("check", () => {
    it("autonames a rule and fills terraform's defaults: the default bus, forceDestroy false, the provider's region", async () => {
      const { inputs, failures } = await fixture.provider.check(RULE, {}, { eventPattern: IAM_CHANGES });
      expect(failures).to.be.empty;
      expect(inputs.name).to.match(/^iam-changes-[0-9a-f]{7}$/);
      expect(inputs).to.include({ eventBusName: "default", forceDestroy: false, region: PROVIDER_REGION });
    });

    it("fails as terraform does: no pattern nor schedule, a pattern that is not JSON, an unknown state, state with isEnabled, a bad name", async () => {
      const failing = async (news: Record<string, unknown>) =>
        ((await fixture.provider.check(RULE, {}, news)).failures ?? []).map((failure) => failure.property);
      expect(await failing({ name: "r" })).to.deep.equal(["eventPattern"]);
      expect(await failing({ name: "r", eventPattern: "{nope" })).to.deep.equal(["eventPattern"]);
      expect(await failing({ name: "r", eventPattern: IAM_CHANGES, state: "PAUSED" })).to.deep.equal(["state"]);
      expect(await failing({ name: "r", eventPattern: IAM_CHANGES, state: "ENABLED", isEnabled: true })).to.deep.equal(["isEnabled"]);
      expect(await failing({ name: "has space", eventPattern: IAM_CHANGES })).to.deep.equal(["name"]);
    });
  });

  describe("create", () => {
    it("creates the rule with id = name on the default bus, CloudTrail management-event state and a normalized pattern", async () => {
      const { id, outs } = await checkAndCreate(fixture, RULE, {
        name: "talentbase-iam-changes",
        description: "IAM changes",
        eventPattern: IAM_CHANGES,
        state: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
        tags: { Purpose: "monitoring" },
      });
      expect(id).to.equal("talentbase-iam-changes");
      expect(outs).to.include({
        arn: "arn:aws:events:eu-west-1:123456789012:rule/talentbase-iam-changes",
        name: "talentbase-iam-changes",
        eventBusName: "default",
        description: "IAM changes",
        eventPattern: NORMALIZED_IAM_CHANGES,
        state: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
        isEnabled: true,
        forceDestroy: false,
        region: PROVIDER_REGION,
      });
      expect(outs.tagsAll).to.deep.equal({ Purpose: "monitoring" });
      expect((await describeLive("talentbase-iam-changes")).State).to.equal("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
    });

    it("names a rule on another bus `<bus>/<rule>`, as terraform's id does", async () => {
      await fixture.regional().eventBridge.send(new CreateEventBusCommand({ Name: "security" }));
      const { id, outs } = await checkAndCreate(fixture, RULE, { name: "talentbase-iam-changes", eventBusName: "security", eventPattern: IAM_CHANGES });
      expect(id).to.equal("security/talentbase-iam-changes");
      expect(outs).to.include({ eventBusName: "security", arn: "arn:aws:events:eu-west-1:123456789012:rule/security/talentbase-iam-changes" });
    });

    it("honours the region input: a rule for us-east-1 from a provider in eu-west-1 lands in us-east-1", async () => {
      const { id, outs } = await checkAndCreate(fixture, RULE, { name: "talentbase-iam-changes", eventPattern: IAM_CHANGES, region: "us-east-1" });
      expect(id).to.equal("talentbase-iam-changes");
      expect(outs).to.include({ region: "us-east-1", arn: "arn:aws:events:us-east-1:123456789012:rule/talentbase-iam-changes" });
      expect((await describeLive("talentbase-iam-changes", "us-east-1")).Arn).to.equal(outs.arn);
      expect(await errorName(describeLive("talentbase-iam-changes"))).to.equal("ResourceNotFoundException");
    });
  });

  describe("diff", () => {
    const olds = {
      name: "r",
      eventBusName: "default",
      eventPattern: NORMALIZED_IAM_CHANGES,
      state: "ENABLED",
      isEnabled: true,
      forceDestroy: false,
      region: PROVIDER_REGION,
      tags: {},
    };
    const news = {
      name: "r",
      eventBusName: "default",
      eventPattern: IAM_CHANGES,
      forceDestroy: false,
      region: PROVIDER_REGION,
      __defaults: ["eventBusName", "forceDestroy", "region"],
    };

    it("sees no change for a reformatted pattern or a state left out", async () => {
      expect((await fixture.provider.diff("r", RULE, olds, news)).changes).to.equal(false);
    });

    it("replaces on a new name (deleting first), bus or region", async () => {
      const renamed = await fixture.provider.diff("r", RULE, olds, { ...news, name: "s" });
      expect(renamed).to.deep.include({ replaces: ["name"], deleteBeforeReplace: true });
      expect((await fixture.provider.diff("r", RULE, olds, { ...news, eventBusName: "security" })).replaces).to.deep.equal(["eventBusName"]);
      expect((await fixture.provider.diff("r", RULE, olds, { ...news, region: "us-east-1" })).replaces).to.deep.equal(["region"]);
    });

    it("updates the pattern, state, description and tags in place", async () => {
      for (const change of [{ eventPattern: '{"source":["aws.s3"]}' }, { state: "DISABLED" }, { description: "d" }, { tags: { a: "b" } }]) {
        const diff = await fixture.provider.diff("r", RULE, olds, { ...news, ...change });
        expect(diff.changes, JSON.stringify(change)).to.equal(true);
        expect(diff.replaces ?? [], JSON.stringify(change)).to.be.empty;
      }
    });
  });

  it("rewrites the rule with PutRule and retags it in place, keeping its ARN", async () => {
    const { id, inputs, outs } = await checkAndCreate(fixture, RULE, { name: "talentbase-iam-changes", eventPattern: IAM_CHANGES, tags: { a: "1", b: "2" } });
    const { outs: updated } = await fixture.provider.update(id, RULE, outs, {
      ...inputs,
      eventPattern: '{"source":["aws.s3"]}',
      state: "DISABLED",
      tags: { a: "9" },
    });
    expect(updated).to.include({ arn: outs.arn, eventPattern: '{"source":["aws.s3"]}', state: "DISABLED", isEnabled: false });
    expect((await describeLive("talentbase-iam-changes")).EventPattern).to.equal('{"source":["aws.s3"]}');
    const { Tags } = await fixture.regional().eventBridge.send(new ListTagsForResourceCommand({ ResourceARN: outs.arn as string }));
    expect(Tags).to.deep.equal([{ Key: "a", Value: "9" }]);
  });

  describe("read", () => {
    it("imports by name, by `<bus>/<name>`, and by terraform's `<id>@<region>` for another region", async () => {
      await fixture.regional().eventBridge.send(new CreateEventBusCommand({ Name: "security" }));
      await fixture.regional().eventBridge.send(new PutRuleCommand({ Name: "legacy", EventPattern: IAM_CHANGES }));
      await fixture.regional().eventBridge.send(new PutRuleCommand({ Name: "legacy", EventBusName: "security", EventPattern: IAM_CHANGES }));
      await fixture.regional("us-east-1").eventBridge.send(new PutRuleCommand({ Name: "east", EventPattern: IAM_CHANGES, State: "DISABLED" }));

      const onDefault = await fixture.provider.read("legacy", RULE, {});
      expect(onDefault.id).to.equal("legacy");
      expect(onDefault.inputs).to.deep.equal({
        name: "legacy",
        eventBusName: "default",
        eventPattern: NORMALIZED_IAM_CHANGES,
        state: "ENABLED",
        forceDestroy: false,
        tags: {},
        region: PROVIDER_REGION,
        __defaults: [],
      });
      expect((await fixture.provider.read("security/legacy", RULE, {})).props).to.include({ eventBusName: "security" });
      const east = await fixture.provider.read("east@us-east-1", RULE, {});
      expect(east.id).to.equal("east");
      expect(east.props).to.include({ region: "us-east-1", state: "DISABLED" });
    });

    it("shows a rule disabled outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, RULE, { name: "talentbase-iam-changes", eventPattern: IAM_CHANGES });
      await fixture.regional().eventBridge.send(new DisableRuleCommand({ Name: "talentbase-iam-changes" }));
      expect((await fixture.provider.read(id, RULE, outs)).props).to.include({ state: "DISABLED", isEnabled: false });
    });

    it("returns an empty id once the rule was deleted outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, RULE, { name: "talentbase-iam-changes", eventPattern: IAM_CHANGES, region: "us-east-1" });
      await fixture.regional("us-east-1").eventBridge.send(new DeleteRuleCommand({ Name: "talentbase-iam-changes" }));
      expect((await fixture.provider.read(id, RULE, outs)).id).to.equal("");
    });
  });

  it("deletes the rule in its own region and tolerates one already gone", async () => {
    const { id, outs } = await checkAndCreate(fixture, RULE, { name: "talentbase-iam-changes", eventPattern: IAM_CHANGES, region: "us-east-1" });
    await fixture.provider.delete(id, RULE, outs);
    expect(await errorName(describeLive("talentbase-iam-changes", "us-east-1"))).to.equal("ResourceNotFoundException");
    await fixture.provider.delete(id, RULE, outs);
  });
});
