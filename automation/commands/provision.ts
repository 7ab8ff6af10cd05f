import type { Stack } from "@pulumi/pulumi/automation";
import type { Environment } from "../../infra/config";
import { confirmOrAbort, requireWayToConfirm } from "../confirm";
import type { CommandContext } from "../context";
import { DeploymentError, DriverError, EXIT, VerificationFailedError, type ExitCode } from "../errors";
import { formatChangeSummary, hasChanges, type ChangeCounts } from "../stacks/changeSummary";
import { secretValuesOf, toDeployedOutputs, type DeployedOutputs } from "../stacks/deployedOutputs";
import { readDeploymentState } from "../stacks/deploymentState";
import { classifyEngineError, pendingOperationsFailure } from "../stacks/knownFailures";
import { openStack } from "../stacks/openStack";
import { checkStack, preflightStack, type CheckedStack, type PreparedStack } from "../stacks/prepareStack";
import { verificationFailedMessage } from "../stacks/refreshHints";
import { parseStackSelection } from "../stacks/stackSelection";
import { verifyDeployment } from "../stacks/verifyDeployment";
import { renderHumanReport, toJsonReport, type JsonReport } from "../verify";

export interface ProvisionOptions {
  /** Stack names as given on the command line; checked here. */
  readonly stacks: readonly string[];
  /** Adds dev, staging and prod. */
  readonly all: boolean;
  /** Preview only: change nothing, verify nothing. */
  readonly preview: boolean;
  /** Refresh the state from AWS first, so out-of-band changes are repaired. */
  readonly refresh: boolean;
  /** Skip the confirmation prod asks for. */
  readonly yes: boolean;
  readonly skipVerify: boolean;
}

export type StackRunStatus = "succeeded" | "failed" | "not-run";

/** What happened to one stack; the `--json` document holds one per stack. */
export interface StackRunResult {
  readonly stack: Environment;
  readonly operation: "update" | "preview";
  readonly status: StackRunStatus;
  readonly changes?: ChangeCounts;
  /** Every output; the secret prints as [secret]. */
  readonly outputs?: DeployedOutputs;
  /** null when verification was skipped (preview, --skip-verify). */
  readonly verification?: JsonReport | null;
  readonly error?: { readonly kind: string; readonly message: string };
  /** The error behind `error`, with its engine output and stack, for --debug. */
  readonly failure?: DriverError;
  readonly exitCode: ExitCode;
}

export interface ProvisionResult {
  readonly stacks: readonly StackRunResult[];
  readonly exitCode: ExitCode;
  /** The failure that stopped the run, when a stack failed. */
  readonly failure?: DriverError;
}

/**
 * Deploys the stacks one after another: everything is validated first (names, config,
 * credentials, endpoints, a way to confirm prod), then each stack is previewed or updated and
 * verified. The first failing stack stops the run; later stacks are reported as not run.
 */
export async function provision(options: ProvisionOptions, context: CommandContext): Promise<ProvisionResult> {
  const stacks = parseStackSelection(options.stacks, options.all);
  const checked: CheckedStack[] = [];
  for (const stack of stacks) checked.push(await checkStack(stack, context));
  if (!options.preview && stacks.includes("prod")) requireWayToConfirm("changing prod", options.yes, context.prompter);
  const prepared: PreparedStack[] = [];
  for (const stack of checked) prepared.push(await preflightStack(stack, context));

  const results: StackRunResult[] = [];
  let failed = false;
  for (const target of prepared) {
    const operation = options.preview ? "preview" : "update";
    if (failed) {
      results.push({ stack: target.stack, operation, status: "not-run", exitCode: EXIT.failed });
      continue;
    }
    const result = await provisionOne(target, options, context);
    results.push(result);
    failed = result.status === "failed";
  }
  if (results.length > 1) context.io.report(renderCombinedSummary(results));
  const failure = results.find((result) => result.failure)?.failure;
  return { stacks: results, exitCode: failure?.exitCode ?? EXIT.ok, ...(failure ? { failure } : {}) };
}

async function provisionOne(target: PreparedStack, options: ProvisionOptions, context: CommandContext): Promise<StackRunResult> {
  const { stack, settings, endpoint } = target;
  const { io } = context;
  const operation = options.preview ? "preview" : "update";
  const engineOptions = { refresh: options.refresh, color: io.color ? ("always" as const) : ("never" as const), onOutput: io.progress };
  let changes: ChangeCounts | undefined;
  try {
    io.report(`\n== ${operation === "preview" ? "Previewing" : "Provisioning"} stack ${stack} ==\n`);
    const pulumiStack = await openStack(stack, { paths: context.paths, endpoint, create: true });
    if (options.preview) {
      changes = (await pulumiStack.preview(engineOptions)).changeSummary;
      io.report(`Preview of ${stack}: ${formatChangeSummary(changes)}\n`);
      return { stack, operation, status: "succeeded", changes, verification: null, exitCode: EXIT.ok };
    }
    await refuseInterruptedState(stack, pulumiStack);
    if (stack === "prod") await confirmProdChanges(pulumiStack, options, context, engineOptions);

    const up = await pulumiStack.up(engineOptions);
    changes = up.summary.resourceChanges ?? {};
    io.report(`Changes to ${stack}: ${formatChangeSummary(changes)}\n`);
    const outputs = toDeployedOutputs(stack, up.outputs);
    if (options.skipVerify) {
      return { stack, operation, status: "succeeded", changes, outputs, verification: null, exitCode: EXIT.ok };
    }
    const report = await verifyDeployment({ stack, outputs, secretValues: secretValuesOf(up.outputs), settings, endpoint });
    io.report("\n" + renderHumanReport(report, { color: io.color, debug: context.debug }));
    const verification = toJsonReport(report);
    if (report.summary.FAIL === 0) return { stack, operation, status: "succeeded", changes, outputs, verification, exitCode: EXIT.ok };
    const failure = new VerificationFailedError(verificationFailedMessage(report, { stack, refreshed: options.refresh }));
    return {
      stack,
      operation,
      status: "failed",
      changes,
      outputs,
      verification,
      error: { kind: "verification-failed", message: failure.message },
      failure,
      exitCode: failure.exitCode,
    };
  } catch (error) {
    const known = error instanceof DriverError ? error : classifyEngineError(stack, operation, error);
    return {
      stack,
      operation,
      status: "failed",
      ...(changes ? { changes } : {}),
      error: { kind: known instanceof DeploymentError ? known.kind : known.name, message: known.message },
      failure: known,
      exitCode: known.exitCode,
    };
  }
}

/** An interrupted update's leftovers would be carried into this one: stop and say how to repair. */
async function refuseInterruptedState(stack: Environment, pulumiStack: Stack): Promise<void> {
  const state = await readDeploymentState(pulumiStack);
  if (state.pendingOperations.length > 0) throw pendingOperationsFailure(stack, state.pendingOperations);
}

/** Shows what prod would change and asks; a run that changes nothing needs no answer. */
async function confirmProdChanges(
  pulumiStack: Stack,
  options: ProvisionOptions,
  context: CommandContext,
  engineOptions: { refresh: boolean; color: "always" | "never"; onOutput: (text: string) => void },
): Promise<void> {
  if (options.yes) return;
  const preview = await pulumiStack.preview(engineOptions);
  context.io.report(`Preview of prod: ${formatChangeSummary(preview.changeSummary)}\n`);
  if (!hasChanges(preview.changeSummary)) return;
  await confirmOrAbort("Apply these changes to prod?", false, context.prompter);
}

function renderCombinedSummary(results: readonly StackRunResult[]): string {
  const lines = results.map((result) => {
    const changes = result.changes ? `: ${formatChangeSummary(result.changes)}` : "";
    const verdict = result.verification ? `; ${result.verification.summary.verdict}` : "";
    const error = result.error ? ` (${result.error.message})` : "";
    return `  ${result.stack.padEnd(8)} ${result.status}${changes}${verdict}${error}`;
  });
  return ["", "Summary:", ...lines, ""].join("\n");
}
