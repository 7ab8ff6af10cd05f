import { expect } from "chai";
import { parseGroupAttachmentImportId } from "../../../sandbox/provider/aws/iam/groupPolicyAttachment";
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
});
