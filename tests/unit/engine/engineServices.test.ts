import { expect } from "chai";
import { CommandError, ConcurrentUpdateError, StackNotFoundError } from "@pulumi/pulumi/automation";
import { addChanges, formatChangeSummary, hasChanges } from "../../../automation/engine/changeSummary";
import { renderDjangoEnv, type DeployedOutputs } from "../../../automation/engine/deployedOutputs";
import { Secret } from "../../../automation/secret";
import { DeploymentError, InterruptedError, UsageError } from "../../../automation/errors";
import { classifyEngineError, engineErrorLines } from "../../../automation/engine/engineFailures";
import { summarizeCheckpoint } from "../../../automation/engine/deploymentState";
import { describeDeletedIdentity, describeSecretDeletion } from "../../../automation/commands/destroy";
import { plainConfig } from "../../../automation/stacks/stackConfigFile";
import { parseStackSelection } from "../../../automation/stacks/stackSelection";

/** The Automation API builds its errors from a command result; its constructor is internal. */
function engineError<T extends CommandError>(kind: new (...args: never[]) => T, stdout: string, stderr: string): T {
  const result = { stdout, stderr, code: 255, toString: () => `code: 255\nstdout: ${stdout}\nstderr: ${stderr}` };
  return new (kind as unknown as new (commandResult: typeof result) => T)(result);
}

const DELETE_PROTECTED = `error: resource "urn:pulumi:local::talentbase-iam::aws:iam/user:User::backend-user" cannot be deleted
because it is protected. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command:
\`pulumi state unprotect 'urn:...'\``;

describe("driver decisions", () => {
  describe("classifyEngineError", () => {
    it("a locked stack is a concurrent update with our repair command as the way out", () => {
      const error = <DeploymentError>(
        classifyEngineError("dev", "update", engineError(ConcurrentUpdateError, "", "error: the stack is currently locked by 1 lock(s)."))
      );
      expect(error.kind).to.equal("concurrent-update");
      expect(error.message).to.include("`npm run repair -- dev`");
      expect(error.exitCode).to.equal(1);
    });

    it("after an interrupt any engine failure is the cancellation, exit 130, saying the same command continues", () => {
      const controller = new AbortController();
      controller.abort();
      const error = classifyEngineError("local", "update", engineError(CommandError, "", "error: update canceled"), controller.signal);
      expect(error).to.be.instanceOf(InterruptedError);
      expect(error.exitCode).to.equal(130);
      expect(error.message).to.include("the update of stack local was cancelled").and.include("running the same command again continues");
    });

    it("a secret name held by a deleted secret's recovery window says how to free it", () => {
      const stderr =
        "error: creating: InvalidRequestException: You can't create this secret because a secret with this name is already scheduled for deletion.";
      const error = <DeploymentError>classifyEngineError("local", "update", engineError(CommandError, "", stderr));
      expect(error.kind).to.equal("secret-name-held");
      expect(error.message, "on the sandbox the command names moto's keys and region").to.include(
        "`AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing .venv/bin/aws --region us-east-1 secretsmanager delete-secret --secret-id talentbase/local/aws-credentials --force-delete-without-recovery`",
      );
    });

    it("deleting or replacing a protected resource names the config to lift", () => {
      for (const stderr of [DELETE_PROTECTED, 'error: unable to replace resource "urn:x"\nas it is currently marked for protection.']) {
        const error = <DeploymentError>classifyEngineError("prod", "destroy", engineError(CommandError, "", stderr));
        expect(error.kind, stderr).to.equal("protected-resource");
        expect(error.message).to.include("`npm run pulumi -- prod config set talentbase-iam:protect false`");
      }
      const local = classifyEngineError("local", "destroy", engineError(CommandError, "", DELETE_PROTECTED));
      expect(local.message, "the sandbox's state is ours: our passthrough runs the CLI in it").to.include(
        "`npm run pulumi -- local config set talentbase-iam:protect false`",
      );
    });

    it("a missing stack says to provision it", () => {
      const error = <DeploymentError>classifyEngineError("staging", "update", engineError(StackNotFoundError, "", "error: no stack named 'staging' found"));
      expect(error.kind).to.equal("stack-not-found");
      expect(error.message).to.include("npm run provision -- staging");
    });

    it("any other engine failure keeps the engine's own error lines, without the generic trailer", () => {
      const stdout = '  pulumi:pulumi:Stack (talentbase-iam-dev):\n    error: Stack "dev" has invalid configuration\n    error: update failed\n';
      const error = <DeploymentError>classifyEngineError("dev", "update", engineError(CommandError, stdout, ""));
      expect(error.kind).to.equal("engine-failed");
      expect(error.message).to.equal(`update of stack dev failed: Stack "dev" has invalid configuration (rerun with --debug for the engine's full output)`);
    });

    it("passes the driver's own errors through and rethrows what is not an engine error", () => {
      const known = new DeploymentError("not-deployed", "x");
      expect(classifyEngineError("dev", "update", known)).to.equal(known);
      const bug = new TypeError("bug");
      expect(() => classifyEngineError("dev", "update", bug)).to.throw(bug);
    });
  });

  it("engineErrorLines keeps each distinct diagnostic once", () => {
    expect(engineErrorLines("error: a\n  error: a\nerror: b\nerror: preview failed\n")).to.deep.equal(["a", "b"]);
  });

  it("summarizeCheckpoint finds pending operations and protected resources", () => {
    const state = summarizeCheckpoint({
      resources: [
        { urn: "urn:stack", type: "pulumi:pulumi:Stack" },
        { urn: "urn:user", type: "aws:iam/user:User", protect: true },
        { urn: "urn:policy", type: "aws:iam/policy:Policy" },
      ],
      pending_operations: [{ resource: { urn: "urn:pulumi:local::p::aws:iam/accessKey:AccessKey::backend-access-key" }, type: "creating" }],
    });
    expect(state.protectedUrns).to.deep.equal(["urn:user"]);
    expect(state.pendingOperations).to.deep.equal([
      {
        urn: "urn:pulumi:local::p::aws:iam/accessKey:AccessKey::backend-access-key",
        type: "creating",
        resource: { urn: "urn:pulumi:local::p::aws:iam/accessKey:AccessKey::backend-access-key", type: "", name: "backend-access-key", inputs: {} },
      },
    ]);
    expect(state.resourceCount).to.equal(2);
    expect(state.secrets).to.deep.equal([]);
  });

  it("summarizeCheckpoint gives the stack's outputs with every secret masked, as `pulumi stack output --json` does", () => {
    const ciphertext = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" };
    const state = summarizeCheckpoint({
      resources: [
        { urn: "urn:stack", type: "pulumi:pulumi:Stack", outputs: { userName: "u", secretAccessKey: ciphertext, nested: { list: [ciphertext, 1] } } },
      ],
    });
    expect(state.outputs).to.deep.equal({ userName: "u", secretAccessKey: "[secret]", nested: { list: ["[secret]", 1] } });
    expect(JSON.stringify(state)).not.to.include("v1:abc");
  });

  it("summarizeCheckpoint names the secrets with the recovery window their delete uses (terraform's 30 when unset)", () => {
    const state = summarizeCheckpoint({
      resources: [
        { urn: "urn:secret", type: "aws:secretsmanager/secret:Secret", outputs: { name: "talentbase/prod/aws-credentials", recoveryWindowInDays: 7 } },
        { urn: "urn:imported", type: "aws:secretsmanager/secret:Secret", outputs: { name: "imported" } },
        { urn: "urn:version", type: "aws:secretsmanager/secretVersion:SecretVersion", outputs: {} },
      ],
    });
    expect(state.secrets).to.deep.equal([
      { name: "talentbase/prod/aws-credentials", recoveryWindowInDays: 7 },
      { name: "imported", recoveryWindowInDays: 30 },
    ]);
  });

  it("a destroyed secret is announced with its window and the way back, or as gone", () => {
    expect(describeSecretDeletion("prod", { name: "talentbase/prod/aws-credentials", recoveryWindowInDays: 30 })).to.equal(
      "Secret talentbase/prod/aws-credentials is scheduled for deletion in 30 days: until then `aws secretsmanager restore-secret --secret-id talentbase/prod/aws-credentials` restores it, and it holds its name, so provisioning prod again first needs `aws secretsmanager delete-secret --secret-id talentbase/prod/aws-credentials --force-delete-without-recovery`.\n",
    );
    expect(describeSecretDeletion("local", { name: "n", recoveryWindowInDays: 0 })).to.equal("Secret n was deleted without recovery.\n");
  });

  it("destroy names what it deleted in IAM: the user, the group, the policy and the keys", () => {
    const resources = [
      { type: "pulumi:pulumi:Stack", id: "x" },
      { type: "aws:iam/user:User", id: "talentbase-backend-dev" },
      { type: "aws:iam/policy:Policy", id: "arn:aws:iam::123456789012:policy/talentbase-backend-dev-s3-policy" },
      { type: "aws:iam/group:Group", id: "talentbase-backend-dev-s3" },
      { type: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", id: "talentbase-backend-dev-s3-20261204" },
      { type: "aws:iam/accessKey:AccessKey", id: "AKIAEXAMPLE" },
    ];
    expect(describeDeletedIdentity(resources)).to.equal(
      "Deleted user talentbase-backend-dev, group talentbase-backend-dev-s3 (with the user's membership), policy arn:aws:iam::123456789012:policy/talentbase-backend-dev-s3-policy (detached first), access key AKIAEXAMPLE.\n",
    );
    expect(describeDeletedIdentity([])).to.equal("");
  });

  it("change summaries separate changes from unchanged resources", () => {
    expect(formatChangeSummary({ create: 6 })).to.equal("create 6");
    expect(formatChangeSummary({ update: 1, same: 5 })).to.equal("update 1, unchanged 5");
    expect(formatChangeSummary({ same: 6 })).to.equal("no changes (6 unchanged)");
    expect(hasChanges({ same: 6 })).to.equal(false);
    expect(hasChanges({ delete: 1, same: 5 })).to.equal(true);
  });

  it("two updates in a row (an adoption and the update that detaches the direct attachment) add up, unchanged left out", () => {
    expect(addChanges({ create: 4, import: 3, update: 2, same: 1 }, { delete: 1, same: 9 })).to.deep.equal({ create: 4, import: 3, update: 2, delete: 1 });
  });

  it("stack selection: --all adds the real environments once, never the sandbox; unknown names are usage errors", () => {
    expect(parseStackSelection(["dev"], true)).to.deep.equal(["dev", "staging", "prod"]);
    expect(parseStackSelection(["local", "local"], false)).to.deep.equal(["local"]);
    expect(() => parseStackSelection(["qa"], false)).to.throw(UsageError, "dev, staging, prod, local");
    expect(() => parseStackSelection([], false)).to.throw(UsageError, "--all");
  });

  it("config from the files is keyed like the program sees it", () => {
    expect(
      plainConfig({ "aws:region": "us-east-1", keyMaxAgeDays: { default: 90 }, "talentbase-iam:protect": true, secret: { secure: "v1:x" } }),
    ).to.deep.equal({ "aws:region": "us-east-1", "talentbase-iam:keyMaxAgeDays": "90", "talentbase-iam:protect": "true" });
  });

  it("the env file masks the secret unless asked, and only the sandbox gets an endpoint", () => {
    const outputs = {
      environment: "dev",
      accessKeyId: "AKIAEXAMPLE",
      secretAccessKey: new Secret("s3cr3t"),
      bucketName: "b",
      region: "us-east-1",
    } as DeployedOutputs;
    expect(renderDjangoEnv(outputs, { showSecrets: false, endpoint: "http://127.0.0.1:1" })).to.equal(
      "AWS_ACCESS_KEY_ID=AKIAEXAMPLE\nAWS_SECRET_ACCESS_KEY=[secret]\nAWS_STORAGE_BUCKET_NAME=b\nAWS_S3_REGION_NAME=us-east-1\n",
    );
    expect(renderDjangoEnv({ ...outputs, environment: "local" }, { showSecrets: true, endpoint: "http://127.0.0.1:1" }))
      .to.include("AWS_SECRET_ACCESS_KEY=s3cr3t\n")
      .and.include("AWS_S3_ENDPOINT_URL=http://127.0.0.1:1\n");
  });
});
