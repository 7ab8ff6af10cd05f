import { createInterface } from "node:readline/promises";
import { ConfirmationDeclinedError, UsageError } from "./errors";

/** Where a confirmation can be asked: a terminal on both ends, or nowhere. */
export interface Prompter {
  readonly interactive: boolean;
  ask(question: string): Promise<string>;
}

/** Asks on stderr, so stdout stays clean for --json. */
export function terminalPrompter(): Prompter {
  return {
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    async ask(question) {
      const readline = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await readline.question(question);
      } finally {
        readline.close();
      }
    },
  };
}

/** Fails before anything starts when a confirmation will be needed and cannot be asked. */
export function requireWayToConfirm(what: string, yes: boolean, prompter: Prompter): void {
  if (!yes && !prompter.interactive) {
    throw new UsageError(`${what} needs confirmation and there is no terminal to ask on: rerun with --yes`);
  }
}

/** Only "yes" goes ahead: a mistyped answer must not change production. */
export async function confirmOrAbort(question: string, yes: boolean, prompter: Prompter): Promise<void> {
  if (yes) return;
  const answer = (await prompter.ask(`${question} Type "yes" to continue: `)).trim().toLowerCase();
  if (answer !== "yes") throw new ConfirmationDeclinedError("cancelled: nothing was changed");
}
