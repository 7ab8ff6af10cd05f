import type * as pulumi from "@pulumi/pulumi";
import type { Environment } from "./config/environments";
import type { Partition } from "./policy/arns";

/**
 * The stack outputs as the program returns them. The Django deploy and runbooks read them by name:
 * never rename one. `secretAccessKey` is a Pulumi secret.
 */
export interface StackOutputs {
  readonly environment: Environment;
  readonly region: string;
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly userName: string;
  readonly userArn: string;
  readonly policyName: string;
  readonly policyArn: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Age in days after which the access key is due for rotation. */
  readonly keyMaxAgeDays: number;
  readonly partition: Partition;
  /** RFC 3339 creation time of the access key, the start of its rotation clock. */
  readonly accessKeyCreateDate: string;
  /** The old key while a rotation is open (Active until `rotate finish` deactivates it); absent otherwise. */
  readonly retiringAccessKeyId?: string;
  /** ARN of the Secrets Manager secret holding the current key pair for Django; absent when the stack has none. */
  readonly credentialsSecretArn?: string;
  /** Its name (`talentbase/<env>/aws-credentials` by default), what Django's config names; absent when the stack has none. */
  readonly credentialsSecretName?: string;
  /** ARN of the SNS topic the access monitoring alerts on; absent when the stack's monitoring is off. */
  readonly alertTopicArn?: string;
}

/** How each output travels: a plain string, a number, a secret string, or a string only some stacks have. */
export type OutputKind = "string" | "number" | "secret" | "optional";

/**
 * The output contract, one entry per output (the compiler insists on every name of StackOutputs and
 * no other): the driver validates deployed outputs against it and the tests assert the program
 * returns exactly these.
 */
export const OUTPUT_KINDS: { readonly [K in keyof StackOutputs]-?: OutputKind } = {
  environment: "string",
  region: "string",
  bucketName: "string",
  bucketArn: "string",
  userName: "string",
  userArn: "string",
  policyName: "string",
  policyArn: "string",
  accessKeyId: "string",
  secretAccessKey: "secret",
  keyMaxAgeDays: "number",
  partition: "string",
  accessKeyCreateDate: "string",
  retiringAccessKeyId: "optional",
  credentialsSecretArn: "optional",
  credentialsSecretName: "optional",
  alertTopicArn: "optional",
};

export const OUTPUT_NAMES = Object.keys(OUTPUT_KINDS) as (keyof StackOutputs)[];

/** What the program returns: each output possibly still unresolved; an optional one only when it has a value. */
export type StackOutputValues = { readonly [K in keyof StackOutputs]: pulumi.Input<NonNullable<StackOutputs[K]>> };
