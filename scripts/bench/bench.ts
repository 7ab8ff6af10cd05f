/**
 * `npm run bench`: how long each command takes as a whole process against one moto, beside its
 * floor (a minimal Node process with the AWS SDK making the same AWS calls: scripts/bench/floor.cjs),
 * with the ratio ours/floor, the Pulumi CLI calls and AWS API calls of each stage, and the driver's
 * peak memory. Prints a table and writes JSON. Asserts nothing.
 *
 * Usage: npm run bench [-- --runs 3] [--json FILE] [--only name,name] [--repo DIR]
 * --repo measures another checkout of this repository (its CLI and project; e.g. a worktree of an
 * earlier commit, for before/after figures) with this checkout's bench, floor and sandbox.
 */
import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { silenceSdkNodeNotice } from "../../automation/aws/sdkNotice";
import { REPO_ROOT } from "../../automation/projectPaths";
import { sandboxEngineEnv } from "../../sandbox/sandboxEngine";
import { DeleteSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type MotoServer } from "../../sandbox/moto/motoServer";
import { isolatedEnv } from "../../harness/isolatedEnv";
import type { ProjectCopy } from "../../harness/projectCopy";
import { openSandboxAccount, seedSandbox } from "../../harness/sandboxAccount";
import { startAwsCallRecorder, type AwsCallRecorder, type RecordedCall } from "./awsCallRecorder";

const STACKS = ["local", "dev", "staging", "prod"] as const;
const FLOOR = path.join(REPO_ROOT, "scripts", "bench", "floor.cjs");

interface Options {
  readonly runs: number;
  /** The checkout measured. */
  readonly repo: string;
  readonly jsonFile: string;
  readonly only?: readonly string[];
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const only = value("--only");
  return {
    runs: Number(value("--runs") ?? 3),
    repo: path.resolve(value("--repo") ?? REPO_ROOT),
    jsonFile: value("--json") ?? path.join(REPO_ROOT, ".sandbox", "bench.json"),
    ...(only ? { only: only.split(",") } : {}),
  };
}

/** One Pulumi CLI call a command made: its subcommand and how long it took. */
interface CliCall {
  readonly call: string;
  readonly ms: number;
}

/** One measured process: wall time, the driver's peak RSS, the CLI calls it made and the AWS calls it caused. */
interface ProcessRun {
  readonly ms: number;
  readonly peakMiB: number;
  readonly cliCalls: CliCall[];
  readonly code: number | null;
  /** The end of its stderr, to say why a run failed. */
  readonly stderrTail: string;
  readonly calls: RecordedCall[];
}

/** A sandbox: one project copy on one moto, seen through a call recorder. */
interface Sandbox {
  /** The checkout measured. */
  readonly repo: string;
  readonly moto: MotoServer;
  readonly recorder: AwsCallRecorder;
  readonly project: ProjectCopy;
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/** The tests' sandbox account (moto, a project copy, every stack's bucket), seen through a call recorder. */
async function openSandbox(repo: string): Promise<Sandbox> {
  const account = await openSandboxAccount({ repository: repo, stacks: STACKS });
  const recorder = await startAwsCallRecorder(account.moto.endpoint);
  return {
    repo,
    moto: account.moto,
    recorder,
    project: account.project,
    env: { ...isolatedEnv(), ...account.project.env, AWS_ENDPOINT_URL: recorder.endpoint },
    async close() {
      await recorder.stop();
      await account.close();
    },
  };
}

/** Real stacks (dev, staging, prod) as an operator runs them, on the sandbox's moto, file backend and plugin. */
function realStacksEnv(sandbox: Sandbox): Record<string, string> {
  return {
    ...sandbox.env,
    ...sandboxEngineEnv({ motoEndpoint: sandbox.recorder.endpoint, stateDir: sandbox.project.stateDir }),
    PULUMI_CONFIG_PASSPHRASE: "bench",
  };
}

/** The driver's peak resident memory so far (VmHWM), in KiB; 0 once the process is gone. */
async function peakKiBOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
}

/**
 * Runs `talentbase-iam <args>` as its bin starts it, counting its Pulumi CLI calls (the driver's
 * TALENTBASE_IAM_TRACE_CLI) and its AWS calls (the recorder), and sampling the driver's own peak
 * memory (not its children's: the engine and the program are processes of their own).
 */
async function runCli(sandbox: Sandbox, args: readonly string[], env: Record<string, string> = sandbox.env): Promise<ProcessRun> {
  const scratch = await mkdtemp(path.join(tmpdir(), "bench-run-"));
  const traceFile = path.join(scratch, "cli-calls");
  sandbox.recorder.take();
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(sandbox.repo, "bin", "talentbase-iam.js"), ...args], {
    env: { ...env, TALENTBASE_IAM_TRACE_CLI: traceFile },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderrTail = "";
  child.stderr.on("data", (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString()).slice(-400)));
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  let peakKiB = 0;
  let running = true;
  void exited.then(() => (running = false));
  while (running) {
    peakKiB = Math.max(peakKiB, await peakKiBOf(child.pid!));
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20))]);
  }
  const code = await exited;
  const ms = performance.now() - started;
  const cliCalls = (await readFile(traceFile, "utf8").catch(() => ""))
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CliCall);
  await rm(scratch, { recursive: true, force: true });
  return { ms, peakMiB: peakKiB / 1024, cliCalls, code, stderrTail, calls: sandbox.recorder.take() };
}

/**
 * The floor of recorded calls: the minimal SDK process, as many at once as the stage ran, sending
 * them to a moto of its own that starts from the buckets alone (replaying a CreateAccessKey on the
 * sandbox would change what the next stage starts from). Some answers then differ (NoSuchEntity
 * where the command found its user), which moto gives no slower: the floor stays a lower bound.
 */
async function runFloor(floorMoto: MotoServer, callSets: readonly RecordedCall[][]): Promise<number> {
  await floorMoto.reset();
  await seedSandbox(floorMoto.endpoint, STACKS);
  const scratch = await mkdtemp(path.join(tmpdir(), "bench-floor-"));
  const files = await Promise.all(
    callSets.map(async (calls, index) => {
      const file = path.join(scratch, `calls-${index}.json`);
      await writeFile(file, JSON.stringify(calls));
      return file;
    }),
  );
  const started = performance.now();
  await Promise.all(files.map((file) => promisify(execFile)(process.execPath, [FLOOR, file, floorMoto.endpoint], { env: isolatedEnv() })));
  const ms = performance.now() - started;
  await rm(scratch, { recursive: true, force: true });
  return ms;
}

interface StageResult {
  readonly stage: string;
  readonly ours: number[];
  readonly floor: number[];
  readonly peakMiB: number;
  readonly cliCalls: readonly CliCall[];
  readonly awsCalls: number;
  readonly awsCallsByAction: Readonly<Record<string, number>>;
  readonly load: readonly number[];
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

function countByAction(calls: readonly RecordedCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[`${call.service}:${call.action}`] = (counts[`${call.service}:${call.action}`] ?? 0) + 1;
  return counts;
}

/**
 * A stage: `prepare` brings the sandbox to the state the command starts from (not timed), `run`
 * is the timed command (or commands, for the concurrent stages, which return one run per process).
 */
interface Stage {
  readonly name: string;
  prepare?(sandbox: Sandbox): Promise<void>;
  run(sandbox: Sandbox): Promise<ProcessRun[]>;
}

async function expectOk(run: ProcessRun, what: string): Promise<ProcessRun> {
  if (run.code !== 0) throw new Error(`${what} exited with ${run.code}: ${run.stderrTail.trim()}`);
  return run;
}

const provisionLocal = (sandbox: Sandbox) => runCli(sandbox, ["provision", "local"]).then((run) => expectOk(run, "provision local"));
const destroyLocal = async (sandbox: Sandbox) => {
  await runCli(sandbox, ["destroy", "local"]);
};

/** N provisions at once, each on a sandbox of its own (the IAM names of a stack are fixed per account). */
function concurrentProvisions(count: number): Stage {
  let extra: Sandbox[] = [];
  return {
    name: `${count} provision${count === 1 ? "" : "s"} at once (fresh, own moto each)`,
    async prepare(main) {
      extra = await Promise.all(Array.from({ length: count }, () => openSandbox(main.repo)));
    },
    async run() {
      try {
        const runs = await Promise.all(extra.map((sandbox) => runCli(sandbox, ["provision", "local"])));
        for (const run of runs) await expectOk(run, "concurrent provision");
        return runs;
      } finally {
        await Promise.all(extra.map((sandbox) => sandbox.close()));
      }
    },
  };
}

const STAGES: readonly Stage[] = [
  {
    name: "verify",
    prepare: async (sandbox) => void (await provisionLocal(sandbox)),
    run: async (sandbox) => [await expectOk(await runCli(sandbox, ["verify", "local"]), "verify")],
  },
  { name: "outputs", run: async (sandbox) => [await expectOk(await runCli(sandbox, ["outputs", "local"]), "outputs")] },
  { name: "preview (no changes)", run: async (sandbox) => [await expectOk(await runCli(sandbox, ["provision", "local", "--preview"]), "preview")] },
  { name: "no-op provision + verify", run: async (sandbox) => [await provisionLocal(sandbox)] },
  { name: "fresh provision + verify", prepare: destroyLocal, run: async (sandbox) => [await provisionLocal(sandbox)] },
  {
    name: "rotate start (+ verify)",
    // From no rotation in progress (the previous round's is finished first, untimed).
    prepare: async (sandbox) => void (await runCli(sandbox, ["rotate", "local", "finish", "--force"])),
    run: async (sandbox) => [await expectOk(await runCli(sandbox, ["rotate", "local", "start"]), "rotate start")],
  },
  {
    name: "rotate finish (+ verify)",
    prepare: async (sandbox) => void (await runCli(sandbox, ["rotate", "local", "start"])),
    run: async (sandbox) => [await expectOk(await runCli(sandbox, ["rotate", "local", "finish", "--force"]), "rotate finish")],
  },
  {
    name: "provision dev (fresh, one stack)",
    prepare: async (sandbox) => void (await runCli(sandbox, ["destroy", "dev", "--yes"], realStacksEnv(sandbox))),
    run: async (sandbox) => [await expectOk(await runCli(sandbox, ["provision", "dev"], realStacksEnv(sandbox)), "provision dev")],
  },
  {
    name: "provision --all (fresh, dev staging prod)",
    prepare: async (sandbox) => {
      for (const stack of ["dev", "staging"]) await runCli(sandbox, ["destroy", stack, "--yes"], realStacksEnv(sandbox));
      // prod is protected by config: lifted in the bench's project copy (before anything is created
      // protected), so its destroy can run.
      const prodConfig = path.join(sandbox.project.dir, "Pulumi.prod.yaml");
      await writeFile(prodConfig, (await readFile(prodConfig, "utf8")).replace('talentbase-iam:protect: "true"', 'talentbase-iam:protect: "false"'));
      await runCli(sandbox, ["destroy", "prod", "--yes"], realStacksEnv(sandbox));
      // The destroy scheduled prod's credentials secret for deletion, which holds its name: free it.
      const secrets = new SecretsManagerClient({ endpoint: sandbox.moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
      await secrets.send(new DeleteSecretCommand({ SecretId: "talentbase/prod/aws-credentials", ForceDeleteWithoutRecovery: true })).catch((error: unknown) => {
        // On the first run there is none yet.
        if ((error as { name?: string }).name !== "ResourceNotFoundException") throw error;
      });
      secrets.destroy();
    },
    run: async (sandbox) => [await expectOk(await runCli(sandbox, ["provision", "--all", "--yes"], realStacksEnv(sandbox)), "provision --all")],
  },
  concurrentProvisions(1),
  concurrentProvisions(3),
  concurrentProvisions(8),
];

async function measure(stage: Stage, sandbox: Sandbox, floorMoto: MotoServer, runs: number): Promise<StageResult> {
  const ours: number[] = [];
  const floor: number[] = [];
  let last: ProcessRun[] = [];
  const load: number[] = [];
  for (let round = 0; round < runs; round += 1) {
    await stage.prepare?.(sandbox);
    load.push(loadavg()[0]!);
    const started = performance.now();
    last = await stage.run(sandbox);
    ours.push(performance.now() - started);
    floor.push(
      await runFloor(
        floorMoto,
        last.map((run) => run.calls),
      ),
    );
  }
  const calls = last.flatMap((run) => run.calls);
  return {
    stage: stage.name,
    ours,
    floor,
    peakMiB: Math.max(...last.map((run) => run.peakMiB)),
    cliCalls: last.flatMap((run) => run.cliCalls),
    awsCalls: calls.length,
    awsCallsByAction: countByAction(calls),
    load,
  };
}

/** The targets of issue #14: each stage's ratio to its floor, and three stacks at once to one. */
const RATIO_TARGETS: Readonly<Record<string, number>> = {
  verify: 3,
  outputs: 2,
  "no-op provision + verify": 7,
  "fresh provision + verify": 7,
};
const CONCURRENCY_TARGET = 1.6;
const PEAK_TARGET_MIB = 150;

/**
 * One line per target: met or missed, and where a missed stage's time goes: the Pulumi CLI calls of
 * one run by command (`up` includes the engine, the program and the plugin) and what is left for the
 * driver itself (node, its modules, the AWS calls the floor also makes, verification).
 */
function targets(results: readonly StageResult[]): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(2);
  const lines: string[] = [];
  for (const result of results) {
    const target = RATIO_TARGETS[result.stage];
    if (target === undefined) continue;
    const ours = median(result.ours);
    const ratio = ours / median(result.floor);
    const met = ratio <= target;
    let line = `${result.stage}: ${ratio.toFixed(2)}x (target ${target}x) ${met ? "met" : "missed"}`;
    if (!met) {
      const byCall = new Map<string, number>();
      for (const call of result.cliCalls) byCall.set(call.call, (byCall.get(call.call) ?? 0) + call.ms);
      const cliMs = [...byCall.values()].reduce((sum, ms) => sum + ms, 0);
      const calls = [...byCall].map(([call, ms]) => `${call} ${seconds(ms)}`).join(", ");
      // (A checkout from before the CLI calls were traced shows none either.)
      const cli = result.cliCalls.length > 0 ? `${seconds(cliMs)} s in Pulumi CLI calls (${calls}), ` : "no Pulumi CLI call, ";
      line += `: of ${seconds(ours)} s, ${cli}${seconds(ours - cliMs)} s in the driver (floor ${seconds(median(result.floor))} s)`;
    }
    lines.push(line);
  }
  const one = results.find((result) => result.stage.startsWith("1 provision at once"));
  const three = results.find((result) => result.stage.startsWith("3 provisions at once"));
  if (one && three) {
    const ratio = median(three.ours) / median(one.ours);
    lines.push(
      `3 stacks at once / 1: ${ratio.toFixed(2)}x (target ${CONCURRENCY_TARGET}x) ${ratio <= CONCURRENCY_TARGET ? "met" : "missed: on 2 cores each provision's engine, program and plugin processes compete for CPU"}`,
    );
  }
  if (results.length > 0) {
    const peak = Math.max(...results.map((result) => result.peakMiB));
    lines.push(`driver peak memory: ${peak.toFixed(0)} MiB (target ${PEAK_TARGET_MIB}) ${peak <= PEAK_TARGET_MIB ? "met" : "missed"}`);
  }
  return lines.join("\n");
}

function table(results: readonly StageResult[]): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(2);
  const rows = results.map((result) => {
    const ratio = median(result.ours) / median(result.floor);
    return [
      result.stage,
      `${ratio.toFixed(1)}x`,
      `${seconds(median(result.ours))} (${seconds(Math.min(...result.ours))}-${seconds(Math.max(...result.ours))})`,
      `${seconds(median(result.floor))} (${seconds(Math.min(...result.floor))}-${seconds(Math.max(...result.floor))})`,
      `${result.cliCalls.length} (${seconds(result.cliCalls.reduce((sum, call) => sum + call.ms, 0))})`,
      String(result.awsCalls),
      result.peakMiB.toFixed(0),
      median(result.load).toFixed(2),
    ];
  });
  const header = [
    "stage",
    "ours/floor",
    "ours s, median (min-max)",
    "floor s, median (min-max)",
    "Pulumi CLI calls (s)",
    "AWS calls",
    "driver peak MiB",
    "load",
  ];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  ");
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

async function main(): Promise<void> {
  silenceSdkNodeNotice();
  const options = parseOptions(process.argv.slice(2));
  const stages = STAGES.filter((stage) => !options.only || options.only.some((name) => stage.name.startsWith(name)));
  console.log(
    `bench: ${options.repo === REPO_ROOT ? "this checkout" : options.repo}, ${options.runs} run(s) per stage, ${cpus().length} cores, load ${loadavg()
      .map((value) => value.toFixed(2))
      .join(" ")}`,
  );
  const [sandbox, floorMoto] = await Promise.all([openSandbox(options.repo), startMoto()]);
  const results: StageResult[] = [];
  const failures: { stage: string; error: string }[] = [];
  try {
    for (const stage of stages) {
      try {
        const result = await measure(stage, sandbox, floorMoto, options.runs);
        results.push(result);
        console.log(`  ${stage.name}: ${(median(result.ours) / 1000).toFixed(2)} s (floor ${(median(result.floor) / 1000).toFixed(2)} s)`);
      } catch (error) {
        // One stage failing (a checkout without the command, say) leaves the others' figures.
        failures.push({ stage: stage.name, error: String(error) });
        console.log(`  ${stage.name}: failed (${String(error)})`);
      }
    }
  } finally {
    await Promise.all([sandbox.close(), floorMoto.stop()]);
  }
  console.log(`\n${table(results)}\n\n${targets(results)}\n`);
  await mkdir(path.dirname(options.jsonFile), { recursive: true });
  await writeFile(
    options.jsonFile,
    JSON.stringify({ when: new Date().toISOString(), repo: options.repo, runs: options.runs, cores: cpus().length, results, failures }, null, 2),
  );
  console.log(`bench: wrote ${options.jsonFile}`);
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
