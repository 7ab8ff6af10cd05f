import { backendIdentityNames } from "../../infra/components/backendIdentity";
import type { StackSettings } from "../../infra/config";
import type { PolicyCondition } from "../../infra/policy/policyDocument";

/** What names a stack's resources in ARNs: its settings and the account it deploys to. */
export interface StackResourcesInput {
  readonly settings: Pick<StackSettings, "environment" | "region" | "partition" | "userPath" | "credentialsSecret" | "credentialsSecretName" | "credentialsSecretKmsKeyId">;
  readonly account: string;
}

/** One resource of the stack as a policy names it: an ARN (a pattern for a secret), and a condition where the ARN alone cannot say which. */
export interface StackResource {
  readonly arn: string;
  readonly condition?: PolicyCondition;
  /** The statement id part that names it. */
  readonly label: string;
}

/**
 * A KMS key named as Pulumi and Secrets Manager accept it: a key ARN or id (granted on the key's ARN),
 * or an alias (an IAM grant on an alias ARN matches nothing: any key of the account, with that alias).
 */
export function kmsKeyResource(reference: string, where: { partition: string; region: string; account: string }, label: string): StackResource {
  const arn = /^arn:[^:]+:kms:([^:]+):(\d{12}):(key|alias)\/(.+)$/.exec(reference);
  if (arn && arn[3] === "key") return { arn: reference, label };
  const region = arn?.[1] ?? where.region;
  const account = arn?.[2] ?? where.account;
  const alias = arn ? `alias/${arn[4]}` : reference.startsWith("alias/") ? reference : undefined;
  if (!alias) return { arn: `arn:${where.partition}:kms:${region}:${account}:key/${reference}`, label };
  return { arn: `arn:${where.partition}:kms:${region}:${account}:key/*`, condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": [alias] } }, label };
}

/**
 * The stack's resources by iam-data's `<service>:<resource type>`: the targets an action of that
 * resource type is allowed on. Undefined where the stack has no such resource (no credentials secret,
 * AWS's own key for it), which drops the actions that act only on it.
 */
export const STACK_RESOURCES: Readonly<Record<string, (stack: StackResourcesInput) => StackResource | undefined>> = {
  "iam:user": ({ settings, account }) => ({
    arn: `arn:${settings.partition}:iam::${account}:user${settings.userPath}${backendIdentityNames(settings.environment).userName}`,
    label: "StackUser",
  }),
  "iam:group": ({ settings, account }) => ({
    arn: `arn:${settings.partition}:iam::${account}:group${settings.userPath}${backendIdentityNames(settings.environment).groupName}`,
    label: "StackGroup",
  }),
  // The program creates the policy at path "/".
  "iam:policy": ({ settings, account }) => ({
    arn: `arn:${settings.partition}:iam::${account}:policy/${backendIdentityNames(settings.environment).policyName}`,
    label: "StackPolicy",
  }),
  // Secrets Manager appends six random characters to a secret's name in its ARN.
  "secretsmanager:Secret": ({ settings, account }) =>
    settings.credentialsSecret
      ? { arn: `arn:${settings.partition}:secretsmanager:${settings.region}:${account}:secret:${settings.credentialsSecretName}-??????`, label: "StackSecret" }
      : undefined,
  "kms:key": ({ settings, account }) =>
    settings.credentialsSecret && settings.credentialsSecretKmsKeyId
      ? kmsKeyResource(settings.credentialsSecretKmsKeyId, { partition: settings.partition, region: settings.region, account }, "StackSecretKey")
      : undefined,
};
