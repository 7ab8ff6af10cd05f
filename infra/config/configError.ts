export interface ConfigProblem {
  /** Fully qualified config key (e.g. `talentbase-iam:keyMaxAgeDays`), or `stack` for the stack name. */
  readonly key: string;
  /** One sentence naming the key, the expected form and the value found. */
  readonly message: string;
}

/** Every problem of a stack's configuration at once, so one fix round is enough. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";

  constructor(
    readonly stack: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(`Stack "${stack}" has invalid configuration:\n${problems.map((p) => `  - ${p.message}`).join("\n")}`);
  }
}
