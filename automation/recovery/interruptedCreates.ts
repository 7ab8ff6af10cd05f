import { DeleteAlarmsCommand, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { DescribeKeyCommand, type KeyMetadata, paginateListKeys, ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import { DeleteSecretCommand, DescribeSecretCommand } from "@aws-sdk/client-secrets-manager";
import { RESOURCE_TYPES } from "../../infra/resourceTypes";
import { isAwsError } from "../aws/errors";
import type { AwsClients } from "../aws/clients";
import type { PendingOperation, StateResource } from "../engine/deploymentState";

/** KMS's shortest waiting period before a scheduled key is deleted. */
const KEY_DELETION_DAYS = 7;

/**
 * What a killed create of a named object left in AWS, where the next create of that name would fail:
 * the alarm (terraform refuses an existing alarm's name), the forwarding role (IAM's CreateRole) and
 * the credentials secret (Secrets Manager's CreateSecret); and the alerts' KMS key, which has no name:
 * the update would make a second one and leave the first, unknown, at a dollar a month. A create the
 * engine had begun and never recorded made the object seconds ago and nothing uses it yet: it is
 * deleted (the key scheduled for deletion, KMS's shortest wait), and the update makes it again with the
 * program's settings. Only an object that still looks just made goes: a role with managed policies
 * attached, a secret holding a value, a key whose description is not the one being created or that the
 * state holds, is left alone.
 * (The user, policy, group and keys are taken over or deleted by `takeOverWhatExists`; the rules, the
 * topic, its policy, subscriptions, targets and the role's policy are made by calls that overwrite.)
 */
export async function removeInterruptedCreates(
  pending: readonly PendingOperation[],
  resources: readonly StateResource[],
  admin: AwsClients,
  record: (repair: string) => void,
  signal: AbortSignal,
): Promise<void> {
  for (const operation of pending) {
    if (operation.type !== "creating") continue;
    if (operation.resource.type === RESOURCE_TYPES.kmsKey) {
      await removeInterruptedKeyCreate(operation, resources, admin, record, signal);
      continue;
    }
    const name = operation.resource.inputs["name"];
    if (typeof name !== "string" || name === "") continue;
    const remove = REMOVERS[operation.resource.type];
    if (!remove) continue;
    const removed = await remove(admin, name, signal);
    if (removed) record(`deleted ${removed} ${name}: the interrupted create made it, and the update makes it again`);
  }
}

/** Deletes the object when it is what a killed create leaves; says what it was, or undefined when there was none to delete. */
type Remover = (admin: AwsClients, name: string, signal: AbortSignal) => Promise<string | undefined>;

const REMOVERS: Readonly<Record<string, Remover>> = {
  [RESOURCE_TYPES.metricAlarm]: async (admin, name, signal) => {
    const { MetricAlarms = [] } = await admin.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }), { abortSignal: signal });
    if (MetricAlarms.length === 0) return undefined;
    await admin.cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: [name] }), { abortSignal: signal });
    return "alarm";
  },

  [RESOURCE_TYPES.role]: async (admin, name, signal) => {
    const options = { abortSignal: signal };
    try {
      await admin.iam.send(new GetRoleCommand({ RoleName: name }), options);
    } catch (error) {
      if (isAwsError(error, "NoSuchEntity", "NoSuchEntityException")) return undefined;
      throw error;
    }
    const { AttachedPolicies = [] } = await admin.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }), options);
    if (AttachedPolicies.length > 0) return undefined;
    const { PolicyNames = [] } = await admin.iam.send(new ListRolePoliciesCommand({ RoleName: name }), options);
    for (const policyName of PolicyNames) await admin.iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: policyName }), options);
    await admin.iam.send(new DeleteRoleCommand({ RoleName: name }), options);
    return "role";
  },

  [RESOURCE_TYPES.secret]: async (admin, name, signal) => {
    const options = { abortSignal: signal };
    let versions: Record<string, string[]>;
    try {
      versions = (await admin.secretsManager.send(new DescribeSecretCommand({ SecretId: name }), options)).VersionIdsToStages ?? {};
    } catch (error) {
      if (isAwsError(error, "ResourceNotFoundException")) return undefined;
      throw error;
    }
    if (Object.keys(versions).length > 0) return undefined;
    await admin.secretsManager.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }), options);
    return "secret";
  },
};

/** The key a killed create made: enabled, customer managed, with the description being created, and not one the state holds. */
async function removeInterruptedKeyCreate(
  operation: PendingOperation,
  resources: readonly StateResource[],
  admin: AwsClients,
  record: (repair: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const description = operation.resource.inputs["description"];
  if (typeof description !== "string" || description === "") return;
  const known = new Set(resources.filter((resource) => resource.type === RESOURCE_TYPES.kmsKey && resource.id).map((resource) => resource.id));
  for await (const page of paginateListKeys({ client: admin.kms }, {}, { abortSignal: signal })) {
    for (const { KeyId } of page.Keys ?? []) {
      if (!KeyId || known.has(KeyId)) continue;
      let metadata: KeyMetadata | undefined;
      try {
        metadata = (await admin.kms.send(new DescribeKeyCommand({ KeyId }), { abortSignal: signal })).KeyMetadata;
      } catch (error) {
        // The operator policy lets DescribeKey read the stack's tagged keys only; any other key is not ours.
        if (isAwsError(error, "AccessDeniedException")) continue;
        throw error;
      }
      if (metadata?.KeyState !== "Enabled" || metadata.KeyManager !== "CUSTOMER" || metadata.Description !== description) continue;
      await admin.kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: KEY_DELETION_DAYS }), { abortSignal: signal });
      record(
        `scheduled KMS key ${KeyId} for deletion in ${KEY_DELETION_DAYS} days: the interrupted create made it, and the update makes the stack's key again`,
      );
    }
  }
}
