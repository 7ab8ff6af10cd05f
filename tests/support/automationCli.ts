import { PulumiCommand } from "@pulumi/pulumi/automation";
import { findPulumiCli, pulumiInstallRoot } from "../../automation/toolchain/pulumiCli";

/**
 * The Automation API's own handle on the CLI the driver chooses: the pinned build through its install
 * root, the operator's installed one as the Automation API finds it by default (first on PATH).
 */
export async function chosenPulumiCommand(): Promise<PulumiCommand> {
  const { command } = await findPulumiCli();
  const pinnedRoot = pulumiInstallRoot();
  return PulumiCommand.get(command.startsWith(pinnedRoot) ? { root: pinnedRoot } : {});
}
