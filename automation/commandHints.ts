import type { Environment } from "../infra/config";

/**
 * How every message names one of our commands: as the README documents it, `npm run <command> --
 * <args>`, which works as printed from the repository after setup. One place, so no message drifts.
 */
export function ourCommand(command: string, ...args: readonly string[]): string {
  return `npm run ${command} -- ${args.join(" ")}`;
}

/**
 * A Pulumi CLI command on a stack, as it works when printed: real stacks run the operator's `pulumi`
 * on their own login; the sandbox's state, passphrase and plugin are ours, so `local` goes through
 * our passthrough, which runs the pinned CLI in that environment.
 */
export function pulumiCommand(stack: Environment, ...args: readonly string[]): string {
  return stack === "local" ? ourCommand("pulumi", stack, ...args) : `pulumi ${args.join(" ")} -s ${stack}`;
}
