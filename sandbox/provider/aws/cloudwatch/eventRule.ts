import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  ListTagsForResourceCommand,
  PutRuleCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type EventBridgeClient,
  type PutRuleCommandInput,
  type RuleState,
} from "@aws-sdk/client-eventbridge";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import { applyDefaults, conflictFailure, defaultNameFor, DEFAULTS_KEY, nameToCreate, oneOfFailure, patternFailure, unsupportedInputs } from "../../checkInputs";
import { looksAutoNamed, namePrefixFromName } from "../../naming";
import { diffInputs, diffNamedInputs, type DiffRules } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import { containsUnknown, type PropertyBag } from "../../wireValues";
import { unlessResourceMissing } from "../errors";
import { isJson, normalizeJson, sameJson } from "../normalizedJson";
import { regionFailure, regionFor, splitImportRegion } from "../region";
import type { RegionalClients } from "../regionalClients";
import { fromIamTags, tagChanges, toIamTags } from "../tags";
import { DEFAULT_EVENT_BUS, eventRuleId, parseEventRuleId } from "./eventIds";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const EVENT_RULE_TYPE = RESOURCE_TYPES.eventRule;

const SUPPORTED_INPUTS = [
  "name",
  "namePrefix",
  "description",
  "eventBusName",
  "eventPattern",
  "scheduleExpression",
  "roleArn",
  "state",
  "isEnabled",
  "forceDestroy",
  "tags",
  "region",
];

// terraform's aws_cloudwatch_event_rule: name, bus and region are the rule; PutRule rewrites the rest in
// place. A state or isEnabled left out keeps what the rule has (terraform suppresses that diff).
const RULES: DiffRules = {
  replaceOn: ["name", "namePrefix", "eventBusName", "region"],
  updateInPlace: ["description", "eventPattern", "scheduleExpression", "roleArn", "state", "isEnabled", "tags", "forceDestroy"],
  computedWhenAbsent: ["name", "namePrefix", "state", "isEnabled"],
  equivalent: { eventPattern: sameJson },
};

const RULE_STATES = ["DISABLED", "ENABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"];
const RULE_NAME = /^[0-9A-Za-z_.-]{1,64}$/;
const RULE_NAME_REASON = "must be 1-64 characters of letters, digits, '.', '-' and '_'";
const MAX_PATTERN_LENGTH = 4096;

function checkRuleInputs(news: PropertyBag, inputs: PropertyBag): CheckFailure[] {
  const failures: CheckFailure[] = [
    ...unsupportedInputs(news, SUPPORTED_INPUTS),
    ...conflictFailure(news, "namePrefix", "name"),
    ...conflictFailure(news, "isEnabled", "state"),
    ...patternFailure(inputs, "name", RULE_NAME, RULE_NAME_REASON),
    ...patternFailure(inputs, "namePrefix", RULE_NAME, RULE_NAME_REASON),
    ...oneOfFailure(inputs, "state", RULE_STATES),
    ...regionFailure(inputs),
  ];
  if (inputs.eventPattern === undefined && inputs.scheduleExpression === undefined) {
    failures.push({ property: "eventPattern", reason: "one of `eventPattern,scheduleExpression` must be specified" });
  }
  const pattern = inputs.eventPattern;
  if (typeof pattern === "string" && !containsUnknown(pattern)) {
    if (!isJson(pattern)) failures.push({ property: "eventPattern", reason: '"eventPattern" contains an invalid JSON' });
    else if (normalizeJson(pattern).length > MAX_PATTERN_LENGTH) {
      failures.push({ property: "eventPattern", reason: `"eventPattern" cannot be longer than ${MAX_PATTERN_LENGTH} characters` });
    }
  }
  if (typeof inputs.description === "string" && inputs.description.length > 512) {
    failures.push({ property: "description", reason: "expected length of description to be in the range (0 - 512)" });
  }
  return failures;
}

/** The state PutRule gets: `state`, else the deprecated `isEnabled`, else none (EventBridge enables the rule). */
function ruleState(inputs: PropertyBag): RuleState | undefined {
  if (typeof inputs.state === "string" && inputs.state !== "") return inputs.state as RuleState;
  if (typeof inputs.isEnabled === "boolean") return inputs.isEnabled ? "ENABLED" : "DISABLED";
  return undefined;
}

/** terraform's expandPutRuleInput: PutRule replaces the whole rule, so every call carries everything. */
function putRuleInput(inputs: PropertyBag, ruleName: string): PutRuleCommandInput {
  const text = (key: string) => (typeof inputs[key] === "string" && inputs[key] !== "" ? (inputs[key] as string) : undefined);
  const pattern = text("eventPattern");
  return {
    Name: ruleName,
    EventBusName: text("eventBusName"),
    Description: text("description"),
    EventPattern: pattern === undefined ? undefined : normalizeJson(pattern),
    RoleArn: text("roleArn"),
    ScheduleExpression: text("scheduleExpression"),
    State: ruleState(inputs),
  };
}

export function eventRuleHandler(eventBridge: RegionalClients<EventBridgeClient>): ResourceHandler {
  /** The live rule as outputs, or undefined when it (or its bus) is gone. */
  const readOutputs = async (ruleId: string, region: string, passThrough: PropertyBag): Promise<PropertyBag | undefined> => {
    const { eventBusName, ruleName } = parseEventRuleId(ruleId);
    const client = eventBridge.in(region);
    const rule = await unlessResourceMissing(() => client.send(new DescribeRuleCommand({ Name: ruleName, EventBusName: eventBusName })));
    if (!rule) return undefined;
    const tags = fromIamTags((await client.send(new ListTagsForResourceCommand({ ResourceARN: rule.Arn }))).Tags);
    const name = rule.Name ?? ruleName;
    return {
      arn: rule.Arn,
      description: rule.Description,
      // The id's bus, as terraform: the API may answer an ARN given as the bus with its name.
      eventBusName,
      eventPattern: rule.EventPattern ? normalizeJson(rule.EventPattern) : undefined,
      forceDestroy: passThrough.forceDestroy ?? false,
      isEnabled: rule.State === "ENABLED" || rule.State === "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
      name,
      namePrefix: namePrefixFromName(name),
      region,
      roleArn: rule.RoleArn,
      scheduleExpression: rule.ScheduleExpression,
      state: rule.State,
      tags,
      tagsAll: tags,
    };
  };

  const mustReadOutputs = async (ruleId: string, region: string, passThrough: PropertyBag) => {
    const outs = await readOutputs(ruleId, region, passThrough);
    if (!outs) throw new Error(`EventBridge rule ${ruleId} vanished right after it was written`);
    return outs;
  };

  return {
    check(olds, news, context) {
      const inputs = applyDefaults(news, {
        name: defaultNameFor(olds, news, context.name),
        eventBusName: DEFAULT_EVENT_BUS,
        forceDestroy: false,
        region: eventBridge.defaultRegion,
      });
      return { inputs, failures: checkRuleInputs(news, inputs) };
    },

    diff(_id, olds, news) {
      // PutRule on a taken name would overwrite that rule, so a chosen name means delete first.
      return diffNamedInputs(olds, news, RULES);
    },

    async create(inputs) {
      const region = inputs.region as string;
      const ruleName = nameToCreate(inputs);
      const tags = toIamTags(inputs.tags);
      await eventBridge.in(region).send(new PutRuleCommand({ ...putRuleInput(inputs, ruleName), ...(tags.length > 0 ? { Tags: tags } : {}) }));
      const id = eventRuleId(inputs.eventBusName as string, ruleName);
      return { id, outs: await mustReadOutputs(id, region, inputs) };
    },

    async read(id, props, context) {
      const { id: ruleId, region: importRegion } = splitImportRegion(id);
      const region = regionFor(props, importRegion, eventBridge.defaultRegion);
      const outs = await readOutputs(ruleId, region, props);
      if (!outs) return { id: "" };
      const inputs: PropertyBag = Object.fromEntries(
        ["name", "description", "eventBusName", "eventPattern", "roleArn", "scheduleExpression", "state", "forceDestroy", "tags", "region"]
          .filter((key) => outs[key] !== undefined)
          .map((key) => [key, outs[key]]),
      );
      inputs[DEFAULTS_KEY] = looksAutoNamed(context.name, outs.name) ? ["name"] : [];
      return { id: ruleId, props: outs, inputs };
    },

    async update(id, olds, news) {
      const region = news.region as string;
      const client = eventBridge.in(region);
      const { changes } = diffInputs(olds, news, { ...RULES, updateInPlace: RULES.updateInPlace.filter((key) => key !== "tags" && key !== "forceDestroy") });
      if (changes) await client.send(new PutRuleCommand(putRuleInput(news, parseEventRuleId(id).ruleName)));
      const { toSet, toRemove } = tagChanges(olds.tags, news.tags);
      const arn = olds.arn as string;
      if (toRemove.length > 0) await client.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: toRemove }));
      if (toSet.length > 0) await client.send(new TagResourceCommand({ ResourceARN: arn, Tags: toSet }));
      return mustReadOutputs(id, region, news);
    },

    async delete(id, props) {
      const { eventBusName, ruleName } = parseEventRuleId(id);
      const region = regionFor(props, undefined, eventBridge.defaultRegion);
      await unlessResourceMissing(() =>
        eventBridge.in(region).send(new DeleteRuleCommand({ Name: ruleName, EventBusName: eventBusName, Force: props.forceDestroy === true })),
      );
    },
  };
}
