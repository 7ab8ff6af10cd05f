import { PARTITIONS, type Partition } from "../policy/arns";
import { bucketNameViolations } from "./bucketNameRules";
import { ConfigError, type ConfigProblem } from "./configError";
import { CREDENTIALS_SECRET_SETTING_NAMES, parseCredentialsSecretSettings, type CredentialsSecretSettings } from "./credentialsSecretConfig";
import { ENVIRONMENTS, isEnvironment, type Environment } from "./environments";
import { MONITORING_SETTING_NAMES, parseMonitoringSettings, type MonitoringSettings } from "./monitoringConfig";
import { partitionOfRegion, regionProblem } from "./regions";

/** Pulumi project name, hence the namespace of this project's config keys. */
export const CONFIG_NAMESPACE = "talentbase-iam";

/**
 * The config namespaces something reads: this project's, the aws provider's, and Pulumi's own
 * (`pulumi:tags`, `pulumi:disable-default-providers`, ...). A key in any other namespace is a typo
 * that nothing would read (`talentbase_iam:protect` would silently leave prod unprotected).
 */
export const CONFIG_NAMESPACES = [CONFIG_NAMESPACE, "aws", "pulumi"] as const;

/** The project's own settings (without namespace), each optional with a per-environment default. */
export const SETTING_NAMES = [
  "bucketName",
  "keyMaxAgeDays",
  "protect",
  "permissionsBoundaryArn",
  "userPath",
  "partition",
  "requireMfa",
  "roundTripCheck",
  "accessKeySlot",
  "rotation",
  "unmanagedAccessKeys",
  "rotateAheadDays",
  "rotationGraceHours",
  "keyMaxIdleDays",
  ...CREDENTIALS_SECRET_SETTING_NAMES,
  ...MONITORING_SETTING_NAMES,
] as const;
type SettingName = (typeof SETTING_NAMES)[number];

/**
 * A stack's config as plain strings keyed by fully qualified key (`aws:region`,
 * `talentbase-iam:bucketName`), as both `pulumi.runtime.allConfig()` and the Automation API's
 * `getAllConfig()` (taking `.value`) provide it.
 */
export type RawStackConfig = Readonly<Record<string, string | undefined>>;

/** The two places an access key can live in the stack; rotation moves the current key to the other one. */
export const ACCESS_KEY_SLOTS = ["a", "b"] as const;
export type AccessKeySlot = (typeof ACCESS_KEY_SLOTS)[number];

/**
 * Where a key rotation stands: none open; the new key exists and the old one is still Active; the old
 * key has been made Inactive; the old key is being deleted (finishing deploys like idle and ends in
 * idle once verified, so an interrupted finish resumes); contained: an emergency made a new key and the
 * old one Inactive in one update (deployed like old-key-inactive, but never turned back on). Config
 * holds it (`rotation`), so the plain CLI deploys the same phase.
 */
export const ROTATION_PHASES = ["idle", "started", "old-key-inactive", "finishing", "contained"] as const;
export type RotationPhase = (typeof ROTATION_PHASES)[number];

/** Validated, typed settings of one stack. */
export interface StackSettings extends CredentialsSecretSettings, MonitoringSettings {
  readonly environment: Environment;
  readonly region: string;
  readonly partition: Partition;
  readonly bucketName: string;
  /** Age after which the verifier reports the access key as due for rotation. */
  readonly keyMaxAgeDays: number;
  /** Protect user, policy and access key against deletion. */
  readonly protect: boolean;
  readonly permissionsBoundaryArn?: string;
  readonly userPath: string;
  /** Whether the verifier demands an MFA device on the user. */
  readonly requireMfa: boolean;
  /** Whether the verifier does a real upload/download/delete round trip with the new key. */
  readonly roundTripCheck: boolean;
  /** The slot of the key the outputs name (the current key). */
  readonly accessKeySlot: AccessKeySlot;
  /** During a rotation the other slot holds the old key, Active while `started`, Inactive after. */
  readonly rotation: RotationPhase;
  /** Keys of the user the stack knows but does not manage (adopted from setup-iam.sh), to be retired. */
  readonly unmanagedAccessKeys: readonly string[];
  /** `rotate auto` starts a rotation this many days before the key reaches keyMaxAgeDays (default: at 90% of it). */
  readonly rotateAheadDays?: number;
  /** `rotate auto` finishes once the new key has carried the load this long and the old key stayed unused. */
  readonly rotationGraceHours: number;
  /** A key unused this long is idle (CIS 1.12): verification warns, and fails on prod. */
  readonly keyMaxIdleDays: number;
}

/** An IAM access key id (user keys start with AKIA). */
export const ACCESS_KEY_ID_PATTERN = /^AKIA[A-Z0-9]{12,124}$/;

/** The slot that is not `slot`. */
export function otherSlot(slot: AccessKeySlot): AccessKeySlot {
  return slot === "a" ? "b" : "a";
}

const KEY_MAX_AGE_DAYS_DEFAULT: Record<Environment, number> = { dev: 90, staging: 90, local: 90, prod: 60 };
/** A day of the new key carrying the load: IAM's last-use records lag by hours. */
const DEFAULT_ROTATION_GRACE_HOURS = 24;
/** CIS AWS Foundations 1.12: credentials unused for 45 days or more. */
const DEFAULT_KEY_MAX_IDLE_DAYS = 45;

/**
 * Validates a stack's raw config, filling per-environment defaults. Throws one ConfigError listing
 * every problem; the program calls this before registering resources and the driver before any API call.
 */
export function parseStackConfig(stack: string, raw: RawStackConfig): StackSettings {
  const problems: ConfigProblem[] = [];
  const problem = (key: string, expected: string, value: string | undefined): undefined => {
    const found = value === undefined ? "it is not set" : `got ${JSON.stringify(value)}`;
    problems.push({ key, message: `${key} must be ${expected}, ${found}` });
    return undefined;
  };
  const setting = (name: SettingName) => ({ key: `${CONFIG_NAMESPACE}:${name}`, value: raw[`${CONFIG_NAMESPACE}:${name}`] });
  const bool = (name: SettingName, fallback: boolean): boolean | undefined => {
    const { key, value } = setting(name);
    if (value === undefined) return fallback;
    if (value === "true" || value === "false") return value === "true";
    return problem(key, "true or false", value);
  };

  for (const key of Object.keys(raw)) {
    const [namespace = "", name] = key.split(":", 2);
    if (!(CONFIG_NAMESPACES as readonly string[]).includes(namespace)) {
      problems.push({ key, message: unknownNamespaceMessage(key, namespace) });
    } else if (namespace === CONFIG_NAMESPACE && !(SETTING_NAMES as readonly string[]).includes(name ?? "")) {
      problems.push({ key, message: `${key} is not a setting of this project (known: ${SETTING_NAMES.join(", ")})` });
    }
  }

  const environment = isEnvironment(stack) ? stack : undefined;
  if (environment === undefined) {
    problems.push({ key: "stack", message: `stack name must be one of ${ENVIRONMENTS.join(", ")}, got ${JSON.stringify(stack)}` });
  }

  const regionValue = raw["aws:region"];
  const regionIssue = regionValue === undefined ? "an AWS region such as us-east-1" : regionProblem(regionValue);
  const region = regionIssue === undefined ? regionValue : problem("aws:region", regionIssue, regionValue);

  const partitionSetting = setting("partition");
  let partition: Partition | undefined = "aws";
  if (partitionSetting.value !== undefined) {
    partition = (PARTITIONS as readonly string[]).includes(partitionSetting.value)
      ? (partitionSetting.value as Partition)
      : problem(partitionSetting.key, `one of ${PARTITIONS.join(", ")}`, partitionSetting.value);
  }
  if (partition !== undefined && region !== undefined && partitionOfRegion(region) !== partition) {
    partition = problem(partitionSetting.key, `${partitionOfRegion(region)} to match aws:region ${region}`, partitionSetting.value);
  }

  const bucket = setting("bucketName");
  let bucketName = bucket.value ?? (environment && `talentbase-${environment}-uploads`);
  const violations = bucket.value === undefined ? [] : bucketNameViolations(bucket.value);
  if (violations.length > 0) bucketName = problem(bucket.key, `a valid S3 bucket name (${violations.join("; ")})`, bucket.value);

  const maxAge = setting("keyMaxAgeDays");
  let keyMaxAgeDays = environment && KEY_MAX_AGE_DAYS_DEFAULT[environment];
  if (maxAge.value !== undefined) {
    keyMaxAgeDays =
      /^\d+$/.test(maxAge.value) && Number(maxAge.value) >= 1 && Number(maxAge.value) <= 365
        ? Number(maxAge.value)
        : problem(maxAge.key, "a whole number of days between 1 and 365", maxAge.value);
  }

  const boundary = setting("permissionsBoundaryArn");
  const boundaryPartition = boundary.value?.split(":")[1];
  if (boundary.value !== undefined) {
    if (!/^arn:[a-z-]+:iam::(\d{12}|aws):policy\/\S+$/.test(boundary.value)) {
      problem(boundary.key, "an IAM managed policy ARN such as arn:aws:iam::123456789012:policy/Boundary", boundary.value);
    } else if (partition !== undefined && boundaryPartition !== partition) {
      problem(boundary.key, `an ARN in partition ${partition}`, boundary.value);
    }
  }

  const path = setting("userPath");
  const userPath =
    path.value === undefined || (/^\/([\u0021-\u007E]*\/)?$/.test(path.value) && path.value.length <= 512)
      ? (path.value ?? "/")
      : problem(path.key, 'an IAM path that starts and ends with "/" (printable ASCII, at most 512 characters)', path.value);

  const slot = setting("accessKeySlot");
  const accessKeySlot =
    slot.value === undefined || (ACCESS_KEY_SLOTS as readonly string[]).includes(slot.value)
      ? ((slot.value ?? "a") as AccessKeySlot)
      : problem(slot.key, `one of ${ACCESS_KEY_SLOTS.join(", ")}`, slot.value);

  const phase = setting("rotation");
  const rotation =
    phase.value === undefined || (ROTATION_PHASES as readonly string[]).includes(phase.value)
      ? ((phase.value ?? "idle") as RotationPhase)
      : problem(phase.key, `one of ${ROTATION_PHASES.join(", ")}`, phase.value);

  const unmanaged = setting("unmanagedAccessKeys");
  const unmanagedAccessKeys = (unmanaged.value ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  if (unmanagedAccessKeys.some((id) => !ACCESS_KEY_ID_PATTERN.test(id))) {
    problem(unmanaged.key, "a comma-separated list of access key ids (AKIA...)", unmanaged.value);
  }

  const wholeNumber = (name: SettingName, fallback: number | undefined, min: number, max: number): number | undefined => {
    const { key, value } = setting(name);
    if (value === undefined) return fallback;
    if (/^\d+$/.test(value) && Number(value) >= min && Number(value) <= max) return Number(value);
    return problem(key, `a whole number between ${min} and ${max}`, value);
  };
  const rotateAheadDays = wholeNumber("rotateAheadDays", undefined, 1, 364);
  if (rotateAheadDays !== undefined && keyMaxAgeDays !== undefined && rotateAheadDays >= keyMaxAgeDays) {
    problem(setting("rotateAheadDays").key, `fewer days than keyMaxAgeDays (${keyMaxAgeDays})`, setting("rotateAheadDays").value);
  }
  const rotationGraceHours = wholeNumber("rotationGraceHours", DEFAULT_ROTATION_GRACE_HOURS, 0, 24 * 30);
  const keyMaxIdleDays = wholeNumber("keyMaxIdleDays", DEFAULT_KEY_MAX_IDLE_DAYS, 1, 365);

  const protect = bool("protect", environment === "prod");
  const requireMfa = bool("requireMfa", false);
  const roundTripCheck = bool("roundTripCheck", environment === "dev" || environment === "local");

  const credentialsSecret = parseCredentialsSecretSettings({ environment, region, partition, setting, problem });
  const monitoring = parseMonitoringSettings({ environment, region, partition, setting, problem });

  if (problems.length > 0) throw new ConfigError(stack, problems);
  return {
    environment: environment!,
    region: region!,
    partition: partition!,
    bucketName: bucketName!,
    keyMaxAgeDays: keyMaxAgeDays!,
    protect: protect!,
    ...(boundary.value === undefined ? {} : { permissionsBoundaryArn: boundary.value }),
    userPath: userPath!,
    requireMfa: requireMfa!,
    roundTripCheck: roundTripCheck!,
    accessKeySlot: accessKeySlot!,
    rotation: rotation!,
    unmanagedAccessKeys,
    ...(rotateAheadDays === undefined ? {} : { rotateAheadDays }),
    rotationGraceHours: rotationGraceHours!,
    keyMaxIdleDays: keyMaxIdleDays!,
    ...credentialsSecret,
    ...monitoring,
  };
}

function unknownNamespaceMessage(key: string, namespace: string): string {
  const allowed = CONFIG_NAMESPACES.join(", ");
  // talentbase_iam, TalentBase-IAM, talentbaseiam: the project's namespace mistyped.
  const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, "");
  const unread = `${key} is in namespace "${namespace}", which nothing reads`;
  if (squash(namespace) !== squash(CONFIG_NAMESPACE)) return `${unread}: use one of ${allowed}`;
  return `${unread}: rename it to ${CONFIG_NAMESPACE}:${key.slice(namespace.length + 1)} (namespaces read: ${allowed})`;
}
