import type { Environment } from "../infra/config";
import { MOTO_CREDENTIALS, MOTO_REGION } from "../sandbox/moto/motoServer";

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

/**
 * An AWS CLI command for a stack's account, as it works when printed: for `local` against moto (the
 * AWS_ENDPOINT_URL every local command needs is exported; moto's keys and region are spelled out).
 */
export function awsCliCommand(stack: Environment, ...args: readonly string[]): string {
  const prefix = stack === "local" ? `AWS_ACCESS_KEY_ID=${MOTO_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${MOTO_CREDENTIALS.secretAccessKey} aws --region ${MOTO_REGION}` : "aws";
  return `${prefix} ${args.join(" ")}`;
}
