import { expect } from "chai";
import { emergencyNoticeMessage, scheduleNoticeMessage } from "../../../automation/rotation/alertTopicNotice";

describe("the alert topic's notice of an emergency rotation", () => {
  const notice = {
    stack: "prod" as const,
    userName: "talentbase-backend-prod",
    inactiveKeyId: "AKIAOLDKEYEXAMPLE111",
    newKeyId: "AKIANEWKEYEXAMPLE222",
    by: "arn:aws:sts::123456789012:assumed-role/talentbase-deployer/gha-7731",
    at: new Date("2026-12-04T09:40:12.345Z"),
  };

  it("has a subject naming the user and stack, and a JSON body shaped like the alerts: what, which keys, by whom, when, what next", () => {
    const { subject, message } = emergencyNoticeMessage(notice);
    expect(subject).to.equal("TalentBase IAM: emergency key rotation of talentbase-backend-prod (prod)");
    expect(JSON.parse(message)).to.deep.equal({
      notice: "Emergency rotation of talentbase-backend-prod's access key by talentbase-iam: the old key is Inactive, the outputs name a new one",
      inactiveKey: "AKIAOLDKEYEXAMPLE111",
      newKey: "AKIANEWKEYEXAMPLE222",
      by: "arn:aws:sts::123456789012:assumed-role/talentbase-deployer/gha-7731",
      time: "2026-12-04T09:40:12Z",
      next: "examine the old key's calls in CloudTrail, then `npm run rotate -- prod finish` deletes it",
    });
  });

  it("fits SNS's subject limit (100 characters) for every stack", () => {
    for (const stack of ["dev", "staging", "prod", "local"] as const) {
      expect(emergencyNoticeMessage({ ...notice, stack, userName: `talentbase-backend-${stack}` }).subject.length, stack).to.be.at.most(100);
    }
  });

  it("keeps an empty inactive key when the stack had none to cut off", () => {
    const { inactiveKeyId: _none, ...withoutOld } = notice;
    expect(JSON.parse(emergencyNoticeMessage(withoutOld).message).inactiveKey).to.equal("");
  });
});

describe("the alert topic's notice of a scheduled rotation", () => {
  const origin = {
    stack: "staging" as const,
    userName: "talentbase-backend-staging",
    by: "arn:aws:sts::123456789012:assumed-role/talentbase-iam-audit/GitHubActions",
    at: new Date("2026-12-04T03:17:00.900Z"),
  };

  it("names the decision in the subject and an attribute, and carries the reason and how the step ended", () => {
    const decision = {
      action: "start" as const,
      reason: "key AKIAEXAMPLE is 83 days old (limit 90), and the schedule rotates it from 2026-12-02 on: starting its rotation",
    };
    const { subject, message, attributes } = scheduleNoticeMessage({ ...origin, decision, outcome: "done" });
    expect(subject).to.equal("TalentBase IAM: scheduled key rotation of talentbase-backend-staging (staging): start");
    expect(attributes).to.deep.equal({ notice: "scheduled-rotation", action: "start" });
    expect(JSON.parse(message)).to.deep.equal({
      notice: "Scheduled rotation of talentbase-backend-staging's access key by talentbase-iam: start",
      reason: decision.reason,
      outcome: "done",
      by: origin.by,
      time: "2026-12-04T03:17:00Z",
    });
  });

  it("fits SNS's subject limit (100 characters) for every stack and decision", () => {
    for (const stack of ["dev", "staging", "prod", "local"] as const) {
      for (const action of ["none", "start", "wait", "finish", "refuse"] as const) {
        const notice = { ...origin, stack, userName: `talentbase-backend-${stack}`, decision: { action, reason: "r" }, outcome: "done" };
        expect(scheduleNoticeMessage(notice).subject.length, `${stack} ${action}`).to.be.at.most(100);
      }
    }
  });

  it("tells an emergency apart by its notice attribute", () => {
    expect(emergencyNoticeMessage({ ...origin, stack: "prod", newKeyId: "AKIANEW" }).attributes).to.deep.equal({ notice: "emergency-rotation" });
  });
});
