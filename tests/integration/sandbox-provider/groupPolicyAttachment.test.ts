import { CreateGroupCommand, CreatePolicyCommand, DeleteGroupCommand, DetachGroupPolicyCommand, ListAttachedGroupPoliciesCommand } from "@aws-sdk/client-iam";
import { expect } from "chai";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const ATTACHMENT = urnOf("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "uploaders-attachment");
const GROUP = "talentbase-uploaders";

describe("stand-in aws:iam/groupPolicyAttachment:GroupPolicyAttachment", () => {
  const fixture = useProviderAgainstMoto();
  let policyArn: string;

  beforeEach(async () => {
    await fixture.iam.send(new CreateGroupCommand({ GroupName: GROUP }));
    const created = await fixture.iam.send(
      new CreatePolicyCommand({
        PolicyName: "talentbase-uploads",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::talentbase-dev-uploads/*" }],
        }),
      }),
    );
    policyArn = created.Policy?.Arn ?? "";
  });

  const attachedArns = async () =>
    ((await fixture.iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: GROUP }))).AttachedPolicies ?? []).map((policy) => policy.PolicyArn);

  it("requires group and policyArn", async () => {
    const { failures } = await fixture.provider.check(ATTACHMENT, {}, {});
    expect(failures?.map((failure) => failure.property)).to.have.members(["group", "policyArn"]);
  });

  it("attaches the policy; the id is the group name plus terraform's unique suffix", async () => {
    const { id, outs } = await checkAndCreate(fixture, ATTACHMENT, { group: GROUP, policyArn });
    expect(id).to.match(/^talentbase-uploaders-\d{18}[0-9a-f]{8}$/);
    expect(outs).to.deep.equal({ group: GROUP, policyArn });
    expect(await attachedArns()).to.deep.equal([policyArn]);
  });

  it("replaces on a new group or a new policy ARN and reports nothing otherwise", async () => {
    const olds = { group: "g", policyArn: "arn:aws:iam::123456789012:policy/p" };
    expect((await fixture.provider.diff("g-1", ATTACHMENT, olds, { ...olds })).changes).to.equal(false);
    expect((await fixture.provider.diff("g-1", ATTACHMENT, olds, { ...olds, group: "h" })).replaces).to.deep.equal(["group"]);
    expect((await fixture.provider.diff("g-1", ATTACHMENT, olds, { ...olds, policyArn: "arn:aws:iam::123456789012:policy/q" })).replaces).to.deep.equal([
      "policyArn",
    ]);
  });

  describe("read", () => {
    it("imports by terraform's `<group>/<policy arn>` id, which terraform's importer turns into `<group>-<policy arn>`", async () => {
      await checkAndCreate(fixture, ATTACHMENT, { group: GROUP, policyArn });
      const read = await fixture.provider.read(`${GROUP}/${policyArn}`, ATTACHMENT, {});
      expect(read).to.deep.include({ id: `${GROUP}-${policyArn}`, props: { group: GROUP, policyArn }, inputs: { group: GROUP, policyArn } });
    });

    it("refuses an import id that is not `<group>/<policy arn>`", async () => {
      const error = await fixture.provider.read(GROUP, ATTACHMENT, {}).then(
        () => undefined,
        (caught: Error) => caught,
      );
      expect(String(error)).to.include("expected <group-name>/<policy_arn>");
    });

    it("reads as gone once the policy was detached outside Pulumi, or the group deleted", async () => {
      const { id, outs } = await checkAndCreate(fixture, ATTACHMENT, { group: GROUP, policyArn });
      expect((await fixture.provider.read(id, ATTACHMENT, outs)).id).to.equal(id);
      await fixture.iam.send(new DetachGroupPolicyCommand({ GroupName: GROUP, PolicyArn: policyArn }));
      expect((await fixture.provider.read(id, ATTACHMENT, outs)).id).to.equal("");
      await fixture.iam.send(new DeleteGroupCommand({ GroupName: GROUP }));
      expect((await fixture.provider.read(id, ATTACHMENT, outs)).id).to.equal("");
    });
  });

  it("detaches on delete and tolerates an attachment already gone", async () => {
    const { id, outs } = await checkAndCreate(fixture, ATTACHMENT, { group: GROUP, policyArn });
    await fixture.provider.delete(id, ATTACHMENT, outs);
    expect(await attachedArns()).to.be.empty;
    await fixture.provider.delete(id, ATTACHMENT, outs);
  });
});
