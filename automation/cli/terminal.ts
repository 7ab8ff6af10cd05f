import { createInterface } from "node:readline";
import { defaultCommandContext, type CommandContext } from "../context";

/** Where output goes: with --json only the JSON document may reach stdout; progress goes to stderr. */
export function cliContext(options: { json: boolean; debug: boolean; signal: AbortSignal }): CommandContext {
  const progressStream = options.json ? process.stderr : process.stdout;
  return defaultCommandContext(
    {
      progress: (text) => progressStream.write(text),
      report: (text) => progressStream.write(text),
      color: Boolean(progressStream.isTTY) && !process.env["NO_COLOR"],
    },
    { debug: options.debug, signal: options.signal },
  );
}

/** Resolves on the first line (or end) of stdin, or when the command is interrupted. */
export function untilEnterPressed(signal: AbortSignal): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      const lines = createInterface({ input: process.stdin });
      const done = () => {
        signal.removeEventListener("abort", done);
        lines.close();
        resolve();
      };
      lines.once("line", done);
      lines.once("close", done);
      signal.addEventListener("abort", done, { once: true });
    });
}
