import { expect } from "chai";
import { runVerification, type Check, type VerificationInput } from "../../../automation/verify";

const input: VerificationInput = {
  stack: "dev",
  environment: "dev",
  region: "us-east-1",
  bucketName: "talentbase-dev-uploads",
  userName: "talentbase-backend-dev",
  policyArn: "arn:aws:iam::123456789012:policy/talentbase-backend-dev-s3-policy",
  accessKeyId: "AKIAEXAMPLE",
  secretAccessKey: "not-a-real-secret",
  keyMaxAgeDays: 90,
  requireMfa: false,
  roundTripCheck: true,
};

const passing: Check = { id: "fine", title: "Fine", run: async () => ({ status: "PASS", detail: "ok" }) };
const throwing: Check = {
  id: "throws",
  title: "Throws",
  run: async () => {
    const error = new Error("User: x is not authorized");
    error.name = "AccessDenied";
    throw error;
  },
};
const hanging: Check = { id: "hangs", title: "Hangs", run: (_context, signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")))) };

describe("runVerification (no AWS calls)", () => {
  it("turns a throwing check into its own FAIL naming the AWS error, and runs the others", async () => {
    const report = await runVerification(input, { checks: [throwing, passing], endpoint: "http://127.0.0.1:9" });
    expect(report.checks.map((check) => [check.id, check.status])).to.deep.equal([["throws", "FAIL"], ["fine", "PASS"]]);
    expect(report.checks[0]!.detail).to.equal("unexpected error (AccessDenied): User: x is not authorized");
  });

  it("fails a check that overruns its timeout and aborts its work", async () => {
    const report = await runVerification(input, { checks: [hanging, passing], checkTimeoutMs: 20, endpoint: "http://127.0.0.1:9" });
    expect(report.checks[0]).to.deep.include({ id: "hangs", status: "FAIL", detail: "timed out after 20 ms" });
    expect(report.summary).to.deep.include({ PASS: 1, FAIL: 1, total: 2 });
  });

  it("runs only the selected checks, in list order", async () => {
    const report = await runVerification(input, { checks: [throwing, passing], only: ["fine"], endpoint: "http://127.0.0.1:9" });
    expect(report.checks.map((check) => check.id)).to.deep.equal(["fine"]);
  });

  it("never puts the secret in the report", async () => {
    const leaky: Check = { id: "leaky", title: "Leaky", run: async () => { throw new Error("boom"); } };
    const report = await runVerification(input, { checks: [leaky, passing], endpoint: "http://127.0.0.1:9" });
    expect(JSON.stringify(report)).to.not.include(input.secretAccessKey);
  });
});
