import type { Partition } from "../policy/arns";
import type { Environment } from "./environments";
import { crossRegionEventsSupported, GLOBAL_EVENT_REGIONS, partitionOfRegion, regionProblem } from "./regions";

/** The settings of the access monitoring, without namespace. */
export const MONITORING_SETTING_NAMES = ["monitoring", "alertEmails", "trustedCallers", "monitoringRegions", "objectCountAlarm"] as const;
type MonitoringSettingName = (typeof MONITORING_SETTING_NAMES)[number];

/** Who hears about unexpected use of the backend identity, and what counts as expected. */
export interface MonitoringSettings {
  /** Whether the stack watches its identity and bucket (prod's default). */
  readonly monitoring: boolean;
  /** Addresses subscribed to the alerts by e-mail; each confirms its subscription once. */
  readonly alertEmails: readonly string[];
  /** IAM user and role ARNs (the deploy pipeline, operators) whose IAM changes to the identity raise no alert. */
  readonly trustedCallers: readonly string[];
  /** Regions watched for the key's use besides the stack's region and the partition's global event region. */
  readonly monitoringRegions: readonly string[];
  /** Object count of the uploads bucket above which the S3 alarm fires. */
  readonly objectCountAlarm: number;
}

/** The seed architecture's threshold of unusual S3 activity. */
export const DEFAULT_OBJECT_COUNT_ALARM = 10_000;

/**
 * The trusted callers' ARNs together: each lengthens the IAM-change rule's event pattern by its length
 * and three characters, on about 830 of its own, and EventBridge caps a pattern at 2048 characters
 * unless the account raised its quota (a unit test pins the worst case).
 */
export const MAX_TRUSTED_CALLER_CHARACTERS = 1100;

const EMAIL_ADDRESS = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
const IAM_USER_OR_ROLE_ARN = /^arn:([a-z-]+):iam::\d{12}:(user|role)\/([\x21-\x7E]*\/)?[\w+=,.@-]{1,64}$/;
const ASSUMED_ROLE_SESSION_ARN = /^arn:[a-z-]+:sts::\d{12}:assumed-role\//;

export interface MonitoringConfigContext {
  readonly environment: Environment | undefined;
  readonly region: string | undefined;
  readonly partition: Partition | undefined;
  /** The raw value of one of these settings. */
  readonly setting: (name: MonitoringSettingName) => { key: string; value: string | undefined };
  /** Records a problem in parseStackConfig's wording and returns undefined. */
  readonly problem: (key: string, expected: string, value: string | undefined) => undefined;
}

/** The entries of a comma-separated setting, trimmed, empty ones and repeats dropped. */
function listOf(value: string | undefined): string[] {
  return [
    ...new Set(
      (value ?? "")
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * The monitoring settings of a stack, validated. Problems go to `context.problem`; the result is
 * meaningful only when none was recorded (parseStackConfig throws otherwise).
 */
export function parseMonitoringSettings(context: MonitoringConfigContext): MonitoringSettings {
  const { environment, region, partition, setting, problem } = context;

  const enabled = setting("monitoring");
  let monitoring: boolean | undefined = environment === "prod";
  if (enabled.value !== undefined) {
    monitoring = enabled.value === "true" || enabled.value === "false" ? enabled.value === "true" : problem(enabled.key, "true or false", enabled.value);
  }

  const emails = setting("alertEmails");
  const alertEmails = listOf(emails.value);
  if (alertEmails.some((address) => !EMAIL_ADDRESS.test(address))) {
    problem(emails.key, "a comma-separated list of e-mail addresses such as security@example.com", emails.value);
  }

  const callers = setting("trustedCallers");
  const trustedCallers = listOf(callers.value);
  if (trustedCallers.some((arn) => ASSUMED_ROLE_SESSION_ARN.test(arn))) {
    // CloudTrail names an assumed-role session's role in sessionIssuer.arn; session names change per run.
    problem(
      callers.key,
      "IAM role ARNs, not sessions of them: name the role (arn:aws:iam::123456789012:role/deployer), which CloudTrail records as the session's issuer",
      callers.value,
    );
  } else if (trustedCallers.some((arn) => !IAM_USER_OR_ROLE_ARN.test(arn))) {
    problem(callers.key, "a comma-separated list of IAM user and role ARNs such as arn:aws:iam::123456789012:role/deployer", callers.value);
  } else if (partition !== undefined && trustedCallers.some((arn) => arn.split(":")[1] !== partition)) {
    problem(callers.key, `ARNs in partition ${partition}`, callers.value);
  } else if (trustedCallers.join("").length > MAX_TRUSTED_CALLER_CHARACTERS) {
    problem(
      callers.key,
      `ARNs of at most ${MAX_TRUSTED_CALLER_CHARACTERS} characters together (EventBridge limits the rule's event pattern to 2048): trust a role the operators share`,
      callers.value,
    );
  }

  const regions = setting("monitoringRegions");
  const monitoringRegions = listOf(regions.value);
  const unknownRegion = monitoringRegions.map(regionProblem).find((issue) => issue !== undefined);
  if (unknownRegion !== undefined) {
    problem(regions.key, `a comma-separated list of AWS regions, each ${unknownRegion}`, regions.value);
  } else if (partition !== undefined && monitoringRegions.some((entry) => partitionOfRegion(entry) !== partition)) {
    problem(regions.key, `regions of partition ${partition}, like aws:region`, regions.value);
  }

  if (monitoring && partition !== undefined && region !== undefined && !crossRegionEventsSupported(partition)) {
    const globalRegion = GLOBAL_EVENT_REGIONS[partition];
    const watched = new Set([region, globalRegion, ...monitoringRegions]);
    if (watched.size > 1) {
      problem(
        enabled.key,
        `false in ${partition} unless aws:region is ${globalRegion} and monitoringRegions is empty (EventBridge cannot send events between regions there, and IAM's events arrive in ${globalRegion})`,
        enabled.value,
      );
    }
  }

  const threshold = setting("objectCountAlarm");
  let objectCountAlarm: number | undefined = DEFAULT_OBJECT_COUNT_ALARM;
  if (threshold.value !== undefined) {
    const count = /^\d+$/.test(threshold.value) ? Number(threshold.value) : NaN;
    objectCountAlarm = Number.isSafeInteger(count) && count >= 1 ? count : problem(threshold.key, "a whole number of objects, 1 or more", threshold.value);
  }

  return {
    monitoring: monitoring!,
    alertEmails,
    trustedCallers,
    monitoringRegions,
    objectCountAlarm: objectCountAlarm!,
  };
}
