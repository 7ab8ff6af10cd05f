import { expect } from "chai";
import { ALL_CONTROLS, assessCompliance, type ComplianceReport } from "../../../automation/compliance";
import { ACCOUNT_CONTROLS, PENDING_CONTROLS } from "../../../automation/compliance/controls/outOfScope";
import { compliantEvidence, PROD_SECRET } from "./evidenceFixtures";

const idsWith = (report: ComplianceReport, status: string) => report.findings.filter((finding) => finding.status === status).map((finding) => finding.id);

describe("compliance: the control catalogue", () => {
  it("gives every control a unique id, a title, an https link and at least one benchmark or tool id", () => {
    expect(new Set(ALL_CONTROLS.map((control) => control.id)).size).to.equal(ALL_CONTROLS.length);
    for (const control of ALL_CONTROLS) {
      expect(control.title, control.id).to.match(/^[A-Z]/);
      expect(control.link, control.id).to.match(/^https:\/\//);
      const { cis, prowler, checkov, securityHub } = control.ids;
      expect([...(cis ? [cis] : []), ...prowler, ...checkov, ...securityHub], control.id).not.to.be.empty;
    }
  });

  it("lists every recommendation of CIS section 1, none left out, each once", () => {
    const numbers = ALL_CONTROLS.map((control) => control.ids.cis).filter((cis) => cis?.startsWith("1."));
    expect(numbers).to.have.members(Array.from({ length: 22 }, (_, index) => `1.${index + 1}`));
  });

  it("covers the benchmark ids the issue names", () => {
    const all = ALL_CONTROLS.flatMap((control) => [...control.ids.checkov, ...control.ids.securityHub, ...control.ids.prowler]);
    expect(all).to.include.members([
      "CKV_AWS_40",
      "CKV2_AWS_21",
      "CKV_AWS_273",
      "CKV_AWS_287",
      "CKV_AWS_288",
      "CKV_AWS_289",
      "CKV_AWS_290",
      "IAM.1",
      "IAM.2",
      "IAM.3",
      "IAM.4",
      "IAM.5",
      "IAM.8",
      "IAM.22",
      "iam_policy_attached_only_to_group_or_roles",
      "iam_user_accesskey_unused",
      "iam_rotate_access_key_90_days",
      "iam_user_two_active_access_key",
    ]);
  });

  it("never assesses an account-wide or not yet managed control, and says what would decide it", async () => {
    const report = await assessCompliance(compliantEvidence());
    for (const control of [...ACCOUNT_CONTROLS, ...PENDING_CONTROLS]) {
      const finding = report.findings.find((candidate) => candidate.id === control.id)!;
      expect(finding.status, control.id).to.equal("NOT_ASSESSED");
      expect(finding.evidence, control.id).to.match(/^not gathered: \S/);
    }
  });

  it("finds the program's dev stack failing nothing, with exactly the architecture's acceptances", async () => {
    const report = await assessCompliance(compliantEvidence());
    expect(report.findings.map((finding) => finding.id)).to.deep.equal(ALL_CONTROLS.map((control) => control.id));
    expect(idsWith(report, "FAIL")).to.deep.equal([]);
    expect(idsWith(report, "ACCEPTED")).to.deep.equal(["cis-1.18", "iam-19", "ckv-aws-273", "iam-user-temporary-credentials"]);
    expect(report.findings.find((finding) => finding.id === "cis-1.15")?.status).to.equal("PASS");
    expect(report).to.include({ stack: "dev", environment: "dev", assessedAt: "2026-12-05T12:00:00.000Z" });
  });

  it("finds prod's default secret failing only on its AWS managed key, and accepts the driver's rotation", async () => {
    const report = await assessCompliance(compliantEvidence({ stack: "prod", environment: "prod", keyMaxAgeDays: 60, credentialsSecret: PROD_SECRET }));
    expect(idsWith(report, "FAIL")).to.deep.equal(["ckv-aws-149"]);
    expect(idsWith(report, "ACCEPTED")).to.include.members(["secretsmanager-1", "secretsmanager-4"]);
    expect(report.findings.find((finding) => finding.id === "secretsmanager-1")?.acceptance?.source).to.include("docs/rotation.md");
  });

  it("finds a setup-iam.sh user as adopted, before the update that detaches its policy, failing 1.15 alone among the permission controls", async () => {
    const adopted = compliantEvidence();
    const report = await assessCompliance({ ...adopted, attachedPolicies: adopted.groups[0]!.attachedPolicies });
    expect(idsWith(report, "FAIL")).to.deep.equal(["cis-1.15"]);
  });
});
