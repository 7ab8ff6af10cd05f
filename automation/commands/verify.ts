import type { CommandContext } from "../context";
import { VerificationFailedError } from "../errors";
import { checkReportFileTarget, writeReportFile } from "../files/reportFile";
import { readDeployedOutputs } from "../stacks/openStack";
import { prepareStack } from "../stacks/prepareStack";
import { verificationFailedMessage } from "../stacks/refreshHints";
import { parseStackName } from "../stacks/stackSelection";
import { verifyDeployment } from "../stacks/verifyDeployment";
import { buildJunitXml, type VerificationReport } from "../verify";

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
  const prepared = await prepareStack(stack, context, true);
  const { outputs, secretValues } = await readDeployedOutputs(stack, { paths: context.paths, endpoint: prepared.endpoint });
  const report = await verifyDeployment({ prepared, outputs, secretValues, signal: context.signal });
  if (options.junit) await writeReportFile(options.junit, buildJunitXml(report));
  return report;
}

/** The failure a report with FAILs ends in, saying when `provision --refresh` repairs it (verify never refreshes). */
export function verificationFailure(report: VerificationReport): VerificationFailedError {
  return new VerificationFailedError(verificationFailedMessage(report, { stack: report.stack, refreshed: false }));
}
