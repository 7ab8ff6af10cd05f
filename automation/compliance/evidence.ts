import type { Environment, RotationPhase } from "../../infra/config";
import type { KeyRole } from "../keys/keyBook";
import type { LivePolicyDocument } from "../verify/policy/livePolicyDocument";

/** A policy as IAM holds it: its name, its ARN when it is a managed one, its (default version's) document. */
export interface PolicyEvidence {
  readonly name: string;
  /** Absent for an inline policy. */
  readonly arn?: string;
  readonly document: LivePolicyDocument;
}

/** A group the user is a member of, with everything it grants. */
export interface GroupEvidence {
  readonly name: string;
  readonly attachedPolicies: readonly PolicyEvidence[];
  readonly inlinePolicies: readonly PolicyEvidence[];
}

/** One access key of the user, with the role the stack gives it (keyBook's roles). */
export interface KeyEvidence {
  readonly id: string;
  readonly status: "Active" | "Inactive";
  readonly createdAt: Date;
  /** When the key last signed a request; absent if never. */
  readonly lastUsedAt?: Date;
  readonly role: KeyRole;
}

/** The Secrets Manager secret the stack hands its current key over in (DescribeSecret's fields). */
export interface SecretEvidence {
  readonly name: string;
  readonly createdAt: Date;
  /** A customer managed KMS key; absent when AWS's `aws/secretsmanager` key encrypts the secret. */
  readonly kmsKeyId?: string;
  /** Whether Secrets Manager's own (Lambda-driven) rotation is configured. */
  readonly rotationEnabled: boolean;
  /** When the value last changed: a new version written by a rotation of the key. */
  readonly lastChangedAt?: Date;
  /** When anything last read the value (Secrets Manager records the day only). */
  readonly lastAccessedAt?: Date;
}

/**
 * What is known about one stack's identity when its controls are judged: what the verification reads
 * from IAM (GetUser, ListAttachedUserPolicies, ListUserPolicies, ListGroupsForUser and the groups'
 * policies, ListAccessKeys with GetAccessKeyLastUsed, GetLoginProfile, ListMFADevices) and the stack's
 * own settings. The credential report holds the same facts (password and key last use, key age), so it
 * is not needed. Gathering this is the driver's job; the verdicts only read it.
 */
export interface Evidence {
  readonly stack: string;
  readonly environment: Environment;
  /** The clock every age is measured against. */
  readonly now: Date;
  readonly user: {
    readonly name: string;
    readonly arn: string;
    readonly createdAt: Date;
    /** When the console password was last used; absent if never (or there is none). */
    readonly passwordLastUsedAt?: Date;
    readonly tags: Readonly<Record<string, string>>;
  };
  /** When the console password (login profile) was made; absent when the user has none. */
  readonly loginProfileCreatedAt?: Date;
  readonly mfaDeviceCount: number;
  /** Managed policies attached to the user itself. */
  readonly attachedPolicies: readonly PolicyEvidence[];
  /** Inline policies of the user itself. */
  readonly inlinePolicies: readonly PolicyEvidence[];
  readonly groups: readonly GroupEvidence[];
  readonly keys: readonly KeyEvidence[];
  /** Where the stack's key rotation stands (config `rotation`): `started` keeps the old key Active. */
  readonly rotation: RotationPhase;
  /** The stack's own key age limit (config `keyMaxAgeDays`: 90, 60 on prod). */
  readonly keyMaxAgeDays: number;
  /** The stack's credentials secret, where it keeps one (prod by default). */
  readonly credentialsSecret?: SecretEvidence;
}

const DAY_MS = 86_400_000;

/** Whole days from `since` to `now` (floored), as every age and idle time here is counted. */
export function daysSince(since: Date, now: Date): number {
  return Math.floor((now.getTime() - since.getTime()) / DAY_MS);
}

/** "1 day", "12 days". */
export function dayCount(days: number): string {
  return `${days} day${days === 1 ? "" : "s"}`;
}
