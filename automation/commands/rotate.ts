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
 * reactivate undoes a finish paused with --deactivate-only, status shows the keys and the schedule,
 * auto takes the one step the schedule calls for (rotation/autoRotation.ts), for a nightly job.
 */
export async function rotate(options: RotateOptions, context: CommandContext): Promise<RotateResult> {
  const stack = parseStackName(options.stack);
  const action = parseAction(options.action);
  if ((options.force || options.deactivateOnly) && action !== "finish") {
    throw new UsageError(`--force and --deactivate-only belong to \`rotate ${stack} finish\``);
  }
  const session = await openStackSession(stack, context, { operation: action === "status" ? "read" : "rotate", yes: options.yes });
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
    if (action === "status") return { action, status: await run.status(), changes: [], verification: null, nextSteps: [] };
    if (action === "auto") return await rotateOnSchedule(session, run, context);
    const move: RotationMove = action === "finish" && options.deactivateOnly ? "pause" : action;
    return { action, ...(await run.run(move)) };
  } finally {
    session.close();
  }
}

/** `auto`: the schedule's one step, printed first; a refusal is the sentence a person needs (exit 1). */
async function rotateOnSchedule(session: StackSession, run: RotationRun, context: CommandContext): Promise<RotateResult> {
  const facts = await run.scheduleFacts();
  const decision = decideAutoRotation(facts);
  context.io.report(`Scheduled rotation of stack ${session.stack}: ${decision.action}: ${decision.reason}\n`);
  if (decision.action === "refuse") throw new RefusedError(decision.reason);
  if (decision.action === "start" || decision.action === "finish") return { action: "auto", auto: decision, ...(await run.run(decision.action)) };
  return { action: "auto", auto: decision, status: await run.status(), changes: [], verification: null, nextSteps: [] };
}

function parseAction(action: string): RotateAction {
  if ((ROTATE_ACTIONS as readonly string[]).includes(action)) return action as RotateAction;
  throw new UsageError(`unknown rotate action "${action}": choose one of ${ROTATE_ACTIONS.join(", ")}`);
}
