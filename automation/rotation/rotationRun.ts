import { otherSlot, type AccessKeySlot, type RotationPhase } from "../../infra/config";
import type { ImportIds } from "../../infra/imports";
import { throwIfInterrupted, type CommandContext } from "../context";
import { RefusedError } from "../errors";
import type { ChangeCounts } from "../engine/changeSummary";
import type { DeployedOutputs } from "../engine/deployedOutputs";
import type { DeploymentState } from "../engine/deploymentState";
import { classifyEngineError } from "../engine/engineFailures";
import { bookKeys, describeKey, knownKeysOf } from "../keys/keyBook";
import { IAM_ACCESS_KEY_LIMIT } from "../keys/keyContract";
import { judgeRetirement } from "../keys/retirementGuard";
import { listUserKeys } from "../keys/userKeys";
import { ourCommand } from "../stacks/printedCommands";
import type { StackSession } from "../session/stackSession";
import type { JsonReport } from "../verify/reports";
import { writeRotationConfig } from "./rotationConfig";
import type { AutoDecision, AutoFacts } from "./autoRotation";
import { awsErrorName } from "../aws/errors";
import { emergencyNoticeMessage, scheduleNoticeMessage, tellAlertTopic, type NoticeOrigin, type TopicNotice } from "./alertTopicNotice";
import { rotationStatusOf, type RotationStatus } from "./rotationStatus";
import { planRotation, type RotationMove, type RotationPlan, type RotationStep } from "./transitions";

/** What one rotation run did. */
export interface RotationOutcome {
  readonly status: RotationStatus;
  /** Each update this run made, in order. */
  readonly changes: readonly ChangeCounts[];
  /** The verification of the key the outputs now name; null when the move does not verify. */
  readonly verification: JsonReport | null;
  /** What the stack's alert topic was told (an emergency), or why not; null when the move tells it nothing. */
  readonly alertTopicNotice: string | null;
  /** What the operator does next, each a sentence with its command. */
  readonly nextSteps: readonly string[];
}

export interface RotationRunOptions {
  /** Retire the old key even though IAM shows it still in use. */
  readonly force: boolean;
  /** What a repair of an interrupted run left for the first update to take over. */
  readonly importIds: ImportIds;
  /** The state was repaired: the first update refreshes it from AWS. */
  readonly refresh: boolean;
}

/**
 * One rotation run on one stack: the transition table's plan carried out, step by step. Each step
 * writes its phase to Pulumi.<stack>.yaml and runs a plain update, so `pulumi up -s <stack>`
 * reproduces every phase and an interrupted step resumes when the same move runs again.
 */
export class RotationRun {
  private outputs: DeployedOutputs | undefined;
  private slot: AccessKeySlot;
  private phase: RotationPhase;
  private readonly changes: ChangeCounts[] = [];
  /** Every value the stack marks secret, from the latest update, so reports never carry one. */
  private secretValues: readonly string[] = [];
  /** The first update of the run also takes over what a repaired run left (and refreshes after a repair). */
  private deployed = false;

  constructor(
    private readonly session: StackSession,
    private readonly state: DeploymentState,
    private readonly options: RotationRunOptions,
    private readonly context: CommandContext,
  ) {
    this.slot = session.settings.accessKeySlot;
    this.phase = session.settings.rotation;
  }

  async run(move: RotationMove): Promise<RotationOutcome> {
    const { stack } = this.session;
    const oldKeyInState = this.state.accessKeys.some((key) => key.slot !== this.slot);
    const decision = planRotation(move, { stack, phase: this.phase, slot: this.slot, oldKeyInState });
    if ("refusal" in decision) throw decision.refusal;
    const { plan } = decision;
    if (plan.resumes && move === "start") this.context.io.report(`Resuming the rotation of stack ${stack} (config: new key in slot ${this.slot}).\n`);
    for (const step of plan.steps) await this.carryOut(step);
    // Told before verifying: the old key is cut off whatever the verification of the new one finds.
    const alertTopicNotice = plan.tellsAlertTopic ? await this.tellAlertTopic() : null;
    const verification = plan.verify ? await this.verify(plan.verify.what, plan.verify.as) : null;
    // A config-only change: the settled phase deploys exactly what the last step did.
    if (plan.settlesAt) await this.setPhase(this.slot, plan.settlesAt);
    const status = await this.status();
    return { status, changes: this.changes, verification, alertTopicNotice, nextSteps: this.nextSteps(plan, status) };
  }

  /** Publishes the emergency on the stack's alert topic; a failure is said, not thrown: the key is already cut off. */
  private async tellAlertTopic(): Promise<string> {
    const told = await this.publishNotice(({ outputs, origin }) =>
      emergencyNoticeMessage({
        ...origin,
        ...(outputs.retiringAccessKeyId ? { inactiveKeyId: outputs.retiringAccessKeyId } : {}),
        newKeyId: outputs.accessKeyId,
      }),
    );
    return told ?? `stack ${this.session.stack} has no alert topic (talentbase-iam:monitoring is off): tell whoever watches its key yourself`;
  }

  /** Announces a scheduled run's decision and outcome on the alert topic; null when the stack has none. */
  announceSchedule(decision: AutoDecision, outcome: string): Promise<string | null> {
    return this.publishNotice(({ origin }) => scheduleNoticeMessage({ ...origin, decision, outcome }));
  }

  /** What the topic was told, or why it could not be (said, never thrown); null without a topic. */
  private async publishNotice(build: (facts: { outputs: DeployedOutputs; origin: NoticeOrigin }) => TopicNotice): Promise<string | null> {
    const outputs = await this.currentOutputs();
    if (!outputs.alertTopicArn) return null;
    try {
      const admin = this.session.admin();
      const { GetCallerIdentityCommand } = require("@aws-sdk/client-sts") as typeof import("@aws-sdk/client-sts");
      const by = (await admin.sts.send(new GetCallerIdentityCommand({}), { abortSignal: this.context.signal })).Arn ?? "unknown";
      const origin = { stack: this.session.stack, userName: outputs.userName, by, at: new Date() };
      const messageId = await tellAlertTopic(admin.sns, outputs.alertTopicArn, build({ outputs, origin }), this.context.signal);
      return `told ${outputs.alertTopicArn} (message ${messageId})`;
    } catch (error) {
      const said = `could not tell ${outputs.alertTopicArn} (${awsErrorName(error)}): tell whoever watches it yourself`;
      this.context.io.report(`${said}\n`);
      return said;
    }
  }

  /** What `rotate auto` decides on: the schedule and IAM's record of the current and the old key. */
  async scheduleFacts(): Promise<AutoFacts> {
    const outputs = await this.currentOutputs();
    const keys = await listUserKeys(this.session.admin().iam, outputs.userName, this.context.signal);
    const current = keys.find((key) => key.id === outputs.accessKeyId);
    if (!current)
      throw new RefusedError(
        `the stack's key ${outputs.accessKeyId} is not a key of ${outputs.userName} in IAM: \`${ourCommand("provision", this.session.stack, "--refresh")}\` makes a new one`,
      );
    const { settings } = this.session;
    return {
      stack: this.session.stack,
      phase: this.phase,
      now: new Date(),
      keyMaxAgeDays: outputs.keyMaxAgeDays,
      rotateAheadDays: settings.rotateAheadDays,
      graceHours: settings.rotationGraceHours,
      current,
      old: keys.find((key) => key.id === outputs.retiringAccessKeyId),
      handsOffThroughSecret: settings.credentialsSecret,
    };
  }

  async status(): Promise<RotationStatus> {
    const outputs = await this.currentOutputs();
    const keys = await listUserKeys(this.session.admin().iam, outputs.userName, this.context.signal);
    return rotationStatusOf(this.session.stack, this.phase, keys, outputs, this.session.settings.unmanagedAccessKeys, new Date());
  }

  private nextSteps(plan: RotationPlan, status: RotationStatus): string[] {
    const newKey = status.keys.find((key) => key.namedByOutputs);
    const oldKey = status.keys.find((key) => key.role === "retiring");
    return plan.nextSteps({ newKeyId: newKey?.id ?? "", ...(oldKey ? { oldKeyId: oldKey.id } : {}) });
  }

  private async carryOut(step: RotationStep): Promise<void> {
    if (step.guard === "room-for-new-key") await this.refuseWithoutRoomForKey();
    if (step.guard === "old-key-unused" && !this.options.force) await this.refuseWhileOldKeyInUse();
    const slot = step.slot === "other" ? otherSlot(this.slot) : this.slot;
    if (slot !== this.slot || step.phase !== this.phase) await this.setPhase(slot, step.phase);
    await this.deploy(step.question);
  }

  /** IAM's two-key limit: the new key needs the user to hold only the stack's own. */
  private async refuseWithoutRoomForKey(): Promise<void> {
    const { stack } = this.session;
    const outputs = await this.currentOutputs();
    const keys = await listUserKeys(this.session.admin().iam, outputs.userName, this.context.signal);
    if (keys.length < IAM_ACCESS_KEY_LIMIT) return;
    const others = bookKeys(keys, knownKeysOf(outputs, this.session.settings.unmanagedAccessKeys)).filter((key) => key.id !== outputs.accessKeyId);
    const named = others.map((key) => `${key.role === "unmanaged" ? "adopted key" : "key"} ${describeKey(key, new Date())}, not the stack's`).join("; ");
    throw new RefusedError(
      `user ${outputs.userName} already has two access keys, IAM's limit, so there is no room for a new one: ${named}; retire it first with \`${ourCommand("retire-key", stack, others[0]!.id)}\`, then start again`,
    );
  }

  /** Refuses while IAM shows the old key used after the new one went live, and more recently than it. */
  private async refuseWhileOldKeyInUse(): Promise<void> {
    const outputs = await this.currentOutputs();
    if (!outputs.retiringAccessKeyId) return;
    const keys = await listUserKeys(this.session.admin().iam, outputs.userName, this.context.signal);
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

  private async currentOutputs(): Promise<DeployedOutputs> {
    if (!this.outputs) {
      try {
        this.outputs = (await this.session.outputs(false)).outputs;
      } catch (error) {
        throw classifyEngineError(this.session.stack, "reading the outputs", error, this.context.signal);
      }
    }
    return this.outputs;
  }

  private async setPhase(slot: AccessKeySlot, phase: RotationPhase): Promise<void> {
    throwIfInterrupted(this.context, `before changing the rotation config of stack ${this.session.stack}`);
    await writeRotationConfig(this.session.target, slot, phase);
    this.slot = slot;
    this.phase = phase;
  }

  private async deploy(question: string): Promise<void> {
    const first = !this.deployed;
    const deployed = await this.session.deploy({ question, ...(first ? { importIds: this.options.importIds, refresh: this.options.refresh } : {}) });
    this.deployed = true;
    this.changes.push(deployed.changes);
    ({ outputs: this.outputs, secretValues: this.secretValues } = this.session.deployedOutputs(deployed));
  }

  private async verify(what: string, phase: RotationPhase): Promise<JsonReport> {
    throwIfInterrupted(this.context, `before verifying ${what}`);
    const outputs = await this.currentOutputs();
    const settings = { ...this.session.settings, accessKeySlot: this.slot, rotation: phase };
    const { report, failure } = await this.session.verifyAndReport(outputs, {
      secretValues: this.secretValues,
      settings,
      failure: ({ summary }) =>
        `verification of ${what} on stack ${this.session.stack} failed (${summary.FAIL} of ${summary.total} checks): the rotation stays where it is and the old key keeps working; fix what the report names, then run the same command again`,
    });
    if (failure) throw failure;
    return report;
  }
}
