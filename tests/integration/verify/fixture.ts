import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { buildUploadsPolicy } from "../../../infra/policy";
import { backendTags } from "../../../infra/components/backendIdentity";
import type { Environment } from "../../../infra/config";
import type { VerificationInput } from "../../../automation/verify";
import { MOTO_CREDENTIALS, MOTO_REGION, type MotoServer } from "../../../sandbox/moto/motoServer";
import { Secret } from "../../../automation/secret";

/** Operator clients on moto, signed with moto's default test credentials. */
export interface AdminClients {
  readonly iam: IAMClient;
  readonly s3: S3Client;
  destroy(): void;
}

export function adminClients(moto: MotoServer, credentials: { accessKeyId: string; secretAccessKey: string } = MOTO_CREDENTIALS): AdminClients {
  const common = { region: MOTO_REGION, endpoint: moto.endpoint, credentials, maxAttempts: 1 };
  const iam = new IAMClient(common);
  const s3 = new S3Client({ ...common, forcePathStyle: true });
  return {
    iam,
    s3,
    destroy() {
      iam.destroy();
      s3.destroy();
    },
  };
}

export interface StackFixtureOptions {
  readonly environment?: Environment;
  readonly keyMaxAgeDays?: number;
  readonly requireMfa?: boolean;
  readonly roundTripCheck?: boolean;
  readonly createBucket?: boolean;
}

/** A fixture's input: its secret is at hand (the driver's may still be being read). */
export type ProvisionedStack = VerificationInput & { readonly secretAccessKey: Secret };

/** What the Pulumi program would have deployed for one environment, made directly with the SDK. */
export async function provisionStack(admin: AdminClients, options: StackFixtureOptions = {}): Promise<ProvisionedStack> {
  const environment = options.environment ?? "local";
  const bucketName = `talentbase-${environment}-uploads`;
  const userName = `talentbase-backend-${environment}`;
  const tags = Object.entries(backendTags(environment)).map(([Key, Value]) => ({ Key, Value }));
  if (options.createBucket ?? true) await admin.s3.send(new CreateBucketCommand({ Bucket: bucketName }));
  const { User } = await admin.iam.send(
    new CreateUserCommand({
      UserName: userName,
      Tags: tags,
    }),
  );
  const { Policy } = await admin.iam.send(
    new CreatePolicyCommand({
      PolicyName: `${userName}-s3-policy`,
      PolicyDocument: JSON.stringify(buildUploadsPolicy({ bucketName, partition: "aws" })),
      Tags: tags,
    }),
  );
  // As the program does it: the policy reaches the user only through the stack's group.
  const groupName = `${userName}-s3`;
  await admin.iam.send(new CreateGroupCommand({ GroupName: groupName }));
  await admin.iam.send(new AttachGroupPolicyCommand({ GroupName: groupName, PolicyArn: Policy!.Arn! }));
  await admin.iam.send(new AddUserToGroupCommand({ UserName: userName, GroupName: groupName }));
  const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return {
    stack: environment,
    environment,
    region: MOTO_REGION,
    partition: "aws",
    bucketName,
    userName,
    userArn: User!.Arn!,
    policyArn: Policy!.Arn!,
    accessKeyId: AccessKey!.AccessKeyId!,
    unmanagedAccessKeyIds: [],
    secretAccessKey: new Secret(AccessKey!.SecretAccessKey!),
    keyMaxAgeDays: options.keyMaxAgeDays ?? 90,
    keyMaxIdleDays: 45,
    requireMfa: options.requireMfa ?? false,
    roundTripCheck: options.roundTripCheck ?? true,
  };
}

/**
 * An operator identity for runs under IAM enforcement, where moto's default test credentials are
 * rejected: a moto-made user whose inline policy allows everything.
 */
export async function createOperatorKey(admin: AdminClients): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  await admin.iam.send(new CreateUserCommand({ UserName: "operator" }));
  await admin.iam.send(
    new PutUserPolicyCommand({
      UserName: "operator",
      PolicyName: "everything",
      PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
    }),
  );
  const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: "operator" }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}
