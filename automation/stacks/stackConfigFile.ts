import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { CONFIG_NAMESPACE, ConfigError, parseStackConfig, type RawStackConfig, type StackSettings } from "../../infra/config";
import { getPulumiCli } from "../toolchain/pulumiCli";
import { UsageError } from "../errors";

/**
 * A stack's settings as `pulumi up` will see them: Pulumi.yaml's project config overlaid by
 * Pulumi.<stack>.yaml, validated by the program's own parseStackConfig. Read from the files, so
 * it needs neither a backend login nor AWS: the driver checks config before any API call.
 */
export async function readStackSettings(projectDir: string, stack: string): Promise<StackSettings> {
  const workspace = await LocalWorkspace.create({ workDir: projectDir, pulumiCommand: await getPulumiCli() });
  const project = await workspace.projectSettings();
  let stackConfig: Record<string, unknown> = {};
  try {
    stackConfig = (await workspace.stackSettings(stack)).config ?? {};
  } catch (error) {
    throw new UsageError(`stack "${stack}" has no Pulumi.${stack}.yaml in ${projectDir}`, { cause: error });
  }
  // The SDK types project config as a string; at run time it is the parsed `config:` map.
  const projectConfig = (project.config ?? {}) as unknown as Record<string, unknown>;
  try {
    return parseStackConfig(stack, { ...plainConfig(projectConfig), ...plainConfig(stackConfig) });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}

/**
 * Config values as the program receives them: keys fully qualified, scalars as strings, a project
 * config entry `{ default: x }` as x. Secure values are left out: none of this project's settings is secret.
 */
export function plainConfig(config: Readonly<Record<string, unknown>>): RawStackConfig {
  const raw: Record<string, string> = {};
  for (const [key, entry] of Object.entries(config)) {
    const value = isProjectDefault(entry) ? entry.default : entry;
    if (value === null || value === undefined || typeof value === "object") continue;
    raw[key.includes(":") ? key : `${CONFIG_NAMESPACE}:${key}`] = String(value);
  }
  return raw;
}

function isProjectDefault(entry: unknown): entry is { default: unknown } {
  return typeof entry === "object" && entry !== null && "default" in entry;
}
