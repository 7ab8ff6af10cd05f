import { encodeImportIds, IMPORT_IDS_VARIABLE, type ImportIds } from "../../infra/imports";
import { withRunnableEngineHints } from "../stacks/printedCommands";
import { confirmOrAbort } from "../confirm";
import type { CommandContext } from "../context";
import { formatChangeSummary, hasChanges, type ChangeCounts } from "./changeSummary";
import type { OutputValues } from "./deployedOutputs";
import { classifyEngineError } from "./engineFailures";
import { readStackOutputs, runEngineOperation, type EngineOperation, type StackTarget } from "./stackCalls";

export interface DeployOptions {
  /** Show the preview and ask before updating (prod without --yes; the way to ask was checked before anything started). */
  readonly asks: boolean;
  /** Refresh the state from AWS first. */
  readonly refresh?: boolean;
  /** Existing IAM objects the program takes over in this update (adoption, repair). */
  readonly importIds?: ImportIds;
  /** What the confirmation asks, e.g. "Apply these changes to prod?". */
  readonly question?: string;
  /** Show the preview before updating on every stack, not only where prod asks. */
  readonly showPreview?: boolean;
}

export interface Deployed {
  readonly changes: ChangeCounts;
  /** Every output, the secret included (the caller wraps it before anything prints). */
  readonly outputs: OutputValues;
}

/** An engine operation with the command's colour, live progress and cancellation by interrupt. */
export async function runEngine(
  target: StackTarget,
  operation: EngineOperation,
  context: CommandContext,
  options: { refresh?: boolean; importIds?: ImportIds } = {},
): Promise<ChangeCounts> {
  const imports = options.importIds && Object.keys(options.importIds).length > 0 ? { [IMPORT_IDS_VARIABLE]: encodeImportIds(options.importIds) } : undefined;
  const progress = engineProgress(target, context.io.progress);
  try {
    return await runEngineOperation(target, operation, {
      color: context.io.color ? "always" : "never",
      onOutput: progress.write,
      signal: context.signal,
      ...(options.refresh ? { refresh: true } : {}),
      ...(imports ? { env: imports } : {}),
    });
  } finally {
    progress.flush();
  }
}

/**
 * The engine's progress as it comes, each Pulumi command it suggests rewritten to the form that runs
 * as printed. A partial line goes out at once (the engine's dots of a long step), unless it may be
 * the start of a suggested command, which waits for the rest of its line.
 */
function engineProgress(target: StackTarget, write: (text: string) => void): { write: (text: string) => void; flush: () => void } {
  let pending = "";
  return {
    write(text) {
      const lines = (pending + text).split("\n");
      const partial = lines.pop()!;
      pending = partial.includes("`") ? partial : "";
      const ready = lines.map((line) => `${line}\n`).join("") + (pending ? "" : partial);
      if (ready) write(withRunnableEngineHints(target.stack, ready));
    },
    flush() {
      if (pending) write(withRunnableEngineHints(target.stack, pending));
      pending = "";
    },
  };
}

/**
 * `up` as every command runs it: where it asks (prod), the preview and its change summary first, then
 * the question (a run that changes nothing needs no answer); imports are passed to the program for
 * this update only; the outputs are read once afterwards; a failure becomes its one-sentence known failure.
 */
export async function deployStack(target: StackTarget, options: DeployOptions, context: CommandContext): Promise<Deployed> {
  const { stack } = target;
  const engine = { refresh: options.refresh ?? false, ...(options.importIds ? { importIds: options.importIds } : {}) };
  try {
    const ask = options.asks;
    if (ask || options.showPreview) {
      const preview = await runEngine(target, "preview", context, engine);
      context.io.report(`Preview of ${stack}: ${formatChangeSummary(preview)}\n`);
      if (ask && hasChanges(preview)) await confirmOrAbort(options.question ?? "Apply these changes to prod?", false, context.prompter);
    }
    const changes = await runEngine(target, "up", context, engine);
    context.io.report(`Changes to ${stack}: ${formatChangeSummary(changes)}\n`);
    return { changes, outputs: await readStackOutputs(target, true) };
  } catch (error) {
    throw classifyEngineError(stack, "update", error, context.signal);
  }
}
