import type { ImportIds } from "../../infra/imports";
import type { CommandContext } from "../context";
import { UsageError } from "../errors";
import type { DeploymentState } from "../engine/deploymentState";
import { classifyEngineError } from "../engine/engineFailures";
import { recoverStack } from "../recovery/recoverStack";
import { RotationRun, type RotationOutcome } from "../rotation/rotationRun";
import type { RotationMove } from "../rotation/transitions";
import { openStackSession } from "../session/stackSession";
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
}

/**
 * Zero-downtime rotation of the stack's access key (rotation/transitions.ts has every phase and
 * move): start makes a second key the outputs name, finish retires the old one once unused,
 * reactivate undoes a finish paused with --deactivate-only, emergency contains a leaked key (a new
 * key and the old one Inactive at once, the alert topic told), status shows the keys and the schedule.
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
    const move: RotationMove = action === "finish" && options.deactivateOnly ? "pause" : action;
    return { action, ...(await run.run(move)) };
  } finally {
    session.close();
  }
}

function parseAction(action: string): RotateAction {
  if ((ROTATE_ACTIONS as readonly string[]).includes(action)) return action as RotateAction;
  throw new UsageError(`unknown rotate action "${action}": choose one of ${ROTATE_ACTIONS.join(", ")}`);
}
