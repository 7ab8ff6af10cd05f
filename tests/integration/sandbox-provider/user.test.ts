import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  DeleteUserCommand,
  GetGroupCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  UntagUserCommand,
} from "@aws-sdk/client-iam";
import { expect } from "chai";
import { secretValue } from "../../../sandbox/provider/wireValues";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const USER = urnOf("aws:iam/user:User", "backend-user");
const READ_ONLY_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::talentbase-dev-uploads/*" }],
});

describe("stand-in aws:iam/user:User", () => {
  const fixture = useProviderAgainstMoto();

  describe("check", () => {
    it("fills terraform's defaults: path '/' and forceDestroy false", async () => {
      const { inputs } = await fixture.provider.check(USER, {}, { name: "talentbase-backend-dev" });
      expect(inputs).to.include({ name: "talentbase-backend-dev", path: "/", forceDestroy: false });
      expect(inputs.__defaults).to.have.members(["path", "forceDestroy"]);
    });

    it("autonames a user without a name and keeps that name on later checks", async () => {
      const first = await fixture.provider.check(USER, {}, {});
      expect(first.inputs.name).to.match(/^backend-user-[0-9a-f]{7}$/);
      const second = await fixture.provider.check(USER, first.inputs, {});
      expect(second.inputs.name).to.equal(first.inputs.name);
    });

    it("rejects a name IAM would refuse", async () => {
      const { failures } = await fixture.provider.check(USER, {}, { name: "no spaces allowed" });
      expect(failures?.map((failure) => failure.property)).to.deep.equal(["name"]);
    });
  });

  describe("create", () => {
    it("creates the user with id = user name and the real provider's outputs", async () => {
      const { id, outs } = await checkAndCreate(fixture, USER, {
        name: "talentbase-backend-dev",
        tags: { environment: "dev" },
      });
      expect(id).to.equal("talentbase-backend-dev");
      expect(outs).to.include({
        name: "talentbase-backend-dev",
        arn: "arn:aws:iam::123456789012:user/talentbase-backend-dev",
        path: "/",
        forceDestroy: false,
      });
      expect(outs.uniqueId).to.be.a("string").and.not.empty;
      expect(outs.tags).to.deep.equal({ environment: "dev" });
      expect(outs.tagsAll).to.deep.equal({ environment: "dev" });
      const live = await fixture.iam.send(new GetUserCommand({ UserName: "talentbase-backend-dev" }));
      expect(live.User?.Tags).to.deep.equal([{ Key: "environment", Value: "dev" }]);
    });

    it("unwraps secret-wrapped inputs before calling IAM", async () => {
      const { id } = await checkAndCreate(fixture, USER, { name: secretValue("secretly-named") });
      expect(id).to.equal("secretly-named");
    });
  });

  describe("diff", () => {
    const olds = { name: "u", path: "/", forceDestroy: false, tags: { a: "1" }, arn: "arn", uniqueId: "x" };

    it("reports no change when the inputs match the state", async () => {
      const diff = await fixture.provider.diff("u", USER, olds, { name: "u", path: "/", forceDestroy: false, tags: { a: "1" } });
      expect(diff.changes).to.equal(false);
    });

    it("updates in place (never replaces) on a rename, a new path or new tags", async () => {
      for (const news of [
        { name: "renamed", path: "/", tags: { a: "1" } },
        { name: "u", path: "/system/", tags: { a: "1" } },
        { name: "u", path: "/", tags: { a: "2" } },
        { name: "u", path: "/" },
      ]) {
        const diff = await fixture.provider.diff("u", USER, olds, { forceDestroy: false, ...news });
        expect(diff.changes, JSON.stringify(news)).to.equal(true);
        expect(diff.replaces ?? [], JSON.stringify(news)).to.be.empty;
      }
    });

    it("counts a not-yet-known name as a change during a preview", async () => {
      const diff = await fixture.provider.diff("u", USER, olds, {
        name: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        path: "/",
        forceDestroy: false,
        tags: { a: "1" },
      });
      expect(diff.changes).to.equal(true);
    });
  });

  describe("update", () => {
    it("renames and moves the user through UpdateUser, keeping its unique id", async () => {
      const { id, inputs, outs } = await checkAndCreate(fixture, USER, { name: "old-name" });
      const { outs: updated } = await fixture.provider.update(id, USER, outs, { ...inputs, name: "new-name", path: "/apps/" });
      expect(updated).to.include({ name: "new-name", path: "/apps/", arn: "arn:aws:iam::123456789012:user/apps/new-name" });
      expect(updated.uniqueId).to.equal(outs.uniqueId);
    });

    it("retags in place: adds and changes with TagUser, removes with UntagUser", async () => {
      const { id, inputs, outs } = await checkAndCreate(fixture, USER, { name: "tagged", tags: { keep: "1", drop: "2", bump: "a" } });
      const { outs: updated } = await fixture.provider.update(id, USER, outs, {
        ...inputs,
        tags: { keep: "1", bump: "b", added: "3" },
      });
      const expected = { keep: "1", bump: "b", added: "3" };
      expect(updated.tags).to.deep.equal(expected);
      const live = await fixture.iam.send(new ListUserTagsCommand({ UserName: "tagged" }));
      expect(Object.fromEntries((live.Tags ?? []).map((tag) => [tag.Key, tag.Value]))).to.deep.equal(expected);
    });
  });

  describe("read", () => {
    it("reflects a tag removed outside Pulumi so refresh sees the drift", async () => {
      const { id, outs } = await checkAndCreate(fixture, USER, { name: "drifty", tags: { owner: "team", env: "dev" } });
      await fixture.iam.send(new UntagUserCommand({ UserName: "drifty", TagKeys: ["owner"] }));
      const read = await fixture.provider.read(id, USER, outs);
      expect(read.id).to.equal("drifty");
      expect(read.props.tags).to.deep.equal({ env: "dev" });
      expect(read.inputs?.tags).to.deep.equal({ env: "dev" });
    });

    it("finds a renamed user by its name output (Pulumi keeps the original id)", async () => {
      const { id, inputs, outs } = await checkAndCreate(fixture, USER, { name: "before" });
      const { outs: updated } = await fixture.provider.update(id, USER, outs, { ...inputs, name: "after" });
      const read = await fixture.provider.read(id, USER, updated);
      expect(read.props.name).to.equal("after");
    });

    it("returns an empty id when the user was deleted outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, USER, { name: "gone" });
      await fixture.iam.send(new DeleteUserCommand({ UserName: "gone" }));
      const read = await fixture.provider.read(id, USER, outs);
      expect(read.id).to.equal("");
      expect(read.props).to.equal(undefined);
    });

    it("marks an autonamed user's name as defaulted so the next check keeps it", async () => {
      const { id, outs } = await checkAndCreate(fixture, USER, {});
      const read = await fixture.provider.read(id, USER, outs);
      const next = await fixture.provider.check(USER, read.inputs, {});
      expect(next.inputs.name).to.equal(outs.name);
    });
  });

  describe("delete", () => {
    it("deletes the user", async () => {
      const { id, outs } = await checkAndCreate(fixture, USER, { name: "short-lived" });
      await fixture.provider.delete(id, USER, outs);
      const read = await fixture.provider.read(id, USER, outs);
      expect(read.id).to.equal("");
    });

    it("leaves managed policies to their attachments: deleting a user with one attached fails", async () => {
      const { id, outs } = await checkAndCreate(fixture, USER, { name: "attached", forceDestroy: true });
      const policy = await fixture.iam.send(new CreatePolicyCommand({ PolicyName: "p", PolicyDocument: READ_ONLY_POLICY }));
      await fixture.iam.send(new AttachUserPolicyCommand({ UserName: "attached", PolicyArn: policy.Policy?.Arn }));
      let failure: unknown;
      await fixture.provider.delete(id, USER, outs).catch((error: unknown) => (failure = error));
      expect((failure as Error | undefined)?.name).to.equal("DeleteConflictException");
    });

    it("removes access keys first when forceDestroy is true", async () => {
      const { id, outs } = await checkAndCreate(fixture, USER, { name: "forced", forceDestroy: true });
      await fixture.iam.send(new CreateAccessKeyCommand({ UserName: "forced" }));
      await fixture.provider.delete(id, USER, outs);
      const missing = await fixture.iam.send(new ListAccessKeysCommand({ UserName: "forced" })).catch((error: Error) => error);
      expect((missing as Error).name).to.equal("NoSuchEntityException");
    });

    it("removes the user from its groups first, as IAM requires, even without forceDestroy", async () => {
      const { id, outs } = await checkAndCreate(fixture, USER, { name: "grouped" });
      await fixture.iam.send(new CreateGroupCommand({ GroupName: "uploaders" }));
      await fixture.iam.send(new AddUserToGroupCommand({ UserName: "grouped", GroupName: "uploaders" }));
      await fixture.provider.delete(id, USER, outs);
      // moto deletes a user still in a group (AWS refuses with DeleteConflict) and keeps listing it as a member.
      const members = (await fixture.iam.send(new GetGroupCommand({ GroupName: "uploaders" }))).Users ?? [];
      expect(members.map((member) => member.UserName)).to.deep.equal([]);
      expect((await fixture.provider.read(id, USER, outs)).id).to.equal("");
    });

    it("treats an already deleted user as deleted", async () => {
      const { id, outs } = await checkAndCreate(fixture, USER, { name: "twice" });
      await fixture.iam.send(new DeleteUserCommand({ UserName: "twice" }));
      await fixture.provider.delete(id, USER, outs);
    });
  });
});
