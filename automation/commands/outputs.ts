import { openStack } from "../stacks/openStack";
import { parseStackName } from "../stacks/stackSelection";
import type { CommandContext } from "./commandContext";
import { renderDjangoEnv, renderOutputsJson, toStackOutputs } from "./deployedOutputs";
import { UsageError } from "./errors";
import { classifyEngineError } from "./knownFailures";
import { prepareStack } from "./prepareStack";
import { checkPrivateFileTarget, writePrivateFile } from "./privateFile";

export const OUTPUT_FORMATS = ["json", "env"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface OutputsOptions {
  readonly stack: string;
  readonly format: string;
  readonly showSecrets: boolean;
  /** Write to this file (mode 0600) instead of returning the text for stdout. */
  readonly out?: string;
  readonly force: boolean;
}

export interface OutputsResult {
  /** The rendered outputs, for stdout when nothing was written to a file. */
  readonly text: string;
  /** Absolute path written, when --out was given. */
  readonly writtenTo?: string;
}

/** What the Django deploy consumes, read from the stack's state (no AWS call). */
export async function outputs(options: OutputsOptions, context: CommandContext): Promise<OutputsResult> {
  const stack = parseStackName(options.stack);
  const format = parseFormat(options.format);
  const { endpoint } = await prepareStack(stack, context, false);
  if (options.out) await checkPrivateFileTarget(options.out, { force: options.force });

  let deployed;
  try {
    deployed = toStackOutputs(stack, await (await openStack(stack, { paths: context.paths, endpoint, create: false })).outputs());
  } catch (error) {
    throw classifyEngineError(stack, "reading the outputs", error);
  }
  const text = format === "env"
    ? renderDjangoEnv(deployed, { showSecrets: options.showSecrets, ...(endpoint ? { endpoint } : {}) })
    : renderOutputsJson(deployed, options.showSecrets);
  if (!options.out) return { text };
  return { text, writtenTo: await writePrivateFile(options.out, text, { force: options.force }) };
}

function parseFormat(format: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(format)) return format as OutputFormat;
  throw new UsageError(`unknown format "${format}": choose one of ${OUTPUT_FORMATS.join(", ")}`);
}
