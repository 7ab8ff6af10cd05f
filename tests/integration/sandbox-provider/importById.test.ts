import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, TagUserCommand } from "@aws-sdk/client-iam";
import { expect } from "chai";
import { urnOf, useProviderAgainstMoto } from "./providerFixture";

const USER = urnOf("aws:iam/user:User", "backend-user");
const POLICY = urnOf("aws:iam/policy:Policy", "backend-policy");
const ATTACHMENT = urnOf("aws:iam/userPolicyAttachment:UserPolicyAttachment", "backend-policy-attachment");
const KEY = urnOf("aws:iam/accessKey:AccessKey", "backend-access-key");
const DOCUMENT = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] });

/** An import gives the provider the id alone (no state), as terraform's importers receive it. */
describe("stand-in aws provider: reading objects by import id alone", () => {
  const fixture = useProviderAgainstMoto();
  let policyArn: string;

  beforeEach(async () => {
    await fixture.iam.send(new CreateUserCommand({ UserName: "talentbase-backend-dev", Path: "/legacy/" }));
    await fixture.iam.send(new TagUserCommand({ UserName: "talentbase-backend-dev", Tags: [{ Key: "Project", Value: "talentbase" }] }));
    policyArn = (
      await fixture.iam.send(new CreatePolicyCommand({ PolicyName: "talentbase-backend-dev-s3-policy", PolicyDocument: DOCUMENT, Description: "old" }))
    ).Policy!.Arn!;
    await fixture.iam.send(new AttachUserPolicyCommand({ UserName: "talentbase-backend-dev", PolicyArn: policyArn }));
  });

  it("reads a user by its name, with the inputs the program would have to declare", async () => {
    const read = await fixture.provider.read("talentbase-backend-dev", USER, {});
    expect(read.id).to.equal("talentbase-backend-dev");
    expect(read.inputs).to.deep.include({ name: "talentbase-backend-dev", path: "/legacy/", tags: { Project: "talentbase" } });
  });

  it("reads a managed policy by its ARN, document and description included", async () => {
    const read = await fixture.provider.read(policyArn, POLICY, {});
    expect(read.id).to.equal(policyArn);
    expect(read.inputs).to.deep.include({ name: "talentbase-backend-dev-s3-policy", description: "old", policy: DOCUMENT });
  });

  it("reads an attachment by terraform's `<user>/<policy arn>` id, and as gone when not attached", async () => {
    const id = `talentbase-backend-dev/${policyArn}`;
    const read = await fixture.provider.read(id, ATTACHMENT, {});
    expect(read).to.deep.include({ id, props: { user: "talentbase-backend-dev", policyArn } });
    const other = `talentbase-backend-dev/${policyArn.replace("s3-policy", "other")}`;
    expect((await fixture.provider.read(other, ATTACHMENT, {})).id).to.equal("");
  });

  it("refuses an attachment id that is not `<user>/<policy arn>`", async () => {
    let error: unknown;
    await fixture.provider.read("talentbase-backend-dev-2026", ATTACHMENT, {}).catch((caught: unknown) => (error = caught));
    expect(String(error)).to.include("expected <user-name>/<policy_arn>");
  });

  it("reads an access key by its id, finding its user, and never invents a secret", async () => {
    const { AccessKey } = await fixture.iam.send(new CreateAccessKeyCommand({ UserName: "talentbase-backend-dev" }));
    const read = await fixture.provider.read(AccessKey!.AccessKeyId!, KEY, {});
    expect(read.id).to.equal(AccessKey!.AccessKeyId);
    expect(read.props).to.deep.include({ user: "talentbase-backend-dev", status: "Active" });
    expect((read.props as Record<string, unknown>)["secret"]).to.equal(undefined);
  });
});
