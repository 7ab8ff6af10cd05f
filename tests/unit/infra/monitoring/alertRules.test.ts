import { expect } from "chai";
import { MAX_TRUSTED_CALLER_CHARACTERS } from "../../../../infra/config";
import { ALERT_KINDS, ALERT_RULES, alertPatterns, planAlertPlacement, type AlertKind } from "../../../../infra/monitoring/alertRules";
import { matchesPattern } from "../../../support/eventPatternMatcher";
import {
  BUCKET_NAME,
  consoleSignInFailure,
  createAccessKeyByOperator,
  GROUP_NAME,
  listUsersWithStackKey,
  POLICY_ARN,
  STACK_KEY,
  USER_NAME,
  type CloudTrailEvent,
} from "./cloudTrailEvents";

/** EventBridge's default quota of an event pattern's length. */
const MAX_PATTERN_CHARACTERS = 2048;

describe("the alert rules", () => {
  describe("where they live", () => {
    it("all in the stack's region when that is us-east-1, where IAM's events arrive, and nothing else is watched", () => {
      expect(planAlertPlacement({ homeRegion: "us-east-1", partition: "aws", monitoringRegions: [] })).to.deep.equal({ home: "us-east-1", forwarded: [] });
    });

    it("adds rules of every kind in us-east-1 for a stack elsewhere, sending their events to the stack's region", () => {
      expect(planAlertPlacement({ homeRegion: "eu-west-1", partition: "aws", monitoringRegions: [] }).forwarded).to.deep.equal([
        { region: "us-east-1", kind: "iam-changes" },
        { region: "us-east-1", kind: "key-use" },
        { region: "us-east-1", kind: "console-sign-in" },
      ]);
    });

    it("watches each monitoring region for the key's use and sign-ins, IAM's events only where they arrive, no region twice", () => {
      const placement = planAlertPlacement({ homeRegion: "eu-west-1", partition: "aws", monitoringRegions: ["eu-central-1", "us-east-1", "eu-west-1"] });
      expect(placement.forwarded).to.deep.equal([
        { region: "us-east-1", kind: "iam-changes" },
        { region: "us-east-1", kind: "key-use" },
        { region: "us-east-1", kind: "console-sign-in" },
        { region: "eu-central-1", kind: "key-use" },
        { region: "eu-central-1", kind: "console-sign-in" },
      ]);
      expect(planAlertPlacement({ homeRegion: "us-east-1", partition: "aws", monitoringRegions: ["ap-southeast-2"] }).forwarded).to.deep.equal([
        { region: "ap-southeast-2", kind: "key-use" },
        { region: "ap-southeast-2", kind: "console-sign-in" },
      ]);
    });

    it("keeps GovCloud and China in their global event region, where EventBridge cannot forward between regions", () => {
      expect(planAlertPlacement({ homeRegion: "us-gov-west-1", partition: "aws-us-gov", monitoringRegions: [] }).forwarded).to.deep.equal([]);
      expect(planAlertPlacement({ homeRegion: "cn-north-1", partition: "aws-cn", monitoringRegions: [] }).forwarded).to.deep.equal([]);
      expect(() => planAlertPlacement({ homeRegion: "us-gov-east-1", partition: "aws-us-gov", monitoringRegions: [] })).to.throw(
        "EventBridge cannot send events between regions of aws-us-gov",
      );
    });
  });

  it("lets only the key rule see read-only calls, which reach a rule only in the state with all CloudTrail management events", () => {
    expect(Object.fromEntries(ALERT_KINDS.map((kind) => [kind, ALERT_RULES[kind].state]))).to.deep.equal({
      "iam-changes": "ENABLED",
      "key-use": "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
      "console-sign-in": "ENABLED",
    });
  });

  describe("their patterns", () => {
    const identity = { userName: USER_NAME, groupName: GROUP_NAME, policyArn: POLICY_ARN };
    const patterns = alertPatterns({ identity, trustedCallers: [], accessKeyIds: [STACK_KEY], bucketName: BUCKET_NAME });
    const samples: Record<AlertKind, CloudTrailEvent> = {
      "iam-changes": createAccessKeyByOperator,
      "key-use": listUsersWithStackKey,
      "console-sign-in": consoleSignInFailure,
    };

    it("each catch its own kind of event and no other kind's sample", () => {
      for (const kind of ALERT_KINDS) {
        for (const [sampleKind, event] of Object.entries(samples)) {
          expect(matchesPattern(event, patterns[kind]), `${kind} on the ${sampleKind} sample`).to.equal(kind === sampleKind);
        }
      }
    });

    it(`fit EventBridge's ${MAX_PATTERN_CHARACTERS} characters with trusted callers up to the config's limit, long or short`, () => {
      const fill = (arnOf: (i: number) => string) => {
        const callers: string[] = [];
        while ([...callers, arnOf(callers.length)].join("").length <= MAX_TRUSTED_CALLER_CHARACTERS) callers.push(arnOf(callers.length));
        return callers;
      };
      const longest = {
        identity: {
          userName: "talentbase-backend-staging",
          groupName: "talentbase-backend-staging-s3",
          policyArn: "arn:aws-us-gov:iam::123456789012:policy/talentbase-backend-staging-s3-policy",
        },
        accessKeyIds: ["AKIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE", "AKIAIOSFODNN7ALICE01", "AKIAIOSFODNN7ALICE02"],
        bucketName: "b".repeat(63),
      };
      for (const callers of [
        fill((i) => `arn:aws-us-gov:iam::123456789012:role/aws-reserved/sso.amazonaws.com/us-gov-west-1/AWSReservedSSO_Operator${i}_0123456789abcdef`),
        fill((i) => `arn:aws-us-gov:iam::123456789012:user/u${i}`),
      ]) {
        for (const [kind, pattern] of Object.entries(alertPatterns({ ...longest, trustedCallers: callers }))) {
          expect(JSON.stringify(pattern).length, `${kind} with ${callers.length} callers`).to.be.at.most(MAX_PATTERN_CHARACTERS);
        }
      }
    });
  });
});
