import {
  ListTargetsByRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  type EventBridgeClient,
  type InputTransformer,
  type Target,
} from "@aws-sdk/client-eventbridge";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import { applyDefaults, conflictFailure, missingRequired, patternFailure, unsupportedInputs } from "../../checkInputs";
import { prefixedUniqueId } from "../../naming";
import { diffInputs, sameValue, type DiffRules } from "../../propertyDiff";
import type { ResourceHandler } from "../../resourceHandler";
import { containsUnknown, type PropertyBag } from "../../wireValues";
import { isResourceNotFound, unlessResourceMissing } from "../errors";
import { isJson } from "../normalizedJson";
import { regionFailure, regionFor, splitImportRegion } from "../region";
import type { RegionalClients } from "../regionalClients";
import { DEFAULT_EVENT_BUS, eventTargetId, parseEventTargetImportId } from "./eventIds";
import { RESOURCE_TYPES } from "../../../../infra/resourceTypes";

export const EVENT_TARGET_TYPE = RESOURCE_TYPES.eventTarget;

const SUPPORTED_INPUTS = ["rule", "arn", "targetId", "eventBusName", "input", "inputPath", "inputTransformer", "roleArn", "forceDestroy", "region"];

// terraform's aws_cloudwatch_event_target: rule, bus and target id place the target; PutTargets rewrites
// the rest in place. A target id left out is generated once, at create.
const RULES: DiffRules = {
  replaceOn: ["rule", "eventBusName", "targetId", "region"],
  updateInPlace: ["arn", "input", "inputPath", "inputTransformer", "roleArn", "forceDestroy"],
  computedWhenAbsent: ["targetId"],
  equivalent: { inputTransformer: sameTransformer },
};

const TARGET_ID = /^[.\-_A-Za-z0-9]{1,64}$/;
/** terraform's targetInputTransformerMaxInputPaths: EventBridge takes at most 100 variables. */
const MAX_INPUT_PATHS = 100;
const MAX_INPUT_TEMPLATE_LENGTH = 8192;

/** terraform's input_transformer block: at most 100 input paths, none named AWS..., a template of 1-8192 characters. */
function inputTransformerFailures(transformer: unknown): CheckFailure[] {
  if (transformer === undefined || containsUnknown(transformer)) return [];
  const property = "inputTransformer";
  if (typeof transformer !== "object" || transformer === null || Array.isArray(transformer)) {
    return [{ property, reason: '"inputTransformer" must be an object with inputTemplate and optional inputPaths' }];
  }
  const { inputPaths = {}, inputTemplate } = transformer as { inputPaths?: Record<string, unknown>; inputTemplate?: unknown };
  const failures: CheckFailure[] = [];
  if (typeof inputTemplate !== "string" || inputTemplate.length < 1 || inputTemplate.length > MAX_INPUT_TEMPLATE_LENGTH) {
    failures.push({
      property: `${property}.inputTemplate`,
      reason: `expected length of input_transformer.0.input_template to be in the range (1 - ${MAX_INPUT_TEMPLATE_LENGTH})`,
    });
  }
  const names = Object.keys(inputPaths);
  if (names.length > MAX_INPUT_PATHS) failures.push({ property: `${property}.inputPaths`, reason: `map must contain at most ${MAX_INPUT_PATHS} elements` });
  for (const name of names.filter((key) => key.startsWith("AWS"))) {
    failures.push({ property: `${property}.inputPaths`, reason: `${name}: must not start with "AWS"` });
  }
  return failures;
}
const RULE_NAME = /^[0-9A-Za-z_.-]{1,64}$/;

/** An empty paths map and none are the same transformer (terraform's empty map is unset). */
function sameTransformer(old: unknown, next: unknown): boolean {
  const withoutEmptyPaths = (value: unknown) => {
    if (typeof value !== "object" || value === null) return value;
    const { inputPaths, ...rest } = value as { inputPaths?: Record<string, unknown> };
    return inputPaths && Object.keys(inputPaths).length > 0 ? { ...rest, inputPaths } : rest;
  };
  return sameValue(withoutEmptyPaths(old), withoutEmptyPaths(next));
}

function checkTargetInputs(news: PropertyBag, inputs: PropertyBag): CheckFailure[] {
  const failures: CheckFailure[] = [
    ...unsupportedInputs(news, SUPPORTED_INPUTS),
    ...missingRequired(inputs, ["rule", "arn"]),
    ...conflictFailure(news, "inputPath", "input"),
    ...conflictFailure(news, "inputTransformer", "input"),
    ...conflictFailure(news, "inputTransformer", "inputPath"),
    ...inputTransformerFailures(news.inputTransformer),
    ...patternFailure(inputs, "targetId", TARGET_ID, "must be 1-64 characters of letters, digits, '.', '-' and '_'"),
    ...patternFailure(inputs, "rule", RULE_NAME, "must be 1-64 characters of letters, digits, '.', '-' and '_'"),
    ...regionFailure(inputs),
  ];
  const input = inputs.input;
  if (typeof input === "string" && !containsUnknown(input) && (!isJson(input) || input.length > 8192)) {
    failures.push({ property: "input", reason: '"input" must be a JSON text of at most 8192 characters' });
  }
  return failures;
}

/** Where a target lives: the rule, its bus and the target's id within the rule. */
interface TargetAddress {
  eventBusName: string;
  ruleName: string;
  targetId: string;
}

/** The target's input transformer as the provider's property: EventBridge leaves out an empty paths map. */
function transformerOutputs(transformer: InputTransformer | undefined): PropertyBag | undefined {
  if (!transformer) return undefined;
  return { inputPaths: transformer.InputPathsMap ?? {}, inputTemplate: transformer.InputTemplate };
}

function targetOf(inputs: PropertyBag, targetId: string): Target {
  const text = (key: string) => (typeof inputs[key] === "string" && inputs[key] !== "" ? (inputs[key] as string) : undefined);
  const transformer = inputs.inputTransformer as { inputPaths?: Record<string, string>; inputTemplate: string } | undefined;
  return {
    Id: targetId,
    Arn: inputs.arn as string,
    Input: text("input"),
    InputPath: text("inputPath"),
    ...(transformer ? { InputTransformer: { InputPathsMap: transformer.inputPaths ?? {}, InputTemplate: transformer.inputTemplate } } : {}),
    RoleArn: text("roleArn"),
  };
}

/** PutTargets and RemoveTargets answer per target; a failed entry is the call's failure. */
function throwOnFailedEntries(call: string, entries: readonly { TargetId?: string; ErrorCode?: string; ErrorMessage?: string }[] | undefined): void {
  if (!entries || entries.length === 0) return;
  throw new Error(`${call} failed: ${entries.map((entry) => `${entry.TargetId}: ${entry.ErrorCode} ${entry.ErrorMessage}`).join("; ")}`);
}

export function eventTargetHandler(eventBridge: RegionalClients<EventBridgeClient>): ResourceHandler {
  /** The target, or undefined when it, its rule or its bus is gone. */
  const findTarget = async (address: TargetAddress, region: string): Promise<Target | undefined> => {
    const client = eventBridge.in(region);
    let nextToken: string | undefined;
    try {
      // EventBridge's SDK client has no paginators: its model declares none.
      do {
        const page = await client.send(
          new ListTargetsByRuleCommand({ Rule: address.ruleName, EventBusName: address.eventBusName, Limit: 100, NextToken: nextToken }),
        );
        const target = (page.Targets ?? []).find((candidate) => candidate.Id === address.targetId);
        if (target) return target;
        nextToken = page.NextToken;
      } while (nextToken);
    } catch (error) {
      // terraform reads a validation error here as gone, too.
      if (isResourceNotFound(error) || (error instanceof Error && error.name === "ValidationException")) return undefined;
      throw error;
    }
    return undefined;
  };

  const readOutputs = async (address: TargetAddress, region: string, passThrough: PropertyBag): Promise<PropertyBag | undefined> => {
    const target = await findTarget(address, region);
    if (!target) return undefined;
    return {
      arn: target.Arn,
      eventBusName: address.eventBusName,
      forceDestroy: passThrough.forceDestroy ?? false,
      input: target.Input,
      inputPath: target.InputPath,
      // terraform keeps the state's block when the target has none; showing its absence is the drift it is.
      inputTransformer: transformerOutputs(target.InputTransformer),
      region,
      roleArn: target.RoleArn,
      rule: address.ruleName,
      targetId: target.Id,
    };
  };

  const putTarget = async (inputs: PropertyBag, address: TargetAddress, region: string) => {
    const { FailedEntries } = await eventBridge
      .in(region)
      .send(new PutTargetsCommand({ Rule: address.ruleName, EventBusName: address.eventBusName, Targets: [targetOf(inputs, address.targetId)] }));
    throwOnFailedEntries("PutTargets", FailedEntries);
    const outs = await readOutputs(address, region, inputs);
    if (!outs) throw new Error(`EventBridge target ${address.targetId} of rule ${address.ruleName} vanished right after it was written`);
    return outs;
  };

  const addressOf = (props: PropertyBag): TargetAddress => ({
    eventBusName: (props.eventBusName as string | undefined) ?? DEFAULT_EVENT_BUS,
    ruleName: props.rule as string,
    targetId: props.targetId as string,
  });

  return {
    check(_olds, news) {
      const inputs = applyDefaults(news, { eventBusName: DEFAULT_EVENT_BUS, forceDestroy: false, region: eventBridge.defaultRegion });
      return { inputs, failures: checkTargetInputs(news, inputs) };
    },

    diff(_id, olds, news) {
      return diffInputs(olds, news, RULES);
    },

    async create(inputs) {
      const address = { ...addressOf(inputs), targetId: (inputs.targetId as string | undefined) ?? prefixedUniqueId("terraform-") };
      const outs = await putTarget(inputs, address, inputs.region as string);
      return { id: eventTargetId(address.eventBusName, address.ruleName, address.targetId), outs };
    },

    async read(id, props) {
      // The state id cannot be parsed, so a refresh reads by the state's address and an import by its own id form.
      const imported = props.rule === undefined;
      const { id: importId, region: importRegion } = splitImportRegion(id);
      const address = imported ? parseEventTargetImportId(importId) : addressOf(props);
      const region = regionFor(props, importRegion, eventBridge.defaultRegion);
      const outs = await readOutputs(address, region, props);
      if (!outs) return { id: "" };
      const inputs: PropertyBag = Object.fromEntries(SUPPORTED_INPUTS.filter((key) => outs[key] !== undefined).map((key) => [key, outs[key]]));
      return { id: imported ? eventTargetId(address.eventBusName, address.ruleName, address.targetId) : id, props: outs, inputs };
    },

    async update(_id, olds, news) {
      return putTarget(news, addressOf({ ...news, targetId: olds.targetId }), news.region as string);
    },

    async delete(_id, props) {
      const address = addressOf(props);
      const region = regionFor(props, undefined, eventBridge.defaultRegion);
      const removed = await unlessResourceMissing(() =>
        eventBridge.in(region).send(
          new RemoveTargetsCommand({
            Rule: address.ruleName,
            EventBusName: address.eventBusName,
            Ids: [address.targetId],
            Force: props.forceDestroy === true,
          }),
        ),
      );
      throwOnFailedEntries("RemoveTargets", removed?.FailedEntries);
    },
  };
}
