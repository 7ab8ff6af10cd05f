import { expect } from "chai";
import { runVerification, type CheckResult, type VerificationInput, type VerificationReport } from "../../../automation/verify";
import { MOTO_CREDENTIALS, type MotoServer } from "../../../sandbox/moto/motoServer";

/** Runs the verifier against moto with the operator credentials given (moto's defaults otherwise). */
export function verifyOnMoto(
  moto: MotoServer,
  input: VerificationInput,
  adminCredentials: { accessKeyId: string; secretAccessKey: string } = MOTO_CREDENTIALS,
  only?: readonly string[],
): Promise<VerificationReport> {
  return runVerification(input, { endpoint: moto.endpoint, adminCredentials, ...(only ? { only } : {}) });
}

export function checkOf(report: VerificationReport, id: string): CheckResult {
  const check = report.checks.find((candidate) => candidate.id === id);
  expect(check, `check ${id} in report`).to.not.equal(undefined);
  return check!;
}
