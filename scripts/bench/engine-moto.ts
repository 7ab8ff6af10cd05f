/**
 * How long the real engine takes for each operation on the program against moto with the stand-in
 * aws plugin: fresh up, no-op up, preview, refresh, policy update, destroy. Prints numbers per round
 * and the median, asserts nothing.
 * Usage: npx tsx scripts/bench/engine-moto.ts [rounds]
 */
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { getPulumiCli } from "../../automation/toolchain/pulumiCli";
import { copyProject, sandboxEngineEnv } from "../../tests/harness/engine";
import { startMoto } from "../../tests/harness/moto";

const OPERATIONS = ["fresh up", "no-op up", "preview", "refresh", "policy update", "destroy"] as const;
type Operation = (typeof OPERATIONS)[number];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return Math.round(performance.now() - started);
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 3);
  const cli = await getPulumiCli();
  const moto = await startMoto();
  const project = await copyProject();
  const timings = new Map<Operation, number[]>(OPERATIONS.map((operation) => [operation, []]));
  try {
    const stack = await LocalWorkspace.createStack(
      { stackName: "local", workDir: project.dir },
      { pulumiCommand: cli, envVars: sandboxEngineEnv({ motoEndpoint: moto.endpoint, stateDir: project.stateDir }) },
    );
    for (let round = 1; round <= rounds; round += 1) {
      const record = async (operation: Operation, action: () => Promise<unknown>) => timings.get(operation)?.push(await timed(action));
      await record("fresh up", () => stack.up());
      await record("no-op up", () => stack.up());
      await record("preview", () => stack.preview());
      await record("refresh", () => stack.refresh());
      await stack.setConfig("talentbase-iam:bucketName", { value: `talentbase-local-uploads-${round}` });
      await record("policy update", () => stack.up());
      await stack.removeConfig("talentbase-iam:bucketName");
      await record("destroy", () => stack.destroy());
      console.log(`round ${round}: ${OPERATIONS.map((operation) => `${operation} ${timings.get(operation)?.at(-1)} ms`).join(", ")}`);
    }
    console.log(`\nmedian of ${rounds} round(s), pulumi v${cli.version?.version}:`);
    for (const operation of OPERATIONS) console.log(`  ${operation.padEnd(14)} ${String(median(timings.get(operation) ?? [])).padStart(6)} ms`);
  } finally {
    await moto.stop();
    await project.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
