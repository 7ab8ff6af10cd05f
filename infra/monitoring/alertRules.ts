import { crossRegionEventsSupported, GLOBAL_EVENT_REGIONS } from "../config/regions";
import type { Partition } from "../policy/arns";
import { consoleSignInPattern } from "./consoleSignInPattern";
import type { EventPattern } from "./eventPattern";
import { iamChangePattern, type WatchedIdentity } from "./iamChangePattern";
import { keyUsePattern } from "./keyUsePattern";

/** The three kinds of alert, one EventBridge rule each per region that sees such events. */
export const ALERT_KINDS = ["iam-changes", "key-use", "console-sign-in"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** ENABLED rules never see read-only management events (Get*, List*, Describe*) that CloudTrail delivers. */
export type RuleState = "ENABLED" | "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";

/** What each rule is for (its description in the console), and the state its events need. */
export const ALERT_RULES: { readonly [K in AlertKind]: { readonly state: RuleState; readonly description: string } } = {
  "iam-changes": {
    state: "ENABLED",
    description: "IAM changes to the backend user, its keys, group or policy not made by a trusted caller",
  },
  // A thief's reconnaissance is mostly reads (iam:ListUsers, s3:ListBuckets): the rule must see them.
  "key-use": {
    state: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
    description: "The backend's access key used for anything but S3 on its bucket (GetCallerIdentity aside)",
  },
  "console-sign-in": {
    state: "ENABLED",
    description: "Console sign-in attempts as the backend user, which has no password",
  },
};

export interface AlertPatternArgs {
  /** The user, group and managed policy the IAM rule watches. */
  readonly identity: WatchedIdentity;
  /** IAM user and role ARNs whose IAM changes are expected. */
  readonly trustedCallers: readonly string[];
  /** Every access key id of the user the stack knows. */
  readonly accessKeyIds: readonly string[];
  /** The uploads bucket. */
  readonly bucketName: string;
}

/** The event pattern of each kind of alert. */
export function alertPatterns(args: AlertPatternArgs): { readonly [K in AlertKind]: EventPattern } {
  const { identity, trustedCallers, accessKeyIds, bucketName } = args;
  return {
    "iam-changes": iamChangePattern(identity, trustedCallers),
    "key-use": keyUsePattern({ accessKeyIds, bucketName }),
    "console-sign-in": consoleSignInPattern(identity.userName),
  };
}

/** Where the rules live. */
export interface AlertPlacement {
  /** The stack's region: the topic is there, and there a rule of each kind publishes to it. */
  readonly home: string;
  /** Rules in other regions, each sending its kind's events to the home region's default event bus. */
  readonly forwarded: readonly { readonly region: string; readonly kind: AlertKind }[];
}

/**
 * An EventBridge rule sees only its own region's events, and can target an SNS topic only in its own
 * region (across regions only an event bus). So the home region holds one rule of each kind publishing
 * to the topic, and every other region where events arise holds rules of the same patterns sending the
 * matched events to the home region's default bus, where the home rules match them again and publish.
 * Events arise: IAM's, and sign-ins at the global endpoint, in the partition's global event region; the
 * key's calls and regional sign-ins in every region the key is used from (the stack's, the global event
 * region, `monitoringRegions`). An event matching two patterns is forwarded by both rules, so it alerts
 * twice per match at home; only a call by the stack's key that also changes its identity does that.
 */
export function planAlertPlacement(options: { homeRegion: string; partition: Partition; monitoringRegions: readonly string[] }): AlertPlacement {
  const { homeRegion, partition, monitoringRegions } = options;
  const globalRegion = GLOBAL_EVENT_REGIONS[partition];
  const remote = [...new Set([globalRegion, ...monitoringRegions])].filter((region) => region !== homeRegion);
  if (remote.length > 0 && !crossRegionEventsSupported(partition)) {
    throw new Error(`EventBridge cannot send events between regions of ${partition}: monitor from ${globalRegion} alone`);
  }
  return {
    home: homeRegion,
    forwarded: remote.flatMap((region) => ALERT_KINDS.filter((kind) => kind !== "iam-changes" || region === globalRegion).map((kind) => ({ region, kind }))),
  };
}
