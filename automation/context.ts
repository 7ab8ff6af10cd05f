import { terminalPrompter, type Prompter } from "./confirm";
import { InterruptedError, RERUN_CONTINUES } from "./errors";
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
  /** Aborted on Ctrl-C or SIGTERM: engine operations cancel through it, and commands stop between steps. */
  readonly signal: AbortSignal;
}

export function defaultCommandContext(io: CommandIO, options: { debug: boolean; signal: AbortSignal; env?: NodeJS.ProcessEnv }): CommandContext {
  const env = options.env ?? process.env;
  return { env, paths: resolveProjectPaths(env), io, prompter: terminalPrompter(), debug: options.debug, signal: options.signal };
}

/** Stops a command between steps once it was interrupted. */
export function throwIfInterrupted(context: Pick<CommandContext, "signal">, what: string): void {
  if (context.signal.aborted) throw new InterruptedError(`interrupted ${what}: ${RERUN_CONTINUES}`);
}
