import { spawn } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../../automation/projectPaths";
import { cleanEnv } from "./driverProcess";

/** What the poller saw, as it prints it on SIGTERM. */
export interface PollerReport {
  readonly calls: number;
  readonly failures: readonly string[];
  readonly keysUsed: readonly string[];
}

export interface RunningPoller {
  /** Resolves once the poller has printed `text` (e.g. `using AKIA...`). */
  waitFor(text: string): Promise<void>;
  /** The counts so far: for the calls made in a window, subtract two snapshots. */
  snapshot(): Promise<{ calls: number; failures: number }>;
  /** A redeploy: the poller re-reads the outputs file and uses the key it names now. */
  redeploy(): void;
  /** Stops it and returns its summary. */
  stop(): Promise<PollerReport>;
  /** For `after` hooks: gone, whatever state it is in. */
  kill(): void;
}

/** Starts tests/support/s3Poller.ts on an outputs file, against moto at `endpoint`. */
export function startS3Poller(outputsFile: string, endpoint: string): RunningPoller {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "tests", "support", "s3Poller.ts"), outputsFile, endpoint], {
    cwd: REPO_ROOT,
    env: cleanEnv(),
  });
  let output = "";
  const listeners = new Set<() => void>();
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  });
  const waitForMatch = <T>(find: (text: string) => T | undefined, from = 0): Promise<T> =>
    new Promise((resolve) => {
      const check = () => {
        const found = find(output.slice(from));
        if (found === undefined) return;
        listeners.delete(check);
        resolve(found);
      };
      listeners.add(check);
      check();
    });
  return {
    waitFor: (text) => waitForMatch((seen) => (seen.includes(text) ? true : undefined)).then(() => undefined),
    snapshot() {
      const from = output.length;
      child.kill("SIGUSR2");
      return waitForMatch((seen) => {
        const line = /^snapshot (\{.*\})$/m.exec(seen)?.[1];
        return line ? (JSON.parse(line) as { calls: number; failures: number }) : undefined;
      }, from);
    },
    redeploy: () => child.kill("SIGUSR1"),
    async stop() {
      const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
      child.kill("SIGTERM");
      await closed;
      return JSON.parse(output.trim().split("\n").at(-1)!) as PollerReport;
    },
    kill: () => child.kill("SIGKILL"),
  };
}
