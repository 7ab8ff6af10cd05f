import type { Environment } from "../../infra/config";
import type { CommandContext } from "../context";
import type { ChangeCounts } from "../engine/changeSummary";
import { deployTakeover } from "../adoption/adopt";
import { recoverStack } from "../recovery/recoverStack";
import { writeRotationConfig } from "../rotation/rotationConfig";
import { openStackSession } from "../session/stackSession";
import type { JsonReport } from "../verify/reports";

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
  const session = await openStackSession(options.stack, context, { operation: "repair", yes: options.yes });
  const { stack } = session;
  try {
    context.io.report(`\n== Repairing stack ${stack} ==\n`);
    const recovered = await recoverStack(session, context, { forceUnlock: options.forceUnlock }, (repair) => context.io.report(`- ${repair}\n`));
    if (recovered.repairs.length === 0) context.io.report("- nothing was broken; refreshing and converging\n");

    const deployed = await deployTakeover(session, recovered.importIds, { refresh: true, question: "Apply the repair to prod?" }, context);
    const { outputs, secretValues } = session.deployedOutputs(deployed);
    // A rotation stopped while finishing: the update just deleted the old key, so the stack is judged as idle.
    const { accessKeySlot, rotation } = session.settings;
    const finishing = rotation === "finishing";
    context.io.report(`\nVerifying stack ${stack}...\n`);
    const { report, failure } = await session.verifyAndReport(outputs, {
      secretValues,
      ...(finishing ? { settings: { ...session.settings, rotation: "idle" as const } } : {}),
      failure: ({ summary }) =>
        `stack ${stack} was repaired and converged, but verification failed (${summary.FAIL} of ${summary.total} checks): see the report above`,
    });
    if (failure) throw failure;
    const repairs = [...recovered.repairs];
    if (finishing) {
      await writeRotationConfig(session.target, accessKeySlot, "idle");
      const completed = `the key rotation was finishing: the old key is deleted and the rotation is complete (commit Pulumi.${stack}.yaml)`;
      context.io.report(`- ${completed}\n`);
      repairs.push(completed);
    }
    return { stack, repairs, changes: deployed.changes, verification: report };
  } finally {
    session.close();
  }
}
