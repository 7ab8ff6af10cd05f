import { expect } from "chai";
import { refreshHint, verificationFailedMessage } from "../../../automation/session/refreshHints";
import type { CheckStatus } from "../../../automation/verify";
import { sampleReport } from "../verify/sampleReport";

const ALL_PASS = ["user-exists", "policy-attached", "access-keys", "bucket-reachable", "policy-drift", "tags", "round-trip", "credentials-secret"];

function reportWith(failing: readonly string[]) {
  return sampleReport(ALL_PASS.map((id) => ({ id, status: (failing.includes(id) ? "FAIL" : "PASS") as CheckStatus, detail: "x" })));
}

describe("refresh hints", () => {
  it("a missing user (moto restarted empty) says provision --refresh recreates it", () => {
    const report = reportWith(["user-exists", "policy-attached", "access-keys", "bucket-reachable", "tags"]);
    expect(verificationFailedMessage(report, { stack: "local", refreshed: false })).to.equal(
      "verification of stack local failed: 5 of 8 checks failed; the stack's IAM user is missing in AWS (for the sandbox: moto restarted without its state), so run `npm run provision -- local --refresh` to recreate the user, policy and key",
    );
  });

  it("a policy changed outside Pulumi says provision --refresh repairs it, naming what changed", () => {
    expect(refreshHint(reportWith(["policy-drift", "tags"]), { stack: "dev", refreshed: false })).to.equal(
      "AWS no longer matches the stack's state (policy-drift, tags changed outside Pulumi), so run `npm run provision -- dev --refresh` to repair it",
    );
  });

  it("prod's credentials secret deleted outside Pulumi says provision --refresh puts it back", () => {
    expect(refreshHint(reportWith(["credentials-secret"]), { stack: "prod", refreshed: false })).to.equal(
      "AWS no longer matches the stack's state (credentials-secret changed outside Pulumi), so run `npm run provision -- prod --refresh` to repair it",
    );
  });

  it("says nothing when the run already refreshed: a refresh would not help", () => {
    const report = reportWith(["user-exists", "policy-drift"]);
    expect(refreshHint(report, { stack: "local", refreshed: true })).to.equal(undefined);
    expect(verificationFailedMessage(report, { stack: "local", refreshed: true })).to.equal("verification of stack local failed: 2 of 8 checks failed");
  });

  it("a refused read names the operator's permissions, not drift, refreshed or not", () => {
    const refused = sampleReport(
      ALL_PASS.map((id) => ({
        id,
        status: (id === "access-keys" ? "FAIL" : "PASS") as CheckStatus,
        detail: "unexpected error (AccessDenied, HTTP 403): User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:GetAccessKeyLastUsed",
      })),
    );
    const expected = "AWS refused the operator's credentials (AccessDenied): they need what `npm run operator-policy -- dev` prints";
    expect(refreshHint(refused, { stack: "dev", refreshed: false })).to.equal(expected);
    expect(refreshHint(refused, { stack: "dev", refreshed: true })).to.equal(expected);
  });

  it("says nothing for failures a refresh cannot repair (the bucket, the round trip)", () => {
    expect(refreshHint(reportWith(["bucket-reachable", "round-trip"]), { stack: "dev", refreshed: false })).to.equal(undefined);
  });
});
