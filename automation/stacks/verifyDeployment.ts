import type { StackSettings } from "../../infra/config";
import { MOTO_CREDENTIALS } from "../../sandbox/moto/motoServer";
import { runVerification, type VerificationInput, type VerificationReport } from "../verify";
import type { DeployedOutputs } from "./deployedOutputs";

/** The verifier's input from what the driver already has: the stack's outputs and its parsed settings. */
export function verificationInputFromStack(
  stack: string,
  outputs: DeployedOutputs,
  settings: Pick<StackSettings, "requireMfa" | "roundTripCheck">,
): VerificationInput {
  return {
    stack,
    environment: outputs.environment,
    region: outputs.region,
    partition: outputs.partition,
    bucketName: outputs.bucketName,
    userName: outputs.userName,
    userArn: outputs.userArn,
    policyArn: outputs.policyArn,
    accessKeyId: outputs.accessKeyId,
    secretAccessKey: outputs.secretAccessKey,
    keyMaxAgeDays: outputs.keyMaxAgeDays,
    requireMfa: settings.requireMfa,
    roundTripCheck: settings.roundTripCheck,
    ...(outputs.credentialsSecretName ? { credentialsSecretName: outputs.credentialsSecretName } : {}),
  };
}

export interface DeploymentUnderTest {
  readonly stack: string;
  readonly outputs: DeployedOutputs;
  /** Every value the stack marks secret; the report never carries one. */
  readonly secretValues: readonly string[];
  readonly settings: StackSettings;
  readonly endpoint: string | undefined;
}

/**
 * Runs the verification module against what the stack deployed. The sandbox's admin calls use
 * moto's credentials; real stacks the operator's credential chain.
 */
export function verifyDeployment({ stack, outputs, secretValues, settings, endpoint }: DeploymentUnderTest): Promise<VerificationReport> {
  return runVerification(verificationInputFromStack(stack, outputs, settings), {
    ...(endpoint ? { endpoint } : {}),
    ...(settings.environment === "local" ? { adminCredentials: { ...MOTO_CREDENTIALS } } : {}),
    secretValues,
  });
}
