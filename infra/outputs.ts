import type * as pulumi from "@pulumi/pulumi";
import type { Environment } from "./config/environments";
import type { Partition } from "./policy/arns";

/**
 * The stack outputs as the driver reads them. The Django deploy reads the first ten by name: never
 * rename them. `secretAccessKey` is a Pulumi secret.
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
}

/** What the program returns: each output possibly still unresolved. */
export type StackOutputValues = { readonly [K in keyof StackOutputs]: pulumi.Input<StackOutputs[K]> };
