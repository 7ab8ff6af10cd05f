import {
  CreateEventBusCommand,
  DeleteRuleCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { expect } from "chai";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const TARGET = urnOf("aws:cloudwatch/eventTarget:EventTarget", "iam-changes-to-alerts");
const PROVIDER_REGION = "eu-west-1";
const RULE_NAME = "talentbase-iam-changes";
const TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:talentbase-iam-alerts";
const PATTERN = JSON.stringify({ source: ["aws.iam"] });
const TRANSFORMER = {
  inputPaths: { eventName: "$.detail.eventName", caller: "$.detail.userIdentity.arn" },
  inputTemplate: '{"call":"<eventName>","by":"<caller>"}',
};

describe("stand-in aws:cloudwatch/eventTarget:EventTarget", () => {
  const fixture = useProviderAgainstMoto({ region: PROVIDER_REGION });

  beforeEach(async () => {
    await fixture.regional().eventBridge.send(new PutRuleCommand({ Name: RULE_NAME, EventPattern: PATTERN }));
  });

  const liveTargets = async (rule = RULE_NAME, region = PROVIDER_REGION, eventBusName?: string) =>
    (await fixture.regional(region).eventBridge.send(new ListTargetsByRuleCommand({ Rule: rule, EventBusName: eventBusName }))).Targets ?? [];

  describe("check", () => {
    it("requires rule and arn and fills terraform's defaults", async () => {
      const missing = await fixture.provider.check(TARGET, {}, {});
      expect(missing.failures?.map((failure) => failure.property)).to.have.members(["rule", "arn"]);
      const { inputs } = await fixture.provider.check(TARGET, {}, { rule: RULE_NAME, arn: TOPIC_ARN });
      expect(inputs).to.include({ eventBusName: "default", forceDestroy: false, region: PROVIDER_REGION });
      expect(inputs).to.not.have.property("targetId");
    });

    it("fails on input with inputPath, input that is not JSON, a bad target id, and target kinds it does not implement", async () => {
      const failing = async (news: Record<string, unknown>) =>
        ((await fixture.provider.check(TARGET, {}, { rule: RULE_NAME, arn: TOPIC_ARN, ...news })).failures ?? []).map((failure) => failure.property);
      expect(await failing({ input: "{}", inputPath: "$.detail" })).to.deep.equal(["inputPath"]);
      expect(await failing({ input: "{nope" })).to.deep.equal(["input"]);
      expect(await failing({ targetId: "has space" })).to.deep.equal(["targetId"]);
      expect(await failing({ sqsTarget: { messageGroupId: "g" } })).to.deep.equal(["sqsTarget"]);
    });

    it("fails as terraform does on an input transformer with input or inputPath, without a template, with more than 100 paths or a path named AWS...", async () => {
      const failing = async (news: Record<string, unknown>) =>
        ((await fixture.provider.check(TARGET, {}, { rule: RULE_NAME, arn: TOPIC_ARN, ...news })).failures ?? []).map((failure) => failure.property);
      expect(await failing({ inputTransformer: TRANSFORMER, input: "{}" })).to.deep.equal(["inputTransformer"]);
      expect(await failing({ inputTransformer: TRANSFORMER, inputPath: "$.detail" })).to.deep.equal(["inputTransformer"]);
      expect(await failing({ inputTransformer: { inputPaths: { a: "$.a" } } })).to.deep.equal(["inputTransformer.inputTemplate"]);
      const paths = Object.fromEntries(Array.from({ length: 101 }, (_, index) => [`v${index}`, "$.detail"]));
      expect(await failing({ inputTransformer: { inputPaths: paths, inputTemplate: "x" } })).to.deep.equal(["inputTransformer.inputPaths"]);
      expect(await failing({ inputTransformer: { inputPaths: { AWSRegion: "$.region" }, inputTemplate: "x" } })).to.deep.equal(["inputTransformer.inputPaths"]);
      expect(await failing({ inputTransformer: TRANSFORMER })).to.deep.equal([]);
    });
  });

  describe("create", () => {
    it("puts the target; the id is terraform's `<rule>-<target id>`, the target id terraform's unique id when none is given", async () => {
      const { id, outs } = await checkAndCreate(fixture, TARGET, { rule: RULE_NAME, arn: TOPIC_ARN, input: '{"alert":"iam"}' });
      expect(outs.targetId).to.match(/^terraform-\d{18}[0-9a-f]{8}$/);
      expect(id).to.equal(`${RULE_NAME}-${String(outs.targetId)}`);
      expect(outs).to.include({
        rule: RULE_NAME,
        arn: TOPIC_ARN,
        input: '{"alert":"iam"}',
        eventBusName: "default",
        forceDestroy: false,
        region: PROVIDER_REGION,
      });
      expect(await liveTargets()).to.deep.equal([{ Id: outs.targetId, Arn: TOPIC_ARN, Input: '{"alert":"iam"}' }]);
    });

    it("puts an input transformer's paths and template, and reads them back", async () => {
      const { outs } = await checkAndCreate(fixture, TARGET, { rule: RULE_NAME, targetId: "alerts", arn: TOPIC_ARN, inputTransformer: TRANSFORMER });
      expect(outs.inputTransformer).to.deep.equal(TRANSFORMER);
      expect(await liveTargets()).to.deep.equal([
        { Id: "alerts", Arn: TOPIC_ARN, InputTransformer: { InputPathsMap: TRANSFORMER.inputPaths, InputTemplate: TRANSFORMER.inputTemplate } },
      ]);
    });

    it("names a target on another bus `<bus>-<rule>-<target id>`", async () => {
      await fixture.regional().eventBridge.send(new CreateEventBusCommand({ Name: "security" }));
      await fixture.regional().eventBridge.send(new PutRuleCommand({ Name: RULE_NAME, EventBusName: "security", EventPattern: PATTERN }));
      const { id } = await checkAndCreate(fixture, TARGET, { rule: RULE_NAME, eventBusName: "security", targetId: "alerts", arn: TOPIC_ARN });
      expect(id).to.equal(`security-${RULE_NAME}-alerts`);
      expect((await liveTargets(RULE_NAME, PROVIDER_REGION, "security")).map((target) => target.Id)).to.deep.equal(["alerts"]);
    });

    it("honours the region input: a target of a us-east-1 rule is put there", async () => {
      await fixture.regional("us-east-1").eventBridge.send(new PutRuleCommand({ Name: "east-rule", EventPattern: PATTERN }));
      const eastTopic = TOPIC_ARN.replace(PROVIDER_REGION, "us-east-1");
      const { outs } = await checkAndCreate(fixture, TARGET, { rule: "east-rule", targetId: "alerts", arn: eastTopic, region: "us-east-1" });
      expect(outs.region).to.equal("us-east-1");
      expect((await liveTargets("east-rule", "us-east-1")).map((target) => target.Arn)).to.deep.equal([eastTopic]);
    });
  });

  describe("diff", () => {
    const olds = { rule: RULE_NAME, targetId: "alerts", arn: TOPIC_ARN, eventBusName: "default", forceDestroy: false, region: PROVIDER_REGION };
    const news = { rule: RULE_NAME, arn: TOPIC_ARN, eventBusName: "default", forceDestroy: false, region: PROVIDER_REGION };

    it("keeps a generated target id when the program names none", async () => {
      expect((await fixture.provider.diff("id", TARGET, olds, news)).changes).to.equal(false);
    });

    it("replaces on another rule, target id, bus or region; updates the destination and input in place", async () => {
      for (const [key, value] of [
        ["rule", "other"],
        ["targetId", "other"],
        ["eventBusName", "security"],
        ["region", "us-east-1"],
      ]) {
        expect((await fixture.provider.diff("id", TARGET, olds, { ...news, [key!]: value })).replaces, key).to.deep.equal([key]);
      }
      for (const change of [{ arn: `${TOPIC_ARN}-2` }, { input: "{}" }, { inputPath: "$.detail" }, { inputTransformer: TRANSFORMER }]) {
        const diff = await fixture.provider.diff("id", TARGET, olds, { ...news, ...change });
        expect(diff.changes, JSON.stringify(change)).to.equal(true);
        expect(diff.replaces ?? [], JSON.stringify(change)).to.be.empty;
      }
    });
  });

  it("reads a transformer without paths as the program's, whose paths map is empty or left out", async () => {
    const olds = {
      rule: RULE_NAME,
      targetId: "alerts",
      arn: TOPIC_ARN,
      eventBusName: "default",
      forceDestroy: false,
      region: PROVIDER_REGION,
      inputTransformer: { inputPaths: {}, inputTemplate: '"fixed"' },
    };
    expect((await fixture.provider.diff("id", TARGET, olds, { ...olds, inputTransformer: { inputTemplate: '"fixed"' } })).changes).to.equal(false);
    expect((await fixture.provider.diff("id", TARGET, olds, { ...olds, inputTransformer: { inputTemplate: '"other"' } })).changes).to.equal(true);
  });

  it("rewrites the target with PutTargets in place, keeping its id", async () => {
    const { id, inputs, outs } = await checkAndCreate(fixture, TARGET, { rule: RULE_NAME, targetId: "alerts", arn: TOPIC_ARN });
    const { outs: updated } = await fixture.provider.update(id, TARGET, outs, { ...inputs, arn: `${TOPIC_ARN}-2`, inputPath: "$.detail" });
    expect(updated).to.include({ targetId: "alerts", arn: `${TOPIC_ARN}-2`, inputPath: "$.detail" });
    expect(await liveTargets()).to.deep.equal([{ Id: "alerts", Arn: `${TOPIC_ARN}-2`, InputPath: "$.detail" }]);
  });

  describe("read", () => {
    it("imports by terraform's `<rule>/<target id>` and `<bus>/<rule>/<target id>` forms, answering the state id", async () => {
      await fixture.regional().eventBridge.send(new PutTargetsCommand({ Rule: RULE_NAME, Targets: [{ Id: "alerts", Arn: TOPIC_ARN }] }));
      const read = await fixture.provider.read(`${RULE_NAME}/alerts`, TARGET, {});
      expect(read.id).to.equal(`${RULE_NAME}-alerts`);
      expect(read.inputs).to.deep.equal({
        rule: RULE_NAME,
        arn: TOPIC_ARN,
        targetId: "alerts",
        eventBusName: "default",
        forceDestroy: false,
        region: PROVIDER_REGION,
      });
      expect((await fixture.provider.read(`default/${RULE_NAME}/alerts`, TARGET, {})).id).to.equal(`${RULE_NAME}-alerts`);
      const error = await fixture.provider.read(`${RULE_NAME}-alerts`, TARGET, {}).then(
        () => undefined,
        (caught: Error) => caught,
      );
      expect(String(error)).to.include("expected EVENTBUSNAME/RULENAME/TARGETID or RULENAME/TARGETID");
    });

    it("imports a target in another region by terraform's `<import id>@<region>`", async () => {
      await fixture.regional("us-east-1").eventBridge.send(new PutRuleCommand({ Name: "east-rule", EventPattern: PATTERN }));
      await fixture.regional("us-east-1").eventBridge.send(new PutTargetsCommand({ Rule: "east-rule", Targets: [{ Id: "alerts", Arn: TOPIC_ARN }] }));
      const read = await fixture.provider.read("east-rule/alerts@us-east-1", TARGET, {});
      expect(read.id).to.equal("east-rule-alerts");
      expect(read.props).to.include({ region: "us-east-1", rule: "east-rule" });
    });

    it("shows a destination changed outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, TARGET, { rule: RULE_NAME, targetId: "alerts", arn: TOPIC_ARN });
      await fixture
        .regional()
        .eventBridge.send(new PutTargetsCommand({ Rule: RULE_NAME, Targets: [{ Id: "alerts", Arn: `${TOPIC_ARN}-elsewhere`, Input: "{}" }] }));
      expect((await fixture.provider.read(id, TARGET, outs)).props).to.include({ arn: `${TOPIC_ARN}-elsewhere`, input: "{}" });
    });

    it("shows an input transformer changed or removed outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, TARGET, { rule: RULE_NAME, targetId: "alerts", arn: TOPIC_ARN, inputTransformer: TRANSFORMER });
      const changed = { InputPathsMap: { eventName: "$.detail.eventName" }, InputTemplate: '"<eventName>"' };
      await fixture
        .regional()
        .eventBridge.send(new PutTargetsCommand({ Rule: RULE_NAME, Targets: [{ Id: "alerts", Arn: TOPIC_ARN, InputTransformer: changed }] }));
      expect((await fixture.provider.read(id, TARGET, outs)).props?.inputTransformer).to.deep.equal({
        inputPaths: changed.InputPathsMap,
        inputTemplate: changed.InputTemplate,
      });
      await fixture.regional().eventBridge.send(new PutTargetsCommand({ Rule: RULE_NAME, Targets: [{ Id: "alerts", Arn: TOPIC_ARN }] }));
      expect((await fixture.provider.read(id, TARGET, outs)).props).not.to.have.property("inputTransformer");
    });

    it("returns an empty id once the target, or its rule, was removed outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, TARGET, { rule: RULE_NAME, targetId: "alerts", arn: TOPIC_ARN });
      await fixture.regional().eventBridge.send(new RemoveTargetsCommand({ Rule: RULE_NAME, Ids: ["alerts"] }));
      expect((await fixture.provider.read(id, TARGET, outs)).id).to.equal("");
      await fixture.regional().eventBridge.send(new DeleteRuleCommand({ Name: RULE_NAME }));
      expect((await fixture.provider.read(id, TARGET, outs)).id).to.equal("");
    });
  });

  it("removes the target on delete and tolerates a rule already gone", async () => {
    const { id, outs } = await checkAndCreate(fixture, TARGET, { rule: RULE_NAME, targetId: "alerts", arn: TOPIC_ARN });
    await fixture.provider.delete(id, TARGET, outs);
    expect(await liveTargets()).to.deep.equal([]);
    await fixture.regional().eventBridge.send(new DeleteRuleCommand({ Name: RULE_NAME }));
    await fixture.provider.delete(id, TARGET, outs);
  });
});
