import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { isMap, parseDocument } from "yaml";
import { CONFIG_NAMESPACE, ConfigError, parseStackConfig, type RawStackConfig, type StackSettings } from "../../infra/config";
import { UsageError } from "../errors";

/** The settings file names the Pulumi CLI looks for, in its order (JSON is YAML too). */
const SETTINGS_EXTENSIONS = [".yaml", ".yml", ".json"];

/**
 * A stack's settings as `pulumi up` will see them: Pulumi.yaml's project config overlaid by
 * Pulumi.<stack>.yaml, validated by the program's own parseStackConfig. Read from the files, so
 * it needs neither the Pulumi CLI, a backend login nor AWS: the driver checks config before any API call.
 */
export async function readStackSettings(projectDir: string, stack: string): Promise<StackSettings> {
  const project = await readSettingsFile(projectDir, "Pulumi");
  if (!project) throw new UsageError(`no Pulumi.yaml in ${projectDir}: run from the project, or set TALENTBASE_IAM_PROJECT_DIR to it`);
  const stackFile = await readSettingsFile(projectDir, `Pulumi.${stack}`);
  if (!stackFile) throw new UsageError(`stack "${stack}" has no Pulumi.${stack}.yaml in ${projectDir}`);
  const raw = { ...plainConfig(configSection(project)), ...plainConfig(configSection(stackFile)) };
  try {
    return parseStackConfig(stack, raw);
  } catch (error) {
    if (error instanceof ConfigError) {
      // One line for the terminal; the program's own ConfigError lists the same problems one per line.
      const problems = error.problems.map((problem) => problem.message).join("; ");
      throw new UsageError(`stack ${stack} has invalid configuration: ${problems}`, { cause: error });
    }
    throw error;
  }
}

/** How a stack's secrets are encrypted, as its settings file says (`pulumi stack init --secrets-provider` writes both). */
export interface StackSecretsProvider {
  /** `secretsprovider:` (e.g. `awskms://alias/talentbase-iam-dev?region=us-east-1`); absent: the backend's default (a passphrase for self-managed backends). */
  readonly secretsProvider?: string;
  /** `encryptedkey:`: the stack's data key, encrypted by that provider (base64). */
  readonly encryptedKey?: string;
}

/** The secrets provider fields of Pulumi.<stack>.yaml; none when the file has none (or does not exist). */
export async function readStackSecretsProvider(projectDir: string, stack: string): Promise<StackSecretsProvider> {
  const stackFile = await readSettingsFile(projectDir, `Pulumi.${stack}`);
  const content = (stackFile?.content ?? {}) as { secretsprovider?: unknown; encryptedkey?: unknown };
  return {
    ...(typeof content.secretsprovider === "string" && content.secretsprovider ? { secretsProvider: content.secretsprovider } : {}),
    ...(typeof content.encryptedkey === "string" && content.encryptedkey ? { encryptedKey: content.encryptedkey } : {}),
  };
}

interface SettingsFile {
  readonly file: string;
  readonly content: unknown;
}

/** The first of `<base>.yaml`, `.yml`, `.json` that exists, parsed; undefined when none does. */
async function readSettingsFile(projectDir: string, base: string): Promise<SettingsFile | undefined> {
  for (const extension of SETTINGS_EXTENSIONS) {
    const file = path.join(projectDir, `${base}${extension}`);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw new UsageError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "unreadable"}): check its permissions`, { cause: error });
    }
    return { file, content: parseSettings(file, text) };
  }
  return undefined;
}

/** Parses like the Pulumi CLI would accept it (duplicate keys are errors there too); one sentence per malformed file. */
export function parseSettings(file: string, text: string): unknown {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const [error] = document.errors;
  if (error) {
    const [first = error.message] = error.message.split("\n");
    const reason = first.replace(/ at line \d+, column \d+:?$/, "");
    const at = error.linePos ? `line ${error.linePos[0].line}, column ${error.linePos[0].col}` : "an unknown position";
    const lowered = reason.charAt(0).toLowerCase() + reason.slice(1);
    throw new UsageError(`${path.basename(file)} is not valid YAML at ${at} (${lowered}): fix that line and run again`, { cause: error });
  }
  if (document.contents !== null && !isMap(document.contents)) {
    throw new UsageError(`${path.basename(file)} must be a YAML mapping (with a config: section), but its top level is not one: fix the file and run again`);
  }
  return document.toJS();
}

/** The `config:` mapping of a settings file ({} when absent). */
function configSection({ file, content }: SettingsFile): Readonly<Record<string, unknown>> {
  const config = (content as { config?: unknown } | null)?.config;
  if (config === undefined || config === null) return {};
  if (typeof config !== "object" || Array.isArray(config)) {
    throw new UsageError(`config in ${path.basename(file)} must be a mapping of keys to values: fix the file and run again`);
  }
  return config as Record<string, unknown>;
}

/**
 * Config values as the program receives them: keys fully qualified, scalars as strings, structured
 * values as JSON, a project config entry `{ default: x }` as x. Secure values are left out: none of
 * this project's settings is secret, and they cannot be decrypted without the stack's secrets provider.
 */
export function plainConfig(config: Readonly<Record<string, unknown>>): RawStackConfig {
  const raw: Record<string, string> = {};
  for (const [key, entry] of Object.entries(config)) {
    const value = isProjectDefault(entry) ? entry.default : entry;
    if (value === null || value === undefined || isSecure(value) || isDeclaration(value)) continue;
    raw[key.includes(":") ? key : `${CONFIG_NAMESPACE}:${key}`] = typeof value === "object" ? JSON.stringify(value) : String(value);
  }
  return raw;
}

function isProjectDefault(entry: unknown): entry is { default: unknown } {
  return typeof entry === "object" && entry !== null && "default" in entry;
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && "secure" in value;
}

/** A Pulumi.yaml config declaration without a default (`{ type: string, description: ... }`) sets nothing. */
function isDeclaration(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "type" in value;
}
