import type { CheckFailure } from "@pulumi/pulumi/provider";
import { autoName, prefixedUniqueId } from "./naming";
import { isUnknown, type PropertyBag } from "./wireValues";

/** The bridge records which inputs it defaulted, so later checks and diffs can tell them from the program's. */
export const DEFAULTS_KEY = "__defaults";

export function defaultedKeys(inputs: PropertyBag): string[] {
  const keys = inputs[DEFAULTS_KEY];
  return Array.isArray(keys) ? keys.filter((key): key is string => typeof key === "string") : [];
}

/** Fills the schema defaults the program left out and records them in `__defaults`. */
export function applyDefaults(news: PropertyBag, defaults: PropertyBag): PropertyBag {
  const defaulted: string[] = [];
  const inputs: PropertyBag = { ...news };
  for (const [key, value] of Object.entries(defaults)) {
    if (inputs[key] === undefined && value !== undefined) {
      inputs[key] = value;
      defaulted.push(key);
    }
  }
  return { ...inputs, [DEFAULTS_KEY]: defaulted };
}

/** The autoname to use when the program sets none: the previous one if it was ours, else a new one. */
export function autoNameFor(olds: PropertyBag, logicalName: string): string {
  const previous = olds.name;
  return typeof previous === "string" && defaultedKeys(olds).includes("name") ? previous : autoName(logicalName);
}

/** The `name` default of a resource the program may name by `name` or `namePrefix`: none when it chose either, else the autoname. */
export function defaultNameFor(olds: PropertyBag, news: PropertyBag, logicalName: string): string | undefined {
  return news.name !== undefined || news.namePrefix !== undefined ? undefined : autoNameFor(olds, logicalName);
}

/** The name a create uses: the chosen (or defaulted) one, else terraform's unique name after `namePrefix`. */
export function nameToCreate(inputs: PropertyBag, fallbackPrefix = "terraform-"): string {
  return (inputs.name as string | undefined) ?? prefixedUniqueId((inputs.namePrefix as string | undefined) ?? fallbackPrefix);
}

/** The bridge replaces delete-first when the program chose the name itself (two objects cannot share it). */
export function nameWasExplicit(news: PropertyBag): boolean {
  return !defaultedKeys(news).includes("name");
}

export function missingRequired(news: PropertyBag, keys: readonly string[]): CheckFailure[] {
  return keys
    .filter((key) => news[key] === undefined || news[key] === null || news[key] === "")
    .map((property) => ({ property, reason: `Missing required property '${property}'` }));
}

/** Validates a known string input against a pattern; unknown values are validated once known. */
export function patternFailure(news: PropertyBag, key: string, pattern: RegExp, reason: string): CheckFailure[] {
  const value = news[key];
  if (value === undefined || isUnknown(value) || typeof value !== "string" || pattern.test(value)) return [];
  return [{ property: key, reason }];
}

/**
 * Inputs the program set that the stand-in does not implement. Refusing them beats ignoring them: an
 * ignored input would read back as applied while AWS never saw it.
 */
export function unsupportedInputs(news: PropertyBag, supported: readonly string[]): CheckFailure[] {
  return Object.keys(news)
    .filter((key) => key !== DEFAULTS_KEY && news[key] !== undefined && !supported.includes(key))
    .map((property) => ({ property, reason: `the stand-in aws provider does not support ${property}` }));
}

/** terraform's ConflictsWith: `key` may not be set together with `other`. */
export function conflictFailure(news: PropertyBag, key: string, other: string): CheckFailure[] {
  return news[key] !== undefined && news[other] !== undefined ? [{ property: key, reason: `"${key}": conflicts with ${other}` }] : [];
}

/** terraform's StringInSlice for a known string input. */
export function oneOfFailure(news: PropertyBag, key: string, allowed: readonly string[]): CheckFailure[] {
  const value = news[key];
  if (typeof value !== "string" || isUnknown(value) || allowed.includes(value)) return [];
  return [{ property: key, reason: `expected ${key} to be one of [${allowed.join(" ")}], got ${value}` }];
}

/** terraform's IntBetween for a known number input. */
export function intRangeFailure(news: PropertyBag, key: string, min: number, max: number): CheckFailure[] {
  const value = news[key];
  if (typeof value !== "number" || (Number.isInteger(value) && value >= min && value <= max)) return [];
  return [{ property: key, reason: `expected ${key} to be in the range (${min} - ${max}), got ${value}` }];
}
