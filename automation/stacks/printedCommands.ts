import type { Environment } from "../../infra/config";
import { profileOf } from "./stackProfile";

/**
 * How every message names one of our commands: as the README documents it, `npm run <command> --
 * <args>`, which works as printed from the repository after setup. One place, so no message drifts.
 */
export function ourCommand(command: string, ...args: readonly string[]): string {
  return args.length > 0 ? `npm run ${command} -- ${args.join(" ")}` : `npm run ${command}`;
}

/** The sandbox kept running for the local stack's commands: it prints the AWS_ENDPOINT_URL they need. */
export const KEEP_SANDBOX_RUNNING = ourCommand("demo", "--keep-running");

/**
 * A Pulumi CLI command on a stack, as it works when printed: through our passthrough, which runs the
 * CLI setup installed (there may be no `pulumi` on PATH) in the environment our commands give that
 * stack (for `local` the sandbox's state, passphrase and plugin).
 */
export function pulumiCommand(stack: Environment, ...args: readonly string[]): string {
  return ourCommand("pulumi", stack, ...args);
}

/**
 * The engine's own output with each Pulumi command it suggests (`pulumi stack rm local`) in the form
 * that works as printed, our passthrough's: the stack named by it, not by an argument or `-s`.
 */
export function withRunnableEngineHints(stack: Environment, text: string): string {
  return text.replace(/`pulumi ([^`\n]+)`/g, (_hint, args: string) => {
    const words = args.trim().split(/\s+/);
    const kept: string[] = [];
    for (let index = 0; index < words.length; index += 1) {
      const word = words[index]!;
      if (word === "-s" || word === "--stack") index += 1;
      else if (!word.startsWith("--stack=") && !(word === stack && words[0] === "stack")) kept.push(word);
    }
    // Pulumi.<stack>.yaml is committed and holds the rotation's record: removing the stack keeps it.
    if (kept[0] === "stack" && kept[1] === "rm" && !kept.includes("--preserve-config")) kept.push("--preserve-config");
    return `\`${pulumiCommand(stack, ...kept)}\``;
  });
}

/**
 * An AWS CLI command for a stack's account, as it works when printed: for `local` against moto (the
 * AWS_ENDPOINT_URL every local command needs is exported; moto's keys and region are spelled out).
 */
export function awsCliCommand(stack: Environment, ...args: readonly string[]): string {
  return `${profileOf(stack).awsCli} ${args.join(" ")}`;
}
