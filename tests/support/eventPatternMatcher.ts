import type { EventPattern } from "../../infra/monitoring/eventPattern";

/**
 * EventBridge's matching of an event against a pattern, for the operators the monitoring's patterns use:
 * exact strings, `anything-but` (a string or a list of strings), `exists`, and `$or`. No maintained npm
 * package implements EventBridge patterns (AWS's own matcher, event-ruler, is Java; moto's answers
 * nothing to TestEventPattern), so this follows the EventBridge user guide and event-ruler's README:
 *   - every field the pattern names must be in the event (only `exists: false` matches an absent one);
 *   - a leaf matches when its value meets any matcher of the list; an array value, when any element does;
 *   - fields are flattened to leaf paths: an object where a leaf matcher stands counts as absent (so
 *     `exists: false` matches it), and a nested pattern under an absent or non-object field sees no fields;
 *   - `$or` holds two or more alternatives of the same level, any of which must match.
 * Any other operator or value throws, so a pattern using one cannot pass its tests by accident.
 */
export function matchesPattern(event: unknown, pattern: EventPattern): boolean {
  return matchesObject(asObject(event), pattern);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function asObject(value: unknown): Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, Json>) : {};
}

function matchesObject(event: Record<string, Json>, pattern: EventPattern): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    if (field === "$or") {
      if (!Array.isArray(expected) || expected.length < 2) throw new Error("$or needs a list of two or more alternatives");
      return (expected as EventPattern[]).some((alternative) => matchesObject(event, alternative));
    }
    if (Array.isArray(expected)) return matchesLeaf(event[field], expected);
    if (typeof expected === "object" && expected !== null) return matchesObject(asObject(event[field]), expected as EventPattern);
    throw new Error(`pattern field ${field} must be a list of matchers or a nested pattern`);
  });
}

function matchesLeaf(value: Json | undefined, matchers: readonly unknown[]): boolean {
  const isLeaf = value !== undefined && (typeof value !== "object" || value === null || Array.isArray(value));
  const values = !isLeaf ? [] : Array.isArray(value) ? value : [value];
  return matchers.some((matcher) => {
    if (typeof matcher === "string") return values.includes(matcher);
    if (typeof matcher === "object" && matcher !== null && !Array.isArray(matcher)) {
      const [operator, operand, ...rest] = Object.entries(matcher).flat();
      if (rest.length > 0) throw new Error(`a matcher has one operator: ${JSON.stringify(matcher)}`);
      if (operator === "exists" && typeof operand === "boolean") return operand === isLeaf;
      if (operator === "anything-but" && isStringOrStrings(operand)) {
        const excluded = typeof operand === "string" ? [operand] : operand;
        return values.some((candidate) => typeof candidate === "string" && !excluded.includes(candidate));
      }
    }
    throw new Error(`matcher not supported here: ${JSON.stringify(matcher)}`);
  });
}

function isStringOrStrings(value: unknown): value is string | string[] {
  return typeof value === "string" || (Array.isArray(value) && value.length > 0 && value.every((entry) => typeof entry === "string"));
}
