import { expect } from "chai";
import { readFile } from "node:fs/promises";
import {
  GetPolicyVersionCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  DetachGroupPolicyCommand,
  GetUserCommand,
  UntagUserCommand,
} from "@aws-sdk/client-iam";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { chosenPulumiCommand } from "../support/automationCli";
import { OUTPUT_KINDS, OUTPUT_NAMES } from "../../infra/outputs";
import { chooseAwsProvider, sandboxEngineEnv } from "../../sandbox/sandboxEngine";
import { copyProject, stateFiles, type ProjectCopy } from "../../harness/projectCopy";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type MotoServer } from "../../sandbox/moto/motoServer";

const USER = "talentbase-backend-local";

describe("the Pulumi program on a real engine against moto", function () {
  this.timeout(300_000);
  let moto: MotoServer;
  let project: ProjectCopy;
  let stack: Stack;
  let iam: IAMClient;

  before(async () => {
    moto = await startMoto();
    project = await copyProject();
    iam = new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    const provider = chooseAwsProvider();
    console.log(`      aws provider plugin: ${provider.kind} (${provider.path})`);
    stack = await LocalWorkspace.createStack(
      { stackName: "local", workDir: project.dir },
      {
        pulumiCommand: await chosenPulumiCommand(),
        envVars: sandboxEngineEnv({ motoEndpoint: moto.endpoint, stateDir: project.stateDir }, provider),
      },
    );
  });
  after(async () => {
    iam?.destroy();
    await moto?.stop();
    await project?.remove();
  });

  const defaultPolicyDocument = async (policyArn: string) => {
    const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: policyArn }))).Versions ?? [];
    const current = versions.find((version) => version.IsDefaultVersion);
    const { PolicyVersion } = await iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: current?.VersionId }));
    return { versions, document: JSON.parse(decodeURIComponent(PolicyVersion?.Document ?? "")) };
  };

  it("creates the user, policy, the group that grants it and the key, with the fixed outputs and an encrypted secret", async () => {
    const result = await stack.up();
    // The identity's 8 and the sandbox's access monitoring (11).
    expect(result.summary.resourceChanges).to.deep.equal({ create: 19 });
    // Optional outputs the stack does not have (no rotation open, no credentials secret) are absent; its monitoring's topic is there.
    expect(Object.keys(result.outputs)).to.have.members([...OUTPUT_NAMES.filter((name) => OUTPUT_KINDS[name] !== "optional"), "alertTopicArn"]);
    expect(result.outputs["secretAccessKey"]?.secret).to.equal(true);
    expect(result.outputs["userName"]?.value).to.equal(USER);

    const keys = (await iam.send(new ListAccessKeysCommand({ UserName: USER }))).AccessKeyMetadata ?? [];
    expect(keys.map((key) => key.AccessKeyId)).to.deep.equal([result.outputs["accessKeyId"]?.value]);
    const attached = (await iam.send(new ListAttachedUserPoliciesCommand({ UserName: USER }))).AttachedPolicies ?? [];
    expect(attached, "nothing on the user itself").to.deep.equal([]);
    const groups = (await iam.send(new ListGroupsForUserCommand({ UserName: USER }))).Groups ?? [];
    expect(groups.map((group) => group.GroupName)).to.deep.equal([`${USER}-s3`]);
    const granted = (await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: `${USER}-s3` }))).AttachedPolicies ?? [];
    expect(granted.map((policy) => policy.PolicyArn)).to.deep.equal([result.outputs["policyArn"]?.value]);

    const secret = String(result.outputs["secretAccessKey"]?.value);
    expect(secret).to.have.length.greaterThan(20);
    for (const file of await stateFiles(project.stateDir)) {
      expect(await readFile(file, "utf8"), file).not.to.include(secret);
    }
  });

  it("reports no changes on a second up", async () => {
    const result = await stack.up();
    expect(result.summary.resourceChanges).to.deep.equal({ same: 19 });
  });

  it("updates the policy in place when the bucket changes, keeping user and key, pruning old versions", async () => {
    const before = await stack.outputs();
    const userId = (await iam.send(new GetUserCommand({ UserName: USER }))).User?.UserId;
    // Six changes push the policy past IAM's five versions, so the oldest must be pruned.
    for (let change = 1; change <= 6; change++) {
      await stack.setConfig("talentbase-iam:bucketName", { value: `talentbase-local-uploads-${change}` });
      const result = await stack.up();
      // The policy; the monitoring's key-use rule and topic policy, and its object-count alarm, named after the bucket (replaced).
      expect(result.summary.resourceChanges).to.deep.equal({ update: 3, replace: 1, same: 15 });
    }
    const after = await stack.outputs();
    expect(after["accessKeyId"]?.value).to.equal(before["accessKeyId"]?.value);
    expect(after["policyArn"]?.value).to.equal(before["policyArn"]?.value);
    expect((await iam.send(new GetUserCommand({ UserName: USER }))).User?.UserId).to.equal(userId);

    const { versions, document } = await defaultPolicyDocument(String(after["policyArn"]?.value));
    expect(versions).to.have.length(5);
    expect(JSON.stringify(document)).to.include("arn:aws:s3:::talentbase-local-uploads-6/*");
    expect(JSON.stringify(document)).not.to.include("talentbase-local-uploads-5");
  });

  it("sees out-of-band changes on refresh and restores them on the next up", async () => {
    const policyArn = String((await stack.outputs())["policyArn"]?.value);
    await iam.send(new UntagUserCommand({ UserName: USER, TagKeys: ["Purpose"] }));
    await iam.send(new DetachGroupPolicyCommand({ GroupName: `${USER}-s3`, PolicyArn: policyArn }));

    const preview = await stack.preview({ refresh: true });
    expect(preview.changeSummary["update"], "user tags drifted").to.equal(1);
    expect(preview.changeSummary["create"], "the group's attachment is gone").to.equal(1);

    await stack.up({ refresh: true });
    const tags = (await iam.send(new ListUserTagsCommand({ UserName: USER }))).Tags ?? [];
    expect(tags.map((tag) => tag.Key)).to.include("Purpose");
    const granted = (await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: `${USER}-s3` }))).AttachedPolicies ?? [];
    expect(granted.map((policy) => policy.PolicyArn)).to.deep.equal([policyArn]);
  });

  it("destroy leaves no IAM user, policy or key of the stack in moto", async () => {
    await stack.destroy();
    const users = (await iam.send(new ListUsersCommand({}))).Users ?? [];
    expect(users.map((user) => user.UserName)).not.to.include(USER);
    const policies = (await iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies ?? [];
    expect(policies.map((policy) => policy.PolicyName)).not.to.include("talentbase-backend-local-s3-policy");
    let keysError = "";
    await iam.send(new ListAccessKeysCommand({ UserName: USER })).catch((error: Error) => {
      keysError = error.name;
    });
    expect(keysError).to.equal("NoSuchEntityException");
  });
});
