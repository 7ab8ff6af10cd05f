/**
 * How long a full verification takes against moto: start-up, a cold run (first IAM calls, the local
 * evaluator's data loads), warm runs, and a run under IAM enforcement. Prints numbers, asserts nothing.
 * Usage: npx tsx scripts/bench/verify-moto.ts [warmRuns]
 */
import { runVerification, type VerificationReport } from "../../automation/verify";
import { MOTO_CREDENTIALS, startMoto } from "../../tests/harness/moto";
import { adminClients, createOperatorKey, provisionStack } from "../../tests/integration/verify/fixture";

const elapsed = (since: number) => Math.round(performance.now() - since);

function describeRun(label: string, report: VerificationReport, wallMs: number): void {
  const { PASS, WARN, FAIL, SKIP } = report.summary;
  console.log(`${label.padEnd(22)} ${String(wallMs).padStart(6)} ms  (PASS ${PASS}, WARN ${WARN}, FAIL ${FAIL}, SKIP ${SKIP})`);
}

async function main(): Promise<void> {
  const warmRuns = Number(process.argv[2] ?? 10);
  let started = performance.now();
  const moto = await startMoto();
  console.log(`${"moto start".padEnd(22)} ${String(elapsed(started)).padStart(6)} ms`);
  const admin = adminClients(moto);
  try {
    started = performance.now();
    const input = await provisionStack(admin);
    console.log(`${"provision fixture".padEnd(22)} ${String(elapsed(started)).padStart(6)} ms`);

    const options = { endpoint: moto.endpoint, adminCredentials: MOTO_CREDENTIALS };
    started = performance.now();
    const cold = await runVerification(input, options);
    describeRun("cold verification", cold, elapsed(started));
    for (const check of [...cold.checks].sort((a, b) => b.durationMs - a.durationMs).slice(0, 5)) {
      console.log(`  slowest: ${check.id.padEnd(28)} ${String(check.durationMs).padStart(5)} ms`);
    }

    const warm: number[] = [];
    for (let run = 0; run < warmRuns; run += 1) {
      started = performance.now();
      await runVerification(input, options);
      warm.push(elapsed(started));
    }
    warm.sort((a, b) => a - b);
    console.log(
      `${`warm x${warmRuns}`.padEnd(22)} min ${warm[0]} ms, median ${warm[Math.floor(warm.length / 2)]} ms, max ${warm[warm.length - 1]} ms`,
    );

    const operator = await createOperatorKey(admin);
    await moto.setAuthEnforcement(true);
    started = performance.now();
    const enforced = await runVerification(input, { ...options, adminCredentials: operator });
    describeRun("under IAM enforcement", enforced, elapsed(started));
    await moto.setAuthEnforcement(false);
  } finally {
    admin.destroy();
    await moto.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
