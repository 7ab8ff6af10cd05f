import * as pulumi from "@pulumi/pulumi";

/** @pulumi/pulumi/cmd/run's exit code for "the error was already shown": the host then adds nothing. */
const EXIT_AFTER_REPORTED_ERROR = 32;

/**
 * Stops the program with `message` as its one error. Under the engine it logs the message and exits
 * at once: the Node SDK turns an async program's rejection into an error only after formatting it
 * and its promise graph, which was measured here at 12 to 25 s of CPU per failed preview. Anywhere
 * else (unit tests under mocks) it throws a RunError, which the engine would show the same way.
 */
export async function failWithReportedError(message: string): Promise<never> {
  // Set by @pulumi/pulumi/cmd/run only, i.e. when the engine's language host runs the program.
  if (process.env["PULUMI_NODEJS_MONITOR"] === undefined) throw new pulumi.RunError(message);
  await pulumi.log.error(message);
  process.exit(EXIT_AFTER_REPORTED_ERROR);
}
