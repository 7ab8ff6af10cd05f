import type { CommandContext } from "../context";
import { DeploymentError, VerificationFailedError } from "../errors";
import { readDeployedOutputs } from "../engine/stackState";
import { checkReportFileTarget, writeReportFile } from "../files/reportFile";
import { verificationFailedMessage } from "../session/refreshHints";
import { checkStackSession, openCheckedSession } from "../session/stackSession";
import type { VerificationReport } from "../verify";
import { buildComplianceJunitXml, countFindings, type ComplianceReport } from "../compliance";

export interface VerifyOptions {
  readonly stack: string;
  /** Also write a JUnit XML report here (for CI). */
  readonly junit?: string;
}

/** Verification only: reads the deployed outputs (secret included, never printed) and checks AWS. */
export async function verify(options: VerifyOptions, context: CommandContext): Promise<VerificationReport> {
  const checked = await checkStackSession(options.stack, context, { operation: "read" });
  const { stack, target } = checked;
  // Like outputs --out: a path the report cannot be written to is refused before any AWS call.
  if (options.junit) await checkReportFileTarget(options.junit);
  // The outputs come from the state, not from AWS. Two reads start while the preflight runs: the
  // masked outputs (the backend's files, milliseconds) and the secret key (half a second of CLI: its
  // decryption), which only the checks signing with the user's key wait for.
  const masked = readDeployedOutputs(target, false);
  const revealed = readDeployedOutputs(target, true);
  for (const pending of [masked, revealed]) pending.catch(() => undefined);
  const session = await openCheckedSession(checked, context);
  try {
    const { outputs } = await masked;
    const secret = revealed.then((read) => {
      if (read.outputs.accessKeyId !== outputs.accessKeyId) {
        throw new DeploymentError(
          "concurrent-update",
          `stack ${stack} changed while it was being read (its key is now ${read.outputs.accessKeyId}): run the same command again`,
        );
      }
      return read;
    });
    const report = await session.verify(outputs, {
      secretAccessKey: secret.then((read) => read.outputs.secretAccessKey),
      secretValues: secret.then((read) => read.secretValues),
    });
    if (options.junit) {
      const { buildJunitXml } = require("../verify/report/junit") as typeof import("../verify/report/junit");
      await writeReportFile(options.junit, buildJunitXml(report));
    }
    return report;
  } finally {
    session.close();
  }
}

/**
 * The compliance view: the stack's identity judged against the benchmarks' controls (CIS, Prowler,
 * checkov, Security Hub) from what the verification reads, with the operator's credentials only (no
 * call with the user's key, no secret value read, nothing changed). `--junit` writes the findings.
 */
export async function verifyCompliance(options: VerifyOptions, context: CommandContext): Promise<ComplianceReport> {
  const checked = await checkStackSession(options.stack, context, { operation: "read" });
  if (options.junit) await checkReportFileTarget(options.junit);
  const masked = readDeployedOutputs(checked.target, false);
  masked.catch(() => undefined);
  const session = await openCheckedSession(checked, context);
  try {
    const report = await session.assessCompliance((await masked).outputs);
    if (options.junit) await writeReportFile(options.junit, buildComplianceJunitXml(report));
    return report;
  } finally {
    session.close();
  }
}

/** The failure a compliance report with a FAIL ends in: how many controls, and where to read why. */
export function complianceFailure(report: ComplianceReport): VerificationFailedError {
  const { FAIL, total } = countFindings(report.findings);
  return new VerificationFailedError(`stack ${report.stack} fails ${FAIL} of ${total} controls: see the report above for each one's fix`);
}

/** The failure a report with FAILs ends in, saying when `provision --refresh` repairs it (verify never refreshes). */
export function verificationFailure(report: VerificationReport): VerificationFailedError {
  return new VerificationFailedError(verificationFailedMessage(report, { stack: report.stack, refreshed: false }));
}
