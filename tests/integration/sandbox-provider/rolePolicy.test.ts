import { CreateRoleCommand, DeleteRoleCommand, DeleteRolePolicyCommand, GetRolePolicyCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { expect } from "chai";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const ROLE_POLICY = urnOf("aws:iam/rolePolicy:RolePolicy", "monitoring-forwarding-policy");
const ROLE_NAME = "talentbase-backend-prod-alert-forwarding";
const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const HOME_BUS = "arn:aws:events:eu-west-1:123456789012:event-bus/default";
const DOCUMENT = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "PutAlertEventsOnHomeBus", Effect: "Allow", Action: ["events:PutEvents"], Resource: [HOME_BUS] }],
});
const REFORMATTED = JSON.stringify({
  Statement: [{ Resource: HOME_BUS, Action: "events:PutEvents", Effect: "Allow", Sid: "PutAlertEventsOnHomeBus" }],
  Version: "2012-10-17",
});
const WIDER = DOCUMENT.replace(HOME_BUS, "*");

describe("stand-in aws:iam/rolePolicy:RolePolicy", () => {
  const fixture = useProviderAgainstMoto();
  const liveDocument = async (name: string) =>
    decodeURIComponent((await fixture.iam.send(new GetRolePolicyCommand({ RoleName: ROLE_NAME, PolicyName: name }))).PolicyDocument ?? "");

  beforeEach(async () => {
    await fixture.iam.send(new CreateRoleCommand({ RoleName: ROLE_NAME, AssumeRolePolicyDocument: TRUST }));
  });

  describe("check", () => {
    it("autonames a policy without a name and keeps that name later; requires role and policy", async () => {
      const first = await fixture.provider.check(ROLE_POLICY, {}, { role: ROLE_NAME, policy: DOCUMENT });
      expect(first.failures).to.be.empty;
      expect(first.inputs.name).to.match(/^monitoring-forwarding-policy-[0-9a-f]{7}$/);
      expect((await fixture.provider.check(ROLE_POLICY, first.inputs, { role: ROLE_NAME, policy: DOCUMENT })).inputs.name).to.equal(first.inputs.name);
      const missing = await fixture.provider.check(ROLE_POLICY, {}, {});
      expect(missing.failures?.map((failure) => failure.property)).to.have.members(["role", "policy"]);
    });

    it("fails on a policy that is not JSON, a bad name or role name, name with namePrefix", async () => {
      const failing = async (news: Record<string, unknown>) =>
        ((await fixture.provider.check(ROLE_POLICY, {}, { role: ROLE_NAME, policy: DOCUMENT, ...news })).failures ?? []).map((failure) => failure.property);
      expect(await failing({ policy: "{nope" })).to.deep.equal(["policy"]);
      expect(await failing({ name: "has space" })).to.deep.equal(["name"]);
      expect(await failing({ role: "has space" })).to.deep.equal(["role"]);
      expect(await failing({ name: "a", namePrefix: "b" })).to.deep.equal(["namePrefix"]);
    });
  });

  it("puts the policy on the role; the id is terraform's `<role>:<name>`", async () => {
    const { id, outs } = await checkAndCreate(fixture, ROLE_POLICY, { role: ROLE_NAME, name: "forward", policy: DOCUMENT });
    expect(id).to.equal(`${ROLE_NAME}:forward`);
    expect(outs).to.include({ role: ROLE_NAME, name: "forward", policy: DOCUMENT });
    expect(JSON.parse(await liveDocument("forward"))).to.deep.equal(JSON.parse(DOCUMENT));
  });

  describe("diff", () => {
    const olds = { role: ROLE_NAME, name: "forward", policy: DOCUMENT, __defaults: [] };

    it("finds no change in a reformatted document; replaces on another role or name (deleting first); rewrites a new document in place", async () => {
      expect((await fixture.provider.diff("id", ROLE_POLICY, olds, { ...olds, policy: REFORMATTED })).changes).to.equal(false);
      for (const key of ["role", "name"]) {
        const diff = await fixture.provider.diff("id", ROLE_POLICY, olds, { ...olds, [key]: "other" });
        expect(diff.replaces, key).to.deep.equal([key]);
        expect(diff.deleteBeforeReplace, key).to.equal(true);
      }
      const wider = await fixture.provider.diff("id", ROLE_POLICY, olds, { ...olds, policy: WIDER });
      expect(wider.changes).to.equal(true);
      expect(wider.replaces ?? []).to.be.empty;
    });
  });

  it("rewrites the document in place with PutRolePolicy", async () => {
    const { id, inputs, outs } = await checkAndCreate(fixture, ROLE_POLICY, { role: ROLE_NAME, name: "forward", policy: DOCUMENT });
    const { outs: updated } = await fixture.provider.update(id, ROLE_POLICY, outs, { ...inputs, policy: WIDER });
    expect(updated.policy).to.equal(WIDER);
    expect(JSON.parse(await liveDocument("forward"))).to.deep.equal(JSON.parse(WIDER));
  });

  describe("read", () => {
    it("imports by terraform's `<role>:<name>`, with the inputs the program would declare, and refuses another form", async () => {
      await fixture.iam.send(new PutRolePolicyCommand({ RoleName: ROLE_NAME, PolicyName: "forward", PolicyDocument: DOCUMENT }));
      const read = await fixture.provider.read(`${ROLE_NAME}:forward`, ROLE_POLICY, {});
      expect(read.id).to.equal(`${ROLE_NAME}:forward`);
      expect(read.inputs).to.deep.equal({ role: ROLE_NAME, name: "forward", policy: DOCUMENT, __defaults: [] });
      const error = await fixture.provider.read(`${ROLE_NAME}/forward`, ROLE_POLICY, {}).then(
        () => undefined,
        (caught: Error) => caught,
      );
      expect(String(error)).to.include("<role name>:<policy name>");
    });

    it("shows a document changed outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, ROLE_POLICY, { role: ROLE_NAME, name: "forward", policy: DOCUMENT });
      await fixture.iam.send(new PutRolePolicyCommand({ RoleName: ROLE_NAME, PolicyName: "forward", PolicyDocument: WIDER }));
      expect(JSON.parse(String((await fixture.provider.read(id, ROLE_POLICY, outs)).props?.policy))).to.deep.equal(JSON.parse(WIDER));
    });

    it("returns an empty id once the policy, or its role, was removed outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, ROLE_POLICY, { role: ROLE_NAME, name: "forward", policy: DOCUMENT });
      await fixture.iam.send(new DeleteRolePolicyCommand({ RoleName: ROLE_NAME, PolicyName: "forward" }));
      expect((await fixture.provider.read(id, ROLE_POLICY, outs)).id).to.equal("");
      await fixture.iam.send(new DeleteRoleCommand({ RoleName: ROLE_NAME }));
      expect((await fixture.provider.read(id, ROLE_POLICY, outs)).id).to.equal("");
    });
  });

  it("deletes the policy and tolerates one already gone", async () => {
    const { id, outs } = await checkAndCreate(fixture, ROLE_POLICY, { role: ROLE_NAME, name: "forward", policy: DOCUMENT });
    await fixture.provider.delete(id, ROLE_POLICY, outs);
    const error = await liveDocument("forward").then(
      () => undefined,
      (caught: Error) => caught,
    );
    expect(error?.name).to.equal("NoSuchEntityException");
    await fixture.provider.delete(id, ROLE_POLICY, outs);
  });
});
