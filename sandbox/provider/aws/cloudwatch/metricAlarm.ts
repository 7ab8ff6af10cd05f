import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type CloudWatchClient,
  type ComparisonOperator,
  type MetricAlarm,
  type PutMetricAlarmCommandInput,
  type StandardUnit,
  type Statistic,
} from "@aws-sdk/client-cloudwatch";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import { applyDefaults, autoNameFor, conflictFailure, missingRequired, oneOfFailure, unsupportedInputs, DEFAULTS_KEY } from "../../checkInputs";
import { looksAutoNamed } from "../../naming";
import { diffInputs, sameSet, type DiffRules } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import type { PropertyBag } from "../../wireValues";
import { unlessResourceMissing } from "../errors";
import { regionFailure, regionFor, splitImportRegion } from "../region";
import type { RegionalClients } from "../regionalClients";
import { fromIamTags, tagChanges, toIamTags, type TagMap } from "../tags";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const METRIC_ALARM_TYPE = RESOURCE_TYPES.metricAlarm;

/** The inputs of a classic single-metric alarm; metric math and PromQL alarms are not covered. */
const ALARM_SETTINGS = [
  "metricName",
  "namespace",
  "statistic",
  "extendedStatistic",
  "period",
  "evaluationPeriods",
  "datapointsToAlarm",
  "threshold",
  "comparisonOperator",
  "dimensions",
  "alarmActions",
  "okActions",
  "insufficientDataActions",
  "actionsEnabled",
  "treatMissingData",
  "alarmDescription",
  "unit",
  "evaluateLowSampleCountPercentiles",
];

// terraform's aws_cloudwatch_metric_alarm: the name is the alarm; PutMetricAlarm rewrites the rest in place.
const RULES: DiffRules = {
  replaceOn: ["name", "region"],
  updateInPlace: [...ALARM_SETTINGS, "tags"],
  computedWhenAbsent: ["name", "evaluateLowSampleCountPercentiles"],
  equivalent: { alarmActions: sameSet, okActions: sameSet, insufficientDataActions: sameSet },
};

const COMPARISON_OPERATORS = [
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
  "LessThanLowerOrGreaterThanUpperThreshold",
  "LessThanLowerThreshold",
  "GreaterThanUpperThreshold",
];
const STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];
const MISSING_DATA = ["missing", "ignore", "breaching", "notBreaching"];

function checkAlarmInputs(news: PropertyBag, inputs: PropertyBag): CheckFailure[] {
  const failures: CheckFailure[] = [
    ...unsupportedInputs(news, ["name", ...ALARM_SETTINGS, "tags", "region"]),
    // Optional in the schema only for PromQL alarms (evaluationCriteria), which the stand-in does not cover.
    ...missingRequired(inputs, ["comparisonOperator", "evaluationPeriods"]),
    ...conflictFailure(news, "extendedStatistic", "statistic"),
    ...oneOfFailure(inputs, "comparisonOperator", COMPARISON_OPERATORS),
    ...oneOfFailure(inputs, "statistic", STATISTICS),
    ...oneOfFailure(inputs, "treatMissingData", MISSING_DATA),
    ...regionFailure(inputs),
  ];
  if (typeof inputs.name === "string" && inputs.name.length > 255) {
    failures.push({ property: "name", reason: "expected length of name to be in the range (1 - 255)" });
  }
  if (inputs.metricName !== undefined && inputs.statistic === undefined && inputs.extendedStatistic === undefined) {
    failures.push({ property: "statistic", reason: "One of `statistic` or `extended_statistic` must be set for a cloudwatch metric alarm" });
  }
  const period = inputs.period;
  if (typeof period === "number" && ![10, 20, 30].includes(period) && period % 60 !== 0) {
    failures.push({ property: "period", reason: `expected period to be one of [10 20 30] or a multiple of 60, got ${period}` });
  }
  for (const key of ["evaluationPeriods", "datapointsToAlarm"]) {
    const value = inputs[key];
    if (typeof value === "number" && !(Number.isInteger(value) && value >= 1)) {
      failures.push({ property: key, reason: `expected ${key} to be at least (1), got ${value}` });
    }
  }
  if (typeof inputs.alarmDescription === "string" && inputs.alarmDescription.length > 1024) {
    failures.push({ property: "alarmDescription", reason: "expected length of alarmDescription to be in the range (0 - 1024)" });
  }
  for (const key of ["okActions", "insufficientDataActions"]) {
    const actions = inputs[key];
    if (Array.isArray(actions) && actions.length > 5) failures.push({ property: key, reason: `${key}: attribute supports 5 item maximum` });
  }
  return failures;
}

/** terraform's expandPutMetricAlarmInput: PutMetricAlarm replaces the whole alarm, so every call carries everything. */
function putMetricAlarmInput(inputs: PropertyBag): PutMetricAlarmCommandInput {
  const text = (key: string) => (typeof inputs[key] === "string" && inputs[key] !== "" ? (inputs[key] as string) : undefined);
  const number = (key: string) => (typeof inputs[key] === "number" ? (inputs[key] as number) : undefined);
  const list = (key: string) => (Array.isArray(inputs[key]) && (inputs[key] as string[]).length > 0 ? (inputs[key] as string[]) : undefined);
  const dimensions = Object.entries((inputs.dimensions ?? {}) as TagMap).map(([Name, Value]) => ({ Name, Value }));
  return {
    AlarmName: inputs.name as string,
    ActionsEnabled: inputs.actionsEnabled !== false,
    AlarmActions: list("alarmActions"),
    AlarmDescription: text("alarmDescription"),
    ComparisonOperator: text("comparisonOperator") as ComparisonOperator | undefined,
    DatapointsToAlarm: number("datapointsToAlarm"),
    Dimensions: dimensions.length > 0 ? dimensions : undefined,
    EvaluateLowSampleCountPercentile: text("evaluateLowSampleCountPercentiles"),
    EvaluationPeriods: number("evaluationPeriods"),
    ExtendedStatistic: text("extendedStatistic"),
    InsufficientDataActions: list("insufficientDataActions"),
    MetricName: text("metricName"),
    Namespace: text("namespace"),
    OKActions: list("okActions"),
    Period: number("period"),
    Statistic: text("statistic") as Statistic | undefined,
    Threshold: number("threshold"),
    TreatMissingData: text("treatMissingData"),
    Unit: text("unit") as StandardUnit | undefined,
  };
}

function alarmOutputs(alarm: MetricAlarm, tags: TagMap, region: string): PropertyBag {
  return {
    actionsEnabled: alarm.ActionsEnabled,
    alarmActions: alarm.AlarmActions ?? [],
    alarmDescription: alarm.AlarmDescription,
    arn: alarm.AlarmArn,
    comparisonOperator: alarm.ComparisonOperator,
    datapointsToAlarm: alarm.DatapointsToAlarm,
    dimensions: Object.fromEntries((alarm.Dimensions ?? []).map((dimension) => [dimension.Name ?? "", dimension.Value ?? ""])),
    evaluateLowSampleCountPercentiles: alarm.EvaluateLowSampleCountPercentile,
    evaluationPeriods: alarm.EvaluationPeriods,
    extendedStatistic: alarm.ExtendedStatistic,
    insufficientDataActions: alarm.InsufficientDataActions ?? [],
    metricName: alarm.MetricName,
    name: alarm.AlarmName,
    namespace: alarm.Namespace,
    okActions: alarm.OKActions ?? [],
    period: alarm.Period,
    region,
    statistic: alarm.Statistic,
    tags,
    tagsAll: tags,
    threshold: alarm.Threshold,
    treatMissingData: alarm.TreatMissingData ?? "missing",
    unit: alarm.Unit,
  };
}

export function metricAlarmHandler(cloudWatch: RegionalClients<CloudWatchClient>): ResourceHandler {
  const findAlarm = async (name: string, region: string): Promise<MetricAlarm | undefined> => {
    const { MetricAlarms } = await cloudWatch.in(region).send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ["MetricAlarm"] }));
    return MetricAlarms?.[0];
  };

  const readOutputs = async (name: string, region: string): Promise<PropertyBag | undefined> => {
    const alarm = await findAlarm(name, region);
    if (!alarm) return undefined;
    const { Tags } = await cloudWatch.in(region).send(new ListTagsForResourceCommand({ ResourceARN: alarm.AlarmArn }));
    return alarmOutputs(alarm, fromIamTags(Tags), region);
  };

  const mustReadOutputs = async (name: string, region: string) => {
    const outs = await readOutputs(name, region);
    if (!outs) throw new Error(`CloudWatch metric alarm ${name} vanished right after it was written`);
    return outs;
  };

  return {
    check(olds, news, context) {
      const inputs = applyDefaults(news, {
        name: news.name === undefined ? autoNameFor(olds, context.name) : undefined,
        actionsEnabled: true,
        treatMissingData: "missing",
        region: cloudWatch.defaultRegion,
      });
      return { inputs, failures: checkAlarmInputs(news, inputs) };
    },

    diff(_id, olds, news) {
      return diffInputs(olds, news, RULES);
    },

    async create(inputs) {
      const name = inputs.name as string;
      const region = inputs.region as string;
      // PutMetricAlarm overwrites an alarm of the same name; terraform refuses instead.
      if (await findAlarm(name, region)) throw new Error(`CloudWatch metric alarm "${name}" already exists`);
      const tags = toIamTags(inputs.tags);
      await cloudWatch.in(region).send(new PutMetricAlarmCommand({ ...putMetricAlarmInput(inputs), ...(tags.length > 0 ? { Tags: tags } : {}) }));
      return { id: name, outs: await mustReadOutputs(name, region) };
    },

    async read(id, props, context) {
      const { id: name, region: importRegion } = splitImportRegion(id);
      const region = regionFor(props, importRegion, cloudWatch.defaultRegion);
      const outs = await readOutputs(name, region);
      if (!outs) return { id: "" };
      const inputs: PropertyBag = Object.fromEntries(
        ["name", ...ALARM_SETTINGS, "tags", "region"].filter((key) => outs[key] !== undefined).map((key) => [key, outs[key]]),
      );
      inputs[DEFAULTS_KEY] = looksAutoNamed(context.name, outs.name) ? ["name"] : [];
      return { id: name, props: outs, inputs };
    },

    async update(id, olds, news) {
      const region = news.region as string;
      const client = cloudWatch.in(region);
      if (diffInputs(olds, news, { ...RULES, updateInPlace: ALARM_SETTINGS }).changes) {
        await client.send(new PutMetricAlarmCommand(putMetricAlarmInput(news)));
      }
      const { toSet, toRemove } = tagChanges(olds.tags, news.tags);
      const arn = olds.arn as string;
      if (toRemove.length > 0) await client.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: toRemove }));
      if (toSet.length > 0) await client.send(new TagResourceCommand({ ResourceARN: arn, Tags: toSet }));
      return mustReadOutputs(id, region);
    },

    async delete(id, props) {
      const region = regionFor(props, undefined, cloudWatch.defaultRegion);
      await unlessResourceMissing(() => cloudWatch.in(region).send(new DeleteAlarmsCommand({ AlarmNames: [id] })));
    },
  };
}
