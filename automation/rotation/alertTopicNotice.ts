import type { MessageAttributeValue, SNSClient } from "@aws-sdk/client-sns";
import type { Environment } from "../../infra/config";
import { isoSeconds } from "../keys/keyContract";
import { ourCommand } from "../stacks/printedCommands";
import type { AutoDecision } from "./autoRotation";

/** Who ran the tool against which stack, and when: what every notice says. */
export interface NoticeOrigin {
  readonly stack: Environment;
  readonly userName: string;
  /** Who ran it, as STS names the operator. */
  readonly by: string;
  readonly at: Date;
}

/** What the alert topic is told after an emergency rotation. */
export interface EmergencyNotice extends NoticeOrigin {
  /** The key cut off (Inactive now); absent when the stack held none to cut off. */
  readonly inactiveKeyId?: string;
  readonly newKeyId: string;
}

/** What the alert topic is told of a scheduled run (`rotate auto`): its decision and how the step ended. */
export interface ScheduleNotice extends NoticeOrigin {
  readonly decision: AutoDecision;
  /** How the step ended: "done", or the one-line error that stopped it. */
  readonly outcome: string;
}

/** A notice as SNS publishes it: a subject for e-mail, a JSON body, and attributes a subscription can filter on. */
export interface TopicNotice {
  readonly subject: string;
  readonly message: string;
  /** `notice` (emergency-rotation, scheduled-rotation) and, for the schedule, its `action`. */
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * The emergency as the topic reads it: a small JSON body shaped like the alerts (what happened, to which
 * keys, by whom, when, what comes next), so whoever reads the alerts reads this the same way.
 */
export function emergencyNoticeMessage(notice: EmergencyNotice): TopicNotice {
  return {
    subject: `TalentBase IAM: emergency key rotation of ${notice.userName} (${notice.stack})`,
    message: JSON.stringify({
      notice: `Emergency rotation of ${notice.userName}'s access key by talentbase-iam: the old key is Inactive, the outputs name a new one`,
      inactiveKey: notice.inactiveKeyId ?? "",
      newKey: notice.newKeyId,
      by: notice.by,
      time: isoSeconds(notice.at),
      next: `examine the old key's calls in CloudTrail, then \`${ourCommand("rotate", notice.stack, "finish")}\` deletes it`,
    }),
    attributes: { notice: "emergency-rotation" },
  };
}

/**
 * The nightly job's decision, every night: a key that changes hands is the alerts' business even when
 * the schedule did it, and a night with no notice then means the job did not run. Subscribers that want
 * only the steps filter on the `action` attribute (docs/monitoring.md, Subscribing).
 */
export function scheduleNoticeMessage(notice: ScheduleNotice): TopicNotice {
  const { decision } = notice;
  return {
    subject: `TalentBase IAM: scheduled key rotation of ${notice.userName} (${notice.stack}): ${decision.action}`,
    message: JSON.stringify({
      notice: `Scheduled rotation of ${notice.userName}'s access key by talentbase-iam: ${decision.action}`,
      reason: decision.reason,
      outcome: notice.outcome,
      by: notice.by,
      time: isoSeconds(notice.at),
    }),
    attributes: { notice: "scheduled-rotation", action: decision.action },
  };
}

/** Publishes the notice on the stack's alert topic. */
export async function tellAlertTopic(sns: SNSClient, topicArn: string, notice: TopicNotice, signal?: AbortSignal): Promise<string> {
  const { PublishCommand } = require("@aws-sdk/client-sns") as typeof import("@aws-sdk/client-sns");
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(notice.attributes)) attributes[name] = { DataType: "String", StringValue: value };
  const command = new PublishCommand({ TopicArn: topicArn, Subject: notice.subject, Message: notice.message, MessageAttributes: attributes });
  const { MessageId } = await sns.send(command, { abortSignal: signal });
  return MessageId ?? "";
}
