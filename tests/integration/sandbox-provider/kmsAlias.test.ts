import { CreateAliasCommand, CreateKeyCommand, DeleteAliasCommand, ListAliasesCommand, UpdateAliasCommand } from "@aws-sdk/client-kms";
import { expect } from "chai";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const ALIAS = urnOf("aws:kms/alias:Alias", "alerts-key-alias");
const PROVIDER_REGION = "eu-west-1";

describe("stand-in aws:kms/alias:Alias", () => {
  const fixture = useProviderAgainstMoto({ region: PROVIDER_REGION });
  const kmsIn = (region = PROVIDER_REGION) => fixture.regional(region).kms;
  const createKey = async (region = PROVIDER_REGION) => (await kmsIn(region).send(new CreateKeyCommand({}))).KeyMetadata!;
  const liveAlias = async (name: string, region = PROVIDER_REGION) =>
    ((await kmsIn(region).send(new ListAliasesCommand({}))).Aliases ?? []).find((alias) => alias.AliasName === name);

  describe("check", () => {
    it("autonames an alias under alias/ as pulumi-aws does, and keeps that name later", async () => {
      const first = await fixture.provider.check(ALIAS, {}, { targetKeyId: "k" });
      expect(first.failures).to.be.empty;
      expect(first.inputs.name).to.match(/^alias\/alerts-key-alias-[0-9a-f]{7}$/);
      expect((await fixture.provider.check(ALIAS, first.inputs, { targetKeyId: "k" })).inputs.name).to.equal(first.inputs.name);
      const prefixed = await fixture.provider.check(urnOf("aws:kms/alias:Alias", "alias/alerts"), {}, { targetKeyId: "k" });
      expect(prefixed.inputs.name).to.match(/^alias\/alerts-[0-9a-f]{7}$/);
    });

    it("requires a target key and a name under alias/ that is not AWS's own", async () => {
      const failing = async (news: Record<string, unknown>) =>
        ((await fixture.provider.check(ALIAS, {}, news)).failures ?? []).map((failure) => failure.reason);
      expect(await failing({ name: "alias/x" })).to.deep.equal(["Missing required property 'targetKeyId'"]);
      expect(await failing({ name: "talentbase", targetKeyId: "k" })).to.deep.equal([
        "\"name\" must begin with 'alias/' and be comprised of only [0-9A-Za-z_/-]",
      ]);
      expect(await failing({ name: "alias/aws/sns", targetKeyId: "k" })).to.deep.equal(["\"name\" cannot begin with reserved AWS CMK prefix 'alias/aws/'"]);
    });
  });

  describe("create", () => {
    it("creates the alias with id = its name, the key's id and ARN as outputs", async () => {
      const key = await createKey();
      const { id, outs } = await checkAndCreate(fixture, ALIAS, { name: "alias/talentbase-alerts", targetKeyId: key.Arn });
      expect(id).to.equal("alias/talentbase-alerts");
      expect(outs).to.deep.equal({
        arn: "arn:aws:kms:eu-west-1:123456789012:alias/talentbase-alerts",
        name: "alias/talentbase-alerts",
        targetKeyId: key.KeyId,
        targetKeyArn: key.Arn,
        region: PROVIDER_REGION,
      });
      expect((await liveAlias("alias/talentbase-alerts"))?.TargetKeyId).to.equal(key.KeyId);
    });

    it("builds the name from namePrefix plus terraform's unique suffix", async () => {
      const key = await createKey();
      const { outs } = await checkAndCreate(fixture, ALIAS, { namePrefix: "alias/alerts-", targetKeyId: key.KeyId });
      expect(outs.name).to.match(/^alias\/alerts-\d{18}[0-9a-f]{8}$/);
      expect(outs.namePrefix).to.equal("alias/alerts-");
    });

    it("honours the region input: an alias for a us-east-1 key is made there", async () => {
      const key = await createKey("us-east-1");
      const { outs } = await checkAndCreate(fixture, ALIAS, { name: "alias/talentbase-alerts", targetKeyId: key.KeyId, region: "us-east-1" });
      expect(outs).to.include({ region: "us-east-1", arn: "arn:aws:kms:us-east-1:123456789012:alias/talentbase-alerts" });
      expect((await liveAlias("alias/talentbase-alerts", "us-east-1"))?.TargetKeyId).to.equal(key.KeyId);
      expect(await liveAlias("alias/talentbase-alerts")).to.equal(undefined);
    });
  });

  describe("diff", () => {
    const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const olds = { name: "alias/a", targetKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab", region: PROVIDER_REGION };

    it("treats a key's ARN and its id as the same target", async () => {
      expect((await fixture.provider.diff("alias/a", ALIAS, olds, { ...olds, targetKeyId: keyArn })).changes).to.equal(false);
    });

    it("replaces, deleting first, on a new name; points at another key in place", async () => {
      expect(await fixture.provider.diff("alias/a", ALIAS, olds, { ...olds, name: "alias/b" })).to.deep.include({
        replaces: ["name"],
        deleteBeforeReplace: true,
      });
      const repointed = await fixture.provider.diff("alias/a", ALIAS, olds, { ...olds, targetKeyId: "other" });
      expect(repointed.changes).to.equal(true);
      expect(repointed.replaces ?? []).to.be.empty;
    });
  });

  it("points the alias at another key in place with UpdateAlias", async () => {
    const [first, second] = [await createKey(), await createKey()];
    const { id, inputs, outs } = await checkAndCreate(fixture, ALIAS, { name: "alias/talentbase-alerts", targetKeyId: first.KeyId });
    const { outs: updated } = await fixture.provider.update(id, ALIAS, outs, { ...inputs, targetKeyId: second.KeyId });
    expect(updated).to.include({ targetKeyId: second.KeyId, targetKeyArn: second.Arn });
    expect((await liveAlias(id))?.TargetKeyId).to.equal(second.KeyId);
  });

  describe("read", () => {
    it("imports by alias name, and by terraform's `<name>@<region>` for another region", async () => {
      const key = await createKey("us-east-1");
      await kmsIn("us-east-1").send(new CreateAliasCommand({ AliasName: "alias/legacy", TargetKeyId: key.KeyId }));
      expect((await fixture.provider.read("alias/legacy", ALIAS, {})).id, "not in the provider's region").to.equal("");
      const read = await fixture.provider.read("alias/legacy@us-east-1", ALIAS, {});
      expect(read.id).to.equal("alias/legacy");
      expect(read.inputs).to.deep.equal({ name: "alias/legacy", targetKeyId: key.KeyId, region: "us-east-1", __defaults: [] });
    });

    it("shows an alias pointed elsewhere outside Pulumi", async () => {
      const [first, second] = [await createKey(), await createKey()];
      const { id, outs } = await checkAndCreate(fixture, ALIAS, { name: "alias/talentbase-alerts", targetKeyId: first.KeyId });
      await kmsIn().send(new UpdateAliasCommand({ AliasName: id, TargetKeyId: second.KeyId }));
      expect((await fixture.provider.read(id, ALIAS, outs)).props).to.include({ targetKeyId: second.KeyId });
    });

    it("returns an empty id once the alias was deleted outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, ALIAS, { name: "alias/talentbase-alerts", targetKeyId: (await createKey()).KeyId });
      await kmsIn().send(new DeleteAliasCommand({ AliasName: id }));
      expect((await fixture.provider.read(id, ALIAS, outs)).id).to.equal("");
    });
  });

  it("deletes the alias and tolerates one already gone", async () => {
    const { id, outs } = await checkAndCreate(fixture, ALIAS, { name: "alias/talentbase-alerts", targetKeyId: (await createKey()).KeyId });
    await fixture.provider.delete(id, ALIAS, outs);
    expect(await liveAlias(id)).to.equal(undefined);
    await fixture.provider.delete(id, ALIAS, outs);
  });
});
