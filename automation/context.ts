import { terminalPrompter, type Prompter } from "./confirm";
import { resolveProjectPaths, type ProjectPaths } from "./projectPaths";

/** Where a command writes while it runs; the CLI decides which stream each one is. */
export interface CommandIO {
  /** The engine's live progress. */
  progress(text: string): void;
  /** Human-readable results: change summaries, verification reports. */
  report(text: string): void;
  /** Whether the progress stream shows colours. */
  readonly color: boolean;
}

/** Everything a command takes from its surroundings, injectable for tests and the demo. */
export interface CommandContext {
  readonly env: NodeJS.ProcessEnv;
  readonly paths: ProjectPaths;
  readonly io: CommandIO;
  readonly prompter: Prompter;
  /** --debug: reports add what only a maintainer needs. */
  readonly debug: boolean;
}

export function defaultCommandContext(io: CommandIO, options: { debug: boolean; env?: NodeJS.ProcessEnv }): CommandContext {
  const env = options.env ?? process.env;
  return { env, paths: resolveProjectPaths(env), io, prompter: terminalPrompter(), debug: options.debug };
}
