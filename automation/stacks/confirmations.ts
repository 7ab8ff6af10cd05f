import type { Environment } from "../../infra/config";
import { requireWayToConfirm, type Prompter } from "../confirm";
import { profileOf } from "./stackProfile";

/** What a command does to a stack, as far as asking first is concerned. */
export type StackOperation = "read" | "preview" | "update" | "adopt" | "rotate" | "emergency-rotation" | "retire-key" | "repair" | "destroy";

interface ConfirmationRule {
  /** Whether the operator is asked before this operation changes the stack. */
  asks(stack: Environment): boolean;
  /** How the refusal without a terminal names it: "changing prod". */
  what(stack: Environment): string;
}

/** prod serves the live Django: every change to it is confirmed. */
const asksOnProd = (stack: Environment) => stack === "prod";

/** Which stacks confirm which operations: the one table every command consults. */
const CONFIRMATIONS: Readonly<Record<StackOperation, ConfirmationRule>> = {
  read: { asks: () => false, what: (stack) => `reading ${stack}` },
  preview: { asks: () => false, what: (stack) => `previewing ${stack}` },
  update: { asks: asksOnProd, what: (stack) => `changing ${stack}` },
  adopt: { asks: asksOnProd, what: (stack) => `changing ${stack}` },
  rotate: { asks: asksOnProd, what: (stack) => `rotating ${stack}'s access key` },
  // Cutting off a shared environment's key breaks whatever still runs on it; only the sandbox goes unasked.
  "emergency-rotation": { asks: (stack) => !profileOf(stack).sandbox, what: (stack) => `cutting off ${stack}'s access key` },
  "retire-key": { asks: asksOnProd, what: (stack) => `retiring a key of ${stack}'s user` },
  repair: { asks: asksOnProd, what: (stack) => `repairing ${stack}` },
  // Destroying a shared environment's identity breaks that environment; only the sandbox goes unasked.
  destroy: { asks: (stack) => !profileOf(stack).sandbox, what: (stack) => `destroying ${stack}` },
};

export function asksBefore(operation: StackOperation, stack: Environment): boolean {
  return CONFIRMATIONS[operation].asks(stack);
}

/** Refuses before anything starts when the operation will ask and no terminal can answer (and no --yes). */
export function requireWayToConfirmOperation(operation: StackOperation, stack: Environment, yes: boolean, prompter: Prompter): void {
  if (asksBefore(operation, stack)) requireWayToConfirm(CONFIRMATIONS[operation].what(stack), yes, prompter);
}
