import { CreatePolicyCommand, CreateUserCommand, DetachUserPolicyCommand, ListAttachedUserPoliciesCommand } from "@aws-sdk/client-iam";
import { expect } from "chai";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const ATTACHMENT = urnOf("aws:iam/userPolicyAttachment:UserPolicyAttachment", "backend-attachment");

describe("stand-in aws:iam/userPolicyAttachment:UserPolicyAttachment", () => {
  const fixture = useProviderAgainstMoto();
  let policyArn: string;

  beforeEach(async () => {
    await fixture.iam.send(new CreateUserCommand({ UserName: "talentbase-backend-dev" }));
    const created = await fixture.iam.send(
      new CreatePolicyCommand({
        PolicyName: "talentbase-backend-dev-s3-policy",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::talentbase-dev-uploads/*" }],
        }),
      }),
    );
    policyArn = created.Policy?.Arn ?? "";
  });

  const attachedArns = async (userName: string) =>
    ((await fixture.iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }))).AttachedPolicies ?? []).map((policy) => policy.PolicyArn);

  it("requires user and policyArn", async () => {
    const { failures } = await fixture.provider.check(ATTACHMENT, {}, {});
    expect(failures?.map((failure) => failure.property)).to.have.members(["user", "policyArn"]);
  });

  it("attaches the policy; the id is the user name plus terraform's unique suffix", async () => {
    const { id, outs } = await checkAndCreate(fixture, ATTACHMENT, { user: "talentbase-backend-dev", policyArn });
    expect(id).to.match(/^talentbase-backend-dev-\d{18}[0-9a-f]{8}$/);
    expect(outs).to.deep.equal({ user: "talentbase-backend-dev", policyArn });
    expect(await attachedArns("talentbase-backend-dev")).to.deep.equal([policyArn]);
  });

  it("gives two attachments distinct ids", async () => {
    const first = await checkAndCreate(fixture, ATTACHMENT, { user: "talentbase-backend-dev", policyArn });
    await fixture.provider.delete(first.id, ATTACHMENT, first.outs);
    const second = await checkAndCreate(fixture, ATTACHMENT, { user: "talentbase-backend-dev", policyArn });
    expect(second.id).to.not.equal(first.id);
  });

  it("replaces on a new user or a new policy ARN and reports nothing otherwise", async () => {
    const olds = { user: "u", policyArn: "arn:aws:iam::123456789012:policy/p" };
    expect((await fixture.provider.diff("u-1", ATTACHMENT, olds, { ...olds })).changes).to.equal(false);
    const newUser = await fixture.provider.diff("u-1", ATTACHMENT, olds, { ...olds, user: "v" });
    expect(newUser.replaces).to.deep.equal(["user"]);
    const newPolicy = await fixture.provider.diff("u-1", ATTACHMENT, olds, { ...olds, policyArn: "arn:aws:iam::123456789012:policy/q" });
    expect(newPolicy.replaces).to.deep.equal(["policyArn"]);
  });

  it("reads as gone once the policy was detached outside Pulumi", async () => {
    const { id, outs } = await checkAndCreate(fixture, ATTACHMENT, { user: "talentbase-backend-dev", policyArn });
    expect((await fixture.provider.read(id, ATTACHMENT, outs)).id).to.equal(id);
    await fixture.iam.send(new DetachUserPolicyCommand({ UserName: "talentbase-backend-dev", PolicyArn: policyArn }));
    const read = await fixture.provider.read(id, ATTACHMENT, outs);
    expect(read.id).to.equal("");
  });

  it("reads as gone when the user itself no longer exists", async () => {
    const read = await fixture.provider.read("ghost-1", ATTACHMENT, { user: "ghost", policyArn });
    expect(read.id).to.equal("");
  });

  it("detaches on delete and tolerates an attachment already gone", async () => {
    const { id, outs } = await checkAndCreate(fixture, ATTACHMENT, { user: "talentbase-backend-dev", policyArn });
    await fixture.provider.delete(id, ATTACHMENT, outs);
    expect(await attachedArns("talentbase-backend-dev")).to.be.empty;
    await fixture.provider.delete(id, ATTACHMENT, outs);
  });
});
