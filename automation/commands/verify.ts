import type { CommandContext } from "../context";
import { VerificationFailedError } from "../errors";
import { checkReportFileTarget, writeReportFile } from "../files/reportFile";
import { readDeployedOutputs, stackTarget } from "../stacks/openStack";
import { checkStack, preflightStack } from "../stacks/prepareStack";
import { verificationFailedMessage } from "../stacks/refreshHints";
import { parseStackName } from "../stacks/stackSelection";
import { verifyDeployment } from "../stacks/verifyDeployment";
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
  // The outputs come from the state, not from AWS: read them (half a second of CLI) while the preflight runs.
  const reading = readDeployedOutputs(await stackTarget(stack, context.paths, context.env["AWS_ENDPOINT_URL"] || undefined), true);
  reading.catch(() => undefined);
  const prepared = await preflightStack(checked, context);
  const { outputs, secretValues } = await reading;
  const report = await verifyDeployment({ prepared, outputs, secretValues, signal: context.signal });
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
