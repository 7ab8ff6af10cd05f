import { expect } from "chai";
import { eventRuleId, eventTargetId, parseEventRuleId, parseEventTargetImportId } from "../../../sandbox/provider/aws/cloudwatch/eventIds";
import { parseGroupAttachmentImportId } from "../../../sandbox/provider/aws/iam/groupPolicyAttachment";
import { keyIdOf } from "../../../sandbox/provider/aws/kms/alias";
import { regionOfArn, splitImportRegion } from "../../../sandbox/provider/aws/region";
import { parseMembershipImportId } from "../../../sandbox/provider/aws/iam/userGroupMembership";

const BUS_ARN = "arn:aws:events:us-east-1:123456789012:event-bus/security";

// The ids terraform-provider-aws forms and parses, which `pulumi import` ids must match.
describe("stand-in aws provider: terraform's ids and import ids", () => {
  describe("EventBridge rules", () => {
    it("leaves the default bus out of the id and names any other `<bus>/<rule>`", () => {
      expect(eventRuleId("default", "iam-changes")).to.equal("iam-changes");
      expect(eventRuleId("security", "iam-changes")).to.equal("security/iam-changes");
    });

    it("parses rule ids back, a bus ARN with its slashes included", () => {
      expect(parseEventRuleId("iam-changes")).to.deep.equal({ eventBusName: "default", ruleName: "iam-changes" });
      expect(parseEventRuleId("security/iam-changes")).to.deep.equal({ eventBusName: "security", ruleName: "iam-changes" });
      expect(parseEventRuleId(`${BUS_ARN}/iam-changes`)).to.deep.equal({ eventBusName: BUS_ARN, ruleName: "iam-changes" });
      expect(() => parseEventRuleId("a/b/c")).to.throw("expected EVENTBUSNAME/RULENAME or RULENAME");
    });
  });

  describe("EventBridge targets", () => {
    it("joins rule and target id with '-' in the state id, with the bus in front off the default bus", () => {
      expect(eventTargetId("default", "iam-changes", "alerts")).to.equal("iam-changes-alerts");
      expect(eventTargetId("security", "iam-changes", "alerts")).to.equal("security-iam-changes-alerts");
    });

    it("imports by `<rule>/<target>` or `<bus>/<rule>/<target>`, a bus ARN included, and nothing else", () => {
      expect(parseEventTargetImportId("iam-changes/alerts")).to.deep.equal({ eventBusName: "default", ruleName: "iam-changes", targetId: "alerts" });
      expect(parseEventTargetImportId("security/iam-changes/alerts")).to.deep.equal({ eventBusName: "security", ruleName: "iam-changes", targetId: "alerts" });
      expect(parseEventTargetImportId(`${BUS_ARN}/iam-changes/alerts`)).to.deep.equal({ eventBusName: BUS_ARN, ruleName: "iam-changes", targetId: "alerts" });
      expect(() => parseEventTargetImportId("iam-changes-alerts")).to.throw("expected EVENTBUSNAME/RULENAME/TARGETID or RULENAME/TARGETID");
    });
  });

  describe("IAM group attachments and memberships", () => {
    it("splits `<group>/<policy arn>` at the first slash only (policy ARNs have paths)", () => {
      expect(parseGroupAttachmentImportId("uploaders/arn:aws:iam::123456789012:policy/team/uploads")).to.deep.equal({
        group: "uploaders",
        policyArn: "arn:aws:iam::123456789012:policy/team/uploads",
      });
      expect(() => parseGroupAttachmentImportId("uploaders")).to.throw("expected <group-name>/<policy_arn>");
    });

    it("reads `<user>/<group>/<group>` as a user and its groups", () => {
      expect(parseMembershipImportId("backend/uploaders/readers")).to.deep.equal({ user: "backend", groups: ["uploaders", "readers"] });
      expect(() => parseMembershipImportId("backend")).to.throw("expected <user-name>/<group-name1>/...");
    });
  });

  describe("regions", () => {
    it("takes terraform v6's `@<region>` suffix off an import id, and only a region-shaped one", () => {
      expect(splitImportRegion("iam-changes@us-east-1")).to.deep.equal({ id: "iam-changes", region: "us-east-1" });
      expect(splitImportRegion("alias/alerts@eu-west-1")).to.deep.equal({ id: "alias/alerts", region: "eu-west-1" });
      expect(splitImportRegion("security@talentbase.example")).to.deep.equal({ id: "security@talentbase.example" });
    });

    it("reads the region an ARN names", () => {
      expect(regionOfArn("arn:aws:sns:us-east-1:123456789012:alerts:2f1c")).to.equal("us-east-1");
      expect(regionOfArn("arn:aws:iam::123456789012:policy/p")).to.equal(undefined);
      expect(regionOfArn("alerts")).to.equal(undefined);
    });
  });

  it("reads a KMS key id out of a key ARN, and passes a bare key id through", () => {
    expect(keyIdOf("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")).to.equal("1234abcd-12ab-34cd-56ef-1234567890ab");
    expect(keyIdOf("1234abcd-12ab-34cd-56ef-1234567890ab")).to.equal("1234abcd-12ab-34cd-56ef-1234567890ab");
  });
});
