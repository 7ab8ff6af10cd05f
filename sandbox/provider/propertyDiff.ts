import { defaultedKeys } from "./checkInputs";
import { isUnknown, type PropertyBag } from "./wireValues";

/** How a resource type reacts to input changes, mirroring the real provider's schema. */
export interface DiffRules {
  /** Inputs whose change forces a new object (ForceNew in the terraform schema). */
  replaceOn: readonly string[];
  /** Inputs the provider changes in place. */
  updateInPlace: readonly string[];
  /** Optional+computed inputs: leaving them out keeps the value the provider chose. */
  computedWhenAbsent?: readonly string[];
  /** Semantic equality for inputs whose text may differ while meaning the same (policy JSON). */
  equivalent?: Readonly<Record<string, (old: unknown, next: unknown) => boolean>>;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b))) : inner,
  );
}

/** Unset, empty string, empty list and empty map all mean "not set", as in terraform. */
export function sameValue(old: unknown, next: unknown): boolean {
  if (isEmpty(old) && isEmpty(next)) return true;
  return canonicalJson(old) === canonicalJson(next);
}

/** Input names whose new value differs from the old state; an unknown new value counts as a change. */
export function changedInputs(olds: PropertyBag, news: PropertyBag, rules: DiffRules): string[] {
  return [...rules.replaceOn, ...rules.updateInPlace].filter((key) => {
    const next = news[key];
    if (isUnknown(next)) return true;
    if (next === undefined && rules.computedWhenAbsent?.includes(key)) return false;
    const equal = rules.equivalent?.[key] ?? sameValue;
    return !equal(olds[key], next);
  });
}

export interface PropertyDiff {
  changes: boolean;
  replaces: string[];
}

export function diffInputs(olds: PropertyBag, news: PropertyBag, rules: DiffRules): PropertyDiff {
  const changed = changedInputs(olds, news, rules);
  return { changes: changed.length > 0, replaces: changed.filter((key) => rules.replaceOn.includes(key)) };
}

/**
 * diffInputs for a resource whose name is its identity in AWS: the bridge replaces one whose name the
 * program chose delete-first, since the new object could not take the name while the old holds it.
 */
export function diffNamedInputs(olds: PropertyBag, news: PropertyBag, rules: DiffRules): PropertyDiff & { deleteBeforeReplace: boolean } {
  const { changes, replaces } = diffInputs(olds, news, rules);
  const chosenName = news.name !== undefined && !defaultedKeys(news).includes("name");
  return { changes, replaces, deleteBeforeReplace: replaces.length > 0 && chosenName };
}

/** Equality of terraform's TypeSet values (action lists, group lists): order and repeats do not matter. */
export function sameSet(old: unknown, next: unknown): boolean {
  const members = (value: unknown) => [...new Set(Array.isArray(value) ? value.map(String) : [])].sort().join("\n");
  return members(old) === members(next);
}
