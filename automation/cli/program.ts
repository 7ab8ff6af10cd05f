import { Command, Help, Option } from "commander";
import { demo } from "../commands/demo";
import { destroy } from "../commands/destroy";
import { OUTPUT_FORMATS, outputs } from "../commands/outputs";
import { provision, type ProvisionResult } from "../commands/provision";
import { verificationFailure, verify } from "../commands/verify";
import { renderHumanReport, toJsonReport } from "../verify";
import { cliContext, untilEnterPressed } from "./terminal";

const STACK_ARGUMENT = "dev, staging, prod or local";

/**
 * The one CLI program, `talentbase-iam <command>`. Each action renders what its command returned and
 * throws what it threw (or the failure its result carries); runCli turns every error into one line
 * and an exit code.
 */
export function buildProgram(): Command {
  const program = configure(new Command("talentbase-iam"))
    .description("Least-privilege IAM users for TalentBase's S3 uploads: provision, verify and hand over their keys")
    .option("--debug", "print stack traces, the engine's full output and evaluator notes", false);
  const debugOf = () => Boolean(program.opts()["debug"]);

  configure(program.command("provision"))
    .description("Create or update the backend IAM user, policy and access key of one or more stacks, then verify them")
    .argument("[stacks...]", "stacks to deploy: dev, staging, prod, local")
    .option("--all", "deploy dev, staging and prod, one after another", false)
    .option("--preview", "show what would change; change and verify nothing", false)
    .option("--refresh", "refresh the state from AWS first (repairs out-of-band changes)", false)
    .option("--yes", "do not ask before changing prod", false)
    .option("--json", "print one JSON document on stdout (progress goes to stderr)", false)
    .option("--skip-verify", "do not run the verification after deploying", false)
    .action(async (stacks: string[], flags: { all: boolean; preview: boolean; refresh: boolean; yes: boolean; json: boolean; skipVerify: boolean }) => {
      const result = await provision({ stacks, ...flags }, cliContext({ json: flags.json, debug: debugOf() }));
      if (flags.json) process.stdout.write(JSON.stringify(toJsonDocument(result), null, 2) + "\n");
      if (result.failure) throw result.failure;
    });

  configure(program.command("outputs"))
    .description("Print what the Django deploy consumes from a stack (the secret masked unless --show-secrets)")
    .argument("<stack>", STACK_ARGUMENT)
    .addOption(new Option("--format <format>", "json, or env with the django-storages variable names").choices(OUTPUT_FORMATS).default("json"))
    .option("--show-secrets", "include the secret access key in plain text", false)
    .option("--out <file>", "write to this file (created with mode 0600; must be ignored by git)")
    .option("--force", "replace the --out file if it exists", false)
    .action(async (stack: string, flags: { format: string; showSecrets: boolean; out?: string; force: boolean }) => {
      const result = await outputs({ stack, ...flags }, cliContext({ json: true, debug: debugOf() }));
      if (result.writtenTo) process.stderr.write(`outputs: wrote ${result.writtenTo} (mode 0600)\n`);
      else process.stdout.write(result.text);
    });

  configure(program.command("verify"))
    .description("Check a deployed stack's IAM user, policy and key against AWS (no changes)")
    .argument("<stack>", STACK_ARGUMENT)
    .option("--json", "print the report as JSON", false)
    .option("--junit <file>", "also write a JUnit XML report")
    .action(async (stack: string, flags: { json: boolean; junit?: string }) => {
      const debug = debugOf();
      const report = await verify({ stack, ...(flags.junit ? { junit: flags.junit } : {}) }, cliContext({ json: flags.json, debug }));
      const color = !flags.json && Boolean(process.stdout.isTTY) && !process.env["NO_COLOR"];
      process.stdout.write(flags.json ? JSON.stringify(toJsonReport(report), null, 2) + "\n" : renderHumanReport(report, { color, debug }));
      if (report.summary.FAIL > 0) throw verificationFailure(report);
    });

  configure(program.command("destroy"))
    .description("Delete a stack's IAM user, policy, attachment and access key")
    .argument("<stack>", STACK_ARGUMENT)
    .option("--yes", "do not ask for confirmation", false)
    .action(async (stack: string, flags: { yes: boolean }) => {
      await destroy({ stack, yes: flags.yes }, cliContext({ json: false, debug: debugOf() }));
    });

  configure(program.command("demo"))
    .description("Provision and verify the local stack against moto, with no AWS account needed")
    .option("--keep-running", "leave moto up afterwards (until Enter) to try the local stack's commands", false)
    .action(async (flags: { keepRunning: boolean }) => {
      const result = await demo(flags.keepRunning ? { keepRunningUntil: untilEnterPressed } : {}, cliContext({ json: false, debug: debugOf() }));
      if (result.failure) throw result.failure;
    });

  return program;
}

/** Rejects unknown flags and extra arguments; a parse error becomes one line (runCli), never the help text. */
function configure(command: Command): Command {
  return command
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ outputError: () => undefined })
    .configureHelp({
      showGlobalOptions: true,
      // "(default: false)" after every on/off flag says nothing.
      optionDescription: (option) =>
        option.isBoolean() && option.defaultValue === false ? option.description : new Help().optionDescription(option),
    });
}

/** The machine-readable result: per stack its change summary, outputs (secret masked) and verification. */
function toJsonDocument(result: ProvisionResult) {
  return {
    exitCode: result.exitCode,
    stacks: result.stacks.map(({ failure: _failure, ...stack }) => stack),
  };
}
