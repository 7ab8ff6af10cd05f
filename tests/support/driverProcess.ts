import { spawn } from "node:child_process";
import * as path from "node:path";
import { SILENCE_SDK_NODE_NOTICE } from "../../automation/aws/sdkNotice";
import { REPO_ROOT } from "../../automation/projectPaths";
import { isolatedEnv } from "../../harness/isolatedEnv";

/** The CLI as `npm run <command>` and the `talentbase-iam` bin start it. */
const CLI = path.join(REPO_ROOT, "bin", "talentbase-iam.js");

export type DriverCommand = "provision" | "outputs" | "verify" | "destroy" | "demo" | "rotate" | "retire-key" | "repair" | "pulumi";

export interface DriverRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface DriverRunOptions {
  /** Added to the cleaned environment (TALENTBASE_IAM_*, AWS_ENDPOINT_URL, credentials...). */
  readonly env?: Record<string, string>;
  /** Written to the command's stdin, which is then closed (never a terminal). */
  readonly input?: string;
  /** A process group of its own, as a shell starts a job: a signal to the group reaches it as Ctrl-C would. */
  readonly ownGroup?: boolean;
}

/** The isolated environment of a sandboxed command, quiet and without colour for assertions. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return isolatedEnv({ ...SILENCE_SDK_NODE_NOTICE, NO_COLOR: "1", ...extra });
}

/** Spawns `talentbase-iam <command> ...args` as `npm run <command> -- ...args` does. */
export function spawnDriver(command: DriverCommand, args: readonly string[], options: DriverRunOptions = {}) {
  const child = spawn(process.execPath, [CLI, command, ...args], {
    cwd: REPO_ROOT,
    env: cleanEnv(options.env),
    stdio: ["pipe", "pipe", "pipe"],
    detached: options.ownGroup ?? false,
  });
  if (options.input !== undefined) child.stdin.end(options.input);
  return child;
}

export function runDriver(command: DriverCommand, args: readonly string[], options: DriverRunOptions = {}): Promise<DriverRun> {
  const child = spawnDriver(command, args, { input: "", ...options });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Starts a command on a pseudo-terminal (util-linux `script`), as an operator at a prompt would: what
 * is written to the child's stdin is typed into the terminal, its stdout is the terminal's (stdout and
 * stderr together). `background` starts it as `command &` at a prompt with job control does: the
 * terminal is still its stdin, but another process group has the terminal's foreground.
 */
export function spawnDriverInTerminal(command: DriverCommand, args: readonly string[], options: DriverRunOptions & { background?: boolean } = {}) {
  const commandLine = [process.execPath, CLI, command, ...args].join(" ");
  const shellLine = options.background ? `bash -c 'set -m; ${commandLine} & wait $!'` : commandLine;
  return spawn("script", ["--quiet", "--return", "--command", shellLine, "/dev/null"], {
    cwd: REPO_ROOT,
    env: cleanEnv(options.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Runs a command on a pseudo-terminal (spawnDriverInTerminal); `input` is typed into it. */
export function runDriverInTerminal(command: DriverCommand, args: readonly string[], options: DriverRunOptions = {}): Promise<DriverRun> {
  const child = spawnDriverInTerminal(command, args, options);
  child.stdin.end(options.input ?? "");
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr: "" }));
  });
}
