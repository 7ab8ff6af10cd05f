import { Command, CommanderError, Help } from "commander";
import { ConfigError } from "../../infra/config";
import { defaultCommandContext, type CommandContext } from "../commands/commandContext";
import { DriverError, EXIT } from "../commands/errors";
import { PulumiCliMissingError } from "../toolchain/pulumiCli";

// The lockfile pins the AWS SDK, so its notice that releases after January 2027 need Node 22 only
// clutters every command's output; the README says so instead. Clients read this at construction.
process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] ??= "true";

/**
 * A commander program that rejects unknown flags and extra arguments, and reports a parse error
 * as one line with exit code 2 instead of printing help.
 */
export function createCli(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ outputError: () => undefined })
    .configureHelp({
      // "(default: false)" after every on/off flag says nothing.
      optionDescription: (option) =>
        option.isBoolean() && option.defaultValue === false ? option.description : new Help().optionDescription(option),
    });
}

/** Where output goes: with --json only the JSON document may reach stdout. */
export function cliContext(json: boolean): CommandContext {
  const progressStream = json ? process.stderr : process.stdout;
  return defaultCommandContext({
    progress: (text) => progressStream.write(text),
    report: (text) => progressStream.write(text),
    color: Boolean(progressStream.isTTY) && !process.env["NO_COLOR"],
  });
}

/**
 * Parses argv and runs the command's action, then ends the process with the action's exit code.
 * Known failures print one sentence; anything else its message, and stack traces only with --debug.
 */
export async function runCli(program: Command, argv: readonly string[] = process.argv): Promise<never> {
  let code: number;
  try {
    await program.parseAsync([...argv]);
    code = Number(process.exitCode ?? EXIT.ok);
  } catch (error) {
    code = reportFailure(program.name(), error, argv.includes("--debug"));
  }
  process.exit(code);
}

function reportFailure(name: string, error: unknown, debug: boolean): number {
  if (error instanceof CommanderError) {
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0) return EXIT.ok;
    const message = error.message.replace(/^error: /, "").split("\n").filter(Boolean).join(" ");
    process.stderr.write(`${name}: ${message} (see ${name} --help)\n`);
    return EXIT.usage;
  }
  if (error instanceof DriverError || error instanceof ConfigError || error instanceof PulumiCliMissingError) {
    process.stderr.write(`${name}: ${error.message}\n`);
    if (debug) printDebug(error);
    return error instanceof DriverError ? error.exitCode : EXIT.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${name}: unexpected error: ${message}${debug ? "" : " (rerun with --debug for details)"}\n`);
  if (debug) printDebug(error);
  return EXIT.failed;
}

/** The error, its causes and their stacks (the engine's full output is in a CommandError's message). */
export function printDebug(error: unknown): void {
  let current: unknown = error;
  while (current) {
    process.stderr.write(`\n${current instanceof Error ? current.stack ?? current.message : String(current)}\n`);
    current = current instanceof Error ? current.cause : undefined;
  }
}
