import { Option } from "commander";
import { OUTPUT_FORMATS, outputs } from "../commands/outputs";
import { cliContext, createCli, runCli } from "./runCli";

const program = createCli("outputs", "Print what the Django deploy consumes from a stack (the secret masked unless --show-secrets)")
  .argument("<stack>", "dev, staging, prod or local")
  .addOption(new Option("--format <format>", "json, or env with the django-storages variable names").choices(OUTPUT_FORMATS).default("json"))
  .option("--show-secrets", "include the secret access key in plain text", false)
  .option("--out <file>", "write to this file (created with mode 0600; must be ignored by git)")
  .option("--force", "replace the --out file if it exists", false)
  .option("--debug", "print stack traces on failure", false)
  .action(async (stack: string, flags: { format: string; showSecrets: boolean; out?: string; force: boolean }) => {
    const result = await outputs({ stack, ...flags }, cliContext(true));
    if (result.writtenTo) process.stderr.write(`outputs: wrote ${result.writtenTo} (mode 0600)\n`);
    else process.stdout.write(result.text);
  });

void runCli(program);
