import type { CommandContext } from "../context";
import { OUTPUT_FORMATS, type OutputFormat } from "./choices";
import { UsageError } from "../errors";
import { renderDjangoEnv, renderOutputsJson } from "../engine/deployedOutputs";
import { openStackSession } from "../session/stackSession";

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
  const session = await openStackSession(options.stack, context, { operation: "read", reachesAws: false });
  const format = parseFormat(options.format);
  const { endpoint } = session;
  // The file writer is loaded for --out only: printing to stdout, the common case, does without it.
  const out = options.out ? { path: options.out, writer: require("../files/privateFile") as typeof import("../files/privateFile") } : undefined;
  if (out) await out.writer.checkPrivateFileTarget(out.path, { force: options.force });

  const { outputs: deployed } = await session.outputs(options.showSecrets);
  const text =
    format === "env"
      ? renderDjangoEnv(deployed, { showSecrets: options.showSecrets, ...(endpoint ? { endpoint } : {}) })
      : renderOutputsJson(deployed, options.showSecrets);
  if (!out) return { text };
  return { text, writtenTo: await out.writer.writePrivateFile(out.path, text, { force: options.force }) };
}

function parseFormat(format: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(format)) return format as OutputFormat;
  throw new UsageError(`unknown format "${format}": choose one of ${OUTPUT_FORMATS.join(", ")}`);
}
