import { CreateRoleCommand, DeleteRoleCommand, GetRoleCommand, PutRolePolicyCommand, TagRoleCommand, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { expect } from "chai";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const ROLE = urnOf("aws:iam/role:Role", "monitoring-forwarding-role");
const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "EventBridgeForwardsAlerts", Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const REFORMATTED_TRUST = JSON.stringify(
  {
    Statement: [{ Action: ["sts:AssumeRole"], Principal: { Service: "events.amazonaws.com" }, Effect: "Allow", Sid: "EventBridgeForwardsAlerts" }],
    Version: "2012-10-17",
  },
  null,
  2,
);
const OTHER_TRUST = TRUST.replace("events.amazonaws.com", "lambda.amazonaws.com");

describe("stand-in aws:iam/role:Role", () => {
  const fixture = useProviderAgainstMoto();
  const liveRole = async (name: string) => (await fixture.iam.send(new GetRoleCommand({ RoleName: name }))).Role;

  describe("check", () => {
    it("fills terraform's defaults and autonames a role without a name, keeping that name later", async () => {
      const first = await fixture.provider.check(ROLE, {}, { assumeRolePolicy: TRUST });
      expect(first.failures).to.be.empty;
      expect(first.inputs).to.include({ path: "/", maxSessionDuration: 3600, forceDetachPolicies: false });
      expect(first.inputs.name).to.match(/^monitoring-forwarding-role-[0-9a-f]{7}$/);
      expect((await fixture.provider.check(ROLE, first.inputs, { assumeRolePolicy: TRUST })).inputs.name).to.equal(first.inputs.name);
    });

    it("fails as terraform does: no trust policy, one that is not JSON, a bad name, a session outside 1-12 hours, name with namePrefix, deprecated inline inputs", async () => {
      const failing = async (news: Record<string, unknown>) =>
        ((await fixture.provider.check(ROLE, {}, news)).failures ?? []).map((failure) => failure.property);
      expect(await failing({})).to.deep.equal(["assumeRolePolicy"]);
      expect(await failing({ assumeRolePolicy: "{nope" })).to.deep.equal(["assumeRolePolicy"]);
      expect(await failing({ assumeRolePolicy: TRUST, name: "has space" })).to.deep.equal(["name"]);
      expect(await failing({ assumeRolePolicy: TRUST, maxSessionDuration: 60 })).to.deep.equal(["maxSessionDuration"]);
      expect(await failing({ assumeRolePolicy: TRUST, name: "a", namePrefix: "b" })).to.deep.equal(["namePrefix"]);
      expect(await failing({ assumeRolePolicy: TRUST, inlinePolicies: [{ name: "x", policy: "{}" }] })).to.deep.equal(["inlinePolicies"]);
    });
  });

  it("creates the role with id = name, the trust policy kept as written, its tags, and the real provider's outputs", async () => {
    const { id, outs } = await checkAndCreate(fixture, ROLE, {
      name: "talentbase-backend-prod-alert-forwarding",
      description: "Lets EventBridge send alert events",
      assumeRolePolicy: TRUST,
      tags: { Purpose: "backend-access-monitoring" },
    });
    expect(id).to.equal("talentbase-backend-prod-alert-forwarding");
    expect(outs).to.include({
      name: id,
      arn: `arn:aws:iam::123456789012:role/${id}`,
      assumeRolePolicy: TRUST,
      description: "Lets EventBridge send alert events",
      path: "/",
      maxSessionDuration: 3600,
      forceDetachPolicies: false,
    });
    expect(outs.tags).to.deep.equal({ Purpose: "backend-access-monitoring" });
    expect(outs.createDate).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(outs.inlinePolicies).to.deep.equal([]);
    expect(outs.uniqueId).to.equal((await liveRole(id))?.RoleId);
  });

  describe("diff", () => {
    const olds = { name: "r", path: "/", assumeRolePolicy: TRUST, maxSessionDuration: 3600, forceDetachPolicies: false, __defaults: [] };

    it("finds no change in a reformatted trust policy, nor in a name left out after autonaming", async () => {
      expect((await fixture.provider.diff("r", ROLE, olds, { ...olds, assumeRolePolicy: REFORMATTED_TRUST })).changes).to.equal(false);
      const { name: _name, ...unnamed } = olds;
      expect((await fixture.provider.diff("r", ROLE, { ...olds, __defaults: ["name"] }, { ...unnamed, __defaults: [] })).changes).to.equal(false);
    });

    it("replaces on a new name (deleting first: the name is chosen) or path; updates trust, description, session length and tags in place", async () => {
      const renamed = await fixture.provider.diff("r", ROLE, olds, { ...olds, name: "s" });
      expect(renamed).to.include({ deleteBeforeReplace: true });
      expect(renamed.replaces).to.deep.equal(["name"]);
      expect((await fixture.provider.diff("r", ROLE, olds, { ...olds, path: "/ops/" })).replaces).to.deep.equal(["path"]);
      for (const change of [{ assumeRolePolicy: OTHER_TRUST }, { description: "x" }, { maxSessionDuration: 7200 }, { tags: { a: "b" } }]) {
        const diff = await fixture.provider.diff("r", ROLE, olds, { ...olds, ...change });
        expect(diff.changes, JSON.stringify(change)).to.equal(true);
        expect(diff.replaces ?? [], JSON.stringify(change)).to.be.empty;
      }
    });
  });

  it("updates the trust policy, description, session length and tags in place, keeping the role's unique id", async () => {
    const { id, inputs, outs } = await checkAndCreate(fixture, ROLE, { name: "forwarding", assumeRolePolicy: TRUST, tags: { a: "1", b: "2" } });
    const { outs: updated } = await fixture.provider.update(id, ROLE, outs, {
      ...inputs,
      assumeRolePolicy: OTHER_TRUST,
      description: "now described",
      maxSessionDuration: 7200,
      tags: { a: "1", c: "3" },
    });
    expect(updated).to.include({ assumeRolePolicy: OTHER_TRUST, description: "now described", maxSessionDuration: 7200, uniqueId: outs.uniqueId });
    expect(updated.tags).to.deep.equal({ a: "1", c: "3" });
    expect(decodeURIComponent((await liveRole(id))?.AssumeRolePolicyDocument ?? "")).to.include("lambda.amazonaws.com");
  });

  describe("read", () => {
    it("imports by name alone, with the inputs the program would declare", async () => {
      await fixture.iam.send(new CreateRoleCommand({ RoleName: "forwarding", Path: "/ops/", AssumeRolePolicyDocument: TRUST, Description: "old" }));
      const read = await fixture.provider.read("forwarding", ROLE, {});
      expect(read.id).to.equal("forwarding");
      expect(read.inputs).to.deep.include({
        name: "forwarding",
        path: "/ops/",
        description: "old",
        maxSessionDuration: 3600,
        forceDetachPolicies: false,
        __defaults: [],
      });
      expect(JSON.parse(String(read.inputs?.assumeRolePolicy))).to.deep.equal(JSON.parse(TRUST));
    });

    it("shows a trust policy, tags and an inline policy changed outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, ROLE, { name: "forwarding", assumeRolePolicy: TRUST });
      await fixture.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: id, PolicyDocument: OTHER_TRUST }));
      await fixture.iam.send(new TagRoleCommand({ RoleName: id, Tags: [{ Key: "added", Value: "outside" }] }));
      const document = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: "*" }] });
      await fixture.iam.send(new PutRolePolicyCommand({ RoleName: id, PolicyName: "extra", PolicyDocument: document }));
      const read = await fixture.provider.read(id, ROLE, outs);
      expect(JSON.parse(String(read.props?.assumeRolePolicy))).to.deep.equal(JSON.parse(OTHER_TRUST));
      expect(read.props?.tags).to.deep.equal({ added: "outside" });
      expect(read.props?.inlinePolicies).to.deep.equal([{ name: "extra", policy: document }]);
    });

    it("returns an empty id once the role was deleted outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, ROLE, { name: "forwarding", assumeRolePolicy: TRUST });
      await fixture.iam.send(new DeleteRoleCommand({ RoleName: id }));
      expect((await fixture.provider.read(id, ROLE, outs)).id).to.equal("");
    });
  });

  it("deletes the role, its inline policies first when the state read some, and tolerates one already gone", async () => {
    const { id, outs } = await checkAndCreate(fixture, ROLE, { name: "forwarding", assumeRolePolicy: TRUST });
    const document = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: "*" }] });
    await fixture.iam.send(new PutRolePolicyCommand({ RoleName: id, PolicyName: "left-behind", PolicyDocument: document }));
    const refreshed = (await fixture.provider.read(id, ROLE, outs)).props!;
    await fixture.provider.delete(id, ROLE, refreshed);
    const error = await liveRole(id).then(
      () => undefined,
      (caught: Error) => caught,
    );
    expect(error?.name).to.equal("NoSuchEntityException");
    await fixture.provider.delete(id, ROLE, refreshed);
  });
});
