import { CreateGroupCommand, DeleteGroupCommand, GetGroupCommand, UpdateGroupCommand } from "@aws-sdk/client-iam";
import { expect } from "chai";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const GROUP = urnOf("aws:iam/group:Group", "uploaders-group");

describe("stand-in aws:iam/group:Group", () => {
  const fixture = useProviderAgainstMoto();
  const liveGroup = async (name: string) => (await fixture.iam.send(new GetGroupCommand({ GroupName: name }))).Group;

  describe("check", () => {
    it("fills terraform's default path '/' and autonames a group without a name, keeping that name later", async () => {
      const first = await fixture.provider.check(GROUP, {}, {});
      expect(first.failures).to.be.empty;
      expect(first.inputs.path).to.equal("/");
      expect(first.inputs.name).to.match(/^uploaders-group-[0-9a-f]{7}$/);
      const second = await fixture.provider.check(GROUP, first.inputs, {});
      expect(second.inputs.name).to.equal(first.inputs.name);
    });

    it("rejects a name IAM would refuse and an input the stand-in does not implement", async () => {
      const { failures } = await fixture.provider.check(GROUP, {}, { name: "no spaces", description: "x" });
      expect(failures?.map((failure) => failure.property)).to.have.members(["name", "description"]);
    });
  });

  it("creates the group with id = name and the real provider's outputs", async () => {
    const { id, outs } = await checkAndCreate(fixture, GROUP, { name: "talentbase-uploaders", path: "/talentbase/" });
    expect(id).to.equal("talentbase-uploaders");
    expect(outs).to.include({ name: "talentbase-uploaders", path: "/talentbase/", arn: "arn:aws:iam::123456789012:group/talentbase/talentbase-uploaders" });
    expect(outs.uniqueId).to.equal((await liveGroup("talentbase-uploaders"))?.GroupId);
  });

  it("updates a new name or path in place and reports nothing otherwise", async () => {
    const olds = { name: "g", path: "/", __defaults: ["path"] };
    expect((await fixture.provider.diff("g", GROUP, olds, { ...olds })).changes).to.equal(false);
    for (const change of [{ name: "h" }, { path: "/ops/" }]) {
      const diff = await fixture.provider.diff("g", GROUP, olds, { ...olds, ...change });
      expect(diff.changes, JSON.stringify(change)).to.equal(true);
      expect(diff.replaces ?? [], JSON.stringify(change)).to.be.empty;
    }
  });

  it("renames with UpdateGroup, keeping the id and the group's unique id; the new name addresses it afterwards", async () => {
    const { id, inputs, outs } = await checkAndCreate(fixture, GROUP, { name: "talentbase-uploaders" });
    const { outs: updated } = await fixture.provider.update(id, GROUP, outs, { ...inputs, name: "talentbase-writers", path: "/talentbase/" });
    expect(updated).to.include({ name: "talentbase-writers", path: "/talentbase/", uniqueId: outs.uniqueId });
    expect((await liveGroup("talentbase-writers"))?.Path).to.equal("/talentbase/");
    const read = await fixture.provider.read(id, GROUP, updated);
    expect(read).to.deep.include({ id: "talentbase-uploaders" });
    expect(read.props).to.include({ name: "talentbase-writers" });
  });

  describe("read", () => {
    it("imports by name alone, with the inputs the program would declare", async () => {
      await fixture.iam.send(new CreateGroupCommand({ GroupName: "talentbase-uploaders", Path: "/legacy/" }));
      const read = await fixture.provider.read("talentbase-uploaders", GROUP, {});
      expect(read.id).to.equal("talentbase-uploaders");
      expect(read.inputs).to.deep.equal({ name: "talentbase-uploaders", path: "/legacy/", __defaults: [] });
    });

    it("shows a path changed outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, GROUP, { name: "talentbase-uploaders" });
      // moto changes a group's path only together with its name: rename away with the new path, then back.
      await fixture.iam.send(new UpdateGroupCommand({ GroupName: "talentbase-uploaders", NewGroupName: "moved", NewPath: "/changed/" }));
      await fixture.iam.send(new UpdateGroupCommand({ GroupName: "moved", NewGroupName: "talentbase-uploaders" }));
      expect((await fixture.provider.read(id, GROUP, outs)).props).to.include({ path: "/changed/" });
    });

    it("returns an empty id once the group was deleted outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, GROUP, { name: "talentbase-uploaders" });
      await fixture.iam.send(new DeleteGroupCommand({ GroupName: "talentbase-uploaders" }));
      expect((await fixture.provider.read(id, GROUP, outs)).id).to.equal("");
    });
  });

  it("deletes the group and tolerates one already gone", async () => {
    const { id, outs } = await checkAndCreate(fixture, GROUP, { name: "talentbase-uploaders" });
    await fixture.provider.delete(id, GROUP, outs);
    const error = await liveGroup("talentbase-uploaders").then(
      () => undefined,
      (caught: Error) => caught,
    );
    expect(error?.name).to.equal("NoSuchEntityException");
    await fixture.provider.delete(id, GROUP, outs);
  });
});
