import { existsSync, mkdirSync, readlinkSync, realpathSync, renameSync, symlinkSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import { MOTO_CREDENTIALS, MOTO_REGION } from "./moto/motoServer";
import { sourceDirOf } from "./sourceDir";

const standInBinDir = path.join(sourceDirOf(__dirname), "provider", "bin");
const standIn = path.join(standInBinDir, "pulumi-resource-aws");

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

/** The aws plugin version @pulumi/aws asks the engine for. */
const awsPluginVersion = (): string => require("@pulumi/aws/package.json").version;

/**
 * A real pulumi-resource-aws wins over the stand-in: on PATH, or in the plugin cache of the operator's
 * PULUMI_HOME at the version @pulumi/aws asks for. The stand-in itself, wherever it is linked, is not one.
 */
export function chooseAwsProvider(env: NodeJS.ProcessEnv = process.env): AwsProviderChoice {
  const isReal = (candidate: string) => existsSync(candidate) && realpathSync(candidate) !== realpathSync(standIn);
  for (const dir of (env["PATH"] ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "pulumi-resource-aws");
    if (dir && isReal(candidate)) return { kind: "real", path: candidate };
  }
  const cached = path.join(operatorPulumiHome(env), "plugins", `resource-aws-v${awsPluginVersion()}`, "pulumi-resource-aws");
  if (isReal(cached)) return { kind: "real", path: cached };
  return { kind: "stand-in", path: standIn };
}

function operatorPulumiHome(env: NodeJS.ProcessEnv): string {
  return path.resolve(env["PULUMI_HOME"] ?? path.join(homedir(), ".pulumi"));
}

/**
 * Installs the stand-in in the plugin cache of the Pulumi home `home`, as the aws plugin @pulumi/aws
 * asks for. The link is swapped in whole: parallel runs may be looking at it.
 */
export function installStandIn(home: string): void {
  const plugin = path.join(home, "plugins", `resource-aws-v${awsPluginVersion()}`, "pulumi-resource-aws");
  if (linkTarget(plugin) === standIn) return;
  mkdirSync(path.dirname(plugin), { recursive: true });
  linkInPlace(standIn, plugin);
}

/**
 * The sandbox engine's own PULUMI_HOME, whose plugin cache holds the stand-in: the engine finds it
 * there quietly, where from PATH it warns on every CLI call. Its own home, not the operator's, so no
 * real stack ever loads the stand-in; it shares only the operator's installed CLIs (`versions`, where
 * setup builds the pinned one), so a driver started with this environment, as the tests and the bench
 * start one for real stacks on moto, still finds its CLI.
 */
export function standInPluginHome(stateDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const home = path.resolve(stateDir, "pulumi-home");
  installStandIn(home);
  const versions = path.join(home, "versions");
  const operatorHome = operatorPulumiHome(env);
  if (operatorHome !== home && linkTarget(versions) === undefined && !existsSync(versions)) {
    linkInPlace(path.join(operatorHome, "versions"), versions);
  }
  return home;
}

function linkTarget(file: string): string | undefined {
  try {
    return readlinkSync(file);
  } catch {
    return undefined;
  }
}

/** A symlink at `link` to `target`, made beside it and renamed over it, so no reader sees it half made. */
function linkInPlace(target: string, link: string): void {
  const partial = `${link}.${process.pid}`;
  symlinkSync(target, partial);
  renameSync(partial, link);
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
 * passphrase, no plugin downloads or update checks, AWS pointed at moto, and the stand-in aws plugin
 * in the sandbox's own plugin home unless a real one is installed (the operator's home then stays).
 */
export function sandboxEngineEnv(options: SandboxEngineOptions, provider = chooseAwsProvider()): Record<string, string> {
  return {
    ...(provider.kind === "stand-in" ? { PULUMI_HOME: standInPluginHome(options.stateDir) } : {}),
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
