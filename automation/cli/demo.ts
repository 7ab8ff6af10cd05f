import { createInterface } from "node:readline";
import { demo } from "../commands/demo";
import { cliContext, createCli, printDebug, runCli } from "./runCli";

const program = createCli("demo", "Provision and verify the local stack against moto, with no AWS account needed")
  .option("--keep-running", "leave moto up afterwards (until Enter) to try the local stack's commands", false)
  .option("--debug", "print stack traces and the engine's full output on failure", false)
  .action(async (flags: { keepRunning: boolean; debug: boolean }) => {
    const result = await demo(flags.keepRunning ? { keepRunningUntil: untilEnterPressed } : {}, cliContext(false));
    if (result.run.error) {
      process.stderr.write(`demo: ${result.run.error.message}\n`);
      if (flags.debug && result.run.failure) printDebug(result.run.failure);
    }
    process.exitCode = result.exitCode;
  });

/** Resolves on the first line (or end) of stdin. */
function untilEnterPressed(): Promise<void> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin });
    const done = () => {
      lines.close();
      resolve();
    };
    lines.once("line", done);
    lines.once("close", resolve);
  });
}

void runCli(program);
