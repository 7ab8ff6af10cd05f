import { SubscribeCommand, SNSClient } from "@aws-sdk/client-sns";
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";

/** Where the sandbox's alerts topic delivers, and how to reach moto there. */
export interface AlertInboxTarget {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly queueName: string;
}

const clientOptions = ({ endpoint, region, credentials }: AlertInboxTarget) => ({ endpoint, region, credentials, maxAttempts: 3 });

/**
 * moto sends no e-mail, so the sandbox subscribes a queue to its alerts topic, with raw delivery: each
 * message is the alert as the rule's input transformer made it. Both calls are idempotent (CreateQueue
 * of an existing queue, Subscribe of an existing endpoint); returns the queue's URL.
 */
export async function subscribeAlertInbox(target: AlertInboxTarget, topicArn: string): Promise<string> {
  const sqs = new SQSClient(clientOptions(target));
  const sns = new SNSClient(clientOptions(target));
  try {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: target.queueName }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: Attributes?.["QueueArn"], Attributes: { RawMessageDelivery: "true" } }),
    );
    return QueueUrl ?? "";
  } finally {
    sqs.destroy();
    sns.destroy();
  }
}

/** Every message waiting in the inbox, taken out of it, oldest first as SQS hands them over. */
export async function takeAlerts(target: AlertInboxTarget, queueUrl: string): Promise<string[]> {
  const sqs = new SQSClient(clientOptions(target));
  const bodies: string[] = [];
  try {
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      if (Messages.length === 0) return bodies;
      bodies.push(...Messages.map((message) => message.Body ?? ""));
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
    }
  } finally {
    sqs.destroy();
  }
}
