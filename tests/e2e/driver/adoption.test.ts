import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListAccessKeysCommand,
  ListPolicyVersionsCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { expect } from "chai";
import { REPO_ROOT } from "../../../automation/projectPaths";
import { awsCliCommand } from "../../../automation/stacks/printedCommands";
import { canonicalPolicy } from "../../../infra/policy/canonicalPolicy";
import { buildUploadsPolicy } from "../../../infra/policy/uploadsPolicy";
import { sandboxEngineEnv } from "../../../sandbox/sandboxEngine";
import { createUploadsBucket } from "../../../sandbox/seed";
import { runDriver, runDriverInTerminal, type DriverRun } from "../../support/driverProcess";
import {
  callerOf,
  grantedThroughGroups,
  iamInventory,
  LOCAL_GROUP,
  LOCAL_POLICY,
  LOCAL_USER,
  openSandboxAccount,
  type KeyPair,
  type SandboxAccount,
} from "../../../harness/sandboxAccount";

const BUCKET = "talentbase-local-uploads";
const TAGS = [
  { Key: "Environment", Value: "local" },
  { Key: "Project", Value: "talentbase" },
  { Key: "Purpose", Value: "backend-s3-access" },
];
/** The old setup-iam.sh's document: three statements, the third repeating Get/PutObject, s3:GetBucketCors. */
const OLD_POLICY = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:PutObjectAcl"], Resource: `arn:aws:s3:::${BUCKET}/*` },
    { Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketCors", "s3:GetBucketPolicy"], Resource: `arn:aws:s3:::${BUCKET}` },
    { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `arn:aws:s3:::${BUCKET}/*` },
  ],
};

/** IAM as `setup-iam.sh local` left it, made with the AWS SDK. */
async function setupIamSh(iam: IAMClient, parts: { user?: boolean; policy?: boolean; keys?: number } = {}): Promise<{ policyArn?: string; keys: KeyPair[] }> {
  const { user = true, policy = true, keys = 1 } = parts;
  if (user) await iam.send(new CreateUserCommand({ UserName: LOCAL_USER, Tags: TAGS }));
  const policyArn = policy
    ? (await iam.send(new CreatePolicyCommand({ PolicyName: LOCAL_POLICY, PolicyDocument: JSON.stringify(OLD_POLICY), Tags: TAGS }))).Policy!.Arn!
    : undefined;
  if (user && policyArn) await iam.send(new AttachUserPolicyCommand({ UserName: LOCAL_USER, PolicyArn: policyArn }));
  const made: KeyPair[] = [];
  for (let index = 0; user && index < keys; index += 1) {
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: LOCAL_USER }));
    made.push({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
  }
  return { ...(policyArn ? { policyArn } : {}), keys: made };
}

async function defaultVersionOf(iam: IAMClient, policyArn: string): Promise<{ id: string; document: unknown }> {
  const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }));
  const { PolicyVersion } = await iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: Policy!.DefaultVersionId! }));
  const raw = PolicyVersion!.Document!;
  return { id: Policy!.DefaultVersionId!, document: JSON.parse(raw.startsWith("{") ? raw : decodeURIComponent(raw)) };
}

async function keyIds(iam: IAMClient): Promise<string[]> {
  return ((await iam.send(new ListAccessKeysCommand({ UserName: LOCAL_USER }))).AccessKeyMetadata ?? []).map((key) => key.AccessKeyId!).sort();
}

const stateFileOf = (account: SandboxAccount) => path.join(account.project.stateDir, ".pulumi", "stacks", "talentbase-iam", "local.json");

function expectSucceeded(run: DriverRun): void {
  expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
}

describe("adopting what the old setup-iam.sh created (provision --adopt) against moto", function () {
  this.timeout(300_000);
  let account: SandboxAccount;
  beforeEach(async () => {
    account = await openSandboxAccount();
  });
  afterEach(() => account?.close());

  it("refuses without the flag, takes over with it, then changes nothing, and retires the old key", async () => {
    const legacy = await setupIamSh(account.iam);
    const oldKey = legacy.keys[0]!;
    const before = {
      inventory: await iamInventory(account.iam),
      keys: await keyIds(account.iam),
      policy: await defaultVersionOf(account.iam, legacy.policyArn!),
    };

    const refused = await runDriver("provision", ["local"], { env: account.env });
    expect(refused.code, "a refusal for the stack's state: exit 1").to.equal(1);
    expect(refused.stderr.trim().split("\n")).to.have.length(1);
    expect(refused.stderr)
      .to.include(`IAM already has user ${LOCAL_USER} (1 access key) and policy ${legacy.policyArn}`)
      .and.include("`npm run provision -- local --adopt`");
    expect({
      inventory: await iamInventory(account.iam),
      keys: await keyIds(account.iam),
      policy: await defaultVersionOf(account.iam, legacy.policyArn!),
    }).to.deep.equal(before);
    expect(existsSync(stateFileOf(account)), "no state written").to.equal(false);

    const adopted = await runDriver("provision", ["local", "--adopt"], { env: account.env });
    expectSucceeded(adopted);
    // The takeover, the group created beside the direct attachment; then the update that detaches it.
    expect(adopted.stdout).to.include("Preview of local: create 17, import 3, update 2").and.include("Changes to local: create 17, import 3, update 2");
    const detached = adopted.stdout.indexOf("detaching the direct attachment setup-iam.sh made");
    expect(detached).to.be.greaterThan(adopted.stdout.indexOf("Changes to local: create 17, import 3, update 2"));
    expect(adopted.stdout.slice(detached)).to.include("Changes to local: delete 1, unchanged 19");
    expect(adopted.stdout.match(/Verifying stack local/g), "verified once, after both updates").to.have.length(1);
    expect(adopted.stdout).to.match(/\[PASS\] Stack policy reaches the user only through its group/);
    expect(adopted.stdout).to.include(`access key ${oldKey.accessKeyId} (Active`).and.include(`\`npm run retire-key -- local ${oldKey.accessKeyId}\``);
    expect(adopted.stdout).to.match(new RegExp(`\\[WARN\\] Access keys.*key ${oldKey.accessKeyId} predates the stack`));
    expect(await callerOf(account.moto.endpoint, oldKey), "the old key still works").to.match(/:user\/talentbase-backend-local$/);

    const state = JSON.parse(await readFile(stateFileOf(account), "utf8"));
    const inState = Object.fromEntries(state.checkpoint.latest.resources.map((resource: { type: string; id?: string }) => [resource.type, resource.id]));
    expect(inState).to.include({ "aws:iam/user:User": LOCAL_USER, "aws:iam/policy:Policy": legacy.policyArn, "aws:iam/group:Group": `${LOCAL_USER}-s3` });
    expect(inState).not.to.have.property("aws:iam/userPolicyAttachment:UserPolicyAttachment");
    expect((await iamInventory(account.iam)).attached, "nothing attached to the user directly").to.deep.equal([]);
    const live = await defaultVersionOf(account.iam, legacy.policyArn!);
    expect(live.id).to.equal("v2");
    expect(canonicalPolicy(live.document)).to.equal(canonicalPolicy(buildUploadsPolicy({ bucketName: BUCKET, partition: "aws" })));
    const versions = (await account.iam.send(new ListPolicyVersionsCommand({ PolicyArn: legacy.policyArn }))).Versions ?? [];
    expect(versions.map((version) => version.VersionId).sort(), "the old version is kept").to.deep.equal(["v1", "v2"]);
    expect(await keyIds(account.iam)).to.have.length(2);

    const again = await runDriver("provision", ["local"], { env: account.env });
    expectSucceeded(again);
    expect(again.stdout).to.include("Changes to local: no changes (19 unchanged)");
    const plain = await runDriver("pulumi", ["local", "preview", "--expect-no-changes"], { env: account.env });
    expectSucceeded(plain);
    const adoptAgain = await runDriver("provision", ["local", "--adopt"], { env: account.env });
    expectSucceeded(adoptAgain);
    expect(adoptAgain.stdout).to.include("Changes to local: no changes (19 unchanged)");

    const retired = await runDriver("retire-key", ["local", oldKey.accessKeyId], { env: account.env });
    expectSucceeded(retired);
    expect(retired.stdout).to.include(`${oldKey.accessKeyId} is deleted`);
    expect(await keyIds(account.iam)).not.to.include(oldKey.accessKeyId);
    expect(await readFile(path.join(account.project.dir, "Pulumi.local.yaml"), "utf8")).not.to.include(oldKey.accessKeyId);
    const verified = await runDriver("verify", ["local"], { env: account.env });
    expectSucceeded(verified);
    expect(verified.stdout).to.match(/\[PASS\] Access keys/);
  });

  it("refuses a user with two keys before any change, saying which to retire", async () => {
    const legacy = await setupIamSh(account.iam, { keys: 2 });
    const before = await keyIds(account.iam);
    const run = await runDriver("provision", ["local", "--adopt"], { env: account.env });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include(`user ${LOCAL_USER} already has 2 access keys, IAM's limit`).and.include("`npm run retire-key -- local ");
    expect(await keyIds(account.iam)).to.deep.equal(before);
    expect((await defaultVersionOf(account.iam, legacy.policyArn!)).id).to.equal("v1");
    expect(existsSync(stateFileOf(account)), "no state written").to.equal(false);
  });

  it("adopts a policy alone, creating the user", async () => {
    const legacy = await setupIamSh(account.iam, { user: false });
    const run = await runDriver("provision", ["local", "--adopt", "--skip-verify"], { env: account.env });
    expectSucceeded(run);
    expect(run.stdout).to.include("no user exists yet: the update creates it").and.include("Changes to local: create 18, import 1, update 1");
    expect(run.stdout, "no direct attachment: one update").not.to.include("detaching");
    expect(await grantedThroughGroups(account.iam)).to.deep.equal([`${LOCAL_GROUP}: ${LOCAL_POLICY}`]);
    expect((await defaultVersionOf(account.iam, legacy.policyArn!)).id).to.equal("v2");
  });

  it("adopts a user alone, keeping its key, creating the policy", async () => {
    const legacy = await setupIamSh(account.iam, { policy: false });
    const run = await runDriver("provision", ["local", "--adopt"], { env: account.env });
    expectSucceeded(run);
    expect(run.stdout).to.include("no policy exists yet: the update creates it").and.include("Changes to local: create 18, import 1, update 1");
    expect(await keyIds(account.iam))
      .to.include(legacy.keys[0]!.accessKeyId)
      .and.have.length(2);
  });

  it("reports a login profile, which setup-iam.sh never made, and leaves it for the operator", async () => {
    await setupIamSh(account.iam);
    await account.iam.send(new CreateLoginProfileCommand({ UserName: LOCAL_USER, Password: "Correct-Horse-9-Battery" }));
    const run = await runDriver("provision", ["local", "--adopt"], { env: account.env });
    expect(run.stdout)
      .to.include(`user ${LOCAL_USER} has a console password`)
      .and.include(awsCliCommand("local", "iam", "delete-login-profile", "--user-name", LOCAL_USER));
    expect(run.stdout).to.match(/\[FAIL\] No console password/);
    expect(run.code, "verification fails on the console password").to.equal(1);
    expect((await iamInventory(account.iam)).users).to.include(LOCAL_USER);

    // The printed command, run as printed from the project directory, in the sandbox's environment (no aws on PATH needed).
    const printed = /`([^`]*delete-login-profile[^`]*)`/.exec(run.stdout)?.[1] ?? "";
    await promisify(execFile)("bash", ["-c", printed], { cwd: REPO_ROOT, env: { PATH: "/usr/bin:/bin", AWS_ENDPOINT_URL: account.env.AWS_ENDPOINT_URL! } });
    const after = await runDriver("verify", ["local"], { env: account.env });
    expect(after.stdout).to.match(/\[PASS\] No console password/);
  });

  it("does not take the stack's own policy for setup-iam.sh's: a first provision stopped after recording it continues without --adopt", async () => {
    // The state of a first provision stopped between its creates: the policy made and recorded, the user not yet.
    const component = "urn:pulumi:local::talentbase-iam::talentbase:iam:BackendS3User::backend";
    expectSucceeded(await runDriver("pulumi", ["local", "stack", "init"], { env: account.env }));
    const partial = await runDriver(
      "pulumi",
      [
        "local",
        "up",
        "--yes",
        "--skip-preview",
        "--target",
        component,
        "--target",
        `${component.replace("::backend", "$aws:iam/policy:Policy::backend-policy")}`,
      ],
      {
        env: account.env,
      },
    );
    expectSucceeded(partial);
    expect(await iamInventory(account.iam)).to.deep.equal({ users: [], policies: [LOCAL_POLICY], attached: [], groups: [] });

    const again = await runDriver("provision", ["local"], { env: account.env });
    expectSucceeded(again);
    expect(again.stdout + again.stderr).not.to.include("--adopt");
    expect(again.stdout, again.stdout).to.match(/Changes to local: create 16, unchanged 3/);
    expect(await iamInventory(account.iam)).to.deep.equal({ users: [LOCAL_USER], policies: [LOCAL_POLICY], attached: [], groups: [LOCAL_GROUP] });
    expect(await grantedThroughGroups(account.iam)).to.deep.equal([`${LOCAL_GROUP}: ${LOCAL_POLICY}`]);
  });

  it("into prod asks before applying, after showing the preview, and changes nothing unless the answer is yes", async () => {
    // prod as an operator runs it, except that the backend is a file, the AWS moto and the plugin the stand-in.
    const prodEnv = { ...account.env, ...sandboxEngineEnv({ motoEndpoint: account.moto.endpoint, stateDir: account.project.stateDir }) };
    // The prod stack on moto: its own bucket and user (talentbase-backend-prod).
    await createUploadsBucket(account.moto.endpoint, "us-east-1", "talentbase-prod-uploads");
    await account.iam.send(new CreateUserCommand({ UserName: "talentbase-backend-prod", Tags: TAGS }));
    // prod's monitoring, on by default, with someone subscribed (without, its verification fails: alerts would reach no one).
    const prodFile = path.join(account.project.dir, "Pulumi.prod.yaml");
    await writeFile(prodFile, `${await readFile(prodFile, "utf8")}  talentbase-iam:alertEmails: security@talentbase.example\n`);

    const declined = await runDriverInTerminal("provision", ["prod", "--adopt"], { env: prodEnv, input: "no\n" });
    expect(declined.stdout, declined.stdout).to.include("= 1 to import").and.include("Take these IAM objects over into prod?");
    expect(declined.code).to.equal(1);
    expect(declined.stdout).to.include("cancelled: nothing was changed");

    const accepted = await runDriverInTerminal("provision", ["prod", "--adopt"], { env: prodEnv, input: "yes\n" });
    expect(accepted.stdout).to.include("Changes to prod:").and.include("import 1");
    expect(accepted.code, accepted.stdout).to.equal(0);
  });
});
