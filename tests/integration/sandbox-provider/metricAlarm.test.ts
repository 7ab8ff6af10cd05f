import { DeleteAlarmsCommand, DescribeAlarmsCommand, ListTagsForResourceCommand, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { expect } from "chai";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const ALARM = urnOf("aws:cloudwatch/metricAlarm:MetricAlarm", "iam-policy-changes");
const PROVIDER_REGION = "eu-west-1";
const TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:talentbase-iam-alerts";

/** CIS 4.4's alarm: any IAM policy change counted by a metric filter on the trail's log group. */
const POLICY_CHANGES = {
  name: "talentbase-iam-policy-changes",
  metricName: "IAMPolicyChanges",
  namespace: "CISBenchmark",
  statistic: "Sum",
  period: 300,
  evaluationPeriods: 1,
  threshold: 1,
  comparisonOperator: "GreaterThanOrEqualToThreshold",
  alarmActions: [TOPIC_ARN],
  treatMissingData: "notBreaching",
  alarmDescription: "IAM policy changed",
};

describe("stand-in aws:cloudwatch/metricAlarm:MetricAlarm", () => {
  const fixture = useProviderAgainstMoto({ region: PROVIDER_REGION });
  const liveAlarms = async (name: string, region = PROVIDER_REGION) =>
    (await fixture.regional(region).cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms ?? [];

  describe("check", () => {
    it("autonames an alarm and fills terraform's defaults: actions enabled, missing data as missing, the provider's region", async () => {
      const { name: _name, ...unnamed } = POLICY_CHANGES;
      const { inputs, failures } = await fixture.provider.check(ALARM, {}, unnamed);
      expect(failures).to.be.empty;
      expect(inputs.name).to.match(/^iam-policy-changes-[0-9a-f]{7}$/);
      expect(inputs).to.include({ actionsEnabled: true, treatMissingData: "notBreaching", region: PROVIDER_REGION });
      expect((await fixture.provider.check(ALARM, {}, POLICY_CHANGES)).inputs).to.include({ actionsEnabled: true });
      const { treatMissingData: _missing, ...withoutMissingData } = POLICY_CHANGES;
      expect((await fixture.provider.check(ALARM, {}, withoutMissingData)).inputs).to.include({ treatMissingData: "missing" });
    });

    it("fails as terraform does: no comparison or periods, no statistic for a metric, a bad period or operator, metric math", async () => {
      const failing = async (news: Record<string, unknown>) =>
        ((await fixture.provider.check(ALARM, {}, news)).failures ?? []).map((failure) => failure.property);
      expect(await failing({ name: "a", metricName: "m", namespace: "n", statistic: "Sum" })).to.have.members(["comparisonOperator", "evaluationPeriods"]);
      expect(await failing({ ...POLICY_CHANGES, statistic: undefined })).to.deep.equal(["statistic"]);
      expect(await failing({ ...POLICY_CHANGES, period: 45 })).to.deep.equal(["period"]);
      expect(await failing({ ...POLICY_CHANGES, comparisonOperator: "Above" })).to.deep.equal(["comparisonOperator"]);
      expect(await failing({ ...POLICY_CHANGES, metricQueries: [{ id: "e1", expression: "m1" }] })).to.deep.equal(["metricQueries"]);
    });
  });

  describe("create", () => {
    it("creates the alarm with id = name and the real provider's outputs", async () => {
      const { id, outs } = await checkAndCreate(fixture, ALARM, {
        ...POLICY_CHANGES,
        datapointsToAlarm: 1,
        dimensions: { TrailName: "talentbase" },
        tags: { Purpose: "cis" },
      });
      expect(id).to.equal("talentbase-iam-policy-changes");
      expect(outs).to.deep.include({
        arn: "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:talentbase-iam-policy-changes",
        name: id,
        metricName: "IAMPolicyChanges",
        namespace: "CISBenchmark",
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        alarmActions: [TOPIC_ARN],
        okActions: [],
        actionsEnabled: true,
        treatMissingData: "notBreaching",
        alarmDescription: "IAM policy changed",
        dimensions: { TrailName: "talentbase" },
        tagsAll: { Purpose: "cis" },
        region: PROVIDER_REGION,
      });
      expect((await liveAlarms(id))[0]).to.deep.include({ AlarmActions: [TOPIC_ARN], TreatMissingData: "notBreaching" });
    });

    it("refuses to overwrite an alarm of the same name, as terraform does", async () => {
      await fixture.regional().cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: POLICY_CHANGES.name,
          MetricName: "Other",
          Namespace: "Other",
          Statistic: "Sum",
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 5,
          ComparisonOperator: "GreaterThanThreshold",
        }),
      );
      const error = await checkAndCreate(fixture, ALARM, POLICY_CHANGES).then(
        () => undefined,
        (caught: Error) => caught,
      );
      expect(error?.message).to.equal(`CloudWatch metric alarm "${POLICY_CHANGES.name}" already exists`);
      expect((await liveAlarms(POLICY_CHANGES.name))[0]?.MetricName).to.equal("Other");
    });

    it("honours the region input: an alarm for us-east-1 lands there", async () => {
      const { outs } = await checkAndCreate(fixture, ALARM, { ...POLICY_CHANGES, region: "us-east-1" });
      expect(outs).to.include({ region: "us-east-1", arn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:talentbase-iam-policy-changes" });
      expect(await liveAlarms(POLICY_CHANGES.name, "us-east-1")).to.have.length(1);
      expect(await liveAlarms(POLICY_CHANGES.name)).to.be.empty;
    });
  });

  describe("diff", () => {
    const olds = { ...POLICY_CHANGES, alarmActions: [TOPIC_ARN, `${TOPIC_ARN}-2`], actionsEnabled: true, region: PROVIDER_REGION, tags: {} };

    it("replaces on a new name or region only; action lists compare as sets", async () => {
      expect((await fixture.provider.diff("a", ALARM, olds, { ...olds, alarmActions: [`${TOPIC_ARN}-2`, TOPIC_ARN] })).changes).to.equal(false);
      expect((await fixture.provider.diff("a", ALARM, olds, { ...olds, name: "b" })).replaces).to.deep.equal(["name"]);
      expect((await fixture.provider.diff("a", ALARM, olds, { ...olds, region: "us-east-1" })).replaces).to.deep.equal(["region"]);
      for (const change of [{ threshold: 2 }, { alarmActions: [] }, { treatMissingData: "breaching" }, { tags: { a: "b" } }]) {
        const diff = await fixture.provider.diff("a", ALARM, olds, { ...olds, ...change });
        expect(diff.changes, JSON.stringify(change)).to.equal(true);
        expect(diff.replaces ?? [], JSON.stringify(change)).to.be.empty;
      }
    });
  });

  it("rewrites the alarm with PutMetricAlarm and retags it in place", async () => {
    const { id, inputs, outs } = await checkAndCreate(fixture, ALARM, { ...POLICY_CHANGES, tags: { a: "1", b: "2" } });
    const { outs: updated } = await fixture.provider.update(id, ALARM, outs, {
      ...inputs,
      threshold: 3,
      alarmActions: undefined,
      okActions: [TOPIC_ARN],
      tags: { a: "9" },
    });
    expect(updated).to.deep.include({ arn: outs.arn, threshold: 3, alarmActions: [], okActions: [TOPIC_ARN], tags: { a: "9" } });
    expect((await liveAlarms(id))[0]).to.deep.include({ Threshold: 3, AlarmActions: [], OKActions: [TOPIC_ARN] });
    const { Tags } = await fixture.regional().cloudWatch.send(new ListTagsForResourceCommand({ ResourceARN: outs.arn as string }));
    expect(Tags).to.deep.equal([{ Key: "a", Value: "9" }]);
  });

  describe("read", () => {
    it("imports by name, and by terraform's `<name>@<region>` for another region", async () => {
      const { outs } = await checkAndCreate(fixture, ALARM, { ...POLICY_CHANGES, region: "us-east-1" });
      const read = await fixture.provider.read(`${POLICY_CHANGES.name}@us-east-1`, ALARM, {});
      expect(read.id).to.equal(POLICY_CHANGES.name);
      expect(read.props).to.deep.equal(outs);
      expect(read.inputs).to.deep.include({
        ...POLICY_CHANGES,
        okActions: [],
        insufficientDataActions: [],
        actionsEnabled: true,
        region: "us-east-1",
        __defaults: [],
      });
      expect((await fixture.provider.read(POLICY_CHANGES.name, ALARM, {})).id, "not in the provider's region").to.equal("");
    });

    it("shows a threshold changed outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, ALARM, POLICY_CHANGES);
      await fixture.regional().cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: id,
          MetricName: "IAMPolicyChanges",
          Namespace: "CISBenchmark",
          Statistic: "Sum",
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 10,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
        }),
      );
      expect((await fixture.provider.read(id, ALARM, outs)).props).to.deep.include({ threshold: 10, alarmActions: [] });
    });

    it("returns an empty id once the alarm was deleted outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, ALARM, POLICY_CHANGES);
      await fixture.regional().cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: [id] }));
      expect((await fixture.provider.read(id, ALARM, outs)).id).to.equal("");
    });
  });

  it("deletes the alarm in its own region and tolerates one already gone", async () => {
    const { id, outs } = await checkAndCreate(fixture, ALARM, { ...POLICY_CHANGES, region: "us-east-1" });
    await fixture.provider.delete(id, ALARM, outs);
    expect(await liveAlarms(id, "us-east-1")).to.be.empty;
    await fixture.provider.delete(id, ALARM, outs);
  });
});
