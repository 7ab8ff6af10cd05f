import { provision, type ProvisionResult } from "../commands/provision";
import { cliContext, createCli, printDebug, runCli } from "./runCli";

const program = createCli("provision", "Create or update the backend IAM user, policy and access key of one or more stacks, then verify them")
  .argument("[stacks...]", "stacks to deploy: dev, staging, prod, local")
  .option("--all", "deploy dev, staging and prod, one after another", false)
  .option("--preview", "show what would change; change and verify nothing", false)
  .option("--refresh", "refresh the state from AWS first (repairs out-of-band changes)", false)
  .option("--yes", "do not ask before changing prod", false)
  .option("--json", "print one JSON document on stdout (progress goes to stderr)", false)
  .option("--skip-verify", "do not run the verification after deploying", false)
  .option("--debug", "print stack traces and the engine's full output on failure", false)
  .action(async (stacks: string[], flags: { all: boolean; preview: boolean; refresh: boolean; yes: boolean; json: boolean; skipVerify: boolean; debug: boolean }) => {
    const result = await provision({ stacks, ...flags }, cliContext(flags.json));
    if (flags.json) process.stdout.write(JSON.stringify(toJsonDocument(result), null, 2) + "\n");
    for (const failed of result.stacks.filter((stack) => stack.error)) {
      process.stderr.write(`provision: ${failed.error?.message}\n`);
      if (flags.debug && failed.failure) printDebug(failed.failure);
    }
    process.exitCode = result.exitCode;
  });

/** The machine-readable result: per stack its change summary, masked outputs and verification. */
function toJsonDocument(result: ProvisionResult) {
  return {
    exitCode: result.exitCode,
    stacks: result.stacks.map(({ failure: _failure, ...stack }) => stack),
  };
}

void runCli(program);
