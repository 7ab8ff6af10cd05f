import { expect } from "chai";
import {
  buildComplianceJunitXml,
  complianceVerdict,
  countFindings,
  renderComplianceReport,
  toComplianceJson,
  type ComplianceFinding,
  type ComplianceReport,
} from "../../../automation/compliance";
import { PROGRAMMATIC_USER_PER_ENVIRONMENT } from "../../../automation/compliance/control";

const finding = (id: string, status: ComplianceFinding["status"], extra: Partial<ComplianceFinding> = {}): ComplianceFinding => ({
  id,
  controls: { prowler: [], checkov: [], securityHub: [] },
  title: `Title of ${id}`,
  link: `https://example.com/${id}`,
  status,
  reason: `reason of ${id}`,
  evidence: `evidence of ${id}`,
  ...extra,
});

const report: ComplianceReport = {
  stack: "dev",
  environment: "dev",
  assessedAt: "2026-12-05T12:00:00.000Z",
  findings: [
    finding("cis-1.15", "PASS", {
      controls: { cis: "1.15", prowler: ["iam_policy_attached_only_to_group_or_roles"], checkov: ["CKV_AWS_40"], securityHub: ["IAM.2"] },
    }),
    finding("cis-1.14", "FAIL"),
    finding("ckv-aws-273", "ACCEPTED", { acceptance: PROGRAMMATIC_USER_PER_ENVIRONMENT }),
    finding("cis-1.4", "NOT_ASSESSED"),
  ],
};

describe("compliance reports", () => {
  it("count each status and derive the verdict from the counts alone", () => {
    const counts = countFindings(report.findings);
    expect(counts).to.deep.equal({ PASS: 1, FAIL: 1, ACCEPTED: 1, NOT_ASSESSED: 1, total: 4 });
    expect(complianceVerdict(counts)).to.equal("FAILED: 1 of 4 controls failed");
    expect(complianceVerdict(countFindings(report.findings.filter((f) => f.status !== "FAIL")))).to.equal(
      "No control failed: 1 passed, 1 accepted by the architecture, 1 not assessed",
    );
  });

  describe("renderComplianceReport", () => {
    const text = renderComplianceReport(report, { color: false });

    it("prints one line per control with its status, title, every id, the reason and the evidence", () => {
      expect(text).to.include(
        "[PASS]         Title of cis-1.15 (CIS 1.15, IAM.2, CKV_AWS_40, iam_policy_attached_only_to_group_or_roles): reason of cis-1.15; evidence: evidence of cis-1.15\n",
      );
      expect(text.split("\n").filter((line) => line.startsWith("["))).to.have.lengthOf(4);
    });

    it("quotes the architecture's decision on an accepted control's line, and where it is written", () => {
      expect(text).to.include(
        `[ACCEPTED]     Title of ckv-aws-273: reason of ckv-aws-273; accepted by ${PROGRAMMATIC_USER_PER_ENVIRONMENT.source}: ${PROGRAMMATIC_USER_PER_ENVIRONMENT.decision}; evidence: evidence of ckv-aws-273`,
      );
    });

    it("ends with the counts and the verdict, and uses colour only when asked", () => {
      expect(text).to.include("Passed: 1  Failed: 1  Accepted: 1  Not assessed: 1  Total: 4\nFAILED: 1 of 4 controls failed\n");
      expect(text).not.to.include("\u001b[");
      expect(renderComplianceReport(report, { color: true })).to.include("\u001b[");
    });
  });

  it("toComplianceJson carries every finding whole, the CIS version and counts that match", () => {
    const json = toComplianceJson(report);
    expect(json.findings).to.deep.equal(report.findings);
    expect(json.benchmark).to.equal("CIS AWS Foundations Benchmark v3.0.0");
    expect(json.summary).to.deep.equal({ PASS: 1, FAIL: 1, ACCEPTED: 1, NOT_ASSESSED: 1, total: 4, verdict: "FAILED: 1 of 4 controls failed" });
    expect(JSON.parse(JSON.stringify(json)).findings[2].acceptance.source).to.equal(PROGRAMMATIC_USER_PER_ENVIRONMENT.source);
  });

  describe("buildComplianceJunitXml", () => {
    const xml = buildComplianceJunitXml(report);

    it("makes FAIL a failure and NOT_ASSESSED skipped; PASS and ACCEPTED pass", () => {
      expect(xml).to.match(/<testsuites tests="4" failures="1" errors="0" skipped="1">/);
      expect(xml).to.include('<failure message="reason of cis-1.14" type="ComplianceFailure"/>');
    });

    it("keeps each case's status, ids, evidence and acceptance visible", () => {
      expect(xml).to.include('<property name="status" value="ACCEPTED"/>');
      expect(xml).to.include('<property name="controls" value="CIS 1.15, IAM.2, CKV_AWS_40, iam_policy_attached_only_to_group_or_roles"/>');
      expect(xml).to.include("evidence: evidence of cis-1.15");
      expect(xml).to.include(`accepted: ${PROGRAMMATIC_USER_PER_ENVIRONMENT.decision}`);
    });
  });
});
