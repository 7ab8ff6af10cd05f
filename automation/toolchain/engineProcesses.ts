import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, closeSync, openSync, readSync, rmSync } from "node:fs";
import * as path from "node:path";
import { makeRunScratch } from "../files/runScratch";

interface AutomationInternals {
  CommandResult: new (stdout: string, stderr: string, code: number, err?: Error) => unknown;
  createCommandError: (result: unknown) => Error;
}

/**
 * The Automation API's own result and error constructors, so callers still get its typed errors
 * (ConcurrentUpdateError, StackNotFoundError, ...) from a CLI run started here. Internal to
 * @pulumi/pulumi (pinned by the lockfile), hence the local declarations; loaded on first use.
 */
function automationInternals(): AutomationInternals {
  return {
    ...(require("@pulumi/pulumi/automation/cmd") as Pick<AutomationInternals, "CommandResult">),
    ...(require("@pulumi/pulumi/automation/errors") as Pick<AutomationInternals, "createCommandError">),
  };
}

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
 * process is killed outright, the engine outlives it and completes its operation (see fileCapture).
 */
export function inOwnProcessGroup(cli: { command: string; version: string }): PulumiCli {
  return {
    ...cli,
    run: (args, cwd, additionalEnv, onOutput, onError, signal) => runGrouped(cli.command, args, cwd, additionalEnv, onOutput, onError, signal),
  };
}

/** What a CLI run returns: its output (a failure rejects with the Automation API's typed error). */
export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** The pinned Pulumi CLI, as the Automation API's PulumiCommand runs it, in its own process group. */
export interface PulumiCli {
  readonly command: string;
  readonly version: string;
  run(
    args: string[],
    cwd: string,
    additionalEnv: Record<string, string>,
    onOutput?: (text: string) => void,
    onError?: (text: string) => void,
    signal?: AbortSignal,
  ): Promise<CliResult>;
}

/** Engine operations: their output holds no plaintext secret (the engine masks them). */
const ENGINE_OPERATIONS = new Set(["up", "preview", "refresh", "destroy"]);

function runGrouped(
  command: string,
  args: string[],
  cwd: string,
  additionalEnv: Record<string, string>,
  onOutput?: (text: string) => void,
  onError?: (text: string) => void,
  signal?: AbortSignal,
): Promise<CliResult> {
  // As the Automation API does: never prompt, and find the plugins bundled beside the CLI first.
  const fullArgs = args.includes("--non-interactive") ? args : [...args, "--non-interactive"];
  const env = {
    ...process.env,
    ...additionalEnv,
    PATH: [path.dirname(command), additionalEnv["PATH"] ?? process.env["PATH"] ?? ""].join(path.delimiter),
    PULUMI_AUTOMATION_API: "true",
  };
  cliCalls += 1;
  const started = performance.now();
  // An engine operation writes to files we follow, not to pipes: if our process is killed, a pipe's
  // broken end would kill the CLI at its next line of progress (Go dies of SIGPIPE on stdout), in
  // the middle of the operation. Writing to files, it finishes and releases the lock by itself.
  const capture = ENGINE_OPERATIONS.has(args[0] ?? "") ? fileCapture(onOutput, onError) : pipeCapture(onOutput, onError);
  const { CommandResult, createCommandError } = automationInternals();
  return new Promise((resolve, reject) => {
    const child = spawn(command, fullArgs, { cwd, env, detached: true, stdio: ["ignore", ...capture.stdio] });
    const group = child.pid;
    if (group !== undefined) liveGroups.add(group);
    capture.follow(child);
    const cancel = () => child.kill("SIGINT");
    if (signal?.aborted) cancel();
    signal?.addEventListener("abort", cancel, { once: true });
    child.once("error", (error) => {
      signal?.removeEventListener("abort", cancel);
      if (group !== undefined) liveGroups.delete(group);
      void capture.finish().finally(() => reject(createCommandError(new CommandResult("", error.message, -2, error))));
    });
    child.once("close", (code) => {
      signal?.removeEventListener("abort", cancel);
      void (group === undefined ? Promise.resolve() : reapGroup(group))
        .then(() => capture.finish())
        .then(({ stdout, stderr }) => {
          traceCliCall(args, performance.now() - started);
          const result = new CommandResult(stdout, stderr, code ?? -1);
          if (code === 0) resolve(result as CliResult);
          else reject(createCommandError(result));
        });
    });
  });
}

/** Where a CLI run's stdout and stderr go, and how we read them as they come. */
interface Capture {
  readonly stdio: ["pipe", "pipe"] | [number, number];
  follow(child: ChildProcess): void;
  /** Everything written, once the run has ended. */
  finish(): Promise<{ stdout: string; stderr: string }>;
}

function pipeCapture(onOutput?: (text: string) => void, onError?: (text: string) => void): Capture {
  let stdout = "";
  let stderr = "";
  return {
    stdio: ["pipe", "pipe"],
    follow(child) {
      child.stdout?.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        onOutput?.(chunk.toString());
      });
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        onError?.(chunk.toString());
      });
    },
    finish: async () => ({ stdout, stderr }),
  };
}

const FOLLOW_MS = 50;

/** Two owner-only files in a private directory, read from as the CLI writes them, removed afterwards. */
function fileCapture(onOutput?: (text: string) => void, onError?: (text: string) => void): Capture {
  const dir = makeRunScratch("engine");
  const streams = [
    { file: path.join(dir, "stdout"), emit: onOutput, text: "", offset: 0 },
    { file: path.join(dir, "stderr"), emit: onError, text: "", offset: 0 },
  ].map((stream) => ({ ...stream, fd: openSync(stream.file, "w+", 0o600) }));
  const decoders = streams.map(() => new TextDecoder());
  const drain = () => {
    streams.forEach((stream, index) => {
      const buffer = Buffer.alloc(64 * 1024);
      for (;;) {
        const read = readSync(stream.fd, buffer, 0, buffer.length, stream.offset);
        if (read === 0) break;
        stream.offset += read;
        const text = decoders[index]!.decode(buffer.subarray(0, read), { stream: true });
        stream.text += text;
        if (text) stream.emit?.(text);
      }
    });
  };
  let timer: NodeJS.Timeout | undefined;
  return {
    stdio: [streams[0]!.fd, streams[1]!.fd],
    follow() {
      timer = setInterval(drain, FOLLOW_MS);
    },
    async finish() {
      clearInterval(timer);
      drain();
      for (const stream of streams) closeSync(stream.fd);
      rmSync(dir, { recursive: true, force: true });
      return { stdout: streams[0]!.text, stderr: streams[1]!.text };
    },
  };
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

/** How many Pulumi CLI processes this process has started. */
export function pulumiCliCalls(): number {
  return cliCalls;
}

/**
 * With TALENTBASE_IAM_TRACE_CLI naming a file, each Pulumi CLI call is appended to it as a JSON line
 * (its subcommand and milliseconds): how the bench counts and times the CLI calls of a command.
 */
function traceCliCall(args: readonly string[], ms: number): void {
  const file = process.env["TALENTBASE_IAM_TRACE_CLI"];
  if (!file) return;
  // The words before the first flag (`up`, `stack output`): a flag's value is not a subcommand.
  const firstFlag = args.findIndex((arg) => arg.startsWith("-"));
  const subcommand = (firstFlag === -1 ? args : args.slice(0, firstFlag)).slice(0, 2).join(" ");
  appendFileSync(file, `${JSON.stringify({ call: subcommand, ms: Math.round(ms) })}\n`);
}
