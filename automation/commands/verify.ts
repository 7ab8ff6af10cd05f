import type { CommandContext } from "../context";
import { DeploymentError, VerificationFailedError } from "../errors";
import { checkReportFileTarget, writeReportFile } from "../files/reportFile";
import { readDeployedOutputs, stackTarget } from "../stacks/openStack";
import { checkStack, preflightStack } from "../stacks/prepareStack";
import { verificationFailedMessage } from "../stacks/refreshHints";
import { parseStackName } from "../stacks/stackSelection";
import type { VerificationReport } from "../verify";

export interface VerifyOptions {
  readonly stack: string;
  /** Also write a JUnit XML report here (for CI). */
  readonly junit?: string;
}

/** Verification only: reads the deployed outputs (secret included, never printed) and checks AWS. */
export async function verify(options: VerifyOptions, context: CommandContext): Promise<VerificationReport> {
  const stack = parseStackName(options.stack);
  // Like outputs --out: a path the report cannot be written to is refused before any AWS call.
  if (options.junit) await checkReportFileTarget(options.junit);
  const checked = await checkStack(stack, context);
  // The outputs come from the state, not from AWS. Two reads start while the preflight runs: the
  // masked outputs (the backend's files, milliseconds) and the secret key (half a second of CLI: its
  // decryption), which only the checks signing with the user's key wait for.
  const target = await stackTarget(stack, context.paths, context.env["AWS_ENDPOINT_URL"] || undefined);
  const masked = readDeployedOutputs(target, false);
  const revealed = readDeployedOutputs(target, true);
  for (const pending of [masked, revealed]) pending.catch(() => undefined);
  const prepared = await preflightStack(checked, context);
  // Loaded now that the CLI is running (the reads got going while the preflight waited on AWS): the
  // checks and their SDK clients take a quarter of a second of this process to load.
  const { verifyDeployment } = require("../stacks/verifyDeployment") as typeof import("../stacks/verifyDeployment");
  const { outputs } = await masked;
  const secret = revealed.then((read) => {
    if (read.outputs.accessKeyId !== outputs.accessKeyId) {
      throw new DeploymentError("concurrent-update", `stack ${stack} changed while it was being read (its key is now ${read.outputs.accessKeyId}): run the same command again`);
    }
    return read;
  });
  const report = await verifyDeployment({
    prepared,
    outputs,
    secretAccessKey: secret.then((read) => read.outputs.secretAccessKey),
    secretValues: secret.then((read) => read.secretValues),
    signal: context.signal,
  });
  if (options.junit) {
    const { buildJunitXml } = require("../verify/report/junit") as typeof import("../verify/report/junit");
    await writeReportFile(options.junit, buildJunitXml(report));
  }
  return report;
}

/** The failure a report with FAILs ends in, saying when `provision --refresh` repairs it (verify never refreshes). */
export function verificationFailure(report: VerificationReport): VerificationFailedError {
  return new VerificationFailedError(verificationFailedMessage(report, { stack: report.stack, refreshed: false }));
}
