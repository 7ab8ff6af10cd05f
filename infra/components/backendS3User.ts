import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../config/environments";
import type { AccessKeySlot, RotationPhase } from "../config/stackConfig";
import type { ImportIds } from "../imports";
import type { GuardedPolicyDocument } from "../policy/policyGuard";
import { accessKeyResourceName, planAccessKeys } from "./accessKeySlots";
import { backendIdentityNames, backendTags } from "./backendIdentity";

export interface BackendS3UserArgs {
  /** Environment the identity serves; it determines the IAM names and the Environment tag. */
  readonly environment: Environment;
  /** The uploads policy, checked by the policy guard before anything is registered. */
  readonly policyDocument: GuardedPolicyDocument;
  /** IAM path of the user and its group (default `/`). */
  readonly path?: pulumi.Input<string>;
  /** ARN of a managed policy that caps the user's effective permissions. */
  readonly permissionsBoundaryArn?: pulumi.Input<string>;
  /** Protect the user, the policy, the group and the access key against deletion (prod). */
  readonly protect?: boolean;
  /** Slot of the key the outputs name (default a). */
  readonly accessKeySlot?: AccessKeySlot;
  /** Phase of an open key rotation (default idle: one key). */
  readonly rotation?: RotationPhase;
  /** Existing IAM objects to take over instead of creating them (adoption, repair). */
  readonly importIds?: ImportIds;
}

/**
 * The programmatic-only IAM identity the Django backend uses to presign S3 uploads: a user (never a
 * login profile), its managed uploads policy, a group the policy is attached to and the user is a
 * member of (the user gets permissions only through groups, as CIS 1.15 asks), and its access key(s):
 * one, or two while a rotation is open.
 */
export class BackendS3User extends pulumi.ComponentResource {
  public readonly userName: pulumi.Output<string>;
  public readonly userArn: pulumi.Output<string>;
  public readonly policyName: pulumi.Output<string>;
  public readonly policyArn: pulumi.Output<string>;
  /** The current key: the one consumers should run on. */
  public readonly accessKeyId: pulumi.Output<string>;
  /** Always a Pulumi secret: wrapped here because the provider's own marking is applied only by the engine. */
  public readonly secretAccessKey: pulumi.Output<string>;
  public readonly accessKeyCreateDate: pulumi.Output<string>;
  /** The old key of an open rotation, if one is open. */
  public readonly retiringAccessKeyId: pulumi.Output<string> | undefined;

  constructor(name: string, args: BackendS3UserArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("talentbase:iam:BackendS3User", name, {}, opts);
    const { environment, policyDocument, path = "/", permissionsBoundaryArn, protect = false, accessKeySlot = "a", rotation = "idle", importIds = {} } = args;
    const names = backendIdentityNames(environment);
    const tags = backendTags(environment);

    const user = new iam.User(
      `${name}-user`,
      { name: names.userName, path, permissionsBoundary: permissionsBoundaryArn, forceDestroy: false, tags },
      { parent: this, protect, ...(importIds.user ? { import: importIds.user } : {}) },
    );
    const policy = new iam.Policy(
      `${name}-policy`,
      {
        name: names.policyName,
        description: `Least-privilege S3 access of the TalentBase backend (${environment}) to its uploads bucket`,
        policy: JSON.stringify(policyDocument),
        tags,
      },
      {
        parent: this,
        protect,
        // IAM cannot change a policy's description, only recreate the policy: an adopted policy keeps its own.
        ignoreChanges: ["description"],
        ...(importIds.policy ? { import: importIds.policy } : {}),
      },
    );
    const group = new iam.Group(
      `${name}-group`,
      { name: names.groupName, path },
      { parent: this, protect, ...(importIds.group ? { import: importIds.group } : {}) },
    );
    const groupAttachment = new iam.GroupPolicyAttachment(
      `${name}-group-policy-attachment`,
      { group: group.name, policyArn: policy.arn },
      { parent: this, ...(importIds.groupAttachment ? { import: importIds.groupAttachment } : {}) },
    );
    // Non-exclusive: groups someone else put the user in stay (adoption reports them).
    const membership = new iam.UserGroupMembership(
      `${name}-group-membership`,
      { user: user.name, groups: [group.name] },
      { parent: this, ...(importIds.membership ? { import: importIds.membership } : {}) },
    );
    if (importIds.attachment) {
      // Taken over only to be let go: the next update, with no import ids, no longer declares it, and the
      // engine detaches it then, after the group granting the same policy exists.
      new iam.UserPolicyAttachment(`${name}-policy-attachment`, { user: user.name, policyArn: policy.arn }, { parent: this, import: importIds.attachment });
    }
    // Created after the grant through the group so a key works as soon as the stack reports it.
    const keys = planAccessKeys({ slot: accessKeySlot, rotation, protect }).map((planned) => ({
      planned,
      key: new iam.AccessKey(
        accessKeyResourceName(name, planned.slot),
        { user: user.name, status: planned.status },
        { parent: this, protect: planned.protect, dependsOn: [groupAttachment, membership] },
      ),
    }));
    const current = keys.find(({ planned }) => planned.role === "current")!.key;
    const retiring = keys.find(({ planned }) => planned.role === "retiring")?.key;

    this.userName = user.name;
    this.userArn = user.arn;
    this.policyName = policy.name;
    this.policyArn = policy.arn;
    this.accessKeyId = current.id;
    this.secretAccessKey = pulumi.secret(current.secret);
    this.accessKeyCreateDate = current.createDate;
    this.retiringAccessKeyId = retiring?.id;
    this.registerOutputs({
      userName: this.userName,
      userArn: this.userArn,
      policyName: this.policyName,
      policyArn: this.policyArn,
      accessKeyId: this.accessKeyId,
      secretAccessKey: this.secretAccessKey,
      accessKeyCreateDate: this.accessKeyCreateDate,
      retiringAccessKeyId: this.retiringAccessKeyId,
    });
  }
}
