import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { expect } from "chai";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type MotoServer } from "../../../sandbox/moto/motoServer";

const CLOUDTRAIL_API_CALL = "AWS API Call via CloudTrail";

/** moto alone fails PutEvents for a rule with an SNS target (NotImplementedError, HTTP 500); the sandbox's moto delivers. */
describe("the sandbox's moto: EventBridge rules deliver to SNS topics", function () {
  this.timeout(60_000);
  let moto: MotoServer;
  let events: EventBridgeClient;
  let sns: SNSClient;
  let sqs: SQSClient;

  before(async () => {
    moto = await startMoto();
    const options = { endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, maxAttempts: 1 };
    events = new EventBridgeClient(options);
    sns = new SNSClient(options);
    sqs = new SQSClient(options);
  });
  after(async () => {
    for (const client of [events, sns, sqs]) client?.destroy();
    await moto?.stop();
  });
  beforeEach(() => moto.reset());

  const queue = async (name: string) => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
    return { url, arn };
  };
  const bodies = async (url: string) =>
    ((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages ?? []).map((message) => message.Body!);
  const put = (detail: object) =>
    events.send(new PutEventsCommand({ Entries: [{ Source: "aws.iam", DetailType: CLOUDTRAIL_API_CALL, Detail: JSON.stringify(detail) }] }));

  it("publishes a matched event through the target's input transformer to the topic, and the rule's SQS target still gets the raw event", async () => {
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: "alerts" }))).TopicArn!;
    const inbox = await queue("inbox");
    const tap = await queue("tap");
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: inbox.arn, Attributes: { RawMessageDelivery: "true" } }));
    await events.send(
      new PutRuleCommand({ Name: "iam-changes", EventPattern: JSON.stringify({ source: ["aws.iam"], detail: { eventName: ["CreateAccessKey"] } }) }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: "iam-changes",
        Targets: [
          { Id: "alert", Arn: topicArn, InputTransformer: { InputPathsMap: { call: "$.detail.eventName" }, InputTemplate: '{"call":"<call>"}' } },
          { Id: "tap", Arn: tap.arn },
        ],
      }),
    );

    const result = await put({ eventName: "CreateAccessKey" });
    expect(result.FailedEntryCount).to.equal(0);
    expect((await bodies(inbox.url)).map((body) => JSON.parse(body))).to.deep.equal([{ call: "CreateAccessKey" }]);
    const raw = (await bodies(tap.url)).map((body) => JSON.parse(body));
    expect(raw.map((event) => [event.source, event["detail-type"], event.detail])).to.deep.equal([
      ["aws.iam", CLOUDTRAIL_API_CALL, { eventName: "CreateAccessKey" }],
    ]);

    await put({ eventName: "ListUsers" });
    expect(await bodies(inbox.url), "an event the pattern does not match").to.deep.equal([]);
    expect(await bodies(tap.url)).to.deep.equal([]);
  });
});
