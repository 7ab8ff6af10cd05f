import { expect } from "chai";
import type { Prompter } from "../../../automation/confirm";
import { UsageError } from "../../../automation/errors";
import { resolveProjectPaths } from "../../../automation/projectPaths";
import { asksBefore, requireWayToConfirmOperation, type StackOperation } from "../../../automation/stacks/confirmations";
import { profileOf } from "../../../automation/stacks/stackProfile";
import { ENVIRONMENTS } from "../../../infra/config";

const noTerminal: Prompter = { interactive: false, ask: async () => "" };

describe("which stacks ask before which operations", () => {
  const table = (operation: StackOperation) => ENVIRONMENTS.filter((stack) => asksBefore(operation, stack));

  it("every change to prod asks; reads and previews never do", () => {
    for (const operation of ["update", "adopt", "rotate", "retire-key", "repair"] as const) expect(table(operation), operation).to.deep.equal(["prod"]);
    expect(table("read")).to.deep.equal([]);
    expect(table("preview")).to.deep.equal([]);
  });

  it("destroy and an emergency rotation, which break whatever runs on the stack's key, ask on every stack but the sandbox", () => {
    expect(table("destroy")).to.deep.equal(ENVIRONMENTS.filter((stack) => stack !== "local"));
    expect(table("emergency-rotation")).to.deep.equal(ENVIRONMENTS.filter((stack) => stack !== "local"));
    expect(() => requireWayToConfirmOperation("emergency-rotation", "dev", false, noTerminal)).to.throw(
      UsageError,
      "cutting off dev's access key needs confirmation and there is no terminal to ask on: rerun with --yes",
    );
  });

  it("refuses before anything starts when the answer cannot be asked, unless --yes", () => {
    expect(() => requireWayToConfirmOperation("rotate", "prod", false, noTerminal)).to.throw(
      UsageError,
      "rotating prod's access key needs confirmation and there is no terminal to ask on: rerun with --yes",
    );
    expect(() => requireWayToConfirmOperation("rotate", "prod", true, noTerminal)).not.to.throw();
    expect(() => requireWayToConfirmOperation("rotate", "dev", false, noTerminal)).not.to.throw();
  });
});

describe("the stack profile: sandbox or real", () => {
  const paths = resolveProjectPaths({ TALENTBASE_IAM_PROJECT_DIR: "/project" });

  it("the sandbox keeps its own file backend, moto's keys unless a moto-made key is exported, and its own engine environment", () => {
    const sandbox = profileOf("local");
    expect(sandbox.sandbox).to.equal(true);
    expect(sandbox.ownBackendUrl(paths)).to.equal("file:///project/.sandbox/state");
    expect(sandbox.adminCredentials({})).to.deep.equal({ accessKeyId: "testing", secretAccessKey: "testing" });
    expect(sandbox.adminCredentials({ AWS_ACCESS_KEY_ID: "AKIAOPERATOR", AWS_SECRET_ACCESS_KEY: "s" })).to.deep.equal({
      accessKeyId: "AKIAOPERATOR",
      secretAccessKey: "s",
    });
    const engine = sandbox.engineEnvironment(paths, "http://127.0.0.1:5000", {});
    expect(engine).to.include({ PULUMI_BACKEND_URL: "file:///project/.sandbox/state", AWS_ENDPOINT_URL: "http://127.0.0.1:5000" });
    expect(sandbox.awsCli).to.match(/^AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \.venv\/bin\/aws --region us-east-1$/);
    expect(sandbox.alertInbox, "moto sends no e-mail: a queue reads the alerts").to.equal("talentbase-local-alert-inbox");
  });

  it("a real stack leaves backend, credentials and AWS to the operator's login", () => {
    for (const stack of ["dev", "staging", "prod"] as const) {
      const real = profileOf(stack);
      expect(real.sandbox).to.equal(false);
      expect(real.ownBackendUrl(paths)).to.equal(undefined);
      expect(real.adminCredentials({ AWS_ACCESS_KEY_ID: "AKIA", AWS_SECRET_ACCESS_KEY: "s" })).to.equal(undefined);
      expect(real.engineEnvironment(paths, undefined)).not.to.have.any.keys("PULUMI_BACKEND_URL", "AWS_ENDPOINT_URL", "PULUMI_CONFIG_PASSPHRASE");
      expect(real.awsCli).to.equal("aws");
      expect(real.alertInbox, "a real stack grows no queue").to.equal(undefined);
    }
  });
});
