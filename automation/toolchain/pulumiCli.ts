import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { PreflightError } from "../errors";
import { ourCommand } from "../stacks/printedCommands";
import { REPO_ROOT } from "../projectPaths";
import { inOwnProcessGroup, type PulumiCli } from "./engineProcesses";

export type { PulumiCli } from "./engineProcesses";

// Required by path, not imported: the compiled driver (dist/) runs from another directory than this source.
const { pinnedPulumiVersion } = require(path.join(REPO_ROOT, "tools", "pulumi", "pins.cjs")) as typeof import("../../tools/pulumi/pins.cjs");

/** Raised when the pinned Pulumi CLI is neither installed by setup nor on PATH. */
export class PulumiCliMissingError extends PreflightError {
  override readonly name = "PulumiCliMissingError";
}

/** Where scripts/setup.sh installs the CLI, which is also where the Automation API looks by default. */
export function pulumiInstallRoot(version = pinnedPulumiVersion()): string {
  return path.join(process.env["PULUMI_HOME"] ?? path.join(homedir(), ".pulumi"), "versions", version);
}

let found: Promise<PulumiCli> | undefined;

/**
 * The pinned CLI: the one setup installed, else a `pulumi` on PATH of the same version, started in a
 * process group of its own (engineProcesses.ts). A different version is refused so that every run
 * uses the engine the tests ran against. Looked up once per process.
 */
export function getPulumiCli(): Promise<PulumiCli> {
  found ??= findPinnedCli().then(inOwnProcessGroup);
  found.catch(() => (found = undefined));
  return found;
}

/**
 * The lookup itself, uncached. The install root is trusted by its name, as Pulumi's own layout
 * (`versions/<version>/bin`) intends and setup checked when it built it; a `pulumi` on PATH is asked
 * its version (one CLI start).
 */
export async function findPinnedCli(): Promise<{ command: string; version: string }> {
  const version = pinnedPulumiVersion();
  const installed = path.join(pulumiInstallRoot(version), "bin", "pulumi");
  if (existsSync(installed)) return { command: installed, version };
  const seen = [`none in ${pulumiInstallRoot(version)}`];
  try {
    const { stdout } = await promisify(execFile)("pulumi", ["version"], { env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
    const onPath = stdout.trim().replace(/^v/, "");
    if (onPath === version) return { command: "pulumi", version };
    seen.push(`PATH has v${onPath}`);
  } catch {
    seen.push("none in PATH");
  }
  throw new PulumiCliMissingError(`Pulumi CLI v${version} is not installed (${seen.join("; ")}): run \`${ourCommand("setup")}\``);
}
