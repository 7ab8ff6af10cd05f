import type { StackSettings } from "../../infra/config";
import type { StackOutputs } from "../../infra/outputs";
import { MOTO_CREDENTIALS } from "../../tests/harness/moto";
import { runVerification, type VerificationReport } from "../verify";

/**
 * Runs the verification module against what the stack deployed: names and the key from its
 * outputs, the policy of checks (MFA, round trip, key age) from its settings. The sandbox's admin
 * calls use moto's credentials; real stacks the operator's.
 */
export function verifyDeployment(
  stack: string,
  outputs: StackOutputs,
  settings: StackSettings,
  endpoint: string | undefined,
): Promise<VerificationReport> {
  return runVerification(
    {
      stack,
      environment: settings.environment,
      region: outputs.region,
      partition: settings.partition,
      bucketName: outputs.bucketName,
      userName: outputs.userName,
      userArn: outputs.userArn,
      policyArn: outputs.policyArn,
      accessKeyId: outputs.accessKeyId,
      secretAccessKey: outputs.secretAccessKey,
      keyMaxAgeDays: settings.keyMaxAgeDays,
      requireMfa: settings.requireMfa,
      roundTripCheck: settings.roundTripCheck,
    },
    {
      ...(endpoint ? { endpoint } : {}),
      ...(settings.environment === "local" ? { adminCredentials: { ...MOTO_CREDENTIALS } } : {}),
    },
  );
}
