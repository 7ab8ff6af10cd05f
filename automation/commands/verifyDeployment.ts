import type { StackSettings } from "../../infra/config";
import type { StackOutputs } from "../../infra/outputs";
import { MOTO_CREDENTIALS } from "../../tests/harness/moto";
import { runVerification, verificationInputFromStack, type VerificationReport } from "../verify";

/**
 * Runs the verification module against what the stack deployed. The sandbox's admin calls use
 * moto's credentials; real stacks the operator's credential chain.
 */
export function verifyDeployment(
  stack: string,
  outputs: StackOutputs,
  settings: StackSettings,
  endpoint: string | undefined,
): Promise<VerificationReport> {
  return runVerification(verificationInputFromStack(stack, outputs, settings), {
    ...(endpoint ? { endpoint } : {}),
    ...(settings.environment === "local" ? { adminCredentials: { ...MOTO_CREDENTIALS } } : {}),
  });
}
