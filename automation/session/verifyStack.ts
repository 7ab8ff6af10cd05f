import type { Environment, StackSettings } from "../../infra/config";
import { rotationSchedule, type RotationSchedule } from "../keys/rotationSchedule";
import { openVerificationContext, runVerification } from "../verify/runVerification";
import { assessCompliance, type ComplianceReport } from "../compliance/assessCompliance";
import { gatherEvidence } from "../compliance/gatherEvidence";
import type { Secret } from "../secret";
import type { VerificationInput, VerificationReport } from "../verify/types";
import type { PreparedStack } from "../preflight/adminClients";
import type { DeployedOutputs } from "../engine/deployedOutputs";

/** The verifier's input from what the driver already has: the stack's outputs and its parsed settings. */
export function verificationInputFromStack(
  stack: string,
  outputs: DeployedOutputs,
  settings: Pick<
    StackSettings,
    "requireMfa" | "roundTripCheck" | "unmanagedAccessKeys" | "rotateAheadDays" | "keyMaxIdleDays" | "monitoring" | "trustedCallers" | "monitoringRegions"
  >,
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
    ...(outputs.retiringAccessKeyId ? { retiringAccessKeyId: outputs.retiringAccessKeyId } : {}),
    unmanagedAccessKeyIds: settings.unmanagedAccessKeys,
    secretAccessKey: outputs.secretAccessKey,
    keyMaxAgeDays: outputs.keyMaxAgeDays,
    ...(settings.rotateAheadDays === undefined ? {} : { rotateAheadDays: settings.rotateAheadDays }),
    keyMaxIdleDays: settings.keyMaxIdleDays,
    requireMfa: settings.requireMfa,
    roundTripCheck: settings.roundTripCheck,
    ...(outputs.credentialsSecretName ? { credentialsSecretName: outputs.credentialsSecretName } : {}),
    ...(settings.monitoring
      ? {
          accessMonitoring: {
            ...(outputs.alertTopicArn ? { alertTopicArn: outputs.alertTopicArn } : {}),
            trustedCallers: settings.trustedCallers,
            monitoringRegions: settings.monitoringRegions,
          },
        }
      : {}),
  };
}

export interface DeploymentUnderTest {
  /** The stack: its settings, endpoint and operator credentials. */
  readonly prepared: PreparedStack;
  readonly outputs: DeployedOutputs;
  /** The secret key when the outputs were read without it: it is being read while the checks start. */
  readonly secretAccessKey?: Promise<Secret>;
  /** Every value the stack marks secret; the report never carries one. */
  readonly secretValues: readonly string[] | Promise<readonly string[]>;
  /** Settings that changed since the stack was prepared (an adoption records the adopted keys). */
  readonly settings?: StackSettings;
  /** Interrupting the command aborts the checks still running (their cleanup still runs). */
  readonly signal?: AbortSignal;
}

/**
 * Runs the verification module against what the stack deployed. The sandbox's admin calls use
 * moto's credentials; real stacks the operator's credential chain.
 */
export async function verifyDeployment({
  prepared,
  outputs,
  secretAccessKey,
  secretValues,
  settings = prepared.settings,
  signal,
}: DeploymentUnderTest): Promise<VerificationReport> {
  const { stack, endpoint, adminCredentials } = prepared;
  const input = verificationInputFromStack(stack, outputs, settings);
  const report = await runVerification(secretAccessKey ? { ...input, secretAccessKey } : input, {
    ...(endpoint ? { endpoint } : {}),
    ...(adminCredentials ? { adminCredentials } : {}),
    secretValues,
    ...(signal ? { signal } : {}),
  });
  return { ...report, rotation: rotationOf(prepared.stack, settings, outputs, new Date(report.startedAt)) };
}

/**
 * Judges the stack against the benchmarks' controls: the evidence read with the verification's
 * read-only calls (the operator's credentials only; nothing is signed with the user's key), then the
 * pure catalogue.
 */
export async function assessDeployment({
  prepared,
  outputs,
  settings = prepared.settings,
}: Pick<DeploymentUnderTest, "prepared" | "outputs" | "settings">): Promise<ComplianceReport> {
  const { stack, endpoint, adminCredentials } = prepared;
  const input = verificationInputFromStack(stack, outputs, settings);
  const noUserKey = () => Promise.reject(new Error("the compliance view signs nothing with the user's key"));
  const { context, close } = openVerificationContext(
    input,
    { ...(endpoint ? { endpoint } : {}), ...(adminCredentials ? { adminCredentials } : {}) },
    noUserKey,
  );
  try {
    return await assessCompliance(await gatherEvidence(context, settings.rotation));
  } finally {
    close();
  }
}

/** Where the key rotation stands, from the stack's config and its current key. */
export function rotationOf(
  stack: Environment,
  settings: Pick<StackSettings, "rotation" | "rotateAheadDays">,
  outputs: DeployedOutputs,
  now: Date,
): RotationSchedule {
  return rotationSchedule({
    stack,
    phase: settings.rotation,
    currentKeyCreated: new Date(outputs.accessKeyCreateDate),
    keyMaxAgeDays: outputs.keyMaxAgeDays,
    rotateAheadDays: settings.rotateAheadDays,
    now,
  });
}
