import type { Partition } from "../policy/arns";
import type { Environment } from "./environments";
import { secretNameViolations } from "./secretNameRules";

/** The settings of the Secrets Manager hand-off, without namespace. */
export const CREDENTIALS_SECRET_SETTING_NAMES = [
  "credentialsSecret",
  "credentialsSecretName",
  "credentialsSecretKmsKeyId",
  "credentialsSecretRecoveryDays",
] as const;
type CredentialsSecretSettingName = (typeof CREDENTIALS_SECRET_SETTING_NAMES)[number];

/** Where the Django deploy reads the backend's key pair at run time (prod), and how the secret is kept. */
export interface CredentialsSecretSettings {
  /** Whether the stack keeps its current key pair in a Secrets Manager secret (prod's default). */
  readonly credentialsSecret: boolean;
  /** The secret's name, `talentbase/<env>/aws-credentials` unless configured. */
  readonly credentialsSecretName: string;
  /** A customer managed KMS key for the secret's versions; AWS's `aws/secretsmanager` key when absent. */
  readonly credentialsSecretKmsKeyId?: string;
  /** Days a deleted secret can still be restored; 0 deletes at once (never on prod). */
  readonly credentialsSecretRecoveryDays: number;
}

/** AWS's default recovery window, and the one prod keeps unless told otherwise. */
export const DEFAULT_RECOVERY_DAYS = 30;

export function defaultCredentialsSecretName(environment: Environment): string {
  return `talentbase/${environment}/aws-credentials`;
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const KEY_ID = `(${UUID}|mrk-[0-9a-f]{32})`;
const ALIAS = "alias/[A-Za-z0-9/_-]+";
const KMS_KEY_REFERENCE = new RegExp(`^(${KEY_ID}|${ALIAS}|arn:[a-z-]+:kms:[a-z0-9-]+:\\d{12}:(key/${KEY_ID}|${ALIAS}))$`);

export interface CredentialsSecretConfigContext {
  readonly environment: Environment | undefined;
  readonly region: string | undefined;
  readonly partition: Partition | undefined;
  /** The raw value of one of these settings. */
  readonly setting: (name: CredentialsSecretSettingName) => { key: string; value: string | undefined };
  /** Records a problem in parseStackConfig's wording and returns undefined. */
  readonly problem: (key: string, expected: string, value: string | undefined) => undefined;
}

/**
 * The credentials-secret settings of a stack, validated. Problems go to `context.problem`; the result
 * is meaningful only when none was recorded (parseStackConfig throws otherwise).
 */
export function parseCredentialsSecretSettings(context: CredentialsSecretConfigContext): CredentialsSecretSettings {
  const { environment, region, partition, setting, problem } = context;

  const enabled = setting("credentialsSecret");
  let credentialsSecret: boolean | undefined = environment === "prod";
  if (enabled.value !== undefined) {
    credentialsSecret = enabled.value === "true" || enabled.value === "false" ? enabled.value === "true" : problem(enabled.key, "true or false", enabled.value);
  }

  const name = setting("credentialsSecretName");
  let credentialsSecretName = name.value ?? (environment && defaultCredentialsSecretName(environment));
  const violations = name.value === undefined ? [] : secretNameViolations(name.value);
  if (violations.length > 0) credentialsSecretName = problem(name.key, `a valid Secrets Manager secret name (${violations.join("; ")})`, name.value);

  const kms = setting("credentialsSecretKmsKeyId");
  if (kms.value !== undefined) {
    const arn = kms.value.startsWith("arn:") ? kms.value.split(":") : undefined;
    if (!KMS_KEY_REFERENCE.test(kms.value)) {
      problem(kms.key, "a KMS key id, key ARN, alias name (alias/...) or alias ARN", kms.value);
    } else if (arn && partition !== undefined && arn[1] !== partition) {
      problem(kms.key, `an ARN in partition ${partition}`, kms.value);
    } else if (arn && region !== undefined && arn[3] !== region) {
      problem(kms.key, `a key in ${region}, the secret's region (Secrets Manager encrypts with a key of its own region)`, kms.value);
    }
  }

  const days = setting("credentialsSecretRecoveryDays");
  let credentialsSecretRecoveryDays: number | undefined = DEFAULT_RECOVERY_DAYS;
  if (days.value !== undefined) {
    const value = /^\d+$/.test(days.value) ? Number(days.value) : NaN;
    const inWindow = value >= 7 && value <= 30;
    // Without a window a deleted prod secret is gone at once; elsewhere 0 frees the name for the next provision.
    if (environment === "prod") {
      credentialsSecretRecoveryDays = inWindow
        ? value
        : problem(days.key, "a whole number of days between 7 and 30 (prod keeps a recovery window)", days.value);
    } else {
      credentialsSecretRecoveryDays =
        inWindow || value === 0 ? value : problem(days.key, "a whole number of days between 7 and 30, or 0 to delete without recovery", days.value);
    }
  }

  return {
    credentialsSecret: credentialsSecret!,
    credentialsSecretName: credentialsSecretName!,
    ...(kms.value === undefined ? {} : { credentialsSecretKmsKeyId: kms.value }),
    credentialsSecretRecoveryDays: credentialsSecretRecoveryDays!,
  };
}
