import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { execFile, type ChildProcessWithoutNullStreams } from "node:child_process";
import { promisify } from "node:util";
import { CreateUserCommand, GetUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { drillCalls, putDrillCalls } from "../../../sandbox/alertDrill";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto } from "../../../sandbox/moto/motoServer";
import { cleanEnv, runDriver, spawnDriver, spawnDriverInTerminal } from "../../support/driverProcess";
import { copyProjectWithEnv } from "../../../harness/projectCopy";
import { REPO_ROOT } from "../../../automation/projectPaths";

/** Whether anything still answers HTTP at the endpoint. */
async function answers(endpoint: string): Promise<boolean> {
  return fetch(endpoint, { signal: AbortSignal.timeout(2_000) }).then(
    () => true,
    () => false,
  );
}

function motoEndpointIn(output: string): string {
  const match = /moto \(local AWS\) is listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
  if (!match?.[1]) throw new Error(`no moto endpoint in demo output:\n${output}`);
  return match[1];
}

/** Resolves with everything the demo printed once `marker` appears on its stdout. */
function outputUntil(child: ChildProcessWithoutNullStreams, marker: string): Promise<string> {
  let seen = "";
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(marker)) resolve(seen);
    });
    child.once("close", (code) => reject(new Error(`demo exited (${code}) before printing "${marker}":\n${seen}`)));
  });
}

/** Creates an IAM user in the moto at `endpoint`, to find it again in moto's saved state. */
async function createUser(endpoint: string, userName: string): Promise<void> {
  const iam = new IAMClient({ endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
  await iam.send(new CreateUserCommand({ UserName: userName }));
  iam.destroy();
}

/** Whether moto's saved state (the demo's state file, loaded by a fresh moto) holds the user. */
async function savedStateHasUser(stateFile: string, userName: string): Promise<boolean> {
  const restarted = await startMoto({ stateFile });
  const check = new IAMClient({ endpoint: restarted.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
  try {
    const { User } = await check.send(new GetUserCommand({ UserName: userName }));
    return User?.UserName === userName;
  } finally {
    check.destroy();
    await restarted.stop();
  }
}

const SIGNAL_WAIT = "moto keeps running until this process gets SIGINT or SIGTERM";
/** The engine's warning when a plugin comes from PATH: the sandbox's stand-in never does. */
const PLUGIN_FROM_PATH = /using pulumi-resource-\w+ from \$PATH/;

function exitOf(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal })));
}

describe("npm run demo: the sandbox end to end", function () {
  this.timeout(120_000);
  let project: Awaited<ReturnType<typeof copyProjectWithEnv>>;

  before(async () => {
    project = await copyProjectWithEnv();
  });
  after(() => project?.remove());

  it("provisions and verifies the local stack, prints masked outputs and next steps, and stops moto", async () => {
    const run = await runDriver("demo", [], { env: project.env });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include("Changes to local: create 19");
    expect(run.stdout).to.include("IAM verification: stack local").and.not.include("[FAIL]");
    expect(run.stdout).to.match(
      /\[PASS\] Access monitoring: [^\n]*1 confirmed subscription\(s\) \(sqs [^)]*talentbase-local-alert-inbox\); trail account-trail logs/,
    );
    // The drill: the trusted role's rotation raises nothing, someone else's key and the stack key's IAM call one alert each.
    expect(run.stdout).to.include("The alerts topic delivered 2 alert(s) to the sandbox's inbox, queue talentbase-local-alert-inbox:");
    const alerts = run.stdout
      .split("\n")
      .filter((line) => line.startsWith('  {"alert"'))
      .map((line) => JSON.parse(line));
    expect(alerts.map((alert) => [alert.call, alert.by])).to.deep.equal([
      ["CreateAccessKey", "arn:aws:iam::123456789012:user/intruder"],
      ["iam.amazonaws.com ListUsers", "arn:aws:iam::123456789012:user/talentbase-backend-local"],
    ]);
    expect(run.stdout).to.include("AWS_SECRET_ACCESS_KEY=[secret]").and.include("npm run demo -- --keep-running");
    expect(run.stdout).to.match(
      /\nCompliance: Passed: \d+ {2}Failed: 0 {2}Accepted: 4 {2}Not assessed: \d+ {2}Total: \d+; No control failed: .*; each control: `npm run verify -- local --compliance`\n/,
    );
    expect(run.stdout + run.stderr).not.to.match(PLUGIN_FROM_PATH);
    expect(existsSync(path.join(project.dir, ".sandbox", "moto-state.pickle")), "moto's state is saved").to.equal(true);
    expect(await answers(motoEndpointIn(run.stdout))).to.equal(false);
  });

  it("a second run finds the same IAM objects and changes nothing; --keep-running without a terminal serves the local commands and the printed Django consumer until SIGTERM, and saves moto's state", async () => {
    // stdin closed from the start, as under a script or a process manager: that must not stop moto.
    const demo = spawnDriver("demo", ["--keep-running"], { env: project.env, input: "" });
    const printed = await outputUntil(demo, SIGNAL_WAIT);
    expect(printed).to.include("Changes to local: no changes (19 unchanged)");
    expect(printed.split("\n").filter((line) => line.startsWith("moto keeps running"))).to.deep.equal([
      `${SIGNAL_WAIT} (kill ${demo.pid}); its state is saved then.`,
    ]);
    expect(printed).not.to.match(PLUGIN_FROM_PATH);
    const endpoint = /export AWS_ENDPOINT_URL=(\S+)/.exec(printed)?.[1] ?? "";
    expect(endpoint).to.equal(motoEndpointIn(printed));

    const verify = await runDriver("verify", ["local"], { env: { ...project.env, AWS_ENDPOINT_URL: endpoint } });
    expect(verify.code, verify.stderr).to.equal(0);
    expect(verify.stdout).to.include("[PASS] IAM user exists");

    // The Django consumer, exactly as "Try next" prints it, in the other terminal.
    const consumerLine = printed.split("\n").find((line) => line.trim().startsWith("npm run consumer:django"));
    const consumerCommand = consumerLine?.split("#")[0]?.trim() ?? "";
    expect(consumerCommand).to.equal("npm run consumer:django");
    const consumer = await promisify(execFile)("bash", ["-c", consumerCommand], {
      cwd: REPO_ROOT,
      env: cleanEnv({ ...project.env, AWS_ENDPOINT_URL: endpoint }),
    });
    expect(consumer.stdout).to.match(/env\s+passed: 5 passed, 0 failed, 0 skipped/);
    expect(consumer.stdout).to.include("secretsmanager not run: stack local keeps no credentials secret");
    const afterwards = await runDriver("verify", ["local"], { env: { ...project.env, AWS_ENDPOINT_URL: endpoint } });
    expect(afterwards.code, "moto's IAM enforcement is off again after the suite").to.equal(0);

    // The inbox, read as the demo prints it, gets the alert of a call the rules catch (the drill's, again).
    const outputs = JSON.parse((await runDriver("outputs", ["local"], { env: { ...project.env, AWS_ENDPOINT_URL: endpoint } })).stdout);
    const drill = drillCalls({ accountId: "123456789012", region: MOTO_REGION, userName: outputs.userName, accessKeyId: outputs.accessKeyId });
    await putDrillCalls({ endpoint, region: MOTO_REGION, credentials: { ...MOTO_CREDENTIALS } }, drill);
    const readInbox =
      printed
        .split("\n")
        .find((line) => line.includes(" sqs receive-message "))
        ?.trim() ?? "";
    const received = await promisify(execFile)("bash", ["-c", readInbox], { cwd: REPO_ROOT, env: cleanEnv({ AWS_ENDPOINT_URL: endpoint }) });
    const bodies = (JSON.parse(received.stdout) as { Messages: { Body: string }[] }).Messages.map((message) => JSON.parse(message.Body).call);
    expect(bodies).to.have.members(["CreateAccessKey", "iam.amazonaws.com ListUsers"]);

    await createUser(endpoint, "made-before-sigterm");
    expect(demo.exitCode, "still running long after stdin closed").to.equal(null);
    demo.kill("SIGTERM");
    expect((await exitOf(demo)).code).to.equal(130);
    expect(await answers(endpoint)).to.equal(false);
    expect(await savedStateHasUser(path.join(project.dir, ".sandbox", "moto-state.pickle"), "made-before-sigterm")).to.equal(true);
  });

  it("Ctrl-C while moto is kept running stops moto and keeps what changed in it", async () => {
    const demo = spawnDriver("demo", ["--keep-running"], { env: project.env });
    const endpoint = motoEndpointIn(await outputUntil(demo, SIGNAL_WAIT));
    await createUser(endpoint, "made-before-ctrl-c");
    demo.kill("SIGINT");
    expect(await exitOf(demo), "interrupted: exit 130, as every command").to.deep.equal({ code: 130, signal: null });
    expect(await answers(endpoint)).to.equal(false);
    expect(await savedStateHasUser(path.join(project.dir, ".sandbox", "moto-state.pickle"), "made-before-ctrl-c")).to.equal(true);
  });

  it("at a terminal, --keep-running waits for Enter, which stops moto", async () => {
    const demo = spawnDriverInTerminal("demo", ["--keep-running"], { env: project.env });
    const printed = await outputUntil(demo, "Press Enter here to stop it");
    expect(printed).to.include("moto keeps running. Press Enter here to stop it (its state is saved).").and.not.include(SIGNAL_WAIT);
    const endpoint = motoEndpointIn(printed);
    expect(await answers(endpoint)).to.equal(true);
    let output = printed;
    demo.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    demo.stdin.write("\n");
    expect(await exitOf(demo)).to.deep.equal({ code: 0, signal: null });
    demo.stdin.end();
    expect(output).to.include("moto stopped.");
    expect(await answers(endpoint)).to.equal(false);
  });

  it("as a background job at a terminal (`&` at a prompt), --keep-running waits for a signal, not for the terminal", async () => {
    const demo = spawnDriverInTerminal("demo", ["--keep-running"], { env: project.env, background: true });
    const printed = await outputUntil(demo, SIGNAL_WAIT);
    const endpoint = motoEndpointIn(printed);
    const pid = Number(/\(kill (\d+)\)/.exec(printed)?.[1]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await answers(endpoint), "not stopped by reading the terminal in the background").to.equal(true);
    process.kill(pid, "SIGTERM");
    expect((await exitOf(demo)).code).to.equal(130);
    demo.stdin.end();
    expect(await answers(endpoint)).to.equal(false);
  });

  it("a failed provision exits 1 with its one-sentence reason and still stops moto", async () => {
    const lockDir = path.join(project.stateDir, ".pulumi", "locks", "organization", "talentbase-iam", "local");
    await mkdir(lockDir, { recursive: true });
    await writeFile(path.join(lockDir, `${randomUUID()}.json`), JSON.stringify({ pid: 1, username: "x", hostname: "y", timestamp: new Date().toISOString() }));
    const run = await runDriver("demo", [], { env: project.env });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include("another update is running on stack local");
    expect(run.stdout).to.include("moto stopped.");
    expect(await answers(motoEndpointIn(run.stdout))).to.equal(false);
  });
});
