import type { StackSettings } from "../../infra/config";
import type { StackOutputs } from "../../infra/outputs";
import type { VerificationInput } from "./types";

/** The verifier's input from what the driver already has: the stack's outputs and its parsed settings. */
export function verificationInputFromStack(
  stack: string,
  outputs: StackOutputs,
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
  };
}
