import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SNSClient } from "@aws-sdk/client-sns";
import type * as provider from "@pulumi/pulumi/provider";
import { readAwsEnvironment, type AwsEnvironment } from "../environment";
import { createStandInProvider } from "../standInProvider";
import { eventRuleHandler, EVENT_RULE_TYPE } from "./cloudwatch/eventRule";
import { eventTargetHandler, EVENT_TARGET_TYPE } from "./cloudwatch/eventTarget";
import { metricAlarmHandler, METRIC_ALARM_TYPE } from "./cloudwatch/metricAlarm";
import { accessKeyHandler, ACCESS_KEY_TYPE } from "./iam/accessKey";
import { groupHandler, GROUP_TYPE } from "./iam/group";
import { groupPolicyAttachmentHandler, GROUP_POLICY_ATTACHMENT_TYPE } from "./iam/groupPolicyAttachment";
import { createIamClient } from "./iam/iamClient";
import { policyHandler, POLICY_TYPE } from "./iam/policy";
import { roleHandler, ROLE_TYPE } from "./iam/role";
import { rolePolicyHandler, ROLE_POLICY_TYPE } from "./iam/rolePolicy";
import { userHandler, USER_TYPE } from "./iam/user";
import { userGroupMembershipHandler, USER_GROUP_MEMBERSHIP_TYPE } from "./iam/userGroupMembership";
import { userPolicyAttachmentHandler, USER_POLICY_ATTACHMENT_TYPE } from "./iam/userPolicyAttachment";
import { aliasHandler, ALIAS_TYPE } from "./kms/alias";
import { keyHandler, KEY_TYPE } from "./kms/key";
import { regionalClients, type RegionalClients } from "./regionalClients";
import { secretHandler, SECRET_TYPE } from "./secretsmanager/secret";
import { secretVersionHandler, SECRET_VERSION_TYPE } from "./secretsmanager/secretVersion";
import { createSecretsManagerClient } from "./secretsmanager/secretsManagerClient";
import { topicHandler, TOPIC_TYPE } from "./sns/topic";
import { topicPolicyHandler, TOPIC_POLICY_TYPE } from "./sns/topicPolicy";
import { topicSubscriptionHandler, TOPIC_SUBSCRIPTION_TYPE } from "./sns/topicSubscription";

/** The engine asks for the plugin version the program's @pulumi/aws declares; announce the same. */
export const AWS_PLUGIN_VERSION: string = (require("@pulumi/aws/package.json") as { version: string }).version;

interface AwsServices {
  environment: AwsEnvironment;
  iam: IAMClient;
  secretsManager: SecretsManagerClient;
  /** Regional services: a resource's own `region` input may place it outside the provider's region. */
  sns: RegionalClients<SNSClient>;
  eventBridge: RegionalClients<EventBridgeClient>;
  cloudWatch: RegionalClients<CloudWatchClient>;
  kms: RegionalClients<KMSClient>;
}

function sameEnvironment(a: AwsEnvironment, b: AwsEnvironment): boolean {
  return (
    a.endpoint === b.endpoint &&
    a.region === b.region &&
    a.credentials?.accessKeyId === b.credentials?.accessKeyId &&
    a.credentials?.secretAccessKey === b.credentials?.secretAccessKey &&
    a.credentials?.sessionToken === b.credentials?.sessionToken
  );
}

/**
 * The stand-in for pulumi-resource-aws: the IAM, Secrets Manager, SNS, EventBridge, CloudWatch and KMS
 * resources the programs register, served against a local AWS, one folder per pulumi-aws module. The
 * environment is re-read and re-checked on every call, so a non-loopback endpoint is refused however
 * the provider was started.
 */
export function createAwsStandInProvider(env: NodeJS.ProcessEnv = process.env): provider.Provider {
  let services: AwsServices | undefined;
  return createStandInProvider<AwsServices>({
    version: AWS_PLUGIN_VERSION,
    connect() {
      const environment = readAwsEnvironment(env);
      if (!services || !sameEnvironment(services.environment, environment)) {
        services = {
          environment,
          iam: createIamClient(environment),
          secretsManager: createSecretsManagerClient(environment),
          sns: regionalClients(environment, (options) => new SNSClient(options)),
          eventBridge: regionalClients(environment, (options) => new EventBridgeClient(options)),
          cloudWatch: regionalClients(environment, (options) => new CloudWatchClient(options)),
          kms: regionalClients(environment, (options) => new KMSClient(options)),
        };
      }
      return services;
    },
    handlers: ({ iam, secretsManager, sns, eventBridge, cloudWatch, kms, environment }) => ({
      [USER_TYPE]: userHandler(iam),
      [GROUP_TYPE]: groupHandler(iam),
      [GROUP_POLICY_ATTACHMENT_TYPE]: groupPolicyAttachmentHandler(iam),
      [USER_GROUP_MEMBERSHIP_TYPE]: userGroupMembershipHandler(iam),
      [POLICY_TYPE]: policyHandler(iam),
      [USER_POLICY_ATTACHMENT_TYPE]: userPolicyAttachmentHandler(iam),
      [ROLE_TYPE]: roleHandler(iam),
      [ROLE_POLICY_TYPE]: rolePolicyHandler(iam),
      [ACCESS_KEY_TYPE]: accessKeyHandler(iam, environment.region),
      [SECRET_TYPE]: secretHandler(secretsManager, environment.region),
      [SECRET_VERSION_TYPE]: secretVersionHandler(secretsManager, environment.region),
      [TOPIC_TYPE]: topicHandler(sns),
      [TOPIC_POLICY_TYPE]: topicPolicyHandler(sns),
      [TOPIC_SUBSCRIPTION_TYPE]: topicSubscriptionHandler(sns),
      [EVENT_RULE_TYPE]: eventRuleHandler(eventBridge),
      [EVENT_TARGET_TYPE]: eventTargetHandler(eventBridge),
      [METRIC_ALARM_TYPE]: metricAlarmHandler(cloudWatch),
      [KEY_TYPE]: keyHandler(kms),
      [ALIAS_TYPE]: aliasHandler(kms),
    }),
  });
}
