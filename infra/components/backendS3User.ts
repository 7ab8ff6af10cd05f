import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../config/environments";
import type { GuardedPolicyDocument } from "../policy/policyGuard";
import { backendIdentityNames, backendTags } from "./backendIdentity";

export interface BackendS3UserArgs {
  /** Environment the identity serves; it determines the IAM names and the Environment tag. */
  readonly environment: Environment;
  /** The uploads policy, checked by the policy guard before anything is registered. */
  readonly policyDocument: GuardedPolicyDocument;
  /** IAM path of the user (default `/`). */
  readonly path?: pulumi.Input<string>;
  /** ARN of a managed policy that caps the user's effective permissions. */
  readonly permissionsBoundaryArn?: pulumi.Input<string>;
  /** Protect the user, the policy and the access key against deletion (prod). */
  readonly protect?: boolean;
}

/**
 * The programmatic-only IAM identity the Django backend uses to presign S3 uploads: a user (never a
 * login profile), its managed uploads policy, the attachment, and one access key.
 */
export class BackendS3User extends pulumi.ComponentResource {
  public readonly userName: pulumi.Output<string>;
  public readonly userArn: pulumi.Output<string>;
  public readonly policyName: pulumi.Output<string>;
  public readonly policyArn: pulumi.Output<string>;
  public readonly accessKeyId: pulumi.Output<string>;
  /** Always a Pulumi secret: wrapped here because the provider's own marking is applied only by the engine. */
  public readonly secretAccessKey: pulumi.Output<string>;
  public readonly accessKeyCreateDate: pulumi.Output<string>;

  constructor(name: string, args: BackendS3UserArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("talentbase:iam:BackendS3User", name, {}, opts);
    const { environment, policyDocument, path = "/", permissionsBoundaryArn, protect = false } = args;
    const names = backendIdentityNames(environment);
    const tags = backendTags(environment);

    const user = new iam.User(
      `${name}-user`,
      { name: names.userName, path, permissionsBoundary: permissionsBoundaryArn, forceDestroy: false, tags },
      { parent: this, protect },
    );
    const policy = new iam.Policy(
      `${name}-policy`,
      {
        name: names.policyName,
        description: `Least-privilege S3 access of the TalentBase backend (${environment}) to its uploads bucket`,
        policy: JSON.stringify(policyDocument),
        tags,
      },
      { parent: this, protect },
    );
    const attachment = new iam.UserPolicyAttachment(
      `${name}-policy-attachment`,
      { user: user.name, policyArn: policy.arn },
      { parent: this },
    );
    // Created after the attachment so the key works as soon as the stack reports it.
    const accessKey = new iam.AccessKey(`${name}-access-key`, { user: user.name }, { parent: this, protect, dependsOn: [attachment] });

    this.userName = user.name;
    this.userArn = user.arn;
    this.policyName = policy.name;
    this.policyArn = policy.arn;
    this.accessKeyId = accessKey.id;
    this.secretAccessKey = pulumi.secret(accessKey.secret);
    this.accessKeyCreateDate = accessKey.createDate;
    this.registerOutputs({
      userName: this.userName,
      userArn: this.userArn,
      policyName: this.policyName,
      policyArn: this.policyArn,
      accessKeyId: this.accessKeyId,
      secretAccessKey: this.secretAccessKey,
      accessKeyCreateDate: this.accessKeyCreateDate,
    });
  }
}
