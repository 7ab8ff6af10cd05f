import type { Environment, RotationPhase } from "../../infra/config";
import { RefusedError, type DriverError } from "../errors";
import { ourCommand } from "../stacks/printedCommands";

/**
 * What the operator asks of a rotation. `pause` is `finish --deactivate-only`: stop once the old key is
 * Inactive. `emergency` contains a leaked key: a new key at once, the old one Inactive at once.
 */
export type RotationMove = "start" | "finish" | "pause" | "reactivate" | "emergency";

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
  /** The alert topic is told once the steps are done: an emergency is news to whoever watches it. */
  readonly tellsAlertTopic?: boolean;
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

/**
 * An emergency's steps name the stack: every stack but the sandbox confirms them, not prod alone. The
 * old key goes Inactive in the same update that makes the new one, with no in-use guard: cutting off
 * whatever still runs on it is the point. IAM allows two keys, so a second key still in the state (an
 * open rotation's) is made Inactive and deleted first.
 */
function emergencySteps(stack: Environment, phase: RotationPhase, oldKeyInState: boolean): RotationStep[] {
  const contain: RotationStep = {
    slot: "other",
    phase: "contained",
    question: `Cut off the access key of ${stack} now? A new key replaces it in the outputs, and the old one goes Inactive at once: whatever still runs on it fails.`,
    guard: "room-for-new-key",
  };
  const deactivate: RotationStep = {
    slot: "same",
    phase: "old-key-inactive",
    question: `Make the old access key of ${stack} Inactive now, without checking its use?`,
  };
  const remove: RotationStep = { slot: "same", phase: "finishing", question: `Delete the old access key of ${stack}, to make room for a new key?` };
  switch (phase) {
    case "idle":
      return oldKeyInState ? [remove, contain] : [contain];
    case "started":
      return [deactivate, remove, contain];
    case "old-key-inactive":
    case "finishing":
      return [remove, contain];
    case "contained":
      // Run again after an interruption: the update completes the containment, or changes nothing.
      return [{ ...contain, slot: "same", guard: undefined }];
  }
}

function emergencyPlan(stack: Environment, phase: RotationPhase, oldKeyInState: boolean): RotationDecision {
  return {
    plan: {
      steps: emergencySteps(stack, phase, oldKeyInState),
      resumes: phase === "contained",
      verify: { what: "the new key", as: "contained" },
      tellsAlertTopic: true,
      nextSteps: ({ newKeyId, oldKeyId }) => [
        `The old key ${oldKeyId ?? "(none)"} is Inactive; the stack's outputs (and its credentials secret, where it keeps one) name the new key ${newKeyId}.`,
        `Commit Pulumi.${stack}.yaml: it records the emergency rotation.`,
        `Deploy Django with the new key now: \`${ourCommand("outputs", stack, "--format", "env", "--show-secrets", "--out", "<file outside git>")}\` (a Django that reads the secret picks it up at its next refresh, or restart it).`,
        `Find what the old key did in CloudTrail (docs/monitoring.md, incident runbook); once that is done, ${command(stack, "finish")} deletes it.`,
        `If the new key leaked too: ${command(stack, "finish")}, then ${command(stack, "emergency")} again.`,
      ],
    },
  };
}

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
      refuse(
        `the rotation of stack ${stack} is paused with the old key Inactive: finish it with ${command(stack, "finish")} or turn the old key back on with ${command(stack, "reactivate")}`,
      ),
    finishing: ({ stack }) => refuse(`the previous rotation of stack ${stack} is still finishing: run ${command(stack, "finish")} first`),
    contained: ({ stack }) => refuse(`an emergency rotation of stack ${stack} left the old key Inactive: ${command(stack, "finish")} deletes it first`),
  },
  finish: {
    // Idle in config while the state still holds the old key: a finish whose last update did not complete.
    idle: ({ stack, oldKeyInState }) => (oldKeyInState ? finishPlan(stack, [DELETE]) : refuse(noRotation(stack))),
    started: ({ stack }) => finishPlan(stack, [DEACTIVATE, DELETE]),
    "old-key-inactive": ({ stack }) => finishPlan(stack, [DELETE]),
    finishing: ({ stack }) => finishPlan(stack, [DELETE]),
    // The leaked key, kept Inactive while CloudTrail was read, goes now.
    contained: ({ stack }) => finishPlan(stack, [DELETE]),
  },
  pause: {
    idle: ({ stack, oldKeyInState }) => refuse(oldKeyInState ? beingDeleted(stack) : noRotation(stack)),
    started: ({ stack }) => pausePlan(stack, [DEACTIVATE], false),
    "old-key-inactive": ({ stack }) => pausePlan(stack, [DEACTIVATE_AGAIN], true),
    finishing: ({ stack }) => refuse(beingDeleted(stack)),
    contained: ({ stack }) => refuse(`the old key of stack ${stack} is already Inactive after an emergency rotation: ${command(stack, "finish")} deletes it`),
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
    contained: ({ stack }) =>
      refuse(
        `the old key of stack ${stack} was cut off by an emergency rotation and stays Inactive: its consumers take the new key from the outputs (\`${ourCommand("outputs", stack, "--format", "env", "--show-secrets", "--out", "<file outside git>")}\`)`,
      ),
  },
  emergency: {
    idle: ({ stack, oldKeyInState }) => emergencyPlan(stack, "idle", oldKeyInState),
    started: ({ stack }) => emergencyPlan(stack, "started", true),
    "old-key-inactive": ({ stack }) => emergencyPlan(stack, "old-key-inactive", true),
    finishing: ({ stack }) => emergencyPlan(stack, "finishing", true),
    contained: ({ stack }) => emergencyPlan(stack, "contained", true),
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
