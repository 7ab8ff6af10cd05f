import type { Environment } from "../../infra/config";
import { adopt, adoptionSummary, planTakeover, renderWayForward } from "../adoption/adopt";
import { waitForOrphanedEngines } from "../backend/orphanedEngines";
import { throwIfInterrupted, type CommandContext } from "../context";
import { DeploymentError, DriverError, EXIT, UsageError, type ExitCode } from "../errors";
import { formatChangeSummary, type ChangeCounts } from "../engine/changeSummary";
import type { DeployedOutputs } from "../engine/deployedOutputs";
import { classifyEngineError, pendingOperationsFailure } from "../engine/engineFailures";
import { createStack } from "../engine/stackState";
import { labelledIO } from "../labelledIO";
import { refuseNewStackOnSharedBackend } from "../preflight/sharedStackCreation";
import { refuseLockedStack } from "../preflight/stackLockGuard";
import { guardCurrentKey } from "../rotation/keyGuard";
import { checkStackSession, openCheckedSession, type StackSession } from "../session/stackSession";
import { rotationOf } from "../session/verifyStack";
import { parseStackSelection } from "../stacks/stackSelection";
import type { JsonReport } from "../verify/reports";

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
  /** Take over a user and policy that exist in IAM but not in the stack (made by setup-iam.sh). */
  readonly adopt: boolean;
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
  /** With --adopt: what was taken over and what was reported. */
  readonly adoption?: { readonly imported: readonly string[]; readonly unmanagedKeys: readonly string[]; readonly findings: readonly string[] };
  /** When the key is due for rotation, or what an open rotation waits for. */
  readonly rotation?: string;
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
 * Deploys the stacks: everything is validated first (names, config, credentials, endpoints, a way to
 * confirm prod), then each stack is previewed or updated and verified. Several stacks run at once,
 * their lines labelled by stack, except those that wait for a confirmation (prod without --yes),
 * which run afterwards one by one; once a stack has failed, those are reported as not run.
 */
export async function provision(options: ProvisionOptions, context: CommandContext): Promise<ProvisionResult> {
  const stacks = parseStackSelection(options.stacks, options.all);
  if (options.adopt && options.preview) throw new UsageError("--adopt shows its preview before it changes anything; leave out --preview");
  const operation = options.preview ? "preview" : options.adopt ? "adopt" : "update";
  const checked = await inStackOrder(stacks.map((stack) => checkStackSession(stack, context, { operation, yes: options.yes })));
  const sessions = await inStackOrder(checked.map((stack) => openCheckedSession(stack, context)));
  try {
    const together = sessions.filter((session) => !session.asks);
    const results = new Map<Environment, StackRunResult>();
    if (together.length === 1) results.set(together[0]!.stack, await provisionOne(together[0]!, options, context));
    if (together.length > 1) {
      const width = Math.max(...together.map((session) => session.stack.length));
      const ran = await Promise.all(
        together.map(async (session) => {
          const labelled = { ...context, io: labelledIO(context.io, `[${session.stack.padEnd(width)}]`) };
          try {
            return await provisionOne(session.withContext(labelled), options, labelled);
          } finally {
            labelled.io.flush();
          }
        }),
      );
      for (const result of ran) results.set(result.stack, result);
    }
    for (const session of sessions.filter((asking) => asking.asks)) {
      const failed = [...results.values()].some((result) => result.status === "failed");
      results.set(
        session.stack,
        failed ? { stack: session.stack, operation: "update", status: "not-run", exitCode: EXIT.failed } : await provisionOne(session, options, context),
      );
    }
    const ordered = stacks.map((stack) => results.get(stack)!);
    if (ordered.length > 1) context.io.report(renderCombinedSummary(ordered));
    const failure = ordered.find((result) => result.failure)?.failure;
    return { stacks: ordered, exitCode: failure?.exitCode ?? EXIT.ok, ...(failure ? { failure } : {}) };
  } finally {
    for (const session of sessions) session.close();
  }
}

/** Runs the stacks' checks at once, failing with the first stack's error in the order given. */
async function inStackOrder<T>(checks: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(checks);
  const rejected = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
  if (rejected) throw rejected.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<T>).value);
}

async function provisionOne(session: StackSession, options: ProvisionOptions, context: CommandContext): Promise<StackRunResult> {
  const { stack } = session;
  const operation = options.preview ? "preview" : "update";
  let changes: ChangeCounts | undefined;
  try {
    context.io.report(`\n== ${operation === "preview" ? "Previewing" : "Provisioning"} stack ${stack} ==\n`);
    if (!options.preview) {
      await waitForOrphanedEngines(stack, context);
      await refuseLockedStack(stack, context);
    }
    const state = await session.stateIfExists();
    if (!state) await refuseNewStackOnSharedBackend(stack, session.settings, context);
    if (state && state.pendingOperations.length > 0) throw pendingOperationsFailure(stack, state.pendingOperations);
    if (state) guardCurrentKey(stack, session.settings, state);
    const adoption = await planTakeover(session, state, options.adopt, context.signal);
    throwIfInterrupted(context, `before changing stack ${stack}`);

    if (!state) await createStack(session.target);
    if (options.preview) {
      changes = await session.runEngine("preview", { refresh: options.refresh });
      context.io.report(`Preview of ${stack}: ${formatChangeSummary(changes)}\n`);
      return { stack, operation, status: "succeeded", changes, verification: null, exitCode: EXIT.ok };
    }
    const deployed = adoption ? await adopt(session, adoption, context) : await session.deploy({ refresh: options.refresh });
    changes = deployed.changes;
    const { outputs, secretValues } = session.deployedOutputs(deployed);
    const rotation = rotationOf(stack, session.settings, outputs, new Date()).advice;
    const common = { stack, operation, changes, outputs, rotation, ...(adoption ? { adoption: adoptionSummary(adoption) } : {}) } as const;
    if (adoption) context.io.report(renderWayForward(stack, adoption, outputs));
    if (options.skipVerify) {
      context.io.report(`Key rotation: ${rotation}\n`);
      return { ...common, status: "succeeded", verification: null, exitCode: EXIT.ok };
    }
    throwIfInterrupted(context, `before verifying stack ${stack} (its update completed)`);
    context.io.report(`\nVerifying stack ${stack}...\n`);
    const settings = adoption ? { ...session.settings, unmanagedAccessKeys: adoption.unmanagedKeys.map((key) => key.id) } : session.settings;
    const { report: verification, failure } = await session.verifyAndReport(outputs, { secretValues, settings, refreshed: options.refresh });
    if (!failure) return { ...common, status: "succeeded", verification, exitCode: EXIT.ok };
    return { ...common, status: "failed", verification, error: { kind: "verification-failed", message: failure.message }, failure, exitCode: failure.exitCode };
  } catch (error) {
    const known = error instanceof DriverError ? error : classifyEngineError(stack, operation, error, context.signal);
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

function renderCombinedSummary(results: readonly StackRunResult[]): string {
  const lines = results.map((result) => {
    const changes = result.changes ? `: ${formatChangeSummary(result.changes)}` : "";
    const verdict = result.verification ? `; ${result.verification.summary.verdict}` : "";
    const error = result.error ? ` (${result.error.message})` : "";
    return `  ${result.stack.padEnd(8)} ${result.status}${changes}${verdict}${error}`;
  });
  return ["", "Summary:", ...lines, ""].join("\n");
}
