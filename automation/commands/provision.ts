import { CONFIG_NAMESPACE, type Environment } from "../../infra/config";
import { ourCommand } from "../commandHints";
import { requireWayToConfirm } from "../confirm";
import { throwIfInterrupted, type CommandContext } from "../context";
import { ConfirmationDeclinedError, DeploymentError, DriverError, EXIT, UsageError, VerificationFailedError, type ExitCode } from "../errors";
import { labelledIO } from "../labelledIO";
import { waitForOrphanedEngines } from "../recovery/orphanedEngines";
import { adminClientsFor } from "../stacks/adminClients";
import { planAdoption, type AdoptionPlan } from "../stacks/adoptionPlan";
import { formatChangeSummary, type ChangeCounts } from "../stacks/changeSummary";
import { secretValuesOf, toDeployedOutputs, type DeployedOutputs } from "../stacks/deployedOutputs";
import type { DeploymentState } from "../stacks/deploymentState";
import { deployStack, runEngine, type Deployed } from "../stacks/deployStack";
import { findExistingIdentity, notInState, USER_TYPE } from "../stacks/existingIdentity";
import { guardCurrentKey } from "../stacks/keyGuard";
import { classifyEngineError, pendingOperationsFailure } from "../stacks/knownFailures";
import { createStack, readStateIfExists, removeStackConfig, setStackConfig, stackTarget, type StackTarget } from "../stacks/openStack";
import { checkStack, preflightStack, type PreparedStack } from "../stacks/prepareStack";
import { verificationFailedMessage } from "../stacks/refreshHints";
import { refuseNewStackOnSharedBackend } from "../stacks/sharedStackCreation";
import { refuseLockedStack } from "../stacks/stackLockGuard";
import { parseStackSelection } from "../stacks/stackSelection";
import { rotationOf, verifyDeployment } from "../stacks/verifyDeployment";
import { renderHumanReport, toJsonReport, type JsonReport } from "../verify/reports";

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
  const checked = await inStackOrder(stacks.map((stack) => checkStack(stack, context)));
  if (!options.preview && stacks.includes("prod")) requireWayToConfirm("changing prod", options.yes, context.prompter);
  const prepared = await inStackOrder(checked.map((stack) => preflightStack(stack, context)));

  const asksFirst = (target: PreparedStack) => !options.preview && !options.yes && target.stack === "prod";
  const together = prepared.filter((target) => !asksFirst(target));
  const results = new Map<Environment, StackRunResult>();
  if (together.length === 1) results.set(together[0]!.stack, await provisionOne(together[0]!, options, context));
  if (together.length > 1) {
    const width = Math.max(...together.map((target) => target.stack.length));
    const ran = await Promise.all(
      together.map(async (target) => {
        const io = labelledIO(context.io, `[${target.stack.padEnd(width)}]`);
        try {
          return await provisionOne(target, options, { ...context, io });
        } finally {
          io.flush();
        }
      }),
    );
    for (const result of ran) results.set(result.stack, result);
  }
  for (const target of prepared.filter(asksFirst)) {
    const failed = [...results.values()].some((result) => result.status === "failed");
    const operation = options.preview ? "preview" : "update";
    results.set(target.stack, failed ? { stack: target.stack, operation, status: "not-run", exitCode: EXIT.failed } : await provisionOne(target, options, context));
  }
  const ordered = stacks.map((stack) => results.get(stack)!);
  if (ordered.length > 1) context.io.report(renderCombinedSummary(ordered));
  const failure = ordered.find((result) => result.failure)?.failure;
  return { stacks: ordered, exitCode: failure?.exitCode ?? EXIT.ok, ...(failure ? { failure } : {}) };
}

/** Runs the stacks' checks at once, failing with the first stack's error in the order given. */
async function inStackOrder<T>(checks: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(checks);
  const rejected = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
  if (rejected) throw rejected.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<T>).value);
}

async function provisionOne(target: PreparedStack, options: ProvisionOptions, context: CommandContext): Promise<StackRunResult> {
  const { stack } = target;
  const operation = options.preview ? "preview" : "update";
  let changes: ChangeCounts | undefined;
  try {
    context.io.report(`\n== ${operation === "preview" ? "Previewing" : "Provisioning"} stack ${stack} ==\n`);
    if (!options.preview) {
      await waitForOrphanedEngines(stack, context);
      await refuseLockedStack(stack, context);
    }
    const stackAt = await stackTarget(stack, context.paths, target.endpoint);
    const state = await readStateIfExists(stackAt);
    if (!state) await refuseNewStackOnSharedBackend(stack, target.settings, context);
    if (state && state.pendingOperations.length > 0) throw pendingOperationsFailure(stack, state.pendingOperations);
    if (state) guardCurrentKey(stack, target.settings, state);
    const adoption = await checkForUnmanagedIdentity(target, state, options, context);
    throwIfInterrupted(context, `before changing stack ${stack}`);

    if (!state) await createStack(stackAt);
    if (options.preview) {
      changes = await runEngine(stackAt, "preview", context, { refresh: options.refresh });
      context.io.report(`Preview of ${stack}: ${formatChangeSummary(changes)}\n`);
      return { stack, operation, status: "succeeded", changes, verification: null, exitCode: EXIT.ok };
    }
    const deployed = adoption
      ? await adopt(stackAt, target, adoption, options, context)
      : await deployStack(stackAt, { yes: options.yes, refresh: options.refresh }, context);
    changes = deployed.changes;
    const outputs = toDeployedOutputs(stack, deployed.outputs);
    const rotation = rotationOf(stack, target.settings, outputs, new Date()).advice;
    const common = {
      stack,
      operation,
      changes,
      outputs,
      rotation,
      ...(adoption ? { adoption: adoptionSummary(adoption) } : {}),
    } as const;
    if (adoption) context.io.report(renderWayForward(stack, adoption, outputs));
    if (options.skipVerify) {
      context.io.report(`Key rotation: ${rotation}\n`);
      return { ...common, status: "succeeded", verification: null, exitCode: EXIT.ok };
    }
    throwIfInterrupted(context, `before verifying stack ${stack} (its update completed)`);
    context.io.report(`\nVerifying stack ${stack}...\n`);
    const settings = adoption ? { ...target.settings, unmanagedAccessKeys: adoption.unmanagedKeys.map((key) => key.id) } : target.settings;
    const report = await verifyDeployment({ prepared: target, outputs, secretValues: secretValuesOf(deployed.outputs), settings, signal: context.signal });
    context.io.report("\n" + renderHumanReport(report, { color: context.io.color, debug: context.debug }));
    const verification = toJsonReport(report);
    if (report.summary.FAIL === 0) return { ...common, status: "succeeded", verification, exitCode: EXIT.ok };
    const failure = new VerificationFailedError(verificationFailedMessage(report, { stack, refreshed: options.refresh }));
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

/**
 * A stack that does not hold the user yet may still find it (or the policy) in IAM: made by the old
 * setup-iam.sh. Creating over it would fail halfway, so without --adopt this stops before any
 * change; with it, the takeover is planned (and refused when the user has no room for a key).
 */
async function checkForUnmanagedIdentity(
  target: PreparedStack,
  state: DeploymentState | undefined,
  options: ProvisionOptions,
  context: CommandContext,
): Promise<AdoptionPlan | undefined> {
  const { stack } = target;
  const holdsUser = state?.resources.some((resource) => resource.type === USER_TYPE) ?? false;
  if (holdsUser) return undefined;
  const admin = adminClientsFor(target);
  try {
    const existing = notInState(await findExistingIdentity(admin, target.settings, context.signal), state);
    if (!existing.user && !existing.policy) return undefined;
    if (!options.adopt) {
      const what = [
        existing.user ? `user ${existing.user.name} (${existing.user.keys.length} access key${existing.user.keys.length === 1 ? "" : "s"})` : "",
        existing.policy ? `policy ${existing.policy.arn}` : "",
      ].filter(Boolean);
      throw new UsageError(
        `IAM already has ${what.join(" and ")}, which stack ${stack} does not manage (made by setup-iam.sh?): \`${ourCommand("provision", stack, "--adopt")}\` takes ${what.length > 1 ? "them" : "it"} over without deleting or recreating anything`,
      );
    }
    return planAdoption(stack, existing, target.settings, new Date());
  } finally {
    admin.destroy();
  }
}

/**
 * The takeover itself: findings first, the preview of exactly what the update does (imports and
 * in-place updates), prod's confirmation, then one update that imports and converges. The adopted
 * keys are recorded in the stack's config as known but unmanaged, so verification names them.
 */
async function adopt(stackAt: StackTarget, target: PreparedStack, plan: AdoptionPlan, options: ProvisionOptions, context: CommandContext): Promise<Deployed> {
  const { stack, settings } = target;
  context.io.report(`\nAdopting into stack ${stack}:\n${plan.findings.map((finding) => `  - ${finding}\n`).join("")}`);
  const key = `${CONFIG_NAMESPACE}:unmanagedAccessKeys`;
  const known = [...new Set([...settings.unmanagedAccessKeys, ...plan.unmanagedKeys.map((userKey) => userKey.id)])];
  if (known.length > settings.unmanagedAccessKeys.length) await setStackConfig(stackAt, { [key]: known.join(",") });
  try {
    return await deployStack(
      stackAt,
      { yes: options.yes, importIds: plan.imports, showPreview: true, question: "Take these IAM objects over into prod?" },
      context,
    );
  } catch (error) {
    if (error instanceof ConfirmationDeclinedError && known.length > settings.unmanagedAccessKeys.length) {
      // Declined: the stack's config goes back to what it was.
      if (settings.unmanagedAccessKeys.length > 0) await setStackConfig(stackAt, { [key]: settings.unmanagedAccessKeys.join(",") });
      else await removeStackConfig(stackAt, [key]);
    }
    throw error;
  }
}

function adoptionSummary(plan: AdoptionPlan) {
  return {
    imported: Object.entries(plan.imports).map(([kind, id]) => `${kind} ${id}`),
    unmanagedKeys: plan.unmanagedKeys.map((key) => key.id),
    findings: plan.findings,
  };
}

/** After a takeover: how to move Django to the stack's key and retire the old ones. */
function renderWayForward(stack: Environment, plan: AdoptionPlan, outputs: DeployedOutputs): string {
  if (plan.unmanagedKeys.length === 0) return `\nAdopted: the stack now manages the user, its policy and the attachment, and its own key ${outputs.accessKeyId}.\n`;
  return [
    "",
    `Adopted: the stack now manages the user, its policy and the attachment, and its own key ${outputs.accessKeyId}.`,
    `The old key(s) ${plan.unmanagedKeys.map((key) => key.id).join(", ")} keep working until you retire them:`,
    `  1. Switch Django to the stack's key: \`${ourCommand("outputs", stack, "--format", "env", "--show-secrets", "--out", "<file outside git>")}\``,
    ...plan.unmanagedKeys.map(
      (key, index) => `  ${index + 2}. Once nothing uses ${key.id}: \`${ourCommand("retire-key", stack, key.id)}\` (it checks the key is unused, deactivates it, then deletes it)`,
    ),
    "",
  ].join("\n");
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
