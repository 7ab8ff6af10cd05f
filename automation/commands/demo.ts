import { mkdir } from "node:fs/promises";
import { startMoto } from "../../sandbox/moto/motoServer";
import { createUploadsBucket } from "../../sandbox/seed";
import type { CommandContext } from "../context";
import type { DriverError, ExitCode } from "../errors";
import { renderDjangoEnv } from "../engine/deployedOutputs";
import { readStackSettings } from "../stacks/stackConfigFile";
import { KEEP_SANDBOX_RUNNING, ourCommand } from "../stacks/printedCommands";
import { SANDBOX_STACK } from "../stacks/stackProfile";
import { provision, type StackRunResult } from "./provision";

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
}

/**
 * The whole job on the sandbox, for someone without an AWS account: moto with its saved state,
 * the uploads bucket (standing in for the separate S3 setup), provision and verify the `local`
 * stack, print the outputs (secret masked) and what to try next. moto is stopped, and its state
 * saved, however the run ends.
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
    const env = { ...context.env, AWS_ENDPOINT_URL: moto.endpoint };
    // Refresh first: whatever happened to moto's state since the last run, the stack ends up matching it.
    const result = await provision(
      { stacks: [SANDBOX_STACK], all: false, preview: false, refresh: true, yes: true, skipVerify: false, adopt: false },
      { ...context, env },
    );
    const run = result.stacks[0]!;
    await moto.saveState();
    if (run.outputs) {
      io.report(`\nOutputs of stack local in the env format (secret masked):\n`);
      io.report(renderDjangoEnv(run.outputs, { showSecrets: false, endpoint: moto.endpoint }));
    }
    io.report(nextSteps(moto.endpoint, Boolean(options.keepRunning)));
    if (options.keepRunning && result.exitCode === 0) {
      const wait = options.keepRunning();
      io.report(`\n${wait.howToStop}\n`);
      await wait.stopped;
    }
    return { endpoint: moto.endpoint, run, exitCode: result.exitCode, ...(result.failure ? { failure: result.failure } : {}) };
  } finally {
    await moto.stop();
    io.report("moto stopped.\n");
  }
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
