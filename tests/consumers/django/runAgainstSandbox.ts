import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { silenceSdkNodeNotice } from "../../../automation/aws/sdkNotice";
import { isLoopbackHost } from "../../../sandbox/loopback";
import { setMotoAuthEnforcement } from "../../../sandbox/moto/motoServer";
import { runDjangoConsumer, summarizeConsumerRun } from "./djangoConsumer";

/**
 * `npm run consumer:django`: the Django consumer suite against the running sandbox (`npm run demo --
 * --keep-running`, AWS_ENDPOINT_URL exported), on the `local` stack it provisioned. moto enforces IAM
 * while the suite runs and stops enforcing afterwards, also on Ctrl-C.
 */
const USAGE = `usage: npm run consumer:django
  Runs the Django consumer suite (tests/consumers/django) against the running sandbox's local stack.
  Start the sandbox with \`npm run demo -- --keep-running\` and export the AWS_ENDPOINT_URL it prints.
`;

async function main(args: readonly string[]): Promise<number> {
  silenceSdkNodeNotice();
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.length > 0) {
    process.stderr.write(`consumer:django: takes no arguments, got ${args.join(" ")}\n${USAGE}`);
    return 2;
  }
  const endpoint = process.env["AWS_ENDPOINT_URL"];
  const refuse = (reason: string) => {
    process.stderr.write(`consumer:django: ${reason}\n`);
    return 2;
  };
  if (!endpoint) {
    return refuse("runs against the sandbox, but AWS_ENDPOINT_URL is not set: run `npm run demo -- --keep-running` and export the AWS_ENDPOINT_URL it prints");
  }
  let host: string;
  try {
    host = new URL(endpoint).hostname;
  } catch {
    return refuse(`AWS_ENDPOINT_URL is not a URL: ${endpoint}`);
  }
  // It switches IAM enforcement and makes an identity: only ever on this machine's moto.
  if (!isLoopbackHost(host)) return refuse(`runs against the sandbox only; ${endpoint} is not on this machine`);
  if (
    !(await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(3_000) }).then(
      (response) => response.ok,
      () => false,
    ))
  ) {
    return refuse(`moto does not answer at ${endpoint}: start it with \`npm run demo -- --keep-running\` and export the AWS_ENDPOINT_URL it prints`);
  }

  const driverEnv: Record<string, string> = {};
  for (const name of ["TALENTBASE_IAM_PROJECT_DIR", "TALENTBASE_IAM_STATE_DIR"]) {
    const value = process.env[name];
    if (value) driverEnv[name] = value;
  }
  const scratch = await mkdtemp(path.join(tmpdir(), "talentbase-django-consumer-"));
  const interrupted = () => {
    void setMotoAuthEnforcement(endpoint, false)
      .finally(() => rm(scratch, { recursive: true, force: true }))
      .finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    process.stdout.write(`Django consumer suite against the sandbox at ${endpoint} (moto enforces IAM while it runs)\n`);
    const run = await runDjangoConsumer({ motoEndpoint: endpoint, driverEnv, scratchDir: scratch, enforce: true });
    for (const result of run.runs) process.stdout.write(`\n== ${result.source} ==\n${result.output.trimEnd()}\n`);
    process.stdout.write(`\n${summarizeConsumerRun(run)}`);
    return run.runs.every((result) => result.exitCode === 0) && run.runs.length > 0 ? 0 : 1;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

// exitCode, not exit(): a piped stdout gets everything written before the process ends.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`consumer:django: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
