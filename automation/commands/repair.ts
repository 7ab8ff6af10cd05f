import type { Environment } from "../../infra/config";
import { requireWayToConfirm } from "../confirm";
import type { CommandContext } from "../context";
import { VerificationFailedError } from "../errors";
import { recoverStack } from "../stacks/recoverStack";
import type { ChangeCounts } from "../stacks/changeSummary";
import { secretValuesOf, toDeployedOutputs } from "../stacks/deployedOutputs";
import { deployStack } from "../stacks/deployStack";
import { checkStack, preflightStack } from "../stacks/prepareStack";
import { parseStackName } from "../stacks/stackSelection";
import { verifyDeployment } from "../stacks/verifyDeployment";
import { renderHumanReport, toJsonReport, type JsonReport } from "../verify/reports";

export interface RepairOptions {
  readonly stack: string;
  readonly yes: boolean;
  /** Remove a lock taken on another machine, which cannot be checked from here. */
  readonly forceUnlock: boolean;
}

export interface RepairResult {
  readonly stack: Environment;
  /** Each repair made, a sentence each. */
  readonly repairs: readonly string[];
  readonly changes: ChangeCounts;
  readonly verification: JsonReport;
}

/**
 * One command that puts a stack back together after an interrupted or killed run, with no Pulumi
 * knowledge needed (recoverStack says how), then refreshes the state from AWS, converges the stack
 * with a normal update, and verifies it.
 */
export async function repair(options: RepairOptions, context: CommandContext): Promise<RepairResult> {
  const stack = parseStackName(options.stack);
  const checked = await checkStack(stack, context);
  if (stack === "prod") requireWayToConfirm("repairing prod", options.yes, context.prompter);
  const prepared = await preflightStack(checked, context);
  context.io.report(`\n== Repairing stack ${stack} ==\n`);
  const recovered = await recoverStack(prepared, context, { forceUnlock: options.forceUnlock }, (repair) => context.io.report(`- ${repair}\n`));
  if (recovered.repairs.length === 0) context.io.report("- nothing was broken; refreshing and converging\n");

  const deployed = await deployStack(
    recovered.target,
    { yes: options.yes, refresh: true, importIds: recovered.importIds, question: "Apply the repair to prod?" },
    context,
  );
  const outputs = toDeployedOutputs(stack, deployed.outputs);
  context.io.report(`\nVerifying stack ${stack}...\n`);
  const report = await verifyDeployment({ prepared, outputs, secretValues: secretValuesOf(deployed.outputs), signal: context.signal });
  context.io.report("\n" + renderHumanReport(report, { color: context.io.color, debug: context.debug }));
  if (report.summary.FAIL > 0) {
    throw new VerificationFailedError(`stack ${stack} was repaired and converged, but verification failed (${report.summary.FAIL} of ${report.summary.total} checks): see the report above`);
  }
  return { stack, repairs: recovered.repairs, changes: deployed.changes, verification: toJsonReport(report) };
}
