import { Argument, Command, Help, Option } from "commander";
import { OUTPUT_FORMATS, ROTATE_ACTIONS } from "../commands/choices";
import type { ProvisionResult } from "../commands/provision";
import { PassthroughExit } from "../errors";
import { cliContext, keepRunningUntilStopped } from "./terminal";

const STACK_ARGUMENT = "dev, staging, prod or local";

/*
 * The commands and reports, loaded when an action runs: they pull in the Automation API and the AWS
 * SDK, most of a second of start-up, which --help and a usage error do without.
 */
const load = {
  demo: () => require("../commands/demo") as typeof import("../commands/demo"),
  destroy: () => require("../commands/destroy") as typeof import("../commands/destroy"),
  outputs: () => require("../commands/outputs") as typeof import("../commands/outputs"),
  operatorPolicy: () => require("../commands/operatorPolicy") as typeof import("../commands/operatorPolicy"),
  provision: () => require("../commands/provision") as typeof import("../commands/provision"),
  pulumiPassthrough: () => require("../commands/pulumiPassthrough") as typeof import("../commands/pulumiPassthrough"),
  repair: () => require("../commands/repair") as typeof import("../commands/repair"),
  retireKey: () => require("../commands/retireKey") as typeof import("../commands/retireKey"),
  rotate: () => require("../commands/rotate") as typeof import("../commands/rotate"),
  verify: () => require("../commands/verify") as typeof import("../commands/verify"),
  reports: () => require("../verify/reports") as typeof import("../verify/reports"),
  compliance: () => require("../compliance") as typeof import("../compliance"),
  renderRotation: () => require("./renderRotation") as typeof import("./renderRotation"),
};

/**
 * The one CLI program, `talentbase-iam <command>`. Each action renders what its command returned and
 * throws what it threw (or the failure its result carries); runCli turns every error into one line
 * and an exit code.
 */
export function buildProgram(signal: AbortSignal): Command {
  const program = configure(new Command("talentbase-iam"))
    .description("Least-privilege IAM users for TalentBase's S3 uploads: provision, verify and hand over their keys")
    .option("--debug", "print stack traces, the engine's full output and evaluator notes", false);
  const debugOf = () => Boolean(program.opts()["debug"]);

  configure(program.command("provision"))
    .description("Create or update the backend IAM user, policy and access key of one or more stacks, then verify them")
    .argument("[stacks...]", "stacks to deploy: dev, staging, prod, local")
    .option("--all", "deploy dev, staging and prod (at once, lines labelled by stack; prod waits when it asks)", false)
    .option("--preview", "show what would change; change and verify nothing", false)
    .option("--refresh", "refresh the state from AWS first (repairs out-of-band changes)", false)
    .option("--yes", "do not ask before changing prod", false)
    .option("--json", "print one JSON document on stdout (progress goes to stderr)", false)
    .option("--skip-verify", "do not run the verification after deploying", false)
    .option("--adopt", "take over a user and policy that exist in IAM but not in the stack (made by setup-iam.sh)", false)
    .action(
      async (
        stacks: string[],
        flags: { all: boolean; preview: boolean; refresh: boolean; yes: boolean; json: boolean; skipVerify: boolean; adopt: boolean },
      ) => {
        const result = await load.provision().provision({ stacks, ...flags }, cliContext({ json: flags.json, debug: debugOf(), signal }));
        if (flags.json) process.stdout.write(`${JSON.stringify(toJsonDocument(result), null, 2)}\n`);
        if (result.failure) throw result.failure;
      },
    );

  configure(program.command("outputs"))
    .description("Print what the Django deploy consumes from a stack (the secret masked unless --show-secrets)")
    .argument("<stack>", STACK_ARGUMENT)
    .addOption(new Option("--format <format>", "json, or env with the django-storages variable names").choices(OUTPUT_FORMATS).default("json"))
    .option("--show-secrets", "include the secret access key in plain text", false)
    .option("--out <file>", "write to this file (created with mode 0600; must be ignored by git)")
    .option("--force", "replace the --out file if it exists", false)
    .action(async (stack: string, flags: { format: string; showSecrets: boolean; out?: string; force: boolean }) => {
      const result = await load.outputs().outputs({ stack, ...flags }, cliContext({ json: true, debug: debugOf(), signal }));
      if (result.writtenTo) process.stderr.write(`outputs: wrote ${result.writtenTo} (mode 0600)\n`);
      else process.stdout.write(result.text);
    });

  configure(program.command("verify"))
    .description("Check a deployed stack's IAM user, policy and key against AWS (no changes)")
    .argument("<stack>", STACK_ARGUMENT)
    .option("--json", "print the report as JSON", false)
    .option("--junit <file>", "also write a JUnit XML report")
    .option("--compliance", "judge the stack against the benchmarks' controls (CIS, Prowler, checkov, Security Hub) instead", false)
    .action(async (stack: string, flags: { json: boolean; junit?: string; compliance: boolean }) => {
      const debug = debugOf();
      const options = { stack, ...(flags.junit ? { junit: flags.junit } : {}) };
      const color = !flags.json && Boolean(process.stdout.isTTY) && !process.env["NO_COLOR"];
      if (flags.compliance) {
        const compliance = await load.verify().verifyCompliance(options, cliContext({ json: flags.json, debug, signal }));
        const { renderComplianceReport, toComplianceJson } = load.compliance();
        process.stdout.write(flags.json ? `${JSON.stringify(toComplianceJson(compliance), null, 2)}\n` : renderComplianceReport(compliance, { color }));
        if (compliance.findings.some((finding) => finding.status === "FAIL")) throw load.verify().complianceFailure(compliance);
        return;
      }
      const report = await load.verify().verify(options, cliContext({ json: flags.json, debug, signal }));
      process.stdout.write(
        flags.json ? `${JSON.stringify(load.reports().toJsonReport(report), null, 2)}\n` : load.reports().renderHumanReport(report, { color, debug }),
      );
      if (report.summary.FAIL > 0) throw load.verify().verificationFailure(report);
    });

  configure(program.command("rotate"))
    .description(
      "Rotate a stack's access key without downtime: start (new key, old one stays Active), finish (old key Inactive, then deleted), reactivate, status, auto (the one step the schedule calls for: for a nightly job); emergency: a leaked key cut off at once (new key, old one Inactive, the alert topic told)",
    )
    .argument("<stack>", STACK_ARGUMENT)
    .addArgument(new Argument("<action>", "what to do").choices(ROTATE_ACTIONS))
    .option("--yes", "do not ask before changing prod (or, for emergency, any stack but local)", false)
    .option("--force", "finish even though IAM shows the old key still in use", false)
    .option("--deactivate-only", "finish: stop once the old key is Inactive (reactivate undoes it)", false)
    .option("--json", "print the result as JSON (progress goes to stderr)", false)
    .action(async (stack: string, action: string, flags: { yes: boolean; force: boolean; deactivateOnly: boolean; json: boolean }) => {
      const result = await load.rotate().rotate({ stack, action, ...flags }, cliContext({ json: flags.json, debug: debugOf(), signal }));
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : load.renderRotation().renderRotateResult(result));
    });

  configure(program.command("retire-key"))
    .description(
      "Retire a key of the stack's user that the stack does not manage (adopted from setup-iam.sh, or unknown): checks it is unused, deactivates it, deletes it",
    )
    .argument("<stack>", STACK_ARGUMENT)
    .argument("<key-id>", "the access key id (AKIA...)")
    .option("--yes", "do not ask before changing prod", false)
    .option("--force", "retire it even though IAM shows it still in use", false)
    .option("--deactivate-only", "stop once the key is Inactive (--reactivate undoes it)", false)
    .option("--reactivate", "make a key paused with --deactivate-only Active again", false)
    .action(async (stack: string, keyId: string, flags: { yes: boolean; force: boolean; deactivateOnly: boolean; reactivate: boolean }) => {
      const result = await load.retireKey().retireKey({ stack, keyId, ...flags }, cliContext({ json: false, debug: debugOf(), signal }));
      process.stdout.write(result.nextSteps.map((step) => `${step}\n`).join(""));
    });

  configure(program.command("repair"))
    .description(
      "Put a stack back together after an interrupted or killed run: stale lock, torn state file, pending operations, orphaned key; then converge and verify",
    )
    .argument("<stack>", STACK_ARGUMENT)
    .option("--yes", "do not ask before changing prod", false)
    .option("--force-unlock", "also remove a lock taken on another machine (check nothing runs there)", false)
    .action(async (stack: string, flags: { yes: boolean; forceUnlock: boolean }) => {
      const result = await load.repair().repair({ stack, ...flags }, cliContext({ json: false, debug: debugOf(), signal }));
      process.stdout.write(`\nRepaired stack ${result.stack}${result.repairs.length === 0 ? " (nothing was broken)" : ""}; it is converged and verified.\n`);
    });

  configure(program.command("pulumi"))
    .description("Run the pinned Pulumi CLI on a stack in the environment our commands use (for local: the sandbox's backend, passphrase and plugin)")
    .argument("<stack>", STACK_ARGUMENT)
    .argument("[args...]", "the Pulumi CLI's arguments, e.g. config set talentbase-iam:protect false")
    .allowUnknownOption()
    .action(async (stack: string, args: string[]) => {
      const code = await load.pulumiPassthrough().pulumiPassthrough({ stack, args }, cliContext({ json: false, debug: debugOf(), signal }));
      if (code !== 0) throw new PassthroughExit(code);
    });

  configure(program.command("destroy"))
    .description("Delete a stack's IAM user, its group, policy and access key (and the credentials secret, where it keeps one)")
    .argument("<stack>", STACK_ARGUMENT)
    .option("--yes", "do not ask for confirmation", false)
    .action(async (stack: string, flags: { yes: boolean }) => {
      await load.destroy().destroy({ stack, yes: flags.yes }, cliContext({ json: false, debug: debugOf(), signal }));
    });

  configure(program.command("operator-policy"))
    .description("Print the IAM policy the operator and the deploy pipeline need for a stack: its own names only, derived from what the commands call")
    .argument("<stack>", STACK_ARGUMENT)
    .option("--account <id>", "the stack's AWS account (default: the account of your credentials, one STS call)")
    .option("--out <file>", "also write the policy to this file")
    .action(async (stack: string, flags: { account?: string; out?: string }) => {
      const result = await load.operatorPolicy().operatorPolicy({ stack, ...flags }, cliContext({ json: true, debug: debugOf(), signal }));
      process.stdout.write(`${JSON.stringify(result.policy, null, 2)}\n`);
      if (result.writtenTo) process.stderr.write(`operator-policy: wrote ${result.writtenTo}\n`);
    });

  configure(program.command("demo"))
    .description("Provision and verify the local stack against moto, with no AWS account needed")
    .option("--keep-running", "leave moto up afterwards (until Enter; without a terminal, until SIGINT or SIGTERM) to try the local stack's commands", false)
    .action(async (flags: { keepRunning: boolean }) => {
      const result = await load
        .demo()
        .demo(flags.keepRunning ? { keepRunning: keepRunningUntilStopped(signal) } : {}, cliContext({ json: false, debug: debugOf(), signal }));
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
      optionDescription: (option) => (option.isBoolean() && option.defaultValue === false ? option.description : new Help().optionDescription(option)),
    });
}

/** The machine-readable result: per stack its change summary, outputs (secret masked) and verification. */
function toJsonDocument(result: ProvisionResult) {
  return {
    exitCode: result.exitCode,
    stacks: result.stacks.map(({ failure: _failure, ...stack }) => stack),
  };
}
