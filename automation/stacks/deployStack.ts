import type { OutputMap, Stack } from "@pulumi/pulumi/automation";
import type { Environment } from "../../infra/config";
import { encodeImportIds, IMPORT_IDS_VARIABLE, type ImportIds } from "../../infra/imports";
import { confirmOrAbort } from "../confirm";
import type { CommandContext } from "../context";
import { formatChangeSummary, hasChanges, type ChangeCounts } from "./changeSummary";
import { classifyEngineError } from "./knownFailures";

export interface DeployOptions {
  /** Skip prod's confirmation (it needs a terminal otherwise; checked before anything starts). */
  readonly yes: boolean;
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
  readonly outputs: OutputMap;
}

/** The engine options every operation shares: colour, live progress, and cancellation by interrupt. */
export function engineOptions(context: CommandContext) {
  return { color: context.io.color ? ("always" as const) : ("never" as const), onOutput: context.io.progress, signal: context.signal };
}

/**
 * `up` as every command runs it: prod first shows the preview and its change summary and asks (a run
 * that changes nothing needs no answer); imports are passed to the program for this update only; a
 * failure becomes its one-sentence known failure.
 */
export async function deployStack(pulumiStack: Stack, stack: Environment, options: DeployOptions, context: CommandContext): Promise<Deployed> {
  const engine = { ...engineOptions(context), refresh: options.refresh ?? false };
  const workspace = pulumiStack.workspace;
  if (options.importIds && Object.keys(options.importIds).length > 0) {
    workspace.envVars[IMPORT_IDS_VARIABLE] = encodeImportIds(options.importIds);
  }
  try {
    const ask = stack === "prod" && !options.yes;
    if (ask || options.showPreview) {
      const preview = await pulumiStack.preview(engine);
      context.io.report(`Preview of ${stack}: ${formatChangeSummary(preview.changeSummary)}\n`);
      if (ask && hasChanges(preview.changeSummary)) await confirmOrAbort(options.question ?? "Apply these changes to prod?", false, context.prompter);
    }
    const up = await pulumiStack.up(engine);
    const changes = up.summary.resourceChanges ?? {};
    context.io.report(`Changes to ${stack}: ${formatChangeSummary(changes)}\n`);
    return { changes, outputs: up.outputs };
  } catch (error) {
    throw classifyEngineError(stack, "update", error, context.signal);
  } finally {
    delete workspace.envVars[IMPORT_IDS_VARIABLE];
  }
}
