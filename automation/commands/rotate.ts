import { CONFIG_NAMESPACE, otherSlot, type AccessKeySlot, type Environment, type RotationPhase } from "../../infra/config";
import { ourCommand } from "../commandHints";
import { ROTATE_ACTIONS, type RotateAction } from "./choices";
import { requireWayToConfirm } from "../confirm";
import { throwIfInterrupted, type CommandContext } from "../context";
import { RefusedError, UsageError, VerificationFailedError } from "../errors";
import { bookKeys, describeKey, type BookedKey } from "../keys/keyBook";
import { judgeRetirement } from "../keys/retirementGuard";
import { rotationSchedule, type RotationSchedule } from "../keys/rotationSchedule";
import { listUserKeys } from "../keys/userKeys";
import type { ImportIds } from "../../infra/imports";
import { recoverStack } from "../stacks/recoverStack";
import { adminClientsFor } from "../stacks/adminClients";
import type { ChangeCounts } from "../stacks/changeSummary";
import { toDeployedOutputs, secretValuesOf, type DeployedOutputs } from "../stacks/deployedOutputs";
import type { DeploymentState } from "../stacks/deploymentState";
import { deployStack } from "../stacks/deployStack";
import { classifyEngineError } from "../stacks/knownFailures";
import { readDeployedOutputs, readState, removeStackConfig, setStackConfig, stackTarget, type StackTarget } from "../stacks/openStack";
import { checkStack, preflightStack, type PreparedStack } from "../stacks/prepareStack";
import { parseStackName } from "../stacks/stackSelection";
import { verifyDeployment } from "../stacks/verifyDeployment";
import { renderHumanReport, toJsonReport, type JsonReport } from "../verify/reports";


export interface RotateOptions {
  readonly stack: string;
  readonly action: string;
  /** Skip prod's confirmation. */
  readonly yes: boolean;
  /** finish: retire the old key even though it was used after the new one went live. */
  readonly force: boolean;
  /** finish: stop once the old key is Inactive (a safe pause: `reactivate` turns it back on). */
  readonly deactivateOnly: boolean;
}

/** One key of the user, as `rotate status` shows it. */
export interface RotationKey {
  readonly id: string;
  readonly status: "Active" | "Inactive";
  readonly role: BookedKey["role"];
  readonly createdAt: string;
  readonly ageDays: number;
  readonly lastUsed: { readonly at: string; readonly service?: string; readonly region?: string } | null;
  /** Whether the stack's outputs (and the Django env, and the credentials secret) name this key. */
  readonly namedByOutputs: boolean;
}

export interface RotationStatus {
  readonly stack: Environment;
  readonly phase: RotationPhase;
  readonly keys: readonly RotationKey[];
  readonly schedule: RotationSchedule;
}

export interface RotateResult {
  readonly action: RotateAction;
  readonly status: RotationStatus;
  /** Each update this run made, in order. */
  readonly changes: readonly ChangeCounts[];
  /** The verification of the key the outputs now name; null when the action does not verify. */
  readonly verification: JsonReport | null;
  /** What the operator does next, each a sentence with its command. */
  readonly nextSteps: readonly string[];
}

const DAY_MS = 86_400_000;

/**
 * Zero-downtime rotation of the stack's access key, driven by the stack's config (accessKeySlot,
 * rotation), so every phase is a plain update the CLI reproduces and an interrupted phase resumes
 * when the same command runs again:
 * - start: a second key in the other slot; the outputs name it; the old key stays Active; verified.
 * - finish: the old key is made Inactive, then deleted; refused while IAM shows the old key still in use.
 * - reactivate: undoes a finish paused with --deactivate-only.
 * - status: the keys, the phase and the next due date.
 */
export async function rotate(options: RotateOptions, context: CommandContext): Promise<RotateResult> {
  const stack = parseStackName(options.stack);
  const action = parseAction(options.action);
  if ((options.force || options.deactivateOnly) && action !== "finish") {
    throw new UsageError(`--force and --deactivate-only belong to \`rotate ${stack} finish\``);
  }
  const checked = await checkStack(stack, context);
  if (action !== "status" && stack === "prod") requireWayToConfirm("rotating prod's access key", options.yes, context.prompter);
  const prepared = await preflightStack(checked, context);

  let target: StackTarget;
  let state: DeploymentState;
  let importIds: ImportIds = {};
  let recovered = false;
  if (action === "status") {
    try {
      target = await stackTarget(stack, context.paths, prepared.endpoint);
      state = await readState(target);
    } catch (error) {
      throw classifyEngineError(stack, "reading the stack", error, context.signal);
    }
  } else {
    // An interrupted or killed earlier phase may have left a lock or pending operations: repair
    // them first, so running the same command again resumes.
    ({ target, state, importIds } = await recoverStack(prepared, context, { forceUnlock: false }, (repair) => {
      recovered = true;
      context.io.report(`Repairing after an interrupted run: ${repair}\n`);
    }));
  }
  const rotation = new Rotation(stack, prepared, target, state, { ...options, importIds, refresh: recovered }, context);
  try {
    switch (action) {
      case "status":
        return rotation.result("status", await rotation.status(), [], null, []);
      case "start":
        return await rotation.start();
      case "finish":
        return await rotation.finish();
      case "reactivate":
        return await rotation.reactivate();
    }
  } finally {
    rotation.close();
  }
}

function parseAction(action: string): RotateAction {
  if ((ROTATE_ACTIONS as readonly string[]).includes(action)) return action as RotateAction;
  throw new UsageError(`unknown rotate action "${action}": choose one of ${ROTATE_ACTIONS.join(", ")}`);
}

/** One rotation run on one stack: its config, state, AWS clients and outputs as they change. */
class Rotation {
  private readonly admin;
  private outputs: DeployedOutputs | undefined;
  private slot: AccessKeySlot;
  private phase: RotationPhase;
  private readonly changes: ChangeCounts[] = [];
  /** Every value the stack marks secret, from the latest update, so reports never carry one. */
  private secretValues: readonly string[] = [];

  constructor(
    private readonly stack: Environment,
    private readonly prepared: PreparedStack,
    private readonly target: StackTarget,
    private readonly state: DeploymentState,
    private readonly options: RotateOptions & { importIds: ImportIds; refresh: boolean },
    private readonly context: CommandContext,
  ) {
    this.admin = adminClientsFor(prepared);
    this.slot = prepared.settings.accessKeySlot;
    this.phase = prepared.settings.rotation;
  }

  close(): void {
    this.admin.destroy();
  }

  async start(): Promise<RotateResult> {
    const { stack } = this;
    if (this.phase === "old-key-inactive") {
      throw new UsageError(
        `the rotation of stack ${stack} is paused with the old key Inactive: finish it with \`${ourCommand("rotate", stack, "finish")}\` or turn the old key back on with \`${ourCommand("rotate", stack, "reactivate")}\``,
      );
    }
    if (this.phase === "finishing") {
      throw new UsageError(`the previous rotation of stack ${stack} is still finishing: run \`${ourCommand("rotate", stack, "finish")}\` first`);
    }
    if (this.phase === "idle") {
      if (this.state.accessKeys.length > 1) {
        throw new UsageError(`a previous \`rotate ${stack} finish\` did not complete (the stack still holds two keys): run \`${ourCommand("rotate", stack, "finish")}\` first`);
      }
      const outputs = await this.currentOutputs();
      const keys = await listUserKeys(this.admin.iam, outputs.userName, this.context.signal);
      const others = bookKeys(keys, this.known(outputs)).filter((key) => key.id !== outputs.accessKeyId);
      if (keys.length >= 2) {
        const named = others.map((key) => `${key.role === "unmanaged" ? "adopted key" : "key"} ${describeKey(key, new Date())}, not the stack's`).join("; ");
        throw new RefusedError(
          `user ${outputs.userName} already has two access keys, IAM's limit, so there is no room for a new one: ${named}; retire it first with \`${ourCommand("retire-key", stack, others[0]!.id)}\`, then start again`,
        );
      }
      await this.setPhase(otherSlot(this.slot), "started");
    } else {
      this.context.io.report(`Resuming the rotation of stack ${stack} (config: new key in slot ${this.slot}).\n`);
    }
    await this.deploy("Create a new access key for prod and switch its outputs to it? The old key stays Active.");
    const verification = await this.verify("the new key");
    const status = await this.status();
    const newKey = status.keys.find((key) => key.namedByOutputs)!;
    const oldKey = status.keys.find((key) => key.role === "retiring");
    return this.result("start", status, this.changes, verification, [
      `The stack's outputs now name the new key ${newKey.id}${oldKey ? `; the old key ${oldKey.id} stays Active until you finish` : ""}.`,
      `Commit Pulumi.${stack}.yaml: it records the rotation (an update from a checkout without it is refused).`,
      `Deploy Django with the new key: \`${ourCommand("outputs", stack, "--format", "env", "--show-secrets", "--out", "<file outside git>")}\`.`,
      `Once it runs on the new key: \`${ourCommand("rotate", stack, "finish")}\`.`,
    ]);
  }

  async finish(): Promise<RotateResult> {
    const { stack, options } = this;
    const retiringInState = this.state.accessKeys.some((key) => key.slot !== this.slot);
    if (this.phase === "idle" && !retiringInState) {
      throw new UsageError(`no key rotation is in progress on stack ${stack}: \`${ourCommand("rotate", stack, "start")}\` begins one, \`${ourCommand("rotate", stack, "status")}\` shows the keys`);
    }
    if (this.phase === "started") {
      if (!options.force) await this.refuseWhileOldKeyInUse();
      await this.setPhase(this.slot, "old-key-inactive");
      await this.deploy("Make the old access key of prod Inactive?");
    } else if (this.phase === "old-key-inactive" && options.deactivateOnly) {
      // Resuming an interrupted pause: the update is a no-op when it had completed.
      await this.deploy("Make the old access key of prod Inactive?");
    }
    if (options.deactivateOnly) {
      const status = await this.status();
      return this.result("finish", status, this.changes, null, [
        `The old key is Inactive; anything still using it now fails.`,
        `If something broke: \`${ourCommand("rotate", stack, "reactivate")}\` turns it back on. Otherwise \`${ourCommand("rotate", stack, "finish")}\` deletes it.`,
      ]);
    }
    if (this.phase !== "finishing") await this.setPhase(this.slot, "finishing");
    await this.deploy("Delete the old access key of prod?");
    // Verified as the stack will be once idle (the old key is gone), so its rotation line says what
    // comes next rather than "finishing"; the config stays at finishing until verification passed.
    const verification = await this.verify("the stack's key", "idle");
    // A config-only change: idle deploys exactly what finishing did.
    await this.setPhase(this.slot, "idle");
    return this.result("finish", await this.status(), this.changes, verification, [
      `Rotation finished: the old key is deleted. Commit Pulumi.${stack}.yaml.`,
    ]);
  }

  async reactivate(): Promise<RotateResult> {
    const { stack } = this;
    if (this.phase !== "old-key-inactive") {
      throw new UsageError(`stack ${stack} has no Inactive old key to turn back on (rotation phase: ${this.phase}; \`${ourCommand("rotate", stack, "status")}\` shows the keys)`);
    }
    await this.setPhase(this.slot, "started");
    await this.deploy("Turn the old access key of prod back on?");
    return this.result("reactivate", await this.status(), this.changes, null, [
      `The old key is Active again. When its consumers have moved to the new key: \`${ourCommand("rotate", stack, "finish")}\`.`,
    ]);
  }

  async status(): Promise<RotationStatus> {
    const outputs = await this.currentOutputs();
    const now = new Date();
    const keys = bookKeys(await listUserKeys(this.admin.iam, outputs.userName, this.context.signal), this.known(outputs));
    const current = keys.find((key) => key.role === "current");
    return {
      stack: this.stack,
      phase: this.phase,
      keys: keys.map((key) => ({
        id: key.id,
        status: key.status,
        role: key.role,
        createdAt: key.createdAt.toISOString(),
        ageDays: Math.floor((now.getTime() - key.createdAt.getTime()) / DAY_MS),
        lastUsed: key.lastUsed ? { ...key.lastUsed, at: key.lastUsed.at.toISOString() } : null,
        namedByOutputs: key.id === outputs.accessKeyId,
      })),
      schedule: rotationSchedule({
        stack: this.stack,
        phase: this.phase,
        currentKeyCreated: current?.createdAt ?? new Date(outputs.accessKeyCreateDate),
        keyMaxAgeDays: outputs.keyMaxAgeDays,
        now,
      }),
    };
  }

  result(action: RotateAction, status: RotationStatus, changes: readonly ChangeCounts[], verification: JsonReport | null, nextSteps: readonly string[]): RotateResult {
    return { action, status, changes, verification, nextSteps };
  }

  /** Refuses while IAM shows the old key used after the new one went live, and more recently than it. */
  private async refuseWhileOldKeyInUse(): Promise<void> {
    const outputs = await this.currentOutputs();
    if (!outputs.retiringAccessKeyId) return;
    const keys = await listUserKeys(this.admin.iam, outputs.userName, this.context.signal);
    const old = keys.find((key) => key.id === outputs.retiringAccessKeyId);
    const replacement = keys.find((key) => key.id === outputs.accessKeyId);
    if (!old || !replacement) return;
    const verdict = judgeRetirement(old, replacement);
    if (verdict.stillInUse) {
      throw new RefusedError(
        `${verdict.reason}; finishing now would break whatever still runs on it: switch it to ${replacement.id} and finish again (IAM's last-use records lag on real AWS), or pass --force`,
      );
    }
  }

  private known(outputs: DeployedOutputs) {
    return {
      current: outputs.accessKeyId,
      ...(outputs.retiringAccessKeyId ? { retiring: outputs.retiringAccessKeyId } : {}),
      unmanaged: this.prepared.settings.unmanagedAccessKeys,
    };
  }

  private async currentOutputs(): Promise<DeployedOutputs> {
    if (!this.outputs) {
      try {
        this.outputs = (await readDeployedOutputs(this.target, false)).outputs;
      } catch (error) {
        throw classifyEngineError(this.stack, "reading the outputs", error, this.context.signal);
      }
    }
    return this.outputs;
  }

  /** Records the phase in the stack's config (Pulumi.<stack>.yaml), defaults left out. */
  private async setPhase(slot: AccessKeySlot, phase: RotationPhase): Promise<void> {
    throwIfInterrupted(this.context, `before changing the rotation config of stack ${this.stack}`);
    const key = (name: string) => `${CONFIG_NAMESPACE}:${name}`;
    const set: Record<string, string> = {};
    const remove: string[] = [];
    if (slot === "a") remove.push(key("accessKeySlot"));
    else set[key("accessKeySlot")] = slot;
    if (phase === "idle") remove.push(key("rotation"));
    else set[key("rotation")] = phase;
    await setStackConfig(this.target, set);
    await removeStackConfig(this.target, remove);
    this.slot = slot;
    this.phase = phase;
  }

  /** The first update of the run also takes over what a repaired run left (and refreshes after a repair). */
  private deployed = false;

  private async deploy(question: string): Promise<void> {
    const first = !this.deployed;
    const deployed = await deployStack(
      this.target,
      { yes: this.options.yes, question, ...(first ? { importIds: this.options.importIds, refresh: this.options.refresh } : {}) },
      this.context,
    );
    this.deployed = true;
    this.changes.push(deployed.changes);
    this.outputs = toDeployedOutputs(this.stack, deployed.outputs);
    this.secretValues = secretValuesOf(deployed.outputs);
  }

  private async verify(what: string, phase: RotationPhase = this.phase): Promise<JsonReport> {
    throwIfInterrupted(this.context, `before verifying ${what}`);
    const outputs = await this.currentOutputs();
    const settings = { ...this.prepared.settings, accessKeySlot: this.slot, rotation: phase };
    const report = await verifyDeployment({ prepared: this.prepared, outputs, secretValues: this.secretValues, settings, signal: this.context.signal });
    this.context.io.report("\n" + renderHumanReport(report, { color: this.context.io.color, debug: this.context.debug }));
    if (report.summary.FAIL > 0) {
      throw new VerificationFailedError(
        `verification of ${what} on stack ${this.stack} failed (${report.summary.FAIL} of ${report.summary.total} checks): the rotation stays where it is and the old key keeps working; fix what the report names, then run the same command again`,
      );
    }
    return toJsonReport(report);
  }
}
