import { expect } from "chai";
import { alertInputTransformer, type AlertInputTransformer } from "../../../../infra/monitoring/alertMessages";
import { ALERT_KINDS } from "../../../../infra/monitoring/alertRules";
import {
  consoleSignInFailure,
  createAccessKeyByOperator,
  listUsersWithStackKey,
  OPERATOR_ARN,
  RETIRING_KEY,
  STACK_KEY,
  USER_ARN,
  USER_NAME,
  withDetail,
  type CloudTrailEvent,
} from "./cloudTrailEvents";

/**
 * What EventBridge sends the topic: each `<variable>` replaced by the value at its path, inserted
 * unescaped, and by nothing when the event lacks the path ("that variable isn't created").
 */
function render({ inputPaths, inputTemplate }: AlertInputTransformer, event: CloudTrailEvent): Record<string, string> {
  const valueAt = (path: string): unknown =>
    path
      .slice(2)
      .split(".")
      .reduce<unknown>((node, field) => (node as Record<string, unknown> | null)?.[field], event);
  const text = inputTemplate.replace(/<([A-Za-z0-9_.-]+)>/g, (_, variable: string) => {
    const path = inputPaths[variable];
    if (path === undefined) throw new Error(`template variable <${variable}> has no path`);
    const value = valueAt(path);
    return value === undefined || value === null ? "" : String(value);
  });
  return JSON.parse(text) as Record<string, string>;
}

describe("the alert messages", () => {
  it("say who created which key for the user, from where and when, and how to see the whole record", () => {
    expect(render(alertInputTransformer("iam-changes", USER_NAME), createAccessKeyByOperator)).to.deep.equal({
      alert: "IAM change to talentbase-backend-prod (its keys, policy or group) by a caller that is not trusted",
      call: "CreateAccessKey",
      by: OPERATOR_ARN,
      user: USER_NAME,
      group: "",
      policy: "",
      accessKey: "AKIAIOSFODNN7NEWKEY1",
      error: "",
      from: "203.0.113.7",
      region: "us-east-1",
      time: "2026-12-04T09:12:44Z",
      eventId: "d6a4a3f5-4c8e-4a0b-8f4d-EXAMPLE3333",
      lookup: "aws cloudtrail lookup-events --region us-east-1 --lookup-attributes AttributeKey=EventId,AttributeValue=d6a4a3f5-4c8e-4a0b-8f4d-EXAMPLE3333",
    });
  });

  it("name the key a deletion names in its request", () => {
    const deletion = withDetail(createAccessKeyByOperator, {
      eventName: "DeleteAccessKey",
      requestParameters: { userName: USER_NAME, accessKeyId: RETIRING_KEY },
      responseElements: null,
    });
    expect(render(alertInputTransformer("iam-changes", USER_NAME), deletion)).to.include({ call: "DeleteAccessKey", accessKey: RETIRING_KEY });
  });

  it("say which service and call the key was used for, by which key, and what AWS answered", () => {
    expect(render(alertInputTransformer("key-use", USER_NAME), listUsersWithStackKey)).to.include({
      alert: "Access key of talentbase-backend-prod used for something other than S3 on its bucket",
      call: "iam.amazonaws.com ListUsers",
      by: USER_ARN,
      accessKey: STACK_KEY,
      error: "AccessDenied",
      from: "203.0.113.7",
    });
  });

  it("report a sign-in attempt with its result and the region of the sign-in endpoint", () => {
    expect(render(alertInputTransformer("console-sign-in", USER_NAME), consoleSignInFailure)).to.deep.equal({
      alert: "Console sign-in attempt as talentbase-backend-prod, which has no password",
      user: USER_NAME,
      result: "Failure",
      mfaUsed: "No",
      from: "198.51.100.23",
      region: "eu-west-1",
      time: "2026-12-04T09:31:27Z",
      eventId: "11ea990b-4678-4bcd-8fbe-EXAMPLE4444",
      lookup: "aws cloudtrail lookup-events --region eu-west-1 --lookup-attributes AttributeKey=EventId,AttributeValue=11ea990b-4678-4bcd-8fbe-EXAMPLE4444",
    });
  });

  it("stay valid JSON when the event lacks every path", () => {
    for (const kind of ALERT_KINDS) {
      const empty = render(alertInputTransformer(kind, USER_NAME), { detail: {} });
      expect(
        Object.entries(empty)
          .filter(([field]) => field !== "alert" && field !== "lookup")
          .every(([, value]) => value.trim() === ""),
        kind,
      ).to.equal(true);
    }
  });

  it("use each path they define, in the JSON path syntax and within the limits EventBridge takes", () => {
    for (const kind of ALERT_KINDS) {
      const { inputPaths, inputTemplate } = alertInputTransformer(kind, USER_NAME);
      const used = new Set([...inputTemplate.matchAll(/<([^>]+)>/g)].map((match) => match[1]));
      expect(used, kind).to.deep.equal(new Set(Object.keys(inputPaths)));
      expect(Object.keys(inputPaths).length, kind).to.be.at.most(100);
      for (const [variable, path] of Object.entries(inputPaths)) {
        expect(variable).to.match(/^[A-Za-z0-9_-]+$/);
        expect(path).to.match(/^\$(\.[A-Za-z0-9_-]+)+$/);
      }
      expect(inputTemplate.length, kind).to.be.at.most(8192);
    }
  });
});
