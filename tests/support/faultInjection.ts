import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { spawnDriver, type DriverCommand, type DriverRunOptions } from "./driverProcess";

/** Ctrl-C; an outright kill of every process of the run; or of the driver alone (an OOM kill), its engine carrying on. */
export type Fault = "SIGINT" | "SIGKILL" | "SIGKILL-driver";

export interface FaultedRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
  /** Whether the marker appeared and the fault was injected. */
  readonly injected: boolean;
}

/** Every process descending from `root` (the engine and its plugins included), from `ps`. */
async function descendantsOf(root: number): Promise<number[]> {
  const { stdout } = await promisify(execFile)("ps", ["-eo", "pid=,ppid="]);
  const children = new Map<number, number[]>();
  for (const line of stdout.trim().split("\n")) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    children.set(ppid!, [...(children.get(ppid!) ?? []), pid!]);
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}

/**
 * Runs a command and injects a fault the moment `marker` appears in its output (the engine's own
 * progress lines, never a timer). SIGINT goes to the command's process group, as a Ctrl-C at the
 * terminal does. SIGKILL takes down every process of the run at once, the engine and its plugins
 * included, as a power cut would; SIGKILL-driver only the driver, as the OOM killer picks one process.
 */
export interface FaultOptions extends DriverRunOptions {
  /** After the marker, a SIGKILL waits until this holds (e.g. the state shows the pending operation): up to 30 s. */
  readonly killOnceTrue?: () => Promise<boolean>;
}

export function runWithFault(command: DriverCommand, args: readonly string[], marker: string, fault: Fault, options: FaultOptions = {}): Promise<FaultedRun> {
  const child = spawnDriver(command, args, { input: "", ...options, ownGroup: true });
  let output = "";
  let injected = false;
  const inject = async () => {
    injected = true;
    if (fault === "SIGINT") {
      process.kill(-child.pid!, "SIGINT");
      return;
    }
    if (fault === "SIGKILL-driver") {
      process.kill(child.pid!, "SIGKILL");
      return;
    }
    if (options.killOnceTrue) {
      const deadline = Date.now() + 30_000;
      while (!(await options.killOnceTrue()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const everything = [child.pid!, ...(await descendantsOf(child.pid!))];
    for (const pid of everything) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  const watch = (chunk: Buffer) => {
    output += chunk.toString();
    if (!injected && output.includes(marker)) void inject();
  };
  child.stdout.on("data", watch);
  child.stderr.on("data", watch);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, output, injected }));
  });
}

/** Processes of ours still alive for a test: those whose environment names the test's project copy. */
export async function processesOfProject(projectDir: string): Promise<number[]> {
  const marker = `TALENTBASE_IAM_PROJECT_DIR=${projectDir}`;
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const environ = await readFile(`/proc/${entry}/environ`, "utf8").catch(() => "");
    if (environ.split("\0").includes(marker)) found.push(Number(entry));
  }
  return found;
}

/** Waits until no process of the test's project is left, up to `timeoutMs`; returns those still alive. */
export async function awaitNoProcessesOf(projectDir: string, timeoutMs = 15_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = await processesOfProject(projectDir);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
