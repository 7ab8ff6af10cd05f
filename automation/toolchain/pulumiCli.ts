import * as path from "node:path";
import { PreflightError } from "../errors";
import { ourCommand } from "../stacks/printedCommands";
import { REPO_ROOT } from "../projectPaths";
import { inOwnProcessGroup, type PulumiCli } from "./engineProcesses";

export type { PulumiCli } from "./engineProcesses";

// Required by path, not imported: the compiled driver (dist/) runs from another directory than these plain
// Node modules, which setup.sh runs too.
const { pinnedPulumiVersion, requiredGoVersion } = require(path.join(REPO_ROOT, "tools", "pulumi", "pins.cjs")) as typeof import("../../tools/pulumi/pins.cjs");
const { SUPPORTED_PULUMI_RANGE, choosePulumiCli, pinnedBinDir } = require(
  path.join(REPO_ROOT, "automation", "toolchain", "pulumiCliChoice.cjs"),
) as typeof import("./pulumiCliChoice.cjs");

/** Raised when no Pulumi CLI is installed: neither one on PATH nor the pinned one setup builds. */
export class PulumiCliMissingError extends PreflightError {
  override readonly name = "PulumiCliMissingError";
}

/** Raised when the pulumi on PATH cannot run this project and setup has not built the pinned one. */
export class PulumiCliUnsupportedError extends PreflightError {
  override readonly name = "PulumiCliUnsupportedError";
}

/** The pinned release's root in Pulumi's layout (`<root>/bin/pulumi`), where the Automation API looks by default. */
export function pulumiInstallRoot(version = pinnedPulumiVersion()): string {
  return path.dirname(pinnedBinDir(process.env, version));
}

let found: Promise<PulumiCli> | undefined;

/**
 * The CLI pulumiCliChoice.cjs chooses (the one setup chose too), started in a process group of its
 * own (engineProcesses.ts). Looked up once per process.
 */
export function getPulumiCli(): Promise<PulumiCli> {
  found ??= findPulumiCli().then(inOwnProcessGroup);
  found.catch(() => (found = undefined));
  return found;
}

/** The lookup itself, uncached: a CLI to run, or the one sentence saying why there is none. */
export async function findPulumiCli(env: NodeJS.ProcessEnv = process.env): Promise<{ command: string; version: string }> {
  const choice = await choosePulumiCli({ env });
  switch (choice.use) {
    case "installed":
    case "pinned":
      return { command: choice.command, version: choice.version };
    case "refuse":
      throw new PulumiCliUnsupportedError(choice.line);
    case "build":
      throw new PulumiCliMissingError(
        `no Pulumi CLI is installed (none on PATH, none in ${path.dirname(choice.command)}): install a Pulumi CLI ${SUPPORTED_PULUMI_RANGE}, or run \`${ourCommand("setup")}\`, which builds the pinned v${choice.version} (with Go ${requiredGoVersion()} or later)`,
      );
  }
}
