import * as secretsmanager from "@pulumi/aws/secretsmanager";
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../config/environments";
import { backendIdentityNames, backendTags } from "./backendIdentity";
import { djangoCredentialsDocument } from "./djangoCredentials";

/** Says in the console what the secret is and who writes it, so nobody edits it by hand. */
export function credentialsSecretDescription(environment: Environment): string {
  const { userName } = backendIdentityNames(environment);
  return `Current access key of ${userName} for the Django backend's S3 uploads (django-storages setting names); written by Pulumi (talentbase-iam)`;
}

export interface CredentialsSecretArgs {
  /** Environment the secret serves; it determines the description and the Environment tag. */
  readonly environment: Environment;
  /** The secret's name, which Django's configuration names. */
  readonly secretName: pulumi.Input<string>;
  /** A customer managed KMS key; AWS's `aws/secretsmanager` key when absent. */
  readonly kmsKeyId?: pulumi.Input<string>;
  /** Days a deleted secret stays restorable (0: deleted at once). */
  readonly recoveryWindowInDays: pulumi.Input<number>;
  /** The current access key id. */
  readonly accessKeyId: pulumi.Input<string>;
  /** The current key's secret; the secret string is a Pulumi secret whatever this is. */
  readonly secretAccessKey: pulumi.Input<string>;
  /** The uploads bucket Django stores into. */
  readonly bucketName: pulumi.Input<string>;
  /** The bucket's region. */
  readonly region: pulumi.Input<string>;
  /** Protect the secret against deletion (prod). */
  readonly protect?: boolean;
}

/**
 * The Secrets Manager secret the Django deploy reads the backend's key pair from at run time, and its
 * current version. A new pair (key replaced, or a rotation switching the current slot) replaces the
 * version: Secrets Manager makes the new one AWSCURRENT and the old one AWSPREVIOUS, and deleting the
 * old version resource leaves that label alone, so a consumer can fall back during the overlap.
 */
export class CredentialsSecret extends pulumi.ComponentResource {
  public readonly secretArn: pulumi.Output<string>;
  public readonly secretName: pulumi.Output<string>;
  /** The version holding the current pair (AWSCURRENT once written). */
  public readonly versionId: pulumi.Output<string>;

  constructor(name: string, args: CredentialsSecretArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("talentbase:secretsmanager:CredentialsSecret", name, {}, opts);
    const { environment, secretName, kmsKeyId, recoveryWindowInDays, accessKeyId, secretAccessKey, bucketName, region, protect = false } = args;

    const secret = new secretsmanager.Secret(
      `${name}-secret`,
      {
        name: secretName,
        description: credentialsSecretDescription(environment),
        kmsKeyId,
        recoveryWindowInDays,
        tags: backendTags(environment),
      },
      { parent: this, protect },
    );
    const secretString = pulumi.secret(
      pulumi
        .all([accessKeyId, secretAccessKey, bucketName, region])
        .apply(([keyId, keySecret, bucket, bucketRegion]) =>
          djangoCredentialsDocument({ accessKeyId: keyId, secretAccessKey: keySecret, bucketName: bucket, region: bucketRegion }),
        ),
    );
    // Never protected: each new pair replaces this resource, and deleting the old one only drops labels.
    const version = new secretsmanager.SecretVersion(`${name}-version`, { secretId: secret.id, secretString }, { parent: this });

    this.secretArn = secret.arn;
    this.secretName = secret.name;
    this.versionId = version.versionId;
    this.registerOutputs({ secretArn: this.secretArn, secretName: this.secretName, versionId: this.versionId });
  }
}
