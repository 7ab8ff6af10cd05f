import { rm, writeFile } from "node:fs/promises";
import * as path from "node:path";
import type { Environment } from "../../infra/config";
import { makeRunScratch } from "../files/runScratch";
import type { ProjectPaths } from "../projectPaths";
import type { CliResult } from "../toolchain/engineProcesses";
import { openEngineEventStream } from "../toolchain/engineEventStream";
import { getPulumiCli } from "../toolchain/pulumiCli";
import type { ChangeCounts } from "./changeSummary";
import { profileOf } from "../stacks/stackProfile";

/**
 * The Pulumi CLI calls the driver makes itself, each exactly the call it needs: the Automation API's
 * conveniences add calls (`stack select` before everything, every output read twice with and without
 * `--show-secrets`, `stack history` after an update) and reveal secrets it does not need to
 * (`stack export --show-secrets`, whose plaintext `stack import` then writes to a temporary file).
 * Calls go through the Automation API's command runner (ours: toolchain/engineProcesses.ts), in the
 * stack's engine environment, on the project directory.
 */
export interface StackTarget {
  readonly stack: Environment;
  readonly paths: ProjectPaths;
  /** moto's URL for `local`; the operator's AWS_ENDPOINT_URL, if any, for the others. */
  readonly endpoint: string | undefined;
}

export interface CallOptions {
  readonly onOutput?: (text: string) => void;
  readonly signal?: AbortSignal;
  /** Variables for this call only (the program's import ids). */
  readonly env?: Readonly<Record<string, string>>;
}

/** One CLI call on the stack; a failure is the Automation API's typed error (StackNotFoundError, ...). */
export async function runOnStack(target: StackTarget, args: readonly string[], options: CallOptions = {}): Promise<CliResult> {
  const cli = await getPulumiCli();
  const env = { ...profileOf(target.stack).engineEnvironment(target.paths, target.endpoint), ...(options.env ?? {}) };
  return cli.run([...args, "--stack", target.stack], target.paths.projectDir, env, options.onOutput, undefined, options.signal);
}

/** The stack's outputs as plain values: one call; the secret only when asked for (it costs the key derivation). */
export async function readStackOutputs(target: StackTarget, showSecrets: boolean): Promise<Record<string, unknown>> {
  const { stdout } = await runOnStack(target, ["stack", "output", "--json", ...(showSecrets ? ["--show-secrets"] : [])]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** The stack's checkpoint, secrets left encrypted (`stack export` without --show-secrets). */
export async function exportCheckpoint(target: StackTarget): Promise<{ version: number; deployment: Record<string, unknown> }> {
  const { stdout } = await runOnStack(target, ["stack", "export"]);
  return JSON.parse(stdout) as { version: number; deployment: Record<string, unknown> };
}

/** Replaces the stack's checkpoint through a private temporary file; its secrets stay ciphertext. */
export async function importCheckpoint(target: StackTarget, checkpoint: unknown): Promise<void> {
  const dir = makeRunScratch("checkpoint");
  try {
    const file = path.join(dir, "checkpoint.json");
    await writeFile(file, JSON.stringify(checkpoint), { mode: 0o600 });
    await runOnStack(target, ["stack", "import", "--file", file]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export type EngineOperation = "up" | "preview" | "destroy";

export interface EngineRunOptions extends CallOptions {
  /** Refresh the state from the cloud first. */
  readonly refresh?: boolean;
  readonly color: "always" | "never";
}

/**
 * An engine operation as one CLI call, its resource changes read from the engine's own event stream
 * (received in memory over loopback: the engine's debug events quote secret outputs in plaintext, so
 * they must never reach a file).
 */
export async function runEngineOperation(target: StackTarget, operation: EngineOperation, options: EngineRunOptions): Promise<ChangeCounts> {
  let changes: ChangeCounts = {};
  const events = await openEngineEventStream((event) => {
    const summary = changesOf(event);
    if (summary) changes = summary;
  });
  try {
    const args = [
      operation,
      ...(operation === "preview" ? [] : ["--yes", "--skip-preview"]),
      ...(options.refresh ? ["--refresh"] : []),
      "--color",
      options.color,
      "--exec-kind",
      "auto.local",
      "--event-log",
      events.address,
    ];
    // --event-log is one of the CLI's debug flags, offered only with PULUMI_DEBUG_COMMANDS (as the Automation API sets it).
    await runOnStack(target, args, { ...options, env: { ...(options.env ?? {}), PULUMI_DEBUG_COMMANDS: "true" } });
    return changes;
  } finally {
    events.close();
  }
}

/** The resource changes of the engine's summary event (`{ create: 6 }`, `{ same: 6 }`); undefined for any other event. */
export function changesOf(event: Record<string, unknown>): ChangeCounts | undefined {
  const summary = event["summaryEvent"] as { resourceChanges?: Record<string, number> } | undefined;
  return summary ? (summary.resourceChanges ?? {}) : undefined;
}
