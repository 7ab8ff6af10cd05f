import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import * as path from "node:path";
import { MOTO_CREDENTIALS, MOTO_REGION } from "./moto";

const repoRoot = path.resolve(__dirname, "..", "..");
const standInBinDir = path.join(__dirname, "provider", "bin");

/**
 * The local stack's published passphrase: Pulumi.local.yaml commits the salt made with it, so the
 * sandbox never rewrites that file. It only ever protects keys that moto made.
 */
export const SANDBOX_PASSPHRASE = "talentbase-local-sandbox";

/** The aws resource plugin the engine will run: the test stand-in, or a real one when installed. */
export interface AwsProviderChoice {
  kind: "stand-in" | "real";
  path: string;
}

/**
 * A real pulumi-resource-aws wins over the stand-in: on PATH, or in the plugin cache at the version
 * @pulumi/aws asks for. Only the stand-in needs its bin directory put on PATH.
 */
export function chooseAwsProvider(env: NodeJS.ProcessEnv = process.env): AwsProviderChoice {
  for (const dir of (env["PATH"] ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "pulumi-resource-aws");
    if (dir && path.resolve(dir) !== standInBinDir && existsSync(candidate)) return { kind: "real", path: candidate };
  }
  const version: string = require("@pulumi/aws/package.json").version;
  const pluginHome = path.join(env["PULUMI_HOME"] ?? path.join(homedir(), ".pulumi"), "plugins");
  const cached = path.join(pluginHome, `resource-aws-v${version}`, "pulumi-resource-aws");
  if (existsSync(cached)) return { kind: "real", path: cached };
  return { kind: "stand-in", path: path.join(standInBinDir, "pulumi-resource-aws") };
}

export interface SandboxEngineOptions {
  /** moto's base URL; every AWS call of the engine's provider goes there. */
  motoEndpoint: string;
  /** Directory of the file backend holding the stacks' state. */
  stateDir: string;
  /** Passphrase of the stacks' secrets provider; default SANDBOX_PASSPHRASE (the salt in Pulumi.local.yaml). */
  passphrase?: string;
}

/**
 * Environment for Pulumi CLI processes of tests and the sandbox: state in a file backend, secrets
 * under a passphrase, no plugin downloads or update checks, AWS pointed at moto, and the stand-in
 * aws plugin on PATH unless a real one is installed.
 */
export function sandboxEngineEnv(options: SandboxEngineOptions, provider = chooseAwsProvider()): Record<string, string> {
  const pathValue = provider.kind === "stand-in"
    ? [standInBinDir, process.env["PATH"] ?? ""].join(path.delimiter)
    : process.env["PATH"] ?? "";
  return {
    PATH: pathValue,
    PULUMI_BACKEND_URL: `file://${options.stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: options.passphrase ?? SANDBOX_PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    AWS_ENDPOINT_URL: options.motoEndpoint,
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    AWS_REGION: MOTO_REGION,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
}

/** The project files `pulumi up` needs, copied so tests can change stack config freely. */
const PROJECT_ENTRIES = ["Pulumi.yaml", "Pulumi.local.yaml", "Pulumi.dev.yaml", "package.json", "tsconfig.json", "infra"];

export interface ProjectCopy {
  /** workDir for LocalWorkspace: the copied project. */
  dir: string;
  /** Empty directory for the file backend. */
  stateDir: string;
  remove(): Promise<void>;
}

/** Copies the Pulumi project into a temporary directory that shares the repository's node_modules. */
export async function copyProject(): Promise<ProjectCopy> {
  const root = await mkdtemp(path.join(tmpdir(), "talentbase-iam-e2e-"));
  const dir = path.join(root, "project");
  const stateDir = path.join(root, "state");
  await mkdir(dir);
  await mkdir(stateDir);
  for (const entry of PROJECT_ENTRIES) {
    await cp(path.join(repoRoot, entry), path.join(dir, entry), { recursive: true });
  }
  await symlink(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
  return { dir, stateDir, remove: () => rm(root, { recursive: true, force: true }) };
}

/** Every file of a file backend's stack state, for scanning it for plaintext secrets. */
export async function stateFiles(stateDir: string): Promise<string[]> {
  const entries = await readdir(stateDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith(".json")).map((entry) => path.join(entry.parentPath, entry.name));
}
