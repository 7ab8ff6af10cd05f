import * as pulumi from "@pulumi/pulumi";
import { BackendS3User } from "./components/backendS3User";
import { CredentialsSecret } from "./components/credentialsSecret";
import { parseStackConfig } from "./config/stackConfig";
import { readImportIds } from "./imports";
import { AccessMonitoring } from "./monitoring/accessMonitoring";
import type { StackOutputValues } from "./outputs";
import { accountIdOfArn, s3BucketArn } from "./policy/arns";
import { guardPolicy } from "./policy/policyGuard";
import { buildUploadsPolicy } from "./policy/uploadsPolicy";

/**
 * The Pulumi program: validate config and the generated policy first (both throw before any resource
 * is registered), then create the backend identity, watch it where the stack's monitoring is on, and
 * return the stack outputs.
 */
export async function talentbaseIamProgram(): Promise<StackOutputValues> {
  const settings = parseStackConfig(pulumi.getStack(), pulumi.runtime.allConfig());
  const { environment, region, partition, bucketName } = settings;
  const policyDocument = await guardPolicy(buildUploadsPolicy({ bucketName, partition }));

  const backend = new BackendS3User("backend", {
    environment,
    policyDocument,
    path: settings.userPath,
    permissionsBoundaryArn: settings.permissionsBoundaryArn,
    protect: settings.protect,
    accessKeySlot: settings.accessKeySlot,
    rotation: settings.rotation,
    importIds: readImportIds(),
  });

  // The current key, so a rotation's switch of slots writes a new version as a replaced key does.
  const credentials = settings.credentialsSecret
    ? new CredentialsSecret("backend-credentials", {
        environment,
        secretName: settings.credentialsSecretName,
        kmsKeyId: settings.credentialsSecretKmsKeyId,
        recoveryWindowInDays: settings.credentialsSecretRecoveryDays,
        accessKeyId: backend.accessKeyId,
        secretAccessKey: backend.secretAccessKey,
        bucketName,
        region,
        protect: settings.protect,
      })
    : undefined;

  // Every key of the user the stack knows is watched, the unmanaged ones too until they are retired.
  const monitoring = settings.monitoring
    ? new AccessMonitoring("monitoring", {
        environment,
        region,
        partition,
        accountId: backend.userArn.apply(accountIdOfArn),
        policyArn: backend.policyArn,
        accessKeyIds: [backend.accessKeyId, ...(backend.retiringAccessKeyId ? [backend.retiringAccessKeyId] : []), ...settings.unmanagedAccessKeys],
        bucketName,
        objectCountThreshold: settings.objectCountAlarm,
        trustedCallers: settings.trustedCallers,
        monitoringRegions: settings.monitoringRegions,
        alertEmails: settings.alertEmails,
      })
    : undefined;

  return {
    environment,
    region,
    bucketName,
    bucketArn: s3BucketArn(partition, bucketName),
    userName: backend.userName,
    userArn: backend.userArn,
    policyName: backend.policyName,
    policyArn: backend.policyArn,
    accessKeyId: backend.accessKeyId,
    secretAccessKey: backend.secretAccessKey,
    keyMaxAgeDays: settings.keyMaxAgeDays,
    partition,
    accessKeyCreateDate: backend.accessKeyCreateDate,
    // An output that resolves to undefined makes the engine warn; it exists only while a rotation is open.
    ...(backend.retiringAccessKeyId ? { retiringAccessKeyId: backend.retiringAccessKeyId } : {}),
    // Only where the secret exists: an output resolving to undefined makes the engine warn.
    ...(credentials ? { credentialsSecretArn: credentials.secretArn, credentialsSecretName: credentials.secretName } : {}),
    ...(monitoring ? { alertTopicArn: monitoring.topicArn } : {}),
  };
}
