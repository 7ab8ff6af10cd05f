import { expect } from "chai";
import { buildJunitXml, renderHumanReport, toJsonReport } from "../../../automation/verify";
import { sampleReport } from "./sampleReport";

const failing = sampleReport([
  { id: "user-exists", status: "PASS", detail: "talentbase-backend-dev" },
  { id: "mfa", status: "WARN", detail: "no MFA device" },
  { id: "tags", status: "FAIL", detail: "user: Project missing" },
  { id: "round-trip", status: "SKIP", detail: "off for this stack" },
]);
const passing = sampleReport([
  { id: "user-exists", status: "PASS", detail: "ok" },
  { id: "round-trip", status: "SKIP", detail: "off" },
]);

describe("renderHumanReport", () => {
  it("never claims success next to a failure count", () => {
    const text = renderHumanReport(failing, { color: false });
    expect(text).to.include("Passed: 1  Warnings: 1  Failed: 1  Skipped: 1  Total: 4");
    expect(text).to.include("FAILED: 1 of 4 checks failed, 1 skipped");
    expect(text).to.not.include("checks passed");
  });

  it("says all checks passed only with no failure and no warning, and mentions skips", () => {
    expect(renderHumanReport(passing, { color: false })).to.include("All 1 checks passed, 1 skipped");
    const warned = sampleReport([
      { id: "user-exists", status: "PASS", detail: "ok" },
      { id: "mfa", status: "WARN", detail: "no MFA" },
    ]);
    expect(renderHumanReport(warned, { color: false }))
      .to.include("Passed with 1 warning(s)")
      .and.not.include("checks passed");
  });

  it("names why IAM's own policy simulator did not run only with --debug", () => {
    const note = { evaluator: "locally by iam-simulate", fallbackReason: "SimulatePrincipalPolicy failed: InternalFailure, HTTP 500" };
    const report = { ...passing, policyEvaluation: note };
    expect(renderHumanReport(report, { color: false })).not.to.include("SimulatePrincipalPolicy");
    expect(renderHumanReport(report, { color: false, debug: true })).to.include(
      "Policy checks evaluated locally by iam-simulate: SimulatePrincipalPolicy failed: InternalFailure, HTTP 500",
    );
    expect(toJsonReport(report).policyEvaluation).to.deep.equal(note);
  });

  it("prints one line per check with status, title and detail", () => {
    expect(renderHumanReport(failing, { color: false })).to.include("[FAIL] Title of tags: user: Project missing (12 ms)");
  });

  it("uses no escape codes when colour is off and some when it is on", () => {
    expect(renderHumanReport(failing, { color: false })).to.not.include("\u001b[");
    expect(renderHumanReport(failing, { color: true })).to.include("\u001b[");
  });
});

describe("toJsonReport", () => {
  it("carries each check's id, title, status, detail and duration, and counts that match", () => {
    const json = toJsonReport(failing);
    expect(json.checks[2]).to.deep.equal({ id: "tags", title: "Title of tags", status: "FAIL", detail: "user: Project missing", durationMs: 12 });
    expect(json.summary).to.deep.include({ PASS: 1, WARN: 1, FAIL: 1, SKIP: 1, total: 4 });
    expect(json.summary.verdict).to.match(/^FAILED/);
  });
});

describe("buildJunitXml", () => {
  const xml = buildJunitXml(failing);
  it("maps FAIL to a failure and SKIP to skipped", () => {
    expect(xml).to.match(/<testsuites tests="4" failures="1" errors="0" skipped="1">/);
    expect(xml).to.include('<failure message="user: Project missing" type="VerificationFailure"/>');
  });
  it("keeps a warning visible as a passing case with its status", () => {
    expect(xml).to.include('<property name="status" value="WARN"/>');
  });
});
