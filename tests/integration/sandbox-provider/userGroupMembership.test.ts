import {
  AddUserToGroupCommand,
  CreateGroupCommand,
  CreateUserCommand,
  DeleteUserCommand,
  ListGroupsForUserCommand,
  RemoveUserFromGroupCommand,
} from "@aws-sdk/client-iam";
import { expect } from "chai";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const MEMBERSHIP = urnOf("aws:iam/userGroupMembership:UserGroupMembership", "backend-groups");
const USER = "talentbase-backend-dev";

describe("stand-in aws:iam/userGroupMembership:UserGroupMembership", () => {
  const fixture = useProviderAgainstMoto();

  beforeEach(async () => {
    await fixture.iam.send(new CreateUserCommand({ UserName: USER }));
    for (const group of ["uploaders", "readers", "admins"]) await fixture.iam.send(new CreateGroupCommand({ GroupName: group }));
  });

  const groupsOf = async (userName: string) =>
    ((await fixture.iam.send(new ListGroupsForUserCommand({ UserName: userName }))).Groups ?? []).map((group) => group.GroupName).sort();

  it("requires a user and at least one group", async () => {
    const missing = await fixture.provider.check(MEMBERSHIP, {}, {});
    expect(missing.failures?.map((failure) => failure.property)).to.have.members(["user", "groups"]);
    const empty = await fixture.provider.check(MEMBERSHIP, {}, { user: USER, groups: [] });
    expect(empty.failures?.map((failure) => failure.property)).to.deep.equal(["groups"]);
  });

  it("adds the user to the listed groups only, leaving a membership it does not manage; the id is terraform's unique id", async () => {
    await fixture.iam.send(new AddUserToGroupCommand({ UserName: USER, GroupName: "admins" }));
    const { id, outs } = await checkAndCreate(fixture, MEMBERSHIP, { user: USER, groups: ["uploaders", "readers"] });
    expect(id).to.match(/^terraform-\d{18}[0-9a-f]{8}$/);
    expect(outs.user).to.equal(USER);
    expect(outs.groups).to.have.members(["uploaders", "readers"]);
    expect(await groupsOf(USER)).to.deep.equal(["admins", "readers", "uploaders"]);
  });

  it("updates the group set in place (order does not matter) and replaces on another user", async () => {
    const olds = { user: USER, groups: ["uploaders", "readers"] };
    expect((await fixture.provider.diff("m", MEMBERSHIP, olds, { user: USER, groups: ["readers", "uploaders"] })).changes).to.equal(false);
    const regrouped = await fixture.provider.diff("m", MEMBERSHIP, olds, { user: USER, groups: ["uploaders"] });
    expect(regrouped.changes).to.equal(true);
    expect(regrouped.replaces ?? []).to.be.empty;
    expect((await fixture.provider.diff("m", MEMBERSHIP, olds, { ...olds, user: "other" })).replaces).to.deep.equal(["user"]);
  });

  it("adds and removes only the groups that changed, leaving other memberships alone", async () => {
    await fixture.iam.send(new AddUserToGroupCommand({ UserName: USER, GroupName: "admins" }));
    const { id, inputs, outs } = await checkAndCreate(fixture, MEMBERSHIP, { user: USER, groups: ["uploaders"] });
    const { outs: updated } = await fixture.provider.update(id, MEMBERSHIP, outs, { ...inputs, groups: ["readers"] });
    expect(updated).to.deep.equal({ user: USER, groups: ["readers"] });
    expect(await groupsOf(USER)).to.deep.equal(["admins", "readers"]);
  });

  describe("read", () => {
    it("imports by terraform's `<user>/<group>/<group>` id, which terraform's importer replaces with a unique id", async () => {
      await fixture.iam.send(new AddUserToGroupCommand({ UserName: USER, GroupName: "uploaders" }));
      await fixture.iam.send(new AddUserToGroupCommand({ UserName: USER, GroupName: "admins" }));
      const read = await fixture.provider.read(`${USER}/uploaders/readers`, MEMBERSHIP, {});
      expect(read.id).to.match(/^terraform-\d{18}[0-9a-f]{8}$/);
      // Only the listed groups the user is really in: readers is not, admins is not listed.
      expect(read.props).to.deep.equal({ user: USER, groups: ["uploaders"] });
      expect(read.inputs).to.deep.equal({ user: USER, groups: ["uploaders"] });
    });

    it("refuses an import id without a group", async () => {
      const error = await fixture.provider.read(USER, MEMBERSHIP, {}).then(
        () => undefined,
        (caught: Error) => caught,
      );
      expect(String(error)).to.include("expected <user-name>/<group-name1>/...");
    });

    it("shows a membership removed outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, MEMBERSHIP, { user: USER, groups: ["uploaders", "readers"] });
      await fixture.iam.send(new RemoveUserFromGroupCommand({ UserName: USER, GroupName: "readers" }));
      expect((await fixture.provider.read(id, MEMBERSHIP, outs)).props).to.deep.equal({ user: USER, groups: ["uploaders"] });
    });

    it("returns an empty id once the user was deleted outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, MEMBERSHIP, { user: USER, groups: ["uploaders"] });
      await fixture.iam.send(new RemoveUserFromGroupCommand({ UserName: USER, GroupName: "uploaders" }));
      await fixture.iam.send(new DeleteUserCommand({ UserName: USER }));
      expect((await fixture.provider.read(id, MEMBERSHIP, outs)).id).to.equal("");
    });
  });

  it("removes the user from its groups on delete, not from others, and tolerates memberships already gone", async () => {
    await fixture.iam.send(new AddUserToGroupCommand({ UserName: USER, GroupName: "admins" }));
    const { id, outs } = await checkAndCreate(fixture, MEMBERSHIP, { user: USER, groups: ["uploaders", "readers"] });
    await fixture.iam.send(new RemoveUserFromGroupCommand({ UserName: USER, GroupName: "readers" }));
    await fixture.provider.delete(id, MEMBERSHIP, outs);
    expect(await groupsOf(USER)).to.deep.equal(["admins"]);
  });
});
