import { DescribeAlarmsCommand, CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand } from "@aws-sdk/client-eventbridge";
import {
  GetGroupCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListRolePoliciesCommand,
  ListUsersCommand,
} from "@aws-sdk/client-iam";
import { DescribeKeyCommand, KMSClient, ListAliasesCommand } from "@aws-sdk/client-kms";
import { GetSubscriptionAttributesCommand, GetTopicAttributesCommand, SNSClient } from "@aws-sdk/client-sns";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { cp, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../../../automation/projectPaths";
import { chosenPulumiCommand } from "../../support/automationCli";
import { MOTO_CREDENTIALS, startMoto, type MotoServer } from "../../../sandbox/moto/motoServer";
import { sandboxEngineEnv } from "../../../sandbox/sandboxEngine";

const PROGRAM = path.join(__dirname, "monitoringProgram");
const STAND_IN = { kind: "stand-in", path: path.join(REPO_ROOT, "sandbox", "provider", "bin", "pulumi-resource-aws") } as const;
const STACK_REGION = "eu-west-1";
const WATCH_REGION = "us-east-1";
/** The program's resources plus the stack itself. */
const RESOURCES = 16;

describe("stand-in aws provider: the real engine runs a program of the monitoring, forwarding-role and group types", function () {
  this.timeout(300_000);
  let moto: MotoServer;
  let root: string;
  let stack: Stack;
  const clients = {
    iam: {} as IAMClient,
    events: {} as EventBridgeClient,
    sns: {} as SNSClient,
    kms: {} as KMSClient,
    stackEvents: {} as EventBridgeClient,
    cloudWatch: {} as CloudWatchClient,
  };

  before(async () => {
    moto = await startMoto();
    root = await mkdtemp(path.join(tmpdir(), "stand-in-monitoring-"));
    const project = path.join(root, "project");
    await mkdir(path.join(root, "state"));
    await cp(PROGRAM, project, { recursive: true });
    await symlink(path.join(REPO_ROOT, "node_modules"), path.join(project, "node_modules"));
    const engineEnv = { ...sandboxEngineEnv({ motoEndpoint: moto.endpoint, stateDir: path.join(root, "state") }, STAND_IN), AWS_REGION: STACK_REGION };
    stack = await LocalWorkspace.createStack({ stackName: "local", workDir: project }, { pulumiCommand: await chosenPulumiCommand(), envVars: engineEnv });
    await stack.setConfig("aws:region", { value: STACK_REGION });
    const options = (region: string) => ({ region, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
    Object.assign(clients, {
      iam: new IAMClient(options(STACK_REGION)),
      events: new EventBridgeClient(options(WATCH_REGION)),
      stackEvents: new EventBridgeClient(options(STACK_REGION)),
      sns: new SNSClient(options(WATCH_REGION)),
      kms: new KMSClient(options(WATCH_REGION)),
      cloudWatch: new CloudWatchClient(options(STACK_REGION)),
    });
  });

  after(async () => {
    for (const client of Object.values(clients)) (client as { destroy?: () => void }).destroy?.();
    await moto?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("creates them (the watching ones in us-east-1), refreshes and re-plans without a change, imports one, and destroys them", async () => {
    const up = await stack.up();
    expect(up.summary.resourceChanges).to.deep.equal({ create: RESOURCES });
    const outputs = Object.fromEntries(Object.entries(up.outputs).map(([name, output]) => [name, String(output.value)]));

    const rule = await clients.events.send(new DescribeRuleCommand({ Name: outputs.ruleName }));
    expect(rule).to.include({ Arn: outputs.ruleArn, State: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" });
    expect(outputs.ruleArn.startsWith(`arn:aws:events:${WATCH_REGION}:`)).to.equal(true);
    const inStackRegion = await clients.stackEvents.send(new DescribeRuleCommand({ Name: outputs.ruleName })).then(
      () => "found",
      (error: Error) => error.name,
    );
    expect(inStackRegion).to.equal("ResourceNotFoundException");
    const targets = (await clients.events.send(new ListTargetsByRuleCommand({ Rule: outputs.ruleName }))).Targets ?? [];
    expect(targets.map((target) => target.Arn)).to.deep.equal([outputs.topicArn]);
    expect(targets[0]?.InputTransformer?.InputTemplate).to.equal('{"call":"<call>","by":"<caller>"}');
    const rolePolicies = (await clients.iam.send(new ListRolePoliciesCommand({ RoleName: outputs.roleName }))).PolicyNames ?? [];
    expect(rolePolicies).to.have.length(1);

    const topic = (await clients.sns.send(new GetTopicAttributesCommand({ TopicArn: outputs.topicArn }))).Attributes ?? {};
    const key = (await clients.kms.send(new DescribeKeyCommand({ KeyId: outputs.keyId }))).KeyMetadata;
    expect(topic.KmsMasterKeyId).to.equal(key?.Arn);
    expect(JSON.parse(topic.Policy ?? "{}").Statement[0].Principal).to.deep.equal({ Service: "events.amazonaws.com" });
    const subscription = (await clients.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: outputs.subscriptionArn }))).Attributes ?? {};
    expect(subscription).to.include({ Protocol: "email", TopicArn: outputs.topicArn });
    const aliases = (await clients.kms.send(new ListAliasesCommand({ KeyId: outputs.keyId }))).Aliases ?? [];
    expect(aliases.map((alias) => alias.AliasName)).to.deep.equal([outputs.aliasName]);
    expect(outputs.alarmArn.startsWith(`arn:aws:cloudwatch:${STACK_REGION}:`)).to.equal(true);

    const attached = (await clients.iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: outputs.groupName }))).AttachedPolicies ?? [];
    expect(attached.map((policy) => policy.PolicyName)).to.have.length(1);
    const groups = (await clients.iam.send(new ListGroupsForUserCommand({ UserName: outputs.userName }))).Groups ?? [];
    expect(groups.map((group) => group.GroupName)).to.deep.equal([outputs.groupName]);

    // Reads and diffs agree with what the creates wrote: no drift on refresh, nothing to do on the next plan.
    expect((await stack.refresh()).summary.resourceChanges).to.deep.equal({ same: RESOURCES });
    expect((await stack.preview()).changeSummary).to.deep.equal({ same: RESOURCES });

    // The engine takes the id a read answers for an import: terraform's state id, not the import form.
    const importId = `${outputs.ruleName}/${outputs.targetId}@${WATCH_REGION}`;
    await stack.import({
      resources: [{ type: "aws:cloudwatch/eventTarget:EventTarget", name: "imported-target", id: importId }],
      protect: false,
      generateCode: false,
    });
    const imported = (await stack.exportStack()).deployment.resources.find((resource: { urn: string }) => resource.urn.endsWith("::imported-target"));
    expect(imported?.id).to.equal(`${outputs.ruleName}-${outputs.targetId}`);
    expect(imported?.outputs).to.include({ region: WATCH_REGION, arn: outputs.topicArn });

    await stack.destroy();
    const ruleAfter = await clients.events.send(new DescribeRuleCommand({ Name: outputs.ruleName })).then(
      () => "found",
      (error: Error) => error.name,
    );
    expect(ruleAfter).to.equal("ResourceNotFoundException");
    const topicAfter = await clients.sns.send(new GetTopicAttributesCommand({ TopicArn: outputs.topicArn })).then(
      () => "found",
      (error: Error) => error.name,
    );
    expect(topicAfter).to.equal("NotFoundException");
    expect((await clients.kms.send(new DescribeKeyCommand({ KeyId: outputs.keyId }))).KeyMetadata?.KeyState).to.equal("PendingDeletion");
    expect((await clients.kms.send(new ListAliasesCommand({ KeyId: outputs.keyId }))).Aliases ?? []).to.be.empty;
    expect((await clients.cloudWatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).to.be.empty;
    const groupAfter = await clients.iam.send(new GetGroupCommand({ GroupName: outputs.groupName })).then(
      () => "found",
      (error: Error) => error.name,
    );
    expect(groupAfter).to.equal("NoSuchEntityException");
    expect((await clients.iam.send(new ListUsersCommand({}))).Users ?? []).to.be.empty;
    const roleAfter = await clients.iam.send(new GetRoleCommand({ RoleName: outputs.roleName })).then(
      () => "found",
      (error: Error) => error.name,
    );
    expect(roleAfter).to.equal("NoSuchEntityException");
  });
});
