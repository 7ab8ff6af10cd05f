import { expect } from "chai";
import { parseGroupAttachmentImportId } from "../../../sandbox/provider/aws/iam/groupPolicyAttachment";
import { regionOfArn, splitImportRegion } from "../../../sandbox/provider/aws/region";
import { parseMembershipImportId } from "../../../sandbox/provider/aws/iam/userGroupMembership";

// The ids terraform-provider-aws forms and parses, which `pulumi import` ids must match.
describe("stand-in aws provider: terraform's ids and import ids", () => {
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
});
