import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  ListAccessKeysCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { expect } from "chai";
import type { PolicyDocument } from "../../../infra/policy/policyDocument";
import type { ComplianceJson } from "../../../automation/compliance";
import { buildUploadsPolicy } from "../../../infra/policy/uploadsPolicy";
import { motoEnforceableForm } from "../../../harness/motoEnforcement";
import { runDriver, type DriverRun } from "../../support/driverProcess";
import { runWithFault } from "../../support/faultInjection";
import { LOCAL_POLICY, LOCAL_USER, openSandboxAccount, type KeyPair, type SandboxAccount } from "../../../harness/sandboxAccount";

/** setup-iam.sh's broad grant on the bucket's objects: adoption replaces it with the program's document. */
const SETUP_IAM_SH_STATEMENT = {
  Sid: "Uploads",
  Effect: "Allow",
  Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
  Resource: ["arn:aws:s3:::talentbase-local-uploads/*"],
} as const;

function expectSucceeded(run: DriverRun, what: string): void {
  expect(run.code, `${what}\n${run.stdout}\n${run.stderr}`).to.equal(0);
}

/** An operator of moto whose only permissions are `policy` (a managed policy: the derived one outgrows an inline one's 2 KB). */
async function operatorWith(iam: IAMClient, name: string, policy: PolicyDocument): Promise<KeyPair> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: `${name}-policy`, PolicyDocument: JSON.stringify(policy) }));
  await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: Policy!.Arn! }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

/** The policy without one action, as a narrower hand-written one might be. */
function without(policy: PolicyDocument, action: string): PolicyDocument {
  expect(
    policy.Statement.some((statement) => statement.Action.includes(action)),
    `${action} is in the derived policy`,
  ).to.equal(true);
  return {
    ...policy,
    Statement: policy.Statement.map((statement) => ({ ...statement, Action: statement.Action.filter((candidate) => candidate !== action) })).filter(
      (statement) => statement.Action.length > 0,
    ),
  };
}

/**
 * The operator policy `npm run operator-policy` derives for the local stack (with its credentials
 * secret on), given to a moto-made operator as moto can enforce it (resources widened to "*" and
 * conditions dropped: moto matches non-S3 requests against "*" and fails any condition; the resource
 * scoping is proven with iam-simulate in tests/unit/operator). Every command of the lifecycle passes
 * with it alone under moto's IAM enforcement, and a policy one action narrower fails at that action.
 */
describe("the derived operator policy, alone on the operator, under moto's IAM enforcement", function () {
  this.timeout(300_000);
  let account: SandboxAccount;
  let scratch: string;
  let derived: PolicyDocument;

  beforeEach(async () => {
    account = await openSandboxAccount();
    scratch = await mkdtemp(path.join(tmpdir(), "talentbase-operator-"));
    const stackFile = path.join(account.project.dir, "Pulumi.local.yaml");
    await writeFile(
      stackFile,
      `${(await readFile(stackFile, "utf8")).trimEnd()}\n  talentbase-iam:credentialsSecret: "true"\n  talentbase-iam:credentialsSecretRecoveryDays: "0"\n`,
    );
    const file = path.join(scratch, "operator-policy.json");
    const printed = await runDriver("operator-policy", ["local", "--account", "123456789012", "--out", file], { env: account.env });
    expectSucceeded(printed, "operator-policy");
    derived = JSON.parse(await readFile(file, "utf8")) as PolicyDocument;
    expect(JSON.parse(printed.stdout)).to.deep.equal(derived);
  });
  afterEach(async () => {
    await account?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("runs the whole lifecycle: adopt, verify, retire-key, a killed rotation repaired, rotate, compliance, destroy; provision afresh and destroy", async () => {
    // What setup-iam.sh left: the user, its own document of the policy attached directly, one key.
    await account.iam.send(new CreateUserCommand({ UserName: LOCAL_USER }));
    const document = JSON.stringify({
      ...buildUploadsPolicy({ bucketName: "talentbase-local-uploads", partition: "aws" }),
      Statement: [SETUP_IAM_SH_STATEMENT],
    });
    const { Policy } = await account.iam.send(new CreatePolicyCommand({ PolicyName: LOCAL_POLICY, PolicyDocument: document }));
    await account.iam.send(new AttachUserPolicyCommand({ UserName: LOCAL_USER, PolicyArn: Policy!.Arn! }));
    const legacy = (await account.iam.send(new CreateAccessKeyCommand({ UserName: LOCAL_USER }))).AccessKey!.AccessKeyId!;
    const operator = await operatorWith(account.iam, "operator", motoEnforceableForm(derived));
    await account.moto.setAuthEnforcement(true);
    const env = { ...account.env, AWS_ACCESS_KEY_ID: operator.accessKeyId, AWS_SECRET_ACCESS_KEY: operator.secretAccessKey };

    expectSucceeded(await runDriver("provision", ["local", "--adopt"], { env }), "provision --adopt");
    expectSucceeded(await runDriver("verify", ["local"], { env }), "verify");
    // The adopted key makes room for the rotation's second key.
    expectSucceeded(await runDriver("retire-key", ["local", legacy], { env }), "retire-key");

    const killed = await runWithFault("rotate", ["local", "start"], "aws:iam:AccessKey backend-access-key-b creating", "SIGKILL", { env });
    expect(killed.injected, killed.output).to.equal(true);
    const repaired = await runDriver("repair", ["local"], { env });
    expectSucceeded(repaired, "repair");
    expectSucceeded(await runDriver("rotate", ["local", "start"], { env }), "rotate start");
    // The old key signed the verification's own calls: --force, as no consumer is left on it here.
    expectSucceeded(await runDriver("rotate", ["local", "finish", "--force"], { env }), "rotate finish");
    // Every read of the evidence allowed; the one FAIL is the secret's AWS managed key (no KMS key is configured here).
    const compliance = await runDriver("verify", ["local", "--compliance", "--json"], { env });
    const failed = (JSON.parse(compliance.stdout) as ComplianceJson).findings.filter((finding) => finding.status === "FAIL").map((finding) => finding.id);
    expect(failed, compliance.stderr).to.deep.equal(["ckv-aws-149"]);
    expectSucceeded(await runDriver("destroy", ["local"], { env }), "destroy");
    // And a stack made from nothing, then gone again.
    expectSucceeded(await runDriver("provision", ["local"], { env }), "provision of a new stack");
    expectSucceeded(await runDriver("destroy", ["local"], { env }), "destroy of it");
    await account.moto.setAuthEnforcement(false);
    expect(
      ((await account.iam.send(new ListAccessKeysCommand({ UserName: "operator" }))).AccessKeyMetadata ?? []).length,
      "the operator is still there",
    ).to.equal(1);
  });

  it("one action narrower fails at the first call that needs it, naming it: iam:AddUserToGroup in provision, iam:GetAccessKeyLastUsed in verify", async () => {
    const noMembership = await operatorWith(account.iam, "operator-a", motoEnforceableForm(without(derived, "iam:AddUserToGroup")));
    const noLastUse = await operatorWith(account.iam, "operator-b", motoEnforceableForm(without(derived, "iam:GetAccessKeyLastUsed")));
    await account.moto.setAuthEnforcement(true);
    const as = (key: KeyPair) => ({ ...account.env, AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey });

    const provision = await runDriver("provision", ["local"], { env: as(noMembership) });
    expect(provision.code).to.equal(1);
    expect(provision.stdout + provision.stderr).to.match(
      /aws:iam:UserGroupMembership backend-group-membership[\s\S]*user\/operator-a is not authorized to perform: iam:AddUserToGroup/,
    );

    expectSucceeded(await runDriver("provision", ["local", "--skip-verify"], { env: as(noLastUse) }), "provision by operator-b");
    const verify = await runDriver("verify", ["local"], { env: as(noLastUse) });
    expect(verify.code).to.equal(1);
    expect(verify.stdout).to.match(/\[FAIL\] Access keys.*user\/operator-b is not authorized to perform: iam:GetAccessKeyLastUsed/);
    expect(verify.stderr.trim()).to.match(
      /; AWS refused the operator's credentials \(AccessDenied\): they need what `npm run operator-policy -- local` prints$/,
    );
  });
});
