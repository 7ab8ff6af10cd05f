import { openStack } from "../stacks/openStack";
import { parseStackName } from "../stacks/stackSelection";
import { writeJunitReport, type VerificationReport } from "../verify";
import type { CommandContext } from "./commandContext";
import { toStackOutputs } from "./deployedOutputs";
import { classifyEngineError } from "./knownFailures";
import { prepareStack } from "./prepareStack";
import { verifyDeployment } from "./verifyDeployment";

export interface VerifyOptions {
  readonly stack: string;
  /** Also write a JUnit XML report here (for CI). */
  readonly junit?: string;
}

/** Verification only: reads the deployed outputs (secret included, never printed) and checks AWS. */
export async function verify(options: VerifyOptions, context: CommandContext): Promise<VerificationReport> {
  const stack = parseStackName(options.stack);
  const { settings, endpoint } = await prepareStack(stack, context, true);
  let deployed;
  try {
    deployed = toStackOutputs(stack, await (await openStack(stack, { paths: context.paths, endpoint, create: false })).outputs());
  } catch (error) {
    throw classifyEngineError(stack, "reading the outputs", error);
  }
  const report = await verifyDeployment(stack, deployed, settings, endpoint);
  if (options.junit) await writeJunitReport(report, options.junit);
  return report;
}
