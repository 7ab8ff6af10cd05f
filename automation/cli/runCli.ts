import { CommanderError, type Command } from "commander";
import { DriverError, EXIT, InterruptedError, PassthroughExit, RERUN_CONTINUES } from "../errors";
import { handleInterrupts } from "./interrupts";
import { buildProgram } from "./program";

/**
 * Runs the CLI on argv (node's form: the first two entries are the runtime and the script) and
 * returns the exit code. The one place that turns a failure into output: a known failure is one line
 * `<command>: <sentence>`; anything else its message; stack traces and causes only with --debug.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const interrupts = handleInterrupts((text) => process.stderr.write(text));
  const program = buildProgram(interrupts.signal);
  let failure: unknown;
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    failure = error;
  }
  if (interrupts.signal.aborted) {
    // Exit only once the engine has stopped: its state is saved and its lock released.
    await interrupts.settled();
    if (!(failure instanceof InterruptedError)) {
      const what = failure instanceof DriverError ? failure.message : "the command stopped";
      failure = new InterruptedError(`interrupted: ${what}${what.includes(RERUN_CONTINUES) ? "" : `; ${RERUN_CONTINUES}`}`, { cause: failure });
    }
  }
  interrupts.dispose();
  return failure === undefined ? EXIT.ok : reportFailure(program, argv.slice(2), failure);
}

function reportFailure(program: Command, args: readonly string[], error: unknown): number {
  // The subcommand named on the command line (`provision`), else the program itself.
  const name = program.commands.find((command) => args.includes(command.name()))?.name() ?? program.name();
  const debug = args.includes("--debug");
  if (error instanceof CommanderError) {
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0) return EXIT.ok;
    const message = error.message
      .replace(/^error: /, "")
      .split("\n")
      .filter(Boolean)
      .join(" ");
    process.stderr.write(`${name}: ${message} (see ${name} --help)\n`);
    return EXIT.usage;
  }
  if (error instanceof PassthroughExit) return error.exitCode;
  if (error instanceof DriverError) {
    process.stderr.write(`${name}: ${error.message}\n`);
    if (debug) printDebug(error);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${name}: unexpected error: ${message}${debug ? "" : " (rerun with --debug for details)"}\n`);
  if (debug) printDebug(error);
  return EXIT.failed;
}

/** The error, its causes and their stacks (the engine's full output is in a CommandError's message). */
function printDebug(error: unknown): void {
  let current: unknown = error;
  while (current) {
    process.stderr.write(`\n${current instanceof Error ? (current.stack ?? current.message) : String(current)}\n`);
    current = current instanceof Error ? current.cause : undefined;
  }
}
