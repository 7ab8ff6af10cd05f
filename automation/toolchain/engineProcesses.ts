import { spawn } from "node:child_process";
import * as path from "node:path";
import type { PulumiCommand } from "@pulumi/pulumi/automation";

// The Automation API's own result and error constructors, so callers still get its typed errors
// (ConcurrentUpdateError, StackNotFoundError, ...) from a CLI run started here. Internal to
// @pulumi/pulumi (pinned by the lockfile), hence the local declarations.
const { CommandResult } = require("@pulumi/pulumi/automation/cmd") as {
  CommandResult: new (stdout: string, stderr: string, code: number, err?: Error) => unknown;
};
const { createCommandError } = require("@pulumi/pulumi/automation/errors") as { createCommandError: (result: unknown) => Error };

/** How long the engine's plugins may outlive the CLI before they are killed. */
const PLUGIN_GRACE_MS = 5_000;
const POLL_MS = 50;

/** Process groups of engine runs still alive: each Pulumi CLI leads one, with its language host and plugins. */
const liveGroups = new Set<number>();
let cliCalls = 0;

/**
 * The pinned CLI, started in a process group of its own. A Ctrl-C at the terminal reaches only our
 * process (the group of the terminal's foreground job), never the engine directly: killing the
 * engine's plugins mid-call is what leaves stale locks and pending operations. We cancel the engine
 * on purpose instead, through the operation's AbortSignal (a SIGINT to the CLI alone, which cancels
 * gracefully and releases the lock), and can tell when every process of the run is gone. If our
 * process is killed outright, the engine outlives it and completes its operation.
 */
export function inOwnProcessGroup(cli: PulumiCommand): PulumiCommand {
  const grouped = {
    command: cli.command,
    version: cli.version,
    run: (args: string[], cwd: string, additionalEnv: Record<string, string>, onOutput?: (text: string) => void, onError?: (text: string) => void, signal?: AbortSignal) =>
      runGrouped(cli.command, args, cwd, additionalEnv, onOutput, onError, signal),
  };
  return grouped as unknown as PulumiCommand;
}

function runGrouped(
  command: string,
  args: string[],
  cwd: string,
  additionalEnv: Record<string, string>,
  onOutput?: (text: string) => void,
  onError?: (text: string) => void,
  signal?: AbortSignal,
): Promise<unknown> {
  // As the Automation API does: never prompt, and find the plugins bundled beside the CLI first.
  const fullArgs = args.includes("--non-interactive") ? args : [...args, "--non-interactive"];
  const env = {
    ...process.env,
    ...additionalEnv,
    PATH: [path.dirname(command), additionalEnv["PATH"] ?? process.env["PATH"] ?? ""].join(path.delimiter),
    PULUMI_AUTOMATION_API: "true",
  };
  cliCalls += 1;
  return new Promise((resolve, reject) => {
    // With SIGPIPE ignored (kept across exec), a CLI whose driver was killed gets write errors instead
    // of dying mid-operation, so it finishes the update and releases the lock by itself.
    const child = spawn("/bin/sh", ["-c", 'trap "" PIPE; exec "$0" "$@"', command, ...fullArgs], {
      cwd,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const group = child.pid;
    if (group !== undefined) liveGroups.add(group);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      onOutput?.(chunk.toString());
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      onError?.(chunk.toString());
    });
    const cancel = () => child.kill("SIGINT");
    if (signal?.aborted) cancel();
    signal?.addEventListener("abort", cancel, { once: true });
    child.once("error", (error) => {
      signal?.removeEventListener("abort", cancel);
      if (group !== undefined) liveGroups.delete(group);
      reject(createCommandError(new CommandResult("", error.message, -2, error)));
    });
    child.once("close", (code) => {
      signal?.removeEventListener("abort", cancel);
      const settle = () => {
        const result = new CommandResult(stdout, stderr, code ?? -1);
        if (code === 0) resolve(result);
        else reject(createCommandError(result));
      };
      if (group === undefined) return settle();
      void reapGroup(group).then(settle);
    });
  });
}

/** Whether any process of the group is alive (signal 0 probes without signalling). */
function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits for the plugins of a finished CLI run to exit, then kills what is left of its group. */
async function reapGroup(group: number): Promise<void> {
  const deadline = Date.now() + PLUGIN_GRACE_MS;
  while (groupAlive(group) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  if (groupAlive(group)) {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // it exited between the probe and the kill
    }
  }
  liveGroups.delete(group);
}

/** Engine runs still alive in this process. */
export function liveEngineRuns(): number {
  return liveGroups.size;
}

/** Resolves once no engine process started by this process is left. */
export async function engineProcessesGone(): Promise<void> {
  while (liveGroups.size > 0) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
}

/** How many Pulumi CLI processes this process has started (the bench reports it). */
export function pulumiCliCalls(): number {
  return cliCalls;
}
