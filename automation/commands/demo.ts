import { mkdir } from "node:fs/promises";
import type { StackSettings } from "../../infra/config";
import { drillCalls, putDrillCalls } from "../../sandbox/alertDrill";
import { subscribeAlertInbox, takeAlerts } from "../../sandbox/alertInbox";
import { MOTO_CREDENTIALS, startMoto } from "../../sandbox/moto/motoServer";
import { createAccountTrail, createUploadsBucket } from "../../sandbox/seed";
import type { CommandContext } from "../context";
import type { DriverError, ExitCode } from "../errors";
import { renderDjangoEnv, type DeployedOutputs } from "../engine/deployedOutputs";
import { readStackSettings } from "../stacks/stackConfigFile";
import { awsCliCommand, KEEP_SANDBOX_RUNNING, ourCommand } from "../stacks/printedCommands";
import { profileOf, SANDBOX_STACK } from "../stacks/stackProfile";
import { complianceCountsLine, complianceVerdict, countFindings } from "../compliance";
import { provision, type StackRunResult } from "./provision";
import { verifyCompliance } from "./verify";

/** How the demo waits with moto up: one line that tells how to stop it, and when to. */
export interface KeepRunning {
  readonly howToStop: string;
  readonly stopped: Promise<void>;
}

export interface DemoOptions {
  /**
   * Keep moto up after the run, so the `local` stack's commands can be tried against it with the
   * printed AWS_ENDPOINT_URL: called once the run is done (the CLI: until Enter at a terminal, else
   * until a signal).
   */
  readonly keepRunning?: () => KeepRunning;
}

export interface DemoResult {
  readonly endpoint: string;
  readonly run: StackRunResult;
  readonly exitCode: ExitCode;
  /** Why the provision failed, when it did. */
  readonly failure?: DriverError;
  /** The alerts the drill's calls raised, as the sandbox's inbox received them. */
  readonly alerts: readonly string[];
}

/**
 * The whole job on the sandbox, for someone without an AWS account: moto with its saved state,
 * the uploads bucket and the account's trail (standing in for the separate S3 setup and the security
 * team's trail), provision and verify the `local` stack, an alert drill when its monitoring is on,
 * print the outputs (secret masked) and what to try next. moto is stopped, and its state saved,
 * however the run ends.
 */
export async function demo(options: DemoOptions, context: CommandContext): Promise<DemoResult> {
  const { io, paths } = context;
  const settings = await readStackSettings(paths.projectDir, SANDBOX_STACK);
  await mkdir(paths.sandboxDir, { recursive: true });
  // The CLI handles Ctrl-C (cancelling the engine first); moto stops in the finally below.
  const moto = await startMoto({ stateFile: paths.motoStateFile, stopOnSignal: false });
  try {
    io.report(`moto (local AWS) is listening on ${moto.endpoint}; its state is kept in ${paths.motoStateFile}\n`);
    await createUploadsBucket(moto.endpoint, settings.region, settings.bucketName);
    await createAccountTrail(moto.endpoint, settings.region);
    const env = { ...context.env, AWS_ENDPOINT_URL: moto.endpoint };
    // Refresh first: whatever happened to moto's state since the last run, the stack ends up matching it.
    const result = await provision(
      { stacks: [SANDBOX_STACK], all: false, preview: false, refresh: true, yes: true, skipVerify: false, adopt: false },
      { ...context, env },
    );
    const run = result.stacks[0]!;
    const alerts = run.outputs?.alertTopicArn ? await alertDrill(moto.endpoint, settings, run.outputs, context) : [];
    await moto.saveState();
    if (run.outputs) {
      io.report(`\nOutputs of stack local in the env format (secret masked):\n`);
      io.report(renderDjangoEnv(run.outputs, { showSecrets: false, endpoint: moto.endpoint }));
      const compliance = await verifyCompliance({ stack: SANDBOX_STACK }, { ...context, env });
      const counts = countFindings(compliance.findings);
      io.report(
        `\nCompliance: ${complianceCountsLine(counts)}; ${complianceVerdict(counts)}; each control: \`${ourCommand("verify", SANDBOX_STACK, "--compliance")}\`\n`,
      );
    }
    io.report(nextSteps(moto.endpoint, Boolean(options.keepRunning)));
    if (options.keepRunning && result.exitCode === 0) {
      const wait = options.keepRunning();
      io.report(`\n${wait.howToStop}\n`);
      await wait.stopped;
    }
    return { endpoint: moto.endpoint, run, exitCode: result.exitCode, alerts, ...(result.failure ? { failure: result.failure } : {}) };
  } finally {
    await moto.stop();
    io.report("moto stopped.\n");
  }
}

/**
 * Shows the monitoring at work: moto has no CloudTrail, so the drill puts CloudTrail's records of a
 * few calls on the event bus, and the alerts the rules publish are read back from the sandbox's inbox
 * queue (subscribed to the alerts topic by every update of the sandbox stack).
 */
async function alertDrill(endpoint: string, settings: StackSettings, outputs: DeployedOutputs, context: CommandContext): Promise<string[]> {
  const queueName = profileOf(SANDBOX_STACK).alertInbox!;
  const target = { endpoint, region: settings.region, credentials: { ...MOTO_CREDENTIALS }, queueName };
  const queueUrl = await subscribeAlertInbox(target, outputs.alertTopicArn!);
  const trustedRoleArn = settings.trustedCallers.find((arn) => arn.split(":")[5]?.startsWith("role/"));
  const calls = drillCalls({
    accountId: outputs.userArn.split(":")[4]!,
    region: settings.region,
    userName: outputs.userName,
    accessKeyId: outputs.accessKeyId,
    ...(trustedRoleArn ? { trustedRoleArn } : {}),
  });
  await takeAlerts(target, queueUrl);
  await putDrillCalls(target, calls);
  const alerts = await takeAlerts(target, queueUrl);
  context.io.report(
    [
      "",
      "Alert drill: moto records no CloudTrail events, so the demo puts CloudTrail's records of these calls on the event bus:",
      ...calls.map((call) => `  - ${call.description}: ${call.alerts ? "an alert" : "no alert (trusted)"} expected`),
      `The alerts topic delivered ${alerts.length} alert(s) to the sandbox's inbox, queue ${queueName}:`,
      ...alerts.map((alert) => `  ${alert}`),
      `Read the inbox while moto runs; this keeps it up after the run: ${KEEP_SANDBOX_RUNNING}`,
      // The endpoint spelled out: aws-cli 1.x ignores AWS_ENDPOINT_URL for SQS.
      `  ${awsCliCommand(SANDBOX_STACK, "--endpoint-url", endpoint, "sqs", "receive-message", "--queue-url", queueUrl, "--max-number-of-messages", "10")}`,
      "",
    ].join("\n"),
  );
  return alerts;
}

function nextSteps(endpoint: string, keepRunning: boolean): string {
  const local = SANDBOX_STACK;
  const start = keepRunning
    ? `export AWS_ENDPOINT_URL=${endpoint}     # in another terminal, while moto keeps running here`
    : `${KEEP_SANDBOX_RUNNING}     # keeps moto up; then, in another terminal, export the AWS_ENDPOINT_URL it prints`;
  return [
    "",
    "Try next:",
    `  ${start}`,
    `  ${ourCommand("verify", local, "--json")}`,
    `  ${ourCommand("outputs", local, "--format", "env")}`,
    // The Django consumer suite (tests/consumers/django) against the running sandbox.
    `  ${ourCommand("consumer:django")}     # Django's own S3 storage on what the stack hands over, under IAM enforcement`,
    `  ${ourCommand("provision", local, "--preview")}`,
    `  ${ourCommand("destroy", local)}`,
    "",
  ].join("\n");
}
