import { existsSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import { MOTO_CREDENTIALS, MOTO_REGION } from "./moto/motoServer";
import { sourceDirOf } from "./sourceDir";

const standInBinDir = path.join(sourceDirOf(__dirname), "provider", "bin");

/**
 * The local stack's published passphrase: Pulumi.local.yaml commits the salt made with it, so the
 * sandbox never rewrites that file. It only ever protects keys that moto made.
 */
export const SANDBOX_PASSPHRASE = "talentbase-local-sandbox";

/** The aws resource plugin the engine will run: the sandbox's stand-in, or a real one when installed. */
export interface AwsProviderChoice {
  readonly kind: "stand-in" | "real";
  readonly path: string;
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
  readonly motoEndpoint: string;
  /** Directory of the file backend holding the stacks' state. */
  readonly stateDir: string;
  /** Passphrase of the stacks' secrets provider; default SANDBOX_PASSPHRASE (the salt in Pulumi.local.yaml). */
  readonly passphrase?: string;
  /** The engine's AWS key: moto's `testing` keys by default; a moto-made key once moto enforces IAM. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * Environment for Pulumi CLI processes on the sandbox: state in a file backend, secrets under a
 * passphrase, no plugin downloads or update checks, AWS pointed at moto, and the stand-in aws
 * plugin on PATH unless a real one is installed.
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
    AWS_ACCESS_KEY_ID: (options.credentials ?? MOTO_CREDENTIALS).accessKeyId,
    AWS_SECRET_ACCESS_KEY: (options.credentials ?? MOTO_CREDENTIALS).secretAccessKey,
    AWS_REGION: MOTO_REGION,
  };
}
