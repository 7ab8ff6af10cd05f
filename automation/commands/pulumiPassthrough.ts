import { spawn } from "node:child_process";
import * as path from "node:path";
import type { CommandContext } from "../context";
import { openStackSession } from "../session/stackSession";
import { getPulumiCli } from "../toolchain/pulumiCli";

/** Commands of the CLI that take no --stack: they act on the login, not on a stack. */
const STACKLESS = new Set(["login", "logout", "whoami", "version"]);

export interface PulumiPassthroughOptions {
  readonly stack: string;
  /** The Pulumi CLI arguments, e.g. `config set talentbase-iam:protect false`. */
  readonly args: readonly string[];
}

/**
 * Runs the pinned Pulumi CLI on one stack of the project, in the environment our commands give the
 * engine: for `local` the sandbox's file backend, passphrase, moto credentials and stand-in plugin.
 * That makes every Pulumi command a message prints runnable as printed, on every stack; `login`,
 * `logout` and `whoami` run in that environment without a stack. Returns the CLI's exit code.
 */
export async function pulumiPassthrough(options: PulumiPassthroughOptions, context: CommandContext): Promise<number> {
  const { stack, profile, endpoint } = await openStackSession(options.stack, context, { operation: "read", reachesAws: false });
  const cli = await getPulumiCli();
  const engineEnvironment = profile.engineEnvironment(context.paths, endpoint);
  const env = {
    ...process.env,
    ...engineEnvironment,
    PATH: [path.dirname(cli.command), engineEnvironment["PATH"] ?? process.env["PATH"] ?? ""].join(path.delimiter),
  };
  const onStack = STACKLESS.has(options.args[0] ?? "") ? [] : ["--stack", stack];
  const child = spawn(cli.command, [...options.args, ...onStack], { cwd: context.paths.projectDir, env, stdio: "inherit" });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve(code ?? (signal ? 130 : 1)));
  });
}
