import type { Environment } from "../../../infra/config";
import { ALERT_KINDS, ALERT_RULES, alertPatterns, planAlertPlacement, type AlertKind, type RuleState } from "../../../infra/monitoring/alertRules";
import type { EventPattern } from "../../../infra/monitoring/eventPattern";
import { backendGroupName, monitoringNames } from "../../../infra/monitoring/monitoringNames";
import type { Partition } from "../../../infra/policy";
import type { CheckOutcome, CheckStatus } from "../types";
import { judgeTrails, type LiveTrail } from "./trailCoverage";

/** One rule the stack's monitoring declares, where it declares it. */
export interface ExpectedRule {
  readonly kind: AlertKind;
  readonly region: string;
  readonly name: string;
  /** Home rules publish to the topic; the other regions' send to the home region's default bus through the role. */
  readonly delivery: "topic" | "home-bus";
  readonly state: RuleState;
  readonly pattern: EventPattern;
}

export interface MonitoredStack {
  readonly environment: Environment;
  readonly region: string;
  readonly partition: Partition;
  readonly bucketName: string;
  readonly userName: string;
  readonly policyArn: string;
  /** Every key the stack knows: the rule watches them all. */
  readonly accessKeyIds: readonly string[];
  readonly trustedCallers: readonly string[];
  readonly monitoringRegions: readonly string[];
}

/** The rules AccessMonitoring declares for the stack, from the same placement, names and patterns. */
export function expectedRules(stack: MonitoredStack): ExpectedRule[] {
  const names = monitoringNames(stack.environment, stack.bucketName);
  const patterns = alertPatterns({
    identity: { userName: stack.userName, groupName: backendGroupName(stack.environment), policyArn: stack.policyArn },
    trustedCallers: stack.trustedCallers,
    accessKeyIds: stack.accessKeyIds,
    bucketName: stack.bucketName,
  });
  const placement = planAlertPlacement({ homeRegion: stack.region, partition: stack.partition, monitoringRegions: stack.monitoringRegions });
  const rule = (kind: AlertKind, region: string, delivery: ExpectedRule["delivery"]): ExpectedRule => ({
    kind,
    region,
    name: delivery === "topic" ? names.rule(kind) : names.forwardingRule(kind, stack.region),
    delivery,
    state: ALERT_RULES[kind].state,
    pattern: patterns[kind],
  });
  return [...ALERT_KINDS.map((kind) => rule(kind, placement.home, "topic")), ...placement.forwarded.map(({ region, kind }) => rule(kind, region, "home-bus"))];
}

/** A rule as DescribeRule and ListTargetsByRule show it. */
export interface LiveRule {
  readonly arn: string;
  readonly state: string;
  readonly eventPattern?: string;
  readonly targets: readonly { readonly arn: string; readonly roleArn?: string; readonly transformed: boolean }[];
}

/** JSON with object keys and array members sorted: a pattern's lists are sets of alternatives. */
function canonical(value: unknown): string {
  const sort = (inner: unknown): unknown => {
    if (Array.isArray(inner)) return inner.map(sort).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    if (inner && typeof inner === "object")
      return Object.fromEntries(
        Object.entries(inner)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([key, item]) => [key, sort(item)]),
      );
    return inner;
  };
  return JSON.stringify(sort(value));
}

/** The key ids a key-use pattern watches, and the pattern without them. */
function splitWatchedKeys(pattern: unknown): { keys: readonly unknown[]; rest: unknown } {
  const identity = (pattern as { detail?: { userIdentity?: { accessKeyId?: unknown } } } | null)?.detail?.userIdentity;
  if (!identity || !Array.isArray(identity.accessKeyId)) return { keys: [], rest: pattern };
  const copy = JSON.parse(JSON.stringify(pattern)) as { detail: { userIdentity: { accessKeyId?: unknown } } };
  delete copy.detail.userIdentity.accessKeyId;
  return { keys: identity.accessKeyId, rest: copy };
}

/**
 * Whether the live pattern catches what the stack declares. A key-use rule may still watch a key the
 * stack no longer knows (retire-key changes only the config until the next update): a deleted key can
 * do nothing, so that is no gap; a key the stack knows and the rule misses is one.
 */
function samePattern(live: string | undefined, expected: EventPattern): boolean {
  try {
    if (live === undefined) return false;
    const actual = splitWatchedKeys(JSON.parse(live));
    const declared = splitWatchedKeys(expected);
    return canonical(actual.rest) === canonical(declared.rest) && declared.keys.every((key) => actual.keys.includes(key));
  } catch {
    return false;
  }
}

/** What is wrong with one rule, in one phrase, or undefined. */
export function ruleProblem(expected: ExpectedRule, live: LiveRule | undefined, destinations: { topicArn: string; homeBusArn: string }): string | undefined {
  const where = `rule ${expected.name} (${expected.region})`;
  if (!live) return `${where} is missing`;
  if (live.state !== expected.state) return `${where} is ${live.state}, not ${expected.state}`;
  if (!samePattern(live.eventPattern, expected.pattern))
    return `${where} matches other events than the stack declares (its keys, identity or trusted callers changed outside Pulumi)`;
  if (expected.delivery === "topic" && !live.targets.some((target) => target.arn === destinations.topicArn && target.transformed)) {
    return `${where} does not publish its alert to ${destinations.topicArn}`;
  }
  if (expected.delivery === "home-bus" && !live.targets.some((target) => target.arn === destinations.homeBusArn && target.roleArn)) {
    return `${where} does not send its events to ${destinations.homeBusArn} through a role`;
  }
  return undefined;
}

/** Whether the topic lets the rules' alerts through: its policy for each home rule, and its KMS key. */
export interface TopicDelivery {
  /** Home rule ARNs whose alerts the topic policy refuses to EventBridge. */
  readonly refusedRules: readonly string[];
  /** The topic's KMS key; absent for an unencrypted topic. */
  readonly key?: { readonly id: string; readonly eventBridgeMayUse: boolean };
}

export interface TopicSubscription {
  readonly protocol: string;
  readonly endpoint: string;
  readonly pending: boolean;
}

/** Everything the check read, for the one decision below. */
export interface MonitoringFacts {
  readonly environment: Environment;
  readonly region: string;
  readonly topicArn: string;
  readonly homeBusArn: string;
  readonly rules: readonly { readonly expected: ExpectedRule; readonly live: LiveRule | undefined }[];
  readonly delivery: TopicDelivery;
  readonly subscriptions: readonly TopicSubscription[];
  readonly trustedCallers: readonly string[];
  /** The account's trails; a string when they could not be read (why). */
  readonly trails: readonly LiveTrail[] | string;
}

const SEVERITY: Readonly<Record<CheckStatus, number>> = { SKIP: 0, PASS: 1, WARN: 2, FAIL: 3 };

/**
 * The access monitoring judged: the rules exist, enabled in their state, in their regions, matching the
 * stack's patterns and delivering; the topic lets them publish; someone confirmed a subscription; the
 * IAM rule knows who is trusted; a trail feeds EventBridge. A broken rule or delivery FAILs. No
 * subscription and no trail FAIL on prod, whose alerts would otherwise reach no one, and WARN elsewhere;
 * pending subscriptions and no trusted callers WARN.
 */
export function judgeAccessMonitoring(facts: MonitoringFacts): CheckOutcome {
  const onProd = facts.environment === "prod";
  const parts: CheckOutcome[] = [];

  const problems = facts.rules.map(({ expected, live }) => ruleProblem(expected, live, facts)).filter((problem): problem is string => problem !== undefined);
  const forwarded = facts.rules.filter(({ expected }) => expected.delivery === "home-bus").length;
  parts.push(
    problems.length > 0
      ? { status: "FAIL", detail: problems.join(", ") }
      : {
          status: "PASS",
          detail: `${facts.rules.length - forwarded} rules in ${facts.region} publish to the topic${forwarded > 0 ? ` and ${forwarded} in other regions forward to them` : ""}`,
        },
  );

  const { refusedRules, key } = facts.delivery;
  if (refusedRules.length > 0) parts.push({ status: "FAIL", detail: `the topic policy refuses EventBridge the alerts of ${refusedRules.join(", ")}` });
  else if (key && !key.eventBridgeMayUse)
    parts.push({ status: "FAIL", detail: `the topic's KMS key ${key.id} does not let EventBridge use it, so SNS drops every alert` });
  else parts.push({ status: "PASS", detail: `the topic${key ? " and its KMS key" : ""} let the rules publish` });

  const confirmed = facts.subscriptions.filter((subscription) => !subscription.pending);
  const pending = facts.subscriptions.filter((subscription) => subscription.pending);
  if (confirmed.length > 0) {
    parts.push({
      status: "PASS",
      detail: `${confirmed.length} confirmed subscription(s) (${confirmed.map((subscription) => `${subscription.protocol} ${subscription.endpoint}`).join(", ")})${pending.length > 0 ? `, ${pending.length} pending` : ""}`,
    });
  } else if (pending.length > 0) {
    parts.push({
      status: "WARN",
      detail: `no confirmed subscription: ${pending.map((subscription) => subscription.endpoint).join(", ")} pending (an e-mail subscription stays pending until its owner clicks the link AWS sent)`,
    });
  } else {
    parts.push({ status: onProd ? "FAIL" : "WARN", detail: "the topic has no subscription, so its alerts reach no one (set talentbase-iam:alertEmails)" });
  }

  if (facts.trustedCallers.length === 0) {
    parts.push({ status: "WARN", detail: "no trustedCallers: this tool's own rotations, adoptions and repairs alert like anyone's IAM change" });
  }

  if (typeof facts.trails === "string") {
    parts.push({ status: "WARN", detail: `the account's trails could not be read (${facts.trails})` });
  } else {
    const { covered, detail } = judgeTrails(facts.trails, facts.region);
    parts.push({ status: covered ? "PASS" : onProd ? "FAIL" : "WARN", detail });
  }

  const status = parts.reduce<CheckStatus>((worst, part) => (SEVERITY[part.status] > SEVERITY[worst] ? part.status : worst), "PASS");
  // The parts that decided the status first, so the report's line starts with what to fix.
  const ordered = [...parts].sort((a, b) => SEVERITY[b.status] - SEVERITY[a.status]);
  return { status, detail: ordered.map((part) => part.detail).join("; ") };
}
