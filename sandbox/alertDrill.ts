import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";

/** What the drill knows of the stack. */
export interface DrillStack {
  readonly accountId: string;
  readonly region: string;
  readonly userName: string;
  readonly accessKeyId: string;
  /** A trusted role (the deploy pipeline's), when the stack trusts one: its rotation must raise no alert. */
  readonly trustedRoleArn?: string;
}

/** One call of the drill: what CloudTrail would record, and whether the rules should alert on it. */
export interface DrillCall {
  readonly description: string;
  readonly alerts: boolean;
  readonly entry: PutEventsRequestEntry;
}

type Detail = Record<string, unknown>;

/** CloudTrail's record of an API call, as EventBridge receives it (the fields the rules and alerts read, as CloudTrail names them). */
function apiCall(stack: DrillStack, source: string, detail: Detail): PutEventsRequestEntry {
  const record: Detail = {
    eventVersion: "1.10",
    eventTime: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    awsRegion: stack.region,
    sourceIPAddress: "203.0.113.7",
    userAgent: "aws-cli/2.22.4",
    requestID: crypto.randomUUID(),
    eventID: crypto.randomUUID(),
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: stack.accountId,
    eventCategory: "Management",
    ...detail,
  };
  return { Source: source, DetailType: "AWS API Call via CloudTrail", Detail: JSON.stringify(record) };
}

function createAccessKey(stack: DrillStack, userIdentity: Detail): PutEventsRequestEntry {
  return apiCall(stack, "aws.iam", {
    userIdentity,
    eventSource: "iam.amazonaws.com",
    eventName: "CreateAccessKey",
    requestParameters: { userName: stack.userName },
    responseElements: { accessKey: { userName: stack.userName, accessKeyId: "AKIAIOSFODNN7DRILL01", status: "Active" } },
    readOnly: false,
  });
}

/**
 * The sandbox's alert drill. moto records no CloudTrail events, so the drill puts CloudTrail's records
 * of a few calls on the default event bus, where CloudTrail would put them: a rotation's new key made
 * by the trusted deploy role (no alert), a key made for the user by someone else (an alert), and an IAM
 * call signed with the stack's key (an alert). Nothing is called for real: no key is made.
 */
export function drillCalls(stack: DrillStack): DrillCall[] {
  const account = stack.accountId;
  const calls: DrillCall[] = [];
  if (stack.trustedRoleArn) {
    const roleName = stack.trustedRoleArn.split("/").at(-1)!;
    calls.push({
      description: `CreateAccessKey for ${stack.userName} by the trusted role ${roleName} (a rotation)`,
      alerts: false,
      entry: createAccessKey(stack, {
        type: "AssumedRole",
        principalId: "AROADBQP57FF2AEXAMPLE:drill",
        arn: `arn:aws:sts::${account}:assumed-role/${roleName}/drill`,
        accountId: account,
        accessKeyId: "ASIAQRSTUVWXYZEXAMPL",
        sessionContext: {
          sessionIssuer: { type: "Role", principalId: "AROADBQP57FF2AEXAMPLE", arn: stack.trustedRoleArn, accountId: account, userName: roleName },
        },
      }),
    });
  }
  calls.push({
    description: `CreateAccessKey for ${stack.userName} by the IAM user intruder`,
    alerts: true,
    entry: createAccessKey(stack, {
      type: "IAMUser",
      principalId: "AIDACKCEVSQ6C2EXAMPLE",
      arn: `arn:aws:iam::${account}:user/intruder`,
      accountId: account,
      userName: "intruder",
    }),
  });
  calls.push({
    description: `ListUsers signed with the stack's key ${stack.accessKeyId}, denied`,
    alerts: true,
    entry: apiCall(stack, "aws.iam", {
      userIdentity: {
        type: "IAMUser",
        principalId: "AIDAJQABLZS4A3QDU576Q",
        arn: `arn:aws:iam::${account}:user/${stack.userName}`,
        accountId: account,
        accessKeyId: stack.accessKeyId,
        userName: stack.userName,
      },
      eventSource: "iam.amazonaws.com",
      eventName: "ListUsers",
      errorCode: "AccessDenied",
      requestParameters: null,
      responseElements: null,
      readOnly: true,
    }),
  });
  return calls;
}

/** Puts the drill's records on the region's default bus (moto accepts aws.* sources; AWS would refuse them). */
export async function putDrillCalls(
  target: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } },
  calls: readonly DrillCall[],
): Promise<void> {
  const events = new EventBridgeClient({ ...target, maxAttempts: 1 });
  try {
    const { FailedEntryCount, Entries = [] } = await events.send(new PutEventsCommand({ Entries: calls.map((call) => call.entry) }));
    if (FailedEntryCount)
      throw new Error(
        `the drill's PutEvents failed: ${Entries.map((entry) => entry.ErrorMessage)
          .filter(Boolean)
          .join("; ")}`,
      );
  } finally {
    events.destroy();
  }
}
