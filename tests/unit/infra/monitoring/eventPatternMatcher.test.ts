import { expect } from "chai";
import type { EventPattern } from "../../../../infra/monitoring/eventPattern";
import { matchesPattern } from "../../../support/eventPatternMatcher";

// The EC2 events and patterns of the EventBridge user guide ("Amazon EventBridge event patterns",
// "Content filtering") and of event-ruler's README, with the results those documents state.
const EC2_EVENT = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  time: "2017-12-22T18:43:48Z",
  region: "us-west-1",
  resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  detail: { "instance-id": "i-1234567890abcdef0", state: "terminated" },
};

const CLOUDWATCH_EVENT = {
  source: "aws.cloudwatch",
  metricName: "CPUUtilization",
  namespace: "AWS/EC2",
  detail: { source: "aws.cloudwatch", "detail-type": "x" },
};

describe("the EventBridge pattern matcher of the tests", () => {
  it("matches the user guide's EC2 example on source, detail-type and a nested field, and nothing else", () => {
    const pattern = { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"], detail: { state: ["terminated"] } };
    expect(matchesPattern(EC2_EVENT, pattern)).to.equal(true);
    expect(matchesPattern({ ...EC2_EVENT, detail: { state: "running" } }, pattern)).to.equal(false);
    expect(matchesPattern(EC2_EVENT, { source: ["aws.ec2", "aws.fargate"] })).to.equal(true);
  });

  it("requires every field the pattern names: a value's absence never matches an exact or anything-but matcher", () => {
    expect(matchesPattern(EC2_EVENT, { detail: { "c-count": ["5"] } })).to.equal(false);
    expect(matchesPattern(EC2_EVENT, { detail: { "c-count": [{ "anything-but": "5" }] } })).to.equal(false);
  });

  it("matches an array value when any element matches (the README's resources example)", () => {
    expect(matchesPattern(EC2_EVENT, { resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0", "other"] })).to.equal(true);
    expect(matchesPattern(EC2_EVENT, { resources: ["other"] })).to.equal(false);
  });

  it("matches anything but a string, or anything but a list of strings", () => {
    expect(matchesPattern(EC2_EVENT, { detail: { state: [{ "anything-but": "initializing" }] } })).to.equal(true);
    expect(matchesPattern(EC2_EVENT, { detail: { state: [{ "anything-but": "terminated" }] } })).to.equal(false);
    expect(matchesPattern(EC2_EVENT, { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } })).to.equal(true);
    expect(matchesPattern(EC2_EVENT, { detail: { state: [{ "anything-but": ["stopped", "terminated"] }] } })).to.equal(false);
  });

  it("matches exists false on an absent field and on a non-leaf one, exists true only on a present leaf (the guide's c-count example)", () => {
    const absent = { detail: { "c-count": [{ exists: false }] } };
    expect(matchesPattern(EC2_EVENT, absent)).to.equal(true);
    expect(matchesPattern({ ...EC2_EVENT, detail: { state: "running", "c-count": { c1: 100 } } }, absent)).to.equal(true);
    expect(matchesPattern({ ...EC2_EVENT, detail: { "c-count": 5 } }, absent)).to.equal(false);
    expect(matchesPattern({ ...EC2_EVENT, detail: { "c-count": 5 } }, { detail: { "c-count": [{ exists: true }] } })).to.equal(true);
    expect(matchesPattern(EC2_EVENT, { detail: { "c-count": [{ exists: true }] } })).to.equal(false);
  });

  it("flattens to leaf paths: a nested pattern under an absent or null field sees no fields", () => {
    const noIssuer = { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ exists: false }] } } } };
    expect(matchesPattern({ userIdentity: { type: "IAMUser" } }, noIssuer)).to.equal(true);
    expect(matchesPattern({ requestParameters: null }, { requestParameters: { bucketName: [{ exists: false }] } })).to.equal(true);
    expect(matchesPattern({ requestParameters: null }, { requestParameters: { bucketName: [{ "anything-but": "b" }] } })).to.equal(false);
  });

  it("reads $or as the README's normal, parallel and nested alternatives", () => {
    const normal: EventPattern = { source: ["aws.cloudwatch"], $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }] };
    expect(matchesPattern(CLOUDWATCH_EVENT, normal)).to.equal(true);
    expect(matchesPattern({ ...CLOUDWATCH_EVENT, metricName: "x", namespace: "y" }, normal)).to.equal(false);
    const parallel: EventPattern = {
      $or: [{ metricName: ["CPUUtilization"] }, { namespace: ["AWS/ES"] }],
      detail: { $or: [{ source: ["aws.other"] }, { "detail-type": ["CloudWatch Alarm State Change"] }] },
    };
    expect(matchesPattern(CLOUDWATCH_EVENT, parallel)).to.equal(false);
    expect(matchesPattern({ ...CLOUDWATCH_EVENT, detail: { "detail-type": "CloudWatch Alarm State Change" } }, parallel)).to.equal(true);
    const nested: EventPattern = {
      source: ["aws.cloudwatch"],
      $or: [{ metricName: ["ReadLatency"] }, { namespace: ["AWS/EC2"], $or: [{ metricId: ["1234"] }, { spaceId: ["1000"] }] }],
    };
    expect(matchesPattern({ ...CLOUDWATCH_EVENT, spaceId: "1000" }, nested)).to.equal(true);
    expect(matchesPattern(CLOUDWATCH_EVENT, nested)).to.equal(false);
  });

  it("refuses what it does not implement rather than guess: other operators, a one-alternative $or, a bare value", () => {
    expect(() => matchesPattern(EC2_EVENT, { time: [{ prefix: "2017" }] } as unknown as EventPattern)).to.throw("matcher not supported");
    expect(() => matchesPattern(EC2_EVENT, { detail: { n: [{ numeric: [">", 0] }] } } as unknown as EventPattern)).to.throw("matcher not supported");
    expect(() => matchesPattern(EC2_EVENT, { $or: [{ source: ["aws.ec2"] }] })).to.throw("two or more");
    expect(() => matchesPattern(EC2_EVENT, { source: "aws.ec2" } as unknown as EventPattern)).to.throw("must be a list");
  });
});
