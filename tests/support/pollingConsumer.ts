import { spawn } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../../automation/projectPaths";
import { cleanEnv } from "./driverProcess";

/** What the consumer reports when stopped. */
export interface ConsumerReport {
  readonly calls: number;
  readonly failures: readonly string[];
  readonly keysUsed: readonly string[];
}

export interface PollingConsumer {
  /** Resolves once the consumer has printed `text` (e.g. `using AKIA...`). */
  says(text: string): Promise<void>;
  /** A redeploy: the consumer re-reads the outputs file and signs with the key it names now. */
  redeploy(): void;
  stop(): Promise<ConsumerReport>;
}

/**
 * The running Django backend, as a test sees it: tests/support/s3Poller.ts in a process of its own,
 * making S3 calls every 100 ms with the key an outputs file (`outputs --show-secrets --out FILE`) names.
 */
export function startPollingConsumer(outputsFile: string, endpoint: string): PollingConsumer {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "tests", "support", "s3Poller.ts"), outputsFile, endpoint], {
    cwd: REPO_ROOT,
    env: cleanEnv(),
  });
  let output = "";
  const waiting: { text: string; resolve: () => void }[] = [];
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    for (const wait of waiting.filter((candidate) => output.includes(candidate.text))) {
      waiting.splice(waiting.indexOf(wait), 1);
      wait.resolve();
    }
  });
  return {
    says: (text) => (output.includes(text) ? Promise.resolve() : new Promise((resolve) => waiting.push({ text, resolve }))),
    redeploy: () => child.kill("SIGUSR1"),
    async stop() {
      const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
      child.kill("SIGTERM");
      await closed;
      return JSON.parse(output.trim().split("\n").at(-1)!) as ConsumerReport;
    },
  };
}
