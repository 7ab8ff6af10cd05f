import type { Environment } from "../../infra/config";
import type { Partition } from "../../infra/policy";
import type { Secret } from "../secret";

/** What one stack deployed, as its outputs and settings describe it. Field names follow StackOutputs. */
export interface VerificationInput {
  /** Stack name, shown in reports. */
  readonly stack: string;
  readonly environment: Environment;
  readonly region: string;
  /** Defaults to the partition of `region`. */
  readonly partition?: Partition;
  readonly bucketName: string;
  readonly userName: string;
  /** When absent, the user's ARN is read from IAM. */
  readonly userArn?: string;
  readonly policyArn: string;
  /** The current key: the one the outputs name. */
  readonly accessKeyId: string;
  /** The old key while a rotation is open. */
  readonly retiringAccessKeyId?: string;
  /** Keys adopted from setup-iam.sh that the stack tolerates until they are retired. */
  readonly unmanagedAccessKeyIds: readonly string[];
  /**
   * The user's secret; revealed only to sign the user-key checks. A promise lets the checks that do
   * not need it start while it is still being read (the CLI's decryption of the state).
   */
  readonly secretAccessKey: Secret | Promise<Secret>;
  /** Rotation limit from the stack's config (90 dev/staging/local, 60 prod). */
  readonly keyMaxAgeDays: number;
  /** Days before the limit from which rotation is due (default: from 90% of the limit). */
  readonly rotateAheadDays?: number;
  /** A key unused this long is idle (CIS 1.12). */
  readonly keyMaxIdleDays: number;
  /** The stack demands an MFA device on the user. */
  readonly requireMfa: boolean;
  /** Do a real put/get/delete and presigned POST with the user's key. */
  readonly roundTripCheck: boolean;
  /** The Secrets Manager secret the stack hands its current key over in; absent when it keeps none. */
  readonly credentialsSecretName?: string;
  /** The access monitoring the stack's settings turn on (prod's default); absent where it is off. */
  readonly accessMonitoring?: AccessMonitoringInput;
}

/** What the stack's settings and outputs say of its access monitoring. */
export interface AccessMonitoringInput {
  /** The alerts topic the outputs name; absent until the monitoring is deployed. */
  readonly alertTopicArn?: string;
  /** IAM user and role ARNs whose IAM changes to the identity raise no alert. */
  readonly trustedCallers: readonly string[];
  /** Regions watched besides the stack's and the partition's global event region. */
  readonly monitoringRegions: readonly string[];
}

export type CheckStatus = "PASS" | "WARN" | "FAIL" | "SKIP";

/** What a check concluded, in one line. */
export interface CheckOutcome {
  readonly status: CheckStatus;
  readonly detail: string;
}

export interface CheckResult extends CheckOutcome {
  readonly id: string;
  readonly title: string;
  readonly durationMs: number;
}

export type StatusCounts = Readonly<Record<CheckStatus, number>> & { readonly total: number };

/** Which policy evaluator decided the least-privilege checks, and why the preferred one did not. */
export interface EvaluatorNote {
  readonly evaluator: string;
  readonly fallbackReason?: string;
}

export interface VerificationReport {
  readonly stack: string;
  readonly environment: string;
  readonly startedAt: string;
  readonly durationMs: number;
  /** In the fixed order of the check list, not completion order. */
  readonly checks: readonly CheckResult[];
  readonly summary: StatusCounts;
  /** Set when a check evaluated the user's policies. */
  readonly policyEvaluation?: EvaluatorNote;
  /** Where the stack's key rotation stands and what to do next, when the caller knows. */
  readonly rotation?: RotationNote;
}

export interface RotationNote {
  readonly phase: string;
  readonly dueDate: string;
  readonly daysLeft: number;
  /** One sentence with the command to run, e.g. "rotate in 12 days (by ...): `npm run rotate -- prod start`". */
  readonly advice: string;
}
