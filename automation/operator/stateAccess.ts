import type { PolicyStatement } from "../../infra/policy/policyDocument";
import { parseAwsKmsUrl } from "../backend/awsKmsUrl";
import { parseS3BackendUrl } from "../backend/s3StateStore";
import { kmsKeyResource, type StackResourcesInput } from "./stackResources";

/** Where a stack's state lives, as the CLI finds it: the backend URL and the stack's secrets provider. */
export interface StateBackendInput {
  readonly backendUrl?: string;
  /** Pulumi.<stack>.yaml's `secretsprovider:`. */
  readonly secretsProvider?: string;
}

/**
 * What the operator needs on a self-managed S3 backend (docs/team-backend.md): list the folders under
 * `.pulumi/`, read, write and delete the checkpoints and lock objects there, and Decrypt (every
 * command) and Encrypt (stack init, change-secrets-provider) with the stack's KMS key. Nothing for a
 * file backend or the Pulumi Cloud, which IAM does not guard.
 */
export function stateAccessStatements(stack: StackResourcesInput, state: StateBackendInput): PolicyStatement[] {
  const { partition } = stack.settings;
  const statements: PolicyStatement[] = [];
  if (state.backendUrl?.startsWith("s3://")) {
    const { bucket, prefix } = parseS3BackendUrl(state.backendUrl);
    const bucketArn = `arn:${partition}:s3:::${bucket}`;
    statements.push(
      {
        Sid: "ListPulumiState",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: [bucketArn],
        Condition: { StringLike: { "s3:prefix": [`${prefix}.pulumi/*`] } },
      },
      {
        Sid: "ReadWritePulumiStateAndLocks",
        Effect: "Allow",
        Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
        Resource: [`${bucketArn}/${prefix}.pulumi/*`],
      },
    );
  }
  if (state.secretsProvider?.startsWith("awskms://")) {
    const keeper = parseAwsKmsUrl(state.secretsProvider);
    const key = kmsKeyResource(keeper.keyId, { partition, region: keeper.client.region ?? stack.settings.region, account: stack.account }, "UseStateKey");
    statements.push({
      Sid: "UseStateKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt"],
      Resource: [key.arn],
      ...(key.condition ? { Condition: key.condition } : {}),
    });
  }
  return statements;
}
