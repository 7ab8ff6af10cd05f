import { backendIdentityNames } from "../../infra/components/backendIdentity";
import type { StackSettings } from "../../infra/config";
import { monitoringNames, monitoringTags } from "../../infra/monitoring/monitoringNames";
import type { PolicyCondition } from "../../infra/policy/policyDocument";
import { profileOf } from "../stacks/stackProfile";

/** What names a stack's resources in ARNs: its settings and the account it deploys to. */
export interface StackResourcesInput {
  readonly settings: Pick<
    StackSettings,
    | "environment"
    | "region"
    | "partition"
    | "userPath"
    | "bucketName"
    | "credentialsSecret"
    | "credentialsSecretName"
    | "credentialsSecretKmsKeyId"
    | "monitoring"
  >;
  readonly account: string;
}

/** One resource of the stack as a policy names it: an ARN (a pattern for a secret), and a condition where the ARN alone cannot say which. */
export interface StackResource {
  readonly arn: string;
  readonly condition?: PolicyCondition;
  /** The statement id part that names it. */
  readonly label: string;
  /** The only actions placed on it: a resource the stack uses but does not manage (a KMS key of the account). */
  readonly onlyFor?: readonly string[];
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
 * resource type is allowed on, one statement per resource with a condition of its own. None where the
 * stack has no such resource (no credentials secret, AWS's own key for it, no access monitoring), which
 * drops the actions that act only on it.
 */
export const STACK_RESOURCES: Readonly<Record<string, (stack: StackResourcesInput) => readonly StackResource[]>> = {
  "iam:user": ({ settings, account }) => [
    { arn: `arn:${settings.partition}:iam::${account}:user${settings.userPath}${backendIdentityNames(settings.environment).userName}`, label: "StackUser" },
  ],
  "iam:group": ({ settings, account }) => [
    { arn: `arn:${settings.partition}:iam::${account}:group${settings.userPath}${backendIdentityNames(settings.environment).groupName}`, label: "StackGroup" },
  ],
  // The program creates the policy at path "/".
  "iam:policy": ({ settings, account }) => [
    { arn: `arn:${settings.partition}:iam::${account}:policy/${backendIdentityNames(settings.environment).policyName}`, label: "StackPolicy" },
  ],
  // Secrets Manager appends six random characters to a secret's name in its ARN.
  "secretsmanager:Secret": ({ settings, account }) =>
    settings.credentialsSecret
      ? [
          {
            arn: `arn:${settings.partition}:secretsmanager:${settings.region}:${account}:secret:${settings.credentialsSecretName}-??????`,
            label: "StackSecret",
          },
        ]
      : [],
  "kms:key": (stack) => [...secretKey(stack), ...monitoringKey(stack)],
  // The monitoring's, by the names monitoringNames gives them; a rule lives in each watched region.
  "sns:topic": ({ settings, account }) =>
    settings.monitoring ? [{ arn: `arn:${settings.partition}:sns:${settings.region}:${account}:${namesOf(settings).topic}`, label: "StackAlertTopic" }] : [],
  "events:rule-on-default-event-bus": ({ settings, account }) =>
    settings.monitoring
      ? [{ arn: `arn:${settings.partition}:events:*:${account}:rule/${backendIdentityNames(settings.environment).userName}-*`, label: "StackAlertRules" }]
      : [],
  "cloudwatch:alarm": ({ settings, account }) =>
    settings.monitoring
      ? [
          {
            arn: `arn:${settings.partition}:cloudwatch:${settings.region}:${account}:alarm:${namesOf(settings).objectCountAlarm}`,
            label: "StackObjectCountAlarm",
          },
        ]
      : [],
  "iam:role": ({ settings, account }) =>
    settings.monitoring ? [{ arn: `arn:${settings.partition}:iam::${account}:role/${namesOf(settings).forwardingRole}`, label: "StackForwardingRole" }] : [],
  // The access-monitoring check reads whichever trail of the account logs the stack's events.
  "cloudtrail:trail": ({ settings, account }) =>
    settings.monitoring
      ? [
          {
            arn: `arn:${settings.partition}:cloudtrail:*:${account}:trail/*`,
            label: "AccountTrails",
            onlyFor: ["cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors"],
          },
        ]
      : [],
  // The sandbox's alert inbox (moto sends no e-mail), made and subscribed by every update of `local`.
  "sqs:queue": ({ settings, account }) => {
    const inbox = profileOf(settings.environment).alertInbox;
    return settings.monitoring && inbox ? [{ arn: `arn:${settings.partition}:sqs:${settings.region}:${account}:${inbox}`, label: "SandboxAlertInbox" }] : [];
  },
};

function namesOf(settings: StackResourcesInput["settings"]) {
  return monitoringNames(settings.environment, settings.bucketName);
}

/** The credentials secret's customer managed key: used through Secrets Manager only, never managed. */
function secretKey({ settings, account }: StackResourcesInput): StackResource[] {
  if (!settings.credentialsSecret || !settings.credentialsSecretKmsKeyId) return [];
  const key = kmsKeyResource(settings.credentialsSecretKmsKeyId, { partition: settings.partition, region: settings.region, account }, "StackSecretKey");
  const viaSecretsManager = { "kms:ViaService": [`secretsmanager.${settings.region}.amazonaws.com`] };
  return [{ ...key, condition: { ...key.condition, StringEquals: viaSecretsManager }, onlyFor: ["kms:GenerateDataKey", "kms:Decrypt"] }];
}

/**
 * The alert topic's key, made by the stack: its id is KMS's choice, so it is named by the tags the
 * program gives it (the environment's, and the monitoring's purpose), which the provider sets at CreateKey.
 */
function monitoringKey({ settings, account }: StackResourcesInput): StackResource[] {
  if (!settings.monitoring) return [];
  const tags = monitoringTags(settings.environment);
  const condition = { StringEquals: { "aws:ResourceTag/Environment": [tags["Environment"]!], "aws:ResourceTag/Purpose": [tags["Purpose"]!] } };
  return [{ arn: `arn:${settings.partition}:kms:${settings.region}:${account}:key/*`, condition, label: "StackAlertKey" }];
}
