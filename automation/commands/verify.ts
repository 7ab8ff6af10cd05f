import type { CommandContext } from "../context";
import { readDeployedOutputs } from "../stacks/openStack";
import { prepareStack } from "../stacks/prepareStack";
import { parseStackName } from "../stacks/stackSelection";
import { verifyDeployment } from "../stacks/verifyDeployment";
import { writeJunitReport, type VerificationReport } from "../verify";

export interface VerifyOptions {
  readonly stack: string;
  /** Also write a JUnit XML report here (for CI). */
  readonly junit?: string;
}

/** Verification only: reads the deployed outputs (secret included, never printed) and checks AWS. */
export async function verify(options: VerifyOptions, context: CommandContext): Promise<VerificationReport> {
  const stack = parseStackName(options.stack);
  const prepared = await prepareStack(stack, context, true);
  const { outputs, secretValues } = await readDeployedOutputs(stack, { paths: context.paths, endpoint: prepared.endpoint });
  const report = await verifyDeployment({ prepared, outputs, secretValues, signal: context.signal });
  if (options.junit) await writeJunitReport(report, options.junit);
  return report;
}
