import { inspect } from "node:util";

/** What a secret looks like wherever it is printed, logged, serialised or inspected. */
export const SECRET_MASK = "[secret]";

/**
 * A secret value (the backend's secret access key). It prints as `[secret]` through `String()`,
 * template literals, `JSON.stringify` and `util.inspect` (console.log, assertion messages), so it
 * can travel through outputs and reports without leaking; `reveal()` is the one way to the value,
 * for signing requests and for output the operator asked for with `--show-secrets`.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return SECRET_MASK;
  }

  toJSON(): string {
    return SECRET_MASK;
  }

  [inspect.custom](): string {
    return SECRET_MASK;
  }
}

/**
 * `text` with every occurrence of each secret value replaced by the mask. For text that may have
 * picked up a secret on the way (an error message from a check), before it reaches any report.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return secrets
    .filter((secret) => secret.length > 0)
    .sort((a, b) => b.length - a.length)
    .reduce((redacted, secret) => redacted.split(secret).join(SECRET_MASK), text);
}
