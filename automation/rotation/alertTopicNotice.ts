import type { SNSClient } from "@aws-sdk/client-sns";
import type { Environment } from "../../infra/config";
import { ourCommand } from "../stacks/printedCommands";

/** What the alert topic is told after an emergency rotation. */
export interface EmergencyNotice {
  readonly stack: Environment;
  readonly userName: string;
  /** The key cut off (Inactive now); absent when the stack held none to cut off. */
  readonly inactiveKeyId?: string;
  readonly newKeyId: string;
  /** Who ran it, as STS names the operator. */
  readonly by: string;
  readonly at: Date;
}

/**
 * The notice as SNS publishes it: a subject for e-mail, and a small JSON body shaped like the alerts
 * (what happened, to which keys, by whom, when, what comes next), so whoever reads the alerts reads
 * this the same way. The tool tells the topic of its emergencies only: a routine rotation by a trusted
 * caller is expected, and a topic that talks about expected things trains its readers to skim it.
 */
export function emergencyNoticeMessage(notice: EmergencyNotice): { subject: string; message: string } {
  return {
    subject: `TalentBase IAM: emergency key rotation of ${notice.userName} (${notice.stack})`,
    message: JSON.stringify({
      notice: `Emergency rotation of ${notice.userName}'s access key by talentbase-iam: the old key is Inactive, the outputs name a new one`,
      inactiveKey: notice.inactiveKeyId ?? "",
      newKey: notice.newKeyId,
      by: notice.by,
      time: notice.at.toISOString().replace(/\.\d{3}Z$/, "Z"),
      next: `examine the old key's calls in CloudTrail, then \`${ourCommand("rotate", notice.stack, "finish")}\` deletes it`,
    }),
  };
}

/** Publishes the notice on the stack's alert topic. */
export async function tellAlertTopic(sns: SNSClient, topicArn: string, notice: EmergencyNotice, signal?: AbortSignal): Promise<string> {
  const { PublishCommand } = require("@aws-sdk/client-sns") as typeof import("@aws-sdk/client-sns");
  const { subject, message } = emergencyNoticeMessage(notice);
  const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }), { abortSignal: signal });
  return MessageId ?? "";
}
