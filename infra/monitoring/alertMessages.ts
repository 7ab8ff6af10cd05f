import type { AlertKind } from "./alertRules";

/** An EventBridge target's input transformer, as the aws provider takes it. */
export interface AlertInputTransformer {
  /** Variable name to JSON path in the event. */
  readonly inputPaths: Readonly<Record<string, string>>;
  /** The message, with `<variable>` placeholders. */
  readonly inputTemplate: string;
}

/** Where a CloudTrail record keeps what every alert reports. */
const WHERE_AND_WHEN = {
  sourceIp: "$.detail.sourceIPAddress",
  awsRegion: "$.detail.awsRegion",
  eventTime: "$.detail.eventTime",
  eventId: "$.detail.eventID",
} as const;

const PATHS: { readonly [K in AlertKind]: Readonly<Record<string, string>> } = {
  "iam-changes": {
    eventName: "$.detail.eventName",
    caller: "$.detail.userIdentity.arn",
    targetUser: "$.detail.requestParameters.userName",
    targetGroup: "$.detail.requestParameters.groupName",
    targetPolicy: "$.detail.requestParameters.policyArn",
    requestKey: "$.detail.requestParameters.accessKeyId",
    createdKey: "$.detail.responseElements.accessKey.accessKeyId",
    errorCode: "$.detail.errorCode",
    ...WHERE_AND_WHEN,
  },
  "key-use": {
    eventSource: "$.detail.eventSource",
    eventName: "$.detail.eventName",
    caller: "$.detail.userIdentity.arn",
    accessKeyId: "$.detail.userIdentity.accessKeyId",
    errorCode: "$.detail.errorCode",
    ...WHERE_AND_WHEN,
  },
  "console-sign-in": {
    userName: "$.detail.userIdentity.userName",
    result: "$.detail.responseElements.ConsoleLogin",
    mfaUsed: "$.detail.additionalEventData.MFAUsed",
    ...WHERE_AND_WHEN,
  },
};

/** The alert's fields, in reading order; values are text with `<variable>` placeholders. */
function fieldsOf(kind: AlertKind, userName: string): Record<string, string> {
  const lookup = "aws cloudtrail lookup-events --region <awsRegion> --lookup-attributes AttributeKey=EventId,AttributeValue=<eventId>";
  const whereAndWhen = { from: "<sourceIp>", region: "<awsRegion>", time: "<eventTime>", eventId: "<eventId>", lookup };
  switch (kind) {
    case "iam-changes":
      return {
        alert: `IAM change to ${userName} (its keys, policy or group) by a caller that is not trusted`,
        call: "<eventName>",
        by: "<caller>",
        user: "<targetUser>",
        group: "<targetGroup>",
        policy: "<targetPolicy>",
        // UpdateAccessKey and DeleteAccessKey name the key in the request, CreateAccessKey in the response.
        accessKey: "<requestKey><createdKey>",
        error: "<errorCode>",
        ...whereAndWhen,
      };
    case "key-use":
      return {
        alert: `Access key of ${userName} used for something other than S3 on its bucket`,
        call: "<eventSource> <eventName>",
        by: "<caller>",
        accessKey: "<accessKeyId>",
        error: "<errorCode>",
        ...whereAndWhen,
      };
    case "console-sign-in":
      return {
        alert: `Console sign-in attempt as ${userName}, which has no password`,
        user: "<userName>",
        result: "<result>",
        mfaUsed: "<mfaUsed>",
        ...whereAndWhen,
      };
  }
}

/**
 * The alert a rule's target publishes: a small JSON object naming what happened, who did it with which
 * key, from where and when, and the command that shows the whole CloudTrail record. Readable in an
 * e-mail, parseable by a chat or ticket integration, and small: the raw event (several KB of nested
 * JSON) buries the five facts that matter. Every variable sits inside a JSON string, because EventBridge
 * drops a variable whose path the event lacks (an Update has no created key, a success no error code):
 * the string turns empty and the JSON stays valid. The values are identifiers, ARNs, addresses and
 * times, which hold no quotes (EventBridge does not escape what it inserts), so free text such as the
 * user agent or the error message is left to the lookup.
 */
export function alertInputTransformer(kind: AlertKind, userName: string): AlertInputTransformer {
  return { inputPaths: PATHS[kind], inputTemplate: JSON.stringify(fieldsOf(kind, userName)) };
}
