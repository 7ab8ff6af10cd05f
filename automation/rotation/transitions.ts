import type { Environment, RotationPhase } from "../../infra/config";
import { RefusedError, type DriverError } from "../errors";
import { ourCommand } from "../stacks/printedCommands";

/** What the operator asks of a rotation. `pause` is `finish --deactivate-only`: stop once the old key is Inactive. */
export type RotationMove = "start" | "finish" | "pause" | "reactivate";

/** One update of a rotation: the config it writes first (Pulumi.<stack>.yaml), the question prod is asked, the guard it runs. */
export interface RotationStep {
  /** The key slot the outputs name after the step: the same, or the other one (a new key). */
  readonly slot: "same" | "other";
  readonly phase: RotationPhase;
  readonly question: string;
  /**
   * Checked against IAM before the step's config is written: room for a second key (IAM's limit), or
   * the old key unused since the new one went live (skipped with --force).
   */
  readonly guard?: "room-for-new-key" | "old-key-unused";
}

/** Where a rotation goes from a phase, for one move. */
export interface RotationPlan {
  readonly steps: readonly RotationStep[];
  /** The move continues one an interrupted run began (said before the steps run). */
  readonly resumes: boolean;
  /** The verification after the steps: what is verified, and the phase the stack is judged as. */
  readonly verify?: { readonly what: string; readonly as: RotationPhase };
  /** The phase written once verified, with no update of its own (finishing deploys what idle does). */
  readonly settlesAt?: RotationPhase;
  /** What the operator does next, each a sentence with its command. */
  nextSteps(keys: { readonly newKeyId: string; readonly oldKeyId?: string }): string[];
}

export type RotationDecision = { readonly refusal: DriverError } | { readonly plan: RotationPlan };

/** What the table decides on: the stack, its configured phase, and what its state holds. */
export interface RotationSituation {
  readonly stack: Environment;
  readonly phase: RotationPhase;
  /** The stack's key slot now (the config's accessKeySlot). */
  readonly slot: "a" | "b";
  /** The stack's state still holds a key in the other slot: an old key not yet deleted. */
  readonly oldKeyInState: boolean;
}

const QUESTIONS = {
  newKey: "Create a new access key for prod and switch its outputs to it? The old key stays Active.",
  deactivate: "Make the old access key of prod Inactive?",
  delete: "Delete the old access key of prod?",
  reactivate: "Turn the old access key of prod back on?",
} as const;

const START: RotationStep = { slot: "other", phase: "started", question: QUESTIONS.newKey, guard: "room-for-new-key" };
/** An interrupted start, run again: the new key's slot is already the stack's; the update completes it (or changes nothing). */
const START_AGAIN: RotationStep = { slot: "same", phase: "started", question: QUESTIONS.newKey };
const DEACTIVATE: RotationStep = { slot: "same", phase: "old-key-inactive", question: QUESTIONS.deactivate, guard: "old-key-unused" };
/** An interrupted pause, run again: the update is a no-op when it had completed. */
const DEACTIVATE_AGAIN: RotationStep = { slot: "same", phase: "old-key-inactive", question: QUESTIONS.deactivate };
const DELETE: RotationStep = { slot: "same", phase: "finishing", question: QUESTIONS.delete };
const REACTIVATE: RotationStep = { slot: "same", phase: "started", question: QUESTIONS.reactivate };

const refuse = (message: string): RotationDecision => ({ refusal: new RefusedError(message) });
const command = (stack: Environment, ...args: string[]) => `\`${ourCommand("rotate", stack, ...args)}\``;

function startPlan(stack: Environment, steps: readonly RotationStep[], resumes: boolean): RotationDecision {
  return {
    plan: {
      steps,
      resumes,
      verify: { what: "the new key", as: "started" },
      nextSteps: ({ newKeyId, oldKeyId }) => [
        `The stack's outputs now name the new key ${newKeyId}${oldKeyId ? `; the old key ${oldKeyId} stays Active until you finish` : ""}.`,
        `Commit Pulumi.${stack}.yaml: it records the rotation (an update from a checkout without it is refused).`,
        `Deploy Django with the new key: \`${ourCommand("outputs", stack, "--format", "env", "--show-secrets", "--out", "<file outside git>")}\`.`,
        `Once it runs on the new key: ${command(stack, "finish")}.`,
      ],
    },
  };
}

function finishPlan(stack: Environment, steps: readonly RotationStep[]): RotationDecision {
  return {
    plan: {
      steps,
      resumes: false,
      // Verified as the stack will be once idle (the old key is gone), so its rotation line says what
      // comes next; the config stays at finishing until verification passed.
      verify: { what: "the stack's key", as: "idle" },
      settlesAt: "idle",
      nextSteps: () => [`Rotation finished: the old key is deleted. Commit Pulumi.${stack}.yaml.`],
    },
  };
}

function pausePlan(stack: Environment, steps: readonly RotationStep[], resumes: boolean): RotationDecision {
  return {
    plan: {
      steps,
      resumes,
      nextSteps: () => [
        `The old key is Inactive; anything still using it now fails.`,
        `If something broke: ${command(stack, "reactivate")}. Otherwise ${command(stack, "finish")} deletes it.`,
      ],
    },
  };
}

type Cell = (situation: RotationSituation) => RotationDecision;

/**
 * The rotation as data: for each move and each phase of the stack's config, either the refusal (one
 * sentence naming the way on) or the plan: the updates in order, each with the config it writes, the
 * question prod is asked and its guard; the verification; the next steps printed. Every phase is a
 * plain update, so an interrupted step resumes when the same move runs again.
 */
export const ROTATION_TRANSITIONS: { readonly [M in RotationMove]: { readonly [P in RotationPhase]: Cell } } = {
  start: {
    idle: ({ stack, oldKeyInState }) =>
      oldKeyInState
        ? refuse(`a previous \`rotate ${stack} finish\` did not complete (the stack still holds two keys): run ${command(stack, "finish")} first`)
        : startPlan(stack, [START], false),
    started: ({ stack }) => startPlan(stack, [START_AGAIN], true),
    "old-key-inactive": ({ stack }) =>
      refuse(`the rotation of stack ${stack} is paused with the old key Inactive: finish it with ${command(stack, "finish")} or turn the old key back on with ${command(stack, "reactivate")}`),
    finishing: ({ stack }) => refuse(`the previous rotation of stack ${stack} is still finishing: run ${command(stack, "finish")} first`),
  },
  finish: {
    // Idle in config while the state still holds the old key: a finish whose last update did not complete.
    idle: ({ stack, oldKeyInState }) => (oldKeyInState ? finishPlan(stack, [DELETE]) : refuse(noRotation(stack))),
    started: ({ stack }) => finishPlan(stack, [DEACTIVATE, DELETE]),
    "old-key-inactive": ({ stack }) => finishPlan(stack, [DELETE]),
    finishing: ({ stack }) => finishPlan(stack, [DELETE]),
  },
  pause: {
    idle: ({ stack, oldKeyInState }) => refuse(oldKeyInState ? beingDeleted(stack) : noRotation(stack)),
    started: ({ stack }) => pausePlan(stack, [DEACTIVATE], false),
    "old-key-inactive": ({ stack }) => pausePlan(stack, [DEACTIVATE_AGAIN], true),
    finishing: ({ stack }) => refuse(beingDeleted(stack)),
  },
  reactivate: {
    idle: ({ stack, phase }) => refuse(noInactiveKey(stack, phase)),
    started: ({ stack, phase }) => refuse(noInactiveKey(stack, phase)),
    "old-key-inactive": ({ stack }) => ({
      plan: {
        steps: [REACTIVATE],
        resumes: false,
        nextSteps: () => [`The old key is Active again. When its consumers have moved to the new key: ${command(stack, "finish")}.`],
      },
    }),
    finishing: ({ stack, phase }) => refuse(noInactiveKey(stack, phase)),
  },
};

function noRotation(stack: Environment): string {
  return `no key rotation is in progress on stack ${stack}: ${command(stack, "start")} begins one, ${command(stack, "status")} shows the keys`;
}

function beingDeleted(stack: Environment): string {
  return `the old key of stack ${stack} is already being deleted: ${command(stack, "finish")} completes the rotation`;
}

function noInactiveKey(stack: Environment, phase: RotationPhase): string {
  return `stack ${stack} has no Inactive old key to turn back on (rotation phase: ${phase}; ${command(stack, "status")} shows the keys)`;
}

/** The table's answer for one move in one situation. */
export function planRotation(move: RotationMove, situation: RotationSituation): RotationDecision {
  return ROTATION_TRANSITIONS[move][situation.phase](situation);
}
