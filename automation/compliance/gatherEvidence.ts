import type { AttachedPolicy } from "@aws-sdk/client-iam";
import type { RotationPhase } from "../../infra/config";
import { bookKeys } from "../keys/keyBook";
import type { InlinePolicy, VerificationContext } from "../verify/context";
import type { Evidence, PolicyEvidence, SecretEvidence } from "./evidence";

/** Secrets Manager's own key: DescribeSecret leaves KmsKeyId out for it, or may name its alias. */
const AWS_MANAGED_SECRETS_KEY = "alias/aws/secretsmanager";

/**
 * The evidence of one stack, read with the verification's read-only calls, each made once (GetUser,
 * the user's and its groups' policies with their default versions, the keys with their last use,
 * GetLoginProfile, ListMFADevices, DescribeSecret). Nothing is read with the user's own key and no
 * secret value is read.
 */
export async function gatherEvidence(context: VerificationContext, rotation: RotationPhase): Promise<Evidence> {
  const { input, now } = context;
  const managed = (policies: readonly AttachedPolicy[]) =>
    Promise.all(
      policies.map(
        async (policy): Promise<PolicyEvidence> => ({
          name: policy.PolicyName ?? policy.PolicyArn ?? "",
          ...(policy.PolicyArn ? { arn: policy.PolicyArn } : {}),
          document: (await context.defaultPolicyVersion(policy.PolicyArn ?? "")).document,
        }),
      ),
    );
  const inline = (policies: readonly InlinePolicy[]): PolicyEvidence[] => policies.map(({ name, document }) => ({ name, document }));
  const [user, attached, inlinePolicies, groups, keys, profile, mfaDeviceCount, secret] = await Promise.all([
    context.user(),
    context.attachedPolicies(),
    context.inlinePolicies(),
    context.groups(),
    context.userKeys(),
    context.loginProfile(),
    context.mfaDeviceCount(),
    context.secretDescription(),
  ]);
  const known = {
    current: input.accessKeyId,
    ...(input.retiringAccessKeyId ? { retiring: input.retiringAccessKeyId } : {}),
    unmanaged: input.unmanagedAccessKeyIds,
  };
  return {
    stack: input.stack,
    environment: input.environment,
    now,
    user: {
      name: user.UserName ?? input.userName,
      arn: user.Arn ?? "",
      createdAt: user.CreateDate ?? now,
      ...(user.PasswordLastUsed ? { passwordLastUsedAt: user.PasswordLastUsed } : {}),
      tags: Object.fromEntries((user.Tags ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""])),
    },
    ...(profile ? { loginProfileCreatedAt: profile.CreateDate ?? now } : {}),
    mfaDeviceCount,
    attachedPolicies: await managed(attached),
    inlinePolicies: inline(inlinePolicies),
    groups: await Promise.all(
      groups.map(async (group) => ({
        name: group.name,
        attachedPolicies: await managed(group.attachedPolicies),
        inlinePolicies: inline(group.inlinePolicies),
      })),
    ),
    keys: bookKeys(keys, known).map((key) => ({
      id: key.id,
      status: key.status,
      createdAt: key.createdAt,
      ...(key.lastUsed ? { lastUsedAt: key.lastUsed.at } : {}),
      role: key.role,
    })),
    rotation,
    keyMaxAgeDays: input.keyMaxAgeDays,
    ...(secret ? { credentialsSecret: secretEvidence(input.credentialsSecretName ?? "", secret, now) } : {}),
  };
}

function secretEvidence(name: string, secret: NonNullable<Awaited<ReturnType<VerificationContext["secretDescription"]>>>, now: Date): SecretEvidence {
  const kmsKeyId = secret.KmsKeyId && secret.KmsKeyId !== AWS_MANAGED_SECRETS_KEY ? secret.KmsKeyId : undefined;
  return {
    name: secret.Name ?? name,
    createdAt: secret.CreatedDate ?? now,
    ...(kmsKeyId ? { kmsKeyId } : {}),
    rotationEnabled: secret.RotationEnabled ?? false,
    ...(secret.LastChangedDate ? { lastChangedAt: secret.LastChangedDate } : {}),
    ...(secret.LastAccessedDate ? { lastAccessedAt: secret.LastAccessedDate } : {}),
  };
}
