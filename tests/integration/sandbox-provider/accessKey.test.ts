import { DeleteAccessKeyCommand, ListAccessKeysCommand, UpdateAccessKeyCommand, CreateUserCommand } from "@aws-sdk/client-iam";
import { expect } from "chai";
import { secretValue } from "../../../sandbox/provider/wireValues";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const KEY = urnOf("aws:iam/accessKey:AccessKey", "backend-key");
const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

describe("stand-in aws:iam/accessKey:AccessKey", () => {
  const fixture = useProviderAgainstMoto();

  beforeEach(() => fixture.iam.send(new CreateUserCommand({ UserName: "talentbase-backend-dev" })));

  const liveKeys = async () => (await fixture.iam.send(new ListAccessKeysCommand({ UserName: "talentbase-backend-dev" }))).AccessKeyMetadata ?? [];

  describe("check", () => {
    it("defaults status to Active and requires a user", async () => {
      const defaulted = await fixture.provider.check(KEY, {}, { user: "talentbase-backend-dev" });
      expect(defaulted.inputs.status).to.equal("Active");
      const missing = await fixture.provider.check(KEY, {}, {});
      expect(missing.failures?.map((failure) => failure.property)).to.deep.equal(["user"]);
    });

    it("rejects an unknown status and a pgpKey (which the stand-in cannot encrypt for)", async () => {
      const { failures } = await fixture.provider.check(KEY, {}, { user: "u", status: "Paused", pgpKey: "keybase:someone" });
      expect(failures?.map((failure) => failure.property)).to.have.members(["status", "pgpKey"]);
    });
  });

  describe("create", () => {
    it("creates a key with id = access key id and returns its secret once", async () => {
      const { id, outs } = await checkAndCreate(fixture, KEY, { user: "talentbase-backend-dev" });
      expect(id).to.match(/^AKIA[A-Z0-9]{16}$/);
      expect(outs).to.include({ user: "talentbase-backend-dev", status: "Active" });
      expect(outs.createDate).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(outs.secret).to.be.a("string").with.length(40);
      expect(outs.sesSmtpPasswordV4).to.be.a("string").and.not.equal(outs.secret);
      expect((await liveKeys()).map((key) => key.AccessKeyId)).to.deep.equal([id]);
    });

    it("creates an Inactive key when asked", async () => {
      const { outs } = await checkAndCreate(fixture, KEY, { user: "talentbase-backend-dev", status: "Inactive" });
      expect(outs.status).to.equal("Inactive");
      expect((await liveKeys())[0]?.Status).to.equal("Inactive");
    });
  });

  describe("diff", () => {
    const olds = { user: "u", status: "Active", secret: "s", createDate: "2026-01-01T00:00:00Z" };

    it("replaces on a new user and updates in place on a new status", async () => {
      const newUser = await fixture.provider.diff("AKIA", KEY, olds, { user: "v", status: "Active" });
      expect(newUser.replaces).to.deep.equal(["user"]);
      const newStatus = await fixture.provider.diff("AKIA", KEY, olds, { user: "u", status: "Inactive" });
      expect(newStatus.changes).to.equal(true);
      expect(newStatus.replaces ?? []).to.be.empty;
      expect((await fixture.provider.diff("AKIA", KEY, olds, { user: "u", status: "Active" })).changes).to.equal(false);
    });
  });

  describe("update", () => {
    it("deactivates the key in place and keeps the secret from creation", async () => {
      const { id, inputs, outs } = await checkAndCreate(fixture, KEY, { user: "talentbase-backend-dev" });
      const { outs: updated } = await fixture.provider.update(id, KEY, outs, { ...inputs, status: "Inactive" });
      expect(updated.status).to.equal("Inactive");
      expect(updated.secret).to.equal(outs.secret);
      expect((await liveKeys())[0]?.Status).to.equal("Inactive");
    });
  });

  describe("read", () => {
    it("reflects a status changed outside Pulumi and keeps the secret", async () => {
      const { id, outs } = await checkAndCreate(fixture, KEY, { user: "talentbase-backend-dev" });
      await fixture.iam.send(new UpdateAccessKeyCommand({ UserName: "talentbase-backend-dev", AccessKeyId: id, Status: "Inactive" }));
      const read = await fixture.provider.read(id, KEY, outs);
      expect(read.id).to.equal(id);
      expect(read.props).to.include({ status: "Inactive", secret: outs.secret });
    });

    it("keeps a secret that arrived wrapped as a secret wrapped on the way back", async () => {
      const { id, outs } = await checkAndCreate(fixture, KEY, { user: "talentbase-backend-dev" });
      const read = await fixture.provider.read(id, KEY, { ...outs, secret: secretValue(outs.secret) });
      expect(read.props.secret).to.deep.equal({ ...SECRET_SIG, value: outs.secret });
    });

    it("returns an empty id when the key was deleted outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, KEY, { user: "talentbase-backend-dev" });
      await fixture.iam.send(new DeleteAccessKeyCommand({ UserName: "talentbase-backend-dev", AccessKeyId: id }));
      expect((await fixture.provider.read(id, KEY, outs)).id).to.equal("");
    });
  });

  describe("delete", () => {
    it("deletes the key and tolerates one already gone", async () => {
      const { id, outs } = await checkAndCreate(fixture, KEY, { user: "talentbase-backend-dev" });
      await fixture.provider.delete(id, KEY, outs);
      expect(await liveKeys()).to.be.empty;
      await fixture.provider.delete(id, KEY, outs);
    });
  });
});
