import { CreateLoginProfileCommand, CreateAccessKeyCommand, PutGroupPolicyCommand } from "@aws-sdk/client-iam";
import { expect } from "chai";
import { assessCompliance } from "../../../automation/compliance";
import { gatherEvidence } from "../../../automation/compliance/gatherEvidence";
import { openVerificationContext } from "../../../automation/verify/runVerification";
import { MOTO_CREDENTIALS, startMoto, type MotoServer } from "../../../sandbox/moto/motoServer";
import { adminClients, provisionStack, type AdminClients, type ProvisionedStack } from "../verify/fixture";

describe("gathering a stack's compliance evidence against moto (the verification's read-only calls)", () => {
  let moto: MotoServer;
  let admin: AdminClients;
  let input: ProvisionedStack;

  before(async () => {
    moto = await startMoto();
    admin = adminClients(moto);
  });
  after(async () => {
    admin?.destroy();
    await moto?.stop();
  });
  beforeEach(async () => {
    input = await provisionStack(admin);
  });
  afterEach(() => moto.reset());

  async function evidenceOf(stack: ProvisionedStack) {
    const refused = () => Promise.reject(new Error("no user-key call"));
    const { context, close } = openVerificationContext(stack, { endpoint: moto.endpoint, adminCredentials: MOTO_CREDENTIALS }, refused);
    try {
      return await gatherEvidence(context, "idle");
    } finally {
      close();
    }
  }

  it("reads the user, its tags, the group with its policy's document, and books the stack's key as current", async () => {
    const evidence = await evidenceOf(input);
    expect(evidence.user).to.deep.include({ name: input.userName, arn: input.userArn });
    expect(evidence.user.tags).to.include({ ManagedBy: "pulumi", Environment: "local" });
    expect(evidence.attachedPolicies).to.deep.equal([]);
    expect(evidence.groups.map((group) => [group.name, group.attachedPolicies.map((policy) => policy.arn)])).to.deep.equal([
      [`${input.userName}-s3`, [input.policyArn]],
    ]);
    expect(JSON.stringify(evidence.groups[0]!.attachedPolicies[0]!.document)).to.include("DenyPublicObjectAcls");
    expect(evidence.keys.map((key) => [key.id, key.role, key.status])).to.deep.equal([[input.accessKeyId, "current", "Active"]]);
    expect(evidence).not.to.have.property("loginProfileCreatedAt");
    expect(evidence).not.to.have.property("credentialsSecret");
    const failed = (await assessCompliance(evidence)).findings.filter((finding) => finding.status === "FAIL");
    expect(failed).to.deep.equal([]);
  });

  it("sees a console password, an unknown key and a group's inline policy, and the catalogue fails on them", async () => {
    await admin.iam.send(new CreateLoginProfileCommand({ UserName: input.userName, Password: "Correct-Horse-9-Battery" }));
    const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: input.userName }));
    await admin.iam.send(
      new PutGroupPolicyCommand({
        GroupName: `${input.userName}-s3`,
        PolicyName: "wide",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }),
      }),
    );
    const evidence = await evidenceOf(input);
    expect(evidence.loginProfileCreatedAt).to.be.instanceOf(Date);
    expect(evidence.keys.find((key) => key.id === AccessKey!.AccessKeyId)?.role).to.equal("unknown");
    expect(evidence.groups[0]!.inlinePolicies.map((policy) => policy.name)).to.deep.equal(["wide"]);
    const failed = (await assessCompliance(evidence)).findings.filter((finding) => finding.status === "FAIL").map((finding) => finding.id);
    expect(failed).to.include.members(["cis-1.10", "cis-1.13", "iam-21", "ckv-aws-290"]);
  });
});
