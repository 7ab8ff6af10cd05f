import type { ImportIds } from "../../infra/imports";
import type { CommandContext } from "../context";
import { RefusedError, UsageError } from "../errors";
import type { DeploymentState } from "../engine/deploymentState";
import { classifyEngineError } from "../engine/engineFailures";
import { recoverStack } from "../recovery/recoverStack";
import { decideAutoRotation, type AutoDecision } from "../rotation/autoRotation";
import { RotationRun, type RotationOutcome } from "../rotation/rotationRun";
import type { RotationMove } from "../rotation/transitions";
import { openStackSession, type StackSession } from "../session/stackSession";
import { parseStackName } from "../stacks/stackSelection";
import { ROTATE_ACTIONS, type RotateAction } from "./choices";

export type { RotationKey, RotationStatus } from "../rotation/rotationStatus";

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

export interface RotateResult extends RotationOutcome {
  readonly action: RotateAction;
  /** With `auto`: what it decided, and why. */
  readonly auto?: AutoDecision;
}

/**
 * Zero-downtime rotation of the stack's access key (rotation/transitions.ts has every phase and
 * move): start makes a second key the outputs name, finish retires the old one once unused,
 * reactivate undoes a finish paused with --deactivate-only, emergency contains a leaked key (a new
 * key and the old one Inactive at once, the alert topic told), status shows the keys and the schedule,
 * auto takes the one step the schedule calls for (rotation/autoRotation.ts), for a nightly job.
 */
export async function rotate(options: RotateOptions, context: CommandContext): Promise<RotateResult> {
  const stack = parseStackName(options.stack);
  const action = parseAction(options.action);
  if ((options.force || options.deactivateOnly) && action !== "finish") {
    throw new UsageError(`--force and --deactivate-only belong to \`rotate ${stack} finish\``);
  }
  const operation = action === "status" ? "read" : action === "emergency" ? "emergency-rotation" : "rotate";
  const session = await openStackSession(stack, context, { operation, yes: options.yes });
  try {
    let state: DeploymentState;
    let importIds: ImportIds = {};
    let recovered = false;
    if (action === "status") {
      try {
        state = await session.state();
      } catch (error) {
        throw classifyEngineError(stack, "reading the stack", error, context.signal);
      }
    } else {
      // An interrupted or killed earlier phase may have left a lock or pending operations: repair
      // them first, so running the same command again resumes.
      ({ state, importIds } = await recoverStack(session, context, { forceUnlock: false }, (repair) => {
        recovered = true;
        context.io.report(`Repairing after an interrupted run: ${repair}\n`);
      }));
    }
    const run = new RotationRun(session, state, { force: options.force, importIds, refresh: recovered }, context);
    if (action === "status") return { action, status: await run.status(), changes: [], verification: null, alertTopicNotice: null, nextSteps: [] };
    if (action === "auto") return await rotateOnSchedule(session, run, context);
    const move: RotationMove = action === "finish" && options.deactivateOnly ? "pause" : action;
    return { action, ...(await run.run(move)) };
  } finally {
    session.close();
  }
}

/**
 * `auto`: the schedule's one step, printed first and announced on the alert topic with how it ended;
 * a refusal is the sentence a person needs (exit 1).
 */
async function rotateOnSchedule(session: StackSession, run: RotationRun, context: CommandContext): Promise<RotateResult> {
  const facts = await run.scheduleFacts();
  const decision = decideAutoRotation(facts);
  context.io.report(`Scheduled rotation of stack ${session.stack}: ${decision.action}: ${decision.reason}\n`);
  if (decision.action === "refuse") {
    await run.announceSchedule(decision, "refused: a person decides");
    throw new RefusedError(decision.reason);
  }
  let outcome: RotationOutcome;
  try {
    outcome =
      decision.action === "start" || decision.action === "finish"
        ? await run.run(decision.action)
        : { status: await run.status(), changes: [], verification: null, alertTopicNotice: null, nextSteps: [] };
  } catch (error) {
    // An interrupted run tells no one: the operator who stopped it is there.
    if (!context.signal.aborted) await run.announceSchedule(decision, `failed: ${firstLine(error)}`);
    throw error;
  }
  const failed = outcome.verification !== null && outcome.verification.summary.FAIL > 0;
  const alertTopicNotice = await run.announceSchedule(decision, failed ? "done; the verification failed" : "done");
  return { action: "auto", auto: decision, ...outcome, alertTopicNotice };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}

function parseAction(action: string): RotateAction {
  if ((ROTATE_ACTIONS as readonly string[]).includes(action)) return action as RotateAction;
  throw new UsageError(`unknown rotate action "${action}": choose one of ${ROTATE_ACTIONS.join(", ")}`);
}
