import { DescribeAlarmsCommand, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { CreatePolicyCommand, AttachRolePolicyCommand, CreateRoleCommand, GetRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateKeyCommand, DescribeKeyCommand } from "@aws-sdk/client-kms";
import { CreateSecretCommand, DescribeSecretCommand } from "@aws-sdk/client-secrets-manager";
import { expect } from "chai";
import { RESOURCE_TYPES } from "../../../infra/resourceTypes";
import { createAwsClients, type AwsClients } from "../../../automation/aws/clients";
import type { PendingOperation, StateResource } from "../../../automation/engine/deploymentState";
import { removeInterruptedCreates } from "../../../automation/recovery/interruptedCreates";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type MotoServer } from "../../../sandbox/moto/motoServer";

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const PUT_EVENTS = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: "*" }] });
const KEY_DESCRIPTION = "Encrypts the alerts of talentbase-backend-local";

function creating(type: string, name: string, inputs: Record<string, unknown>): PendingOperation {
  const urn = `urn:pulumi:local::talentbase-iam::${type}::${name}`;
  return { urn, type: "creating", resource: { urn, type, name, inputs } };
}

describe("repair removes what a killed create of a named object left, against moto", () => {
  let moto: MotoServer;
  let admin: AwsClients;
  let repairs: string[];
  const repair = (pending: readonly PendingOperation[], resources: readonly StateResource[] = []) =>
    removeInterruptedCreates(pending, resources, admin, (line) => repairs.push(line), new AbortController().signal);

  before(async () => {
    moto = await startMoto();
    admin = createAwsClients({ region: MOTO_REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    admin?.destroy();
    await moto?.stop();
  });
  beforeEach(() => {
    repairs = [];
  });
  afterEach(() => moto.reset());

  it("deletes the alarm a killed create made, so the update's create (which refuses an existing name) succeeds", async () => {
    await admin.cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: "talentbase-local-media-object-count",
        Namespace: "AWS/S3",
        MetricName: "NumberOfObjects",
        Statistic: "Average",
        Period: 86400,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: "GreaterThanThreshold",
      }),
    );
    await repair([creating(RESOURCE_TYPES.metricAlarm, "monitoring-object-count", { name: "talentbase-local-media-object-count" })]);
    const { MetricAlarms = [] } = await admin.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ["talentbase-local-media-object-count"] }));
    expect(MetricAlarms).to.deep.equal([]);
    expect(repairs).to.deep.equal(["deleted alarm talentbase-local-media-object-count: the interrupted create made it, and the update makes it again"]);
  });

  it("deletes a just-made role with its inline policy; leaves a role with a managed policy attached", async () => {
    await admin.iam.send(new CreateRoleCommand({ RoleName: "fresh", AssumeRolePolicyDocument: TRUST }));
    await admin.iam.send(new PutRolePolicyCommand({ RoleName: "fresh", PolicyName: "inline", PolicyDocument: PUT_EVENTS }));
    await admin.iam.send(new CreateRoleCommand({ RoleName: "used", AssumeRolePolicyDocument: TRUST }));
    const { Policy } = await admin.iam.send(new CreatePolicyCommand({ PolicyName: "managed", PolicyDocument: PUT_EVENTS }));
    await admin.iam.send(new AttachRolePolicyCommand({ RoleName: "used", PolicyArn: Policy!.Arn! }));

    await repair([creating(RESOURCE_TYPES.role, "fresh-role", { name: "fresh" }), creating(RESOURCE_TYPES.role, "used-role", { name: "used" })]);
    const exists = (name: string) =>
      admin.iam.send(new GetRoleCommand({ RoleName: name })).then(
        () => true,
        () => false,
      );
    expect(await exists("fresh")).to.equal(false);
    expect(await exists("used")).to.equal(true);
    expect(repairs).to.deep.equal(["deleted role fresh: the interrupted create made it, and the update makes it again"]);
  });

  it("deletes an empty secret a killed create made; never one holding a value", async () => {
    await admin.secretsManager.send(new CreateSecretCommand({ Name: "talentbase/local/empty" }));
    await admin.secretsManager.send(new CreateSecretCommand({ Name: "talentbase/local/held", SecretString: "{}" }));
    await repair([
      creating(RESOURCE_TYPES.secret, "empty", { name: "talentbase/local/empty" }),
      creating(RESOURCE_TYPES.secret, "held", { name: "talentbase/local/held" }),
    ]);
    const describe = (name: string) =>
      admin.secretsManager.send(new DescribeSecretCommand({ SecretId: name })).then(
        (secret) => secret.Name,
        () => undefined,
      );
    expect(await describe("talentbase/local/empty")).to.equal(undefined);
    expect(await describe("talentbase/local/held")).to.equal("talentbase/local/held");
    expect(repairs).to.deep.equal(["deleted secret talentbase/local/empty: the interrupted create made it, and the update makes it again"]);
  });

  it("schedules the deletion of the unnamed KMS key a killed create made: the one with its description the state does not hold", async () => {
    const made = async (description: string) => (await admin.kms.send(new CreateKeyCommand({ Description: description }))).KeyMetadata!.KeyId!;
    const orphan = await made(KEY_DESCRIPTION);
    const stacks = await made(KEY_DESCRIPTION);
    const other = await made("someone else's key");
    const inState: StateResource = { urn: "urn:key", type: RESOURCE_TYPES.kmsKey, name: "monitoring-key", id: stacks, protect: false, inputs: {} };

    await repair([creating(RESOURCE_TYPES.kmsKey, "monitoring-key", { description: KEY_DESCRIPTION })], [inState]);
    const stateOf = async (keyId: string) => (await admin.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState;
    expect(await stateOf(orphan)).to.equal("PendingDeletion");
    expect(await stateOf(stacks)).to.equal("Enabled");
    expect(await stateOf(other)).to.equal("Enabled");
    expect(repairs).to.deep.equal([
      `scheduled KMS key ${orphan} for deletion in 7 days: the interrupted create made it, and the update makes the stack's key again`,
    ]);
  });

  it("leaves everything when nothing was being created (an update or a delete was pending)", async () => {
    await admin.iam.send(new CreateRoleCommand({ RoleName: "kept", AssumeRolePolicyDocument: TRUST }));
    const updating: PendingOperation = { ...creating(RESOURCE_TYPES.role, "kept-role", { name: "kept" }), type: "updating" };
    await repair([updating]);
    expect((await admin.iam.send(new GetRoleCommand({ RoleName: "kept" }))).Role?.RoleName).to.equal("kept");
    expect(repairs).to.deep.equal([]);
  });
});
