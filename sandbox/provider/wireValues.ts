import { specialResourceSig, specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";

/** A resource's properties as they cross the provider protocol (plain JSON-like values). */
export type PropertyBag = Record<string, unknown>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSecretEnvelope(value: unknown): value is { value?: unknown } {
  return isPlainObject(value) && value[specialSigKey] === specialSecretSig;
}

function isResourceReference(value: unknown): value is { urn: string; id?: string } {
  return isPlainObject(value) && value[specialSigKey] === specialResourceSig;
}

/** During a preview the engine sends this sentinel for values that are not known yet. */
export function isUnknown(value: unknown): boolean {
  if (value === unknownValue) return true;
  if (isSecretEnvelope(value)) return isUnknown(value.value);
  return false;
}

/** Whether any value in the tree is still unknown (for values we must parse, like a policy document). */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isPlainObject(value)) return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * Strips the engine's envelopes so resource logic sees plain values: secrets become their value,
 * a resource reference becomes its id (what the real provider receives for `user: someUser`).
 */
export function unwrapValue(value: unknown): unknown {
  if (isSecretEnvelope(value)) return unwrapValue(value.value);
  if (isResourceReference(value)) return value.id ?? value.urn;
  if (Array.isArray(value)) return value.map(unwrapValue);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, unwrapValue(inner)]));
  }
  return value;
}

export function unwrapBag(bag: PropertyBag | undefined): PropertyBag {
  return (unwrapValue(bag ?? {}) as PropertyBag) ?? {};
}

export function secretValue(value: unknown): unknown {
  return { [specialSigKey]: specialSecretSig, value };
}

/**
 * Re-marks as secret every top-level property that arrived secret, so a value the engine handed us
 * as a secret (say the access key's `secret` on refresh) never goes back in the clear.
 */
export function keepSecretness(previous: PropertyBag | undefined, next: PropertyBag): PropertyBag {
  const result: PropertyBag = {};
  for (const [key, value] of Object.entries(next)) {
    const wasSecret = previous !== undefined && isSecretEnvelope(previous[key]);
    result[key] = wasSecret && !isSecretEnvelope(value) ? secretValue(value) : value;
  }
  return result;
}

/** The protocol's Struct encoding rejects `undefined`; absent means "not set". */
export function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, inner]) => inner !== undefined)
        .map(([key, inner]) => [key, withoutUndefined(inner)]),
    );
  }
  return value;
}
