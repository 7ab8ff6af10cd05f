import { destroy } from "../commands/destroy";
import { cliContext, createCli, runCli } from "./runCli";

const program = createCli("destroy", "Delete a stack's IAM user, policy, attachment and access key")
  .argument("<stack>", "dev, staging, prod or local")
  .option("--yes", "do not ask for confirmation", false)
  .option("--debug", "print stack traces and the engine's full output on failure", false)
  .action(async (stack: string, flags: { yes: boolean }) => {
    await destroy({ stack, yes: flags.yes }, cliContext(false));
  });

void runCli(program);
