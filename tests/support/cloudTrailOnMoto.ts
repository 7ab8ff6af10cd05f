import { EventBridgeClient, PutEventsCommand, PutTargetsCommand, RemoveTargetsCommand } from "@aws-sdk/client-eventbridge";
import { SubscribeCommand, SNSClient } from "@aws-sdk/client-sns";
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { MOTO_CREDENTIALS, MOTO_REGION } from "../../sandbox/moto/motoServer";
import { withDetail, type CloudTrailEvent } from "../unit/infra/monitoring/cloudTrailEvents";

const TAP_ID = "test-tap";

/**
 * moto as the end of CloudTrail: it records no events of its own calls, but evaluates rule patterns on
 * PutEvents (and accepts aws.* sources, which AWS refuses), so a CloudTrail record put on the default
 * bus reaches exactly the rules AWS would hand it to. A queue added as a rule's second target (test
 * only: the stack has none) shows what the pattern let through, raw; a queue subscribed to the alerts
 * topic shows the alert as published.
 */
export class CloudTrailOnMoto {
  private readonly options;
  readonly events: EventBridgeClient;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  private readonly tapped = new Set<string>();

  /** `credentials`: under IAM enforcement moto refuses its own `testing` keys, so a moto-made key. */
  constructor(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string } = MOTO_CREDENTIALS) {
    this.options = { endpoint, region: MOTO_REGION, credentials, maxAttempts: 1 };
    this.events = new EventBridgeClient(this.options);
    this.sqs = new SQSClient(this.options);
    this.sns = new SNSClient(this.options);
  }

  destroy(): void {
    for (const client of [this.events, this.sqs, this.sns]) client.destroy();
  }

  async queue(name: string): Promise<{ url: string; arn: string }> {
    const url = (await this.sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const arn = (await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!["QueueArn"]!;
    return { url, arn };
  }

  /** A queue as a second target of the rule, receiving its matched events untransformed. */
  async tap(ruleName: string): Promise<string> {
    const { url, arn } = await this.queue(`tap-${ruleName}`);
    await this.events.send(new PutTargetsCommand({ Rule: ruleName, Targets: [{ Id: TAP_ID, Arn: arn }] }));
    this.tapped.add(ruleName);
    return url;
  }

  /** Takes the taps off their rules again (a rule with a target the stack does not know cannot be deleted). */
  async removeTaps(): Promise<void> {
    for (const ruleName of this.tapped) await this.events.send(new RemoveTargetsCommand({ Rule: ruleName, Ids: [TAP_ID] }));
    this.tapped.clear();
  }

  /** A queue subscribed to the topic with raw delivery: each message is the alert as published. */
  async subscribe(topicArn: string, name: string): Promise<string> {
    const { url, arn } = await this.queue(name);
    await this.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: arn, Attributes: { RawMessageDelivery: "true" } }));
    return url;
  }

  /** Puts CloudTrail records on the default bus, as CloudTrail hands them to EventBridge. */
  async put(...records: CloudTrailEvent[]): Promise<void> {
    const entries = records.map((record) => ({
      Source: record["source"] as string,
      DetailType: record["detail-type"] as string,
      Detail: JSON.stringify(record["detail"]),
    }));
    const { FailedEntryCount } = await this.events.send(new PutEventsCommand({ Entries: entries }));
    if (FailedEntryCount) throw new Error(`${FailedEntryCount} of ${entries.length} events refused`);
  }

  /** Every message in the queue, removed from it. */
  async take(queueUrl: string): Promise<string[]> {
    const bodies: string[] = [];
    for (;;) {
      const { Messages = [] } = await this.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      if (Messages.length === 0) return bodies;
      bodies.push(...Messages.map((message) => message.Body!));
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
        }),
      );
    }
  }
}

/** The identity CloudTrail records for a call signed with an IAM user's access key. */
export function iamUserIdentity(userArn: string, accessKeyId: string): { [key: string]: string } {
  return {
    type: "IAMUser",
    principalId: "AIDAJQABLZS4A3QDU576Q",
    arn: userArn,
    accountId: userArn.split(":")[4]!,
    accessKeyId,
    userName: userArn.split("/").at(-1)!,
  };
}

/** An IAM call on `userName` made by `caller`, its key named in the request (Update, Delete) or the response (Create). */
export function keyCallOn(
  template: CloudTrailEvent,
  eventName: "CreateAccessKey" | "UpdateAccessKey" | "DeleteAccessKey",
  userName: string,
  keyId: string,
  caller: object,
): CloudTrailEvent {
  const created = eventName === "CreateAccessKey";
  return withDetail(template, {
    eventName,
    userIdentity: caller as { [key: string]: string },
    requestParameters: created ? { userName } : { userName, accessKeyId: keyId, ...(eventName === "UpdateAccessKey" ? { status: "Inactive" } : {}) },
    responseElements: created ? { accessKey: { userName, accessKeyId: keyId, status: "Active", createDate: "Dec 4, 2026, 9:12:44 AM" } } : null,
  });
}
