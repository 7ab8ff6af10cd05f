import { resolveProjectPaths, type ProjectPaths } from "../stacks/projectPaths";
import { terminalPrompter, type Prompter } from "./confirm";

/** Where a command writes while it runs; the entry file decides which stream each one is. */
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
}

export function defaultCommandContext(io: CommandIO, env: NodeJS.ProcessEnv = process.env): CommandContext {
  return { env, paths: resolveProjectPaths(env), io, prompter: terminalPrompter() };
}
