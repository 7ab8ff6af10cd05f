import { expect } from "chai";
import { buildJunitXml, renderHumanReport, runVerification, toJsonReport, type Check, type VerificationInput } from "../../../automation/verify";
import { Secret } from "../../../automation/secret";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

const input: VerificationInput = {
  stack: "dev",
  environment: "dev",
  region: "us-east-1",
  bucketName: "talentbase-dev-uploads",
  userName: "talentbase-backend-dev",
  policyArn: "arn:aws:iam::123456789012:policy/talentbase-backend-dev-s3-policy",
  accessKeyId: "AKIAEXAMPLE",
  unmanagedAccessKeyIds: [],
  secretAccessKey: new Secret(SECRET),
  keyMaxAgeDays: 90,
  keyMaxIdleDays: 45,
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
const hanging: Check = {
  id: "hangs",
  title: "Hangs",
  run: (_context, signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")))),
};

describe("runVerification (no AWS calls)", () => {
  it("turns a throwing check into its own FAIL naming the AWS error, and runs the others", async () => {
    const report = await runVerification(input, { checks: [throwing, passing], endpoint: "http://127.0.0.1:9" });
    expect(report.checks.map((check) => [check.id, check.status])).to.deep.equal([
      ["throws", "FAIL"],
      ["fine", "PASS"],
    ]);
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

  describe("a check whose error or detail carries a secret", () => {
    const leakyThrow: Check = {
      id: "leaky-throw",
      title: "Leaky throw",
      run: async (context) => {
        throw new Error(`bad key ${(await context.input.secretAccessKey).reveal()}`);
      },
    };
    const leakyDetail: Check = {
      id: "leaky-detail",
      title: "Leaky detail",
      run: async () => ({ status: "WARN", detail: `other secret other-stack-secret-value seen` }),
    };
    const run = () =>
      runVerification(input, { checks: [leakyThrow, leakyDetail, passing], endpoint: "http://127.0.0.1:9", secretValues: ["other-stack-secret-value"] });

    it("is redacted before any report is built: the detail says [secret] instead", async () => {
      const report = await run();
      expect(report.checks[0]!.detail).to.equal("unexpected error (Error): bad key [secret]");
      expect(report.checks[1]!.detail).to.equal("other secret [secret] seen");
    });

    it("never reaches the human, JSON or JUnit report", async () => {
      const report = await run();
      const formats = {
        human: renderHumanReport(report, { color: false, debug: true }),
        json: JSON.stringify(toJsonReport(report)),
        junit: buildJunitXml(report),
      };
      for (const [format, text] of Object.entries(formats)) {
        expect(text, format).not.to.include(SECRET).and.not.to.include("other-stack-secret-value");
        expect(text, format).to.include("bad key [secret]");
      }
    });

    it("redacts a secret key and secret values that arrive while the checks run (promises)", async () => {
      const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 5));
      const report = await runVerification(
        { ...input, secretAccessKey: later(new Secret(SECRET)) },
        { checks: [leakyThrow, leakyDetail], endpoint: "http://127.0.0.1:9", secretValues: later(["other-stack-secret-value"]) },
      );
      expect(report.checks.map((check) => check.detail)).to.deep.equal(["unexpected error (Error): bad key [secret]", "other secret [secret] seen"]);
    });

    it("throws a failed read of the secret once the checks are done, instead of a report", async () => {
      const unreadable = Promise.reject(new Error("the CLI could not decrypt the state"));
      let ran = false;
      const recording: Check = {
        id: "records",
        title: "Records",
        run: async () => {
          ran = true;
          return { status: "PASS", detail: "ok" };
        },
      };
      const thrown = await runVerification({ ...input, secretAccessKey: unreadable }, { checks: [recording], endpoint: "http://127.0.0.1:9" }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(ran, "the checks that do not need the secret still ran").to.equal(true);
      expect(String(thrown)).to.include("the CLI could not decrypt the state");
    });

    it("also covers a value a check read and marked secret (a secret's content), even from another check's detail", async () => {
      const reader: Check = {
        id: "reader",
        title: "Reads a secret",
        run: async (context) => {
          context.treatAsSecret("read-from-secrets-manager");
          return { status: "PASS", detail: "read" };
        },
      };
      const echo: Check = { id: "echo", title: "Echoes", run: async () => ({ status: "FAIL", detail: "saw read-from-secrets-manager" }) };
      const report = await runVerification(input, { checks: [reader, echo], endpoint: "http://127.0.0.1:9" });
      expect(report.checks[1]!.detail).to.equal("saw [secret]");
    });
  });
});
