import { execFileSync } from "node:child_process";
import { createInterface } from "node:readline";
import type { KeepRunning } from "../commands/demo";
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

/**
 * How `demo --keep-running` waits, decided when it starts waiting. At a terminal: until Enter (or
 * Ctrl-C). Without one (a script, a background job, a process manager): until SIGINT or SIGTERM,
 * whatever happens to stdin, which may be closed from the start. Both signals abort `signal`
 * (cli/interrupts.ts).
 */
export function keepRunningUntilStopped(signal: AbortSignal): () => KeepRunning {
  return () => {
    if (readsFromTerminal()) {
      return { howToStop: "moto keeps running. Press Enter here to stop it (its state is saved).", stopped: untilEnterPressed(signal) };
    }
    return {
      howToStop: `moto keeps running until this process gets SIGINT or SIGTERM (kill ${process.pid}); its state is saved then.`,
      stopped: signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true })),
    };
  };
}

/**
 * Whether stdin is a terminal this process may read: a background job (`&` at a prompt) still has the
 * terminal as stdin, but reading it would stop the job (SIGTTIN) instead of waiting for Enter.
 */
function readsFromTerminal(): boolean {
  if (!process.stdin.isTTY) return false;
  try {
    const [terminalGroup, ownGroup] = execFileSync("ps", ["-o", "tpgid=", "-o", "pgid=", "-p", String(process.pid)], { encoding: "utf8" })
      .trim()
      .split(/\s+/);
    return terminalGroup === ownGroup;
  } catch {
    return true; // no ps: a terminal as stdin is taken to be ours
  }
}

/** Resolves on the first line (or end) of stdin, or when the command is interrupted. */
function untilEnterPressed(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
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
