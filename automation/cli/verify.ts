import { verify } from "../commands/verify";
import { exitCodeFor, renderHumanReport, toJsonReport } from "../verify";
import { cliContext, createCli, runCli } from "./runCli";

const program = createCli("verify", "Check a deployed stack's IAM user, policy and key against AWS (no changes)")
  .argument("<stack>", "dev, staging, prod or local")
  .option("--json", "print the report as JSON", false)
  .option("--junit <file>", "also write a JUnit XML report")
  .option("--debug", "print stack traces on failure", false)
  .action(async (stack: string, flags: { json: boolean; junit?: string }) => {
    const report = await verify({ stack, ...(flags.junit ? { junit: flags.junit } : {}) }, cliContext(flags.json));
    process.stdout.write(flags.json ? JSON.stringify(toJsonReport(report), null, 2) + "\n" : renderHumanReport(report));
    process.exitCode = exitCodeFor(report);
  });

void runCli(program);
