import { homedir } from "node:os";
import * as path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { pinnedPulumiVersion } from "../../tools/pulumi/pins.cjs";
import { PreflightError } from "../errors";
import { inOwnProcessGroup } from "./engineProcesses";

/** Raised when the pinned Pulumi CLI is neither installed by setup nor on PATH. */
export class PulumiCliMissingError extends PreflightError {
  override readonly name = "PulumiCliMissingError";
}

/** Where scripts/setup.sh installs the CLI, which is also where the Automation API looks by default. */
export function pulumiInstallRoot(version = pinnedPulumiVersion()): string {
  return path.join(process.env["PULUMI_HOME"] ?? path.join(homedir(), ".pulumi"), "versions", version);
}

let found: Promise<PulumiCommand> | undefined;

/**
 * The pinned CLI: the one setup installed, else a `pulumi` on PATH of the same version, started in a
 * process group of its own (engineProcesses.ts). A different version is refused so that every run
 * uses the engine the tests ran against. Looked up once per process.
 */
export function getPulumiCli(): Promise<PulumiCommand> {
  found ??= findPinnedCli().then(inOwnProcessGroup);
  found.catch(() => (found = undefined));
  return found;
}

/** The lookup itself, uncached. */
export async function findPinnedCli(): Promise<PulumiCommand> {
  const version = pinnedPulumiVersion();
  const candidates: Array<{ root?: string; where: string }> = [
    { root: pulumiInstallRoot(version), where: pulumiInstallRoot(version) },
    { where: "PATH" },
  ];
  const found: string[] = [];
  for (const { root, where } of candidates) {
    try {
      const cli = await PulumiCommand.get(root ? { root } : {});
      if (cli.version?.version === version) return cli;
      found.push(`${where} has v${cli.version?.version ?? "unknown"}`);
    } catch {
      found.push(`none in ${where}`);
    }
  }
  throw new PulumiCliMissingError(
    `Pulumi CLI v${version} is not installed (${found.join("; ")}): run \`npm run setup\``,
  );
}
