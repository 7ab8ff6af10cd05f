import {
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  RestoreSecretCommand,
  UpdateSecretCommand,
  DeleteSecretCommand,
} from "@aws-sdk/client-secrets-manager";
import { expect } from "chai";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const SECRET = urnOf("aws:secretsmanager/secret:Secret", "backend-credentials-secret");
const NAME = "talentbase/dev/aws-credentials";
const DAY_MS = 86_400_000;

const readPolicy = (principal: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: principal }, Action: "secretsmanager:GetSecretValue", Resource: "*" }],
  });

describe("stand-in aws:secretsmanager/secret:Secret", () => {
  const fixture = useProviderAgainstMoto();

  const describeLive = (secretId: string) => fixture.secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }));
  const errorName = (promise: Promise<unknown>) =>
    promise.then(
      () => "none",
      (error: Error) => error.name,
    );

  describe("check", () => {
    it("defaults the recovery window to AWS's 30 days and force-overwrite to false, and autonames a secret without a name", async () => {
      const { inputs, failures } = await fixture.provider.check(SECRET, {}, {});
      expect(failures).to.be.empty;
      expect(inputs).to.include({ recoveryWindowInDays: 30, forceOverwriteReplicaSecret: false });
      expect(inputs.name).to.match(/^backend-credentials-secret-[0-9a-f]{7}$/);
      const named = await fixture.provider.check(SECRET, {}, { name: NAME, recoveryWindowInDays: 7 });
      expect(named.inputs).to.include({ name: NAME, recoveryWindowInDays: 7 });
    });

    it("fails on a name Secrets Manager refuses, name with namePrefix, a window outside 0 or 7-30, and a policy that is not JSON", async () => {
      const failing = async (news: Record<string, unknown>) =>
        ((await fixture.provider.check(SECRET, {}, news)).failures ?? []).map((failure) => failure.property);
      expect(await failing({ name: "talentbase prod" })).to.deep.equal(["name"]);
      expect(await failing({ name: "a", namePrefix: "b" })).to.deep.equal(["namePrefix"]);
      for (const days of [1, 6, 31]) expect(await failing({ name: "a", recoveryWindowInDays: days }), String(days)).to.deep.equal(["recoveryWindowInDays"]);
      expect(await failing({ name: "a", recoveryWindowInDays: 0 })).to.be.empty;
      expect(await failing({ name: "a", policy: "{not json" })).to.deep.equal(["policy"]);
    });

    it("refuses what the stand-in cannot serve: replicas, partner secret types, another region", async () => {
      const { failures } = await fixture.provider.check(
        SECRET,
        {},
        { name: "a", replicas: [{ region: "eu-west-1" }], type: "BigIDClientSecret", region: "eu-west-1" },
      );
      expect(failures?.map((failure) => failure.property)).to.have.members(["replicas", "type", "region"]);
    });
  });

  describe("create", () => {
    it("creates the secret without a value, id = ARN, with the real provider's outputs", async () => {
      const { id, outs } = await checkAndCreate(fixture, SECRET, {
        name: NAME,
        description: "Django's S3 key",
        recoveryWindowInDays: 7,
        tags: { Environment: "dev" },
      });
      expect(id).to.match(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:talentbase\/dev\/aws-credentials-[A-Za-z0-9]{6}$/);
      expect(outs).to.include({
        arn: id,
        name: NAME,
        description: "Django's S3 key",
        recoveryWindowInDays: 7,
        forceOverwriteReplicaSecret: false,
        region: "us-east-1",
        policy: "",
      });
      expect(outs.tagsAll).to.deep.equal({ Environment: "dev" });
      const live = await describeLive(id);
      expect(live).to.include({ Name: NAME, Description: "Django's S3 key" });
      expect(live.VersionIdsToStages ?? {}, "no value until a SecretVersion writes one").to.deep.equal({});
    });

    it("passes a customer KMS key and a resource policy on", async () => {
      const kmsKeyId = "arn:aws:kms:us-east-1:123456789012:alias/talentbase-secrets";
      const policy = readPolicy("arn:aws:iam::123456789012:role/django");
      const { id, outs } = await checkAndCreate(fixture, SECRET, { name: NAME, kmsKeyId, policy });
      expect(outs).to.include({ kmsKeyId, policy });
      expect((await describeLive(id)).KmsKeyId).to.equal(kmsKeyId);
      expect(JSON.parse((await fixture.secretsManager.send(new GetResourcePolicyCommand({ SecretId: id }))).ResourcePolicy ?? "")).to.deep.equal(
        JSON.parse(policy),
      );
    });

    it("builds the name from namePrefix plus terraform's 26-character unique suffix", async () => {
      const { outs } = await checkAndCreate(fixture, SECRET, { namePrefix: "talentbase/dev/" });
      expect(outs.name).to.match(/^talentbase\/dev\/\d{18}[0-9a-f]{8}$/);
      expect(outs.namePrefix).to.equal("talentbase/dev/");
    });
  });

  describe("diff", () => {
    const olds = { arn: "arn", name: NAME, description: "d", recoveryWindowInDays: 30, forceOverwriteReplicaSecret: false, policy: "", tags: {} };
    const explicit = {
      name: NAME,
      description: "d",
      recoveryWindowInDays: 30,
      forceOverwriteReplicaSecret: false,
      __defaults: ["recoveryWindowInDays", "forceOverwriteReplicaSecret"],
    };

    it("replaces, deleting first, when a chosen name changes", async () => {
      const diff = await fixture.provider.diff("arn", SECRET, olds, { ...explicit, name: "talentbase/dev/other" });
      expect(diff.replaces).to.deep.equal(["name"]);
      expect(diff.deleteBeforeReplace).to.equal(true);
    });

    it("updates in place when the description, KMS key, policy, tags or recovery window change", async () => {
      for (const change of [
        { description: "new" },
        { kmsKeyId: "alias/other" },
        { policy: readPolicy("arn:aws:iam::123456789012:role/django") },
        { tags: { a: "b" } },
        { recoveryWindowInDays: 7 },
      ]) {
        const diff = await fixture.provider.diff("arn", SECRET, olds, { ...explicit, ...change });
        expect(diff.changes, JSON.stringify(change)).to.equal(true);
        expect(diff.replaces ?? [], JSON.stringify(change)).to.be.empty;
      }
    });

    it("sees no change when the program leaves the policy out, or gives an equivalent document", async () => {
      const policy = readPolicy("arn:aws:iam::123456789012:role/django");
      expect((await fixture.provider.diff("arn", SECRET, { ...olds, policy }, explicit)).changes).to.equal(false);
      const reformatted = JSON.stringify(JSON.parse(policy), null, 2);
      expect((await fixture.provider.diff("arn", SECRET, { ...olds, policy }, { ...explicit, policy: reformatted })).changes).to.equal(false);
    });
  });

  describe("update", () => {
    it("changes the description and KMS key with UpdateSecret, keeping the ARN", async () => {
      const { id, inputs, outs } = await checkAndCreate(fixture, SECRET, { name: NAME, description: "old" });
      const kmsKeyId = "alias/talentbase-secrets";
      const { outs: updated } = await fixture.provider.update(id, SECRET, outs, { ...inputs, description: "new", kmsKeyId });
      expect(updated).to.include({ arn: id, description: "new", kmsKeyId });
      expect(await describeLive(id)).to.include({ Description: "new", KmsKeyId: kmsKeyId });
    });

    it("retags, and puts or deletes the resource policy ('{}' deletes it)", async () => {
      const { id, inputs, outs } = await checkAndCreate(fixture, SECRET, { name: NAME, tags: { a: "1", b: "2" } });
      const policy = readPolicy("arn:aws:iam::123456789012:role/django");
      const { outs: withPolicy } = await fixture.provider.update(id, SECRET, outs, { ...inputs, tags: { a: "9" }, policy });
      expect(withPolicy.tags).to.deep.equal({ a: "9" });
      expect((await describeLive(id)).Tags).to.deep.equal([{ Key: "a", Value: "9" }]);
      expect((await fixture.secretsManager.send(new GetResourcePolicyCommand({ SecretId: id }))).ResourcePolicy).to.be.a("string");

      await fixture.provider.update(id, SECRET, withPolicy, { ...inputs, tags: { a: "9" }, policy: "{}" });
      expect((await fixture.secretsManager.send(new GetResourcePolicyCommand({ SecretId: id }))).ResourcePolicy).to.equal(undefined);
    });

    it("keeps a new recovery window in the state only: no AWS call until the delete", async () => {
      const { id, inputs, outs } = await checkAndCreate(fixture, SECRET, { name: NAME });
      const { outs: updated } = await fixture.provider.update(id, SECRET, outs, { ...inputs, recoveryWindowInDays: 7 });
      expect(updated.recoveryWindowInDays).to.equal(7);
      expect((await describeLive(id)).DeletedDate).to.equal(undefined);
    });
  });

  describe("read", () => {
    it("imports by ARN alone, as `pulumi import` does, with terraform's import default of 30 days", async () => {
      const { id } = await checkAndCreate(fixture, SECRET, { name: NAME, description: "d", tags: { Environment: "dev" }, recoveryWindowInDays: 7 });
      const read = await fixture.provider.read(id, SECRET, {});
      expect(read.id).to.equal(id);
      expect(read.props).to.include({ arn: id, name: NAME, description: "d", recoveryWindowInDays: 30 });
      expect(read.inputs).to.include({ name: NAME, description: "d", recoveryWindowInDays: 30 });
      expect(read.inputs?.tags).to.deep.equal({ Environment: "dev" });
    });

    it("reflects a description changed outside Pulumi and keeps the state's recovery window", async () => {
      const { id, outs } = await checkAndCreate(fixture, SECRET, { name: NAME, description: "d", recoveryWindowInDays: 7 });
      await fixture.secretsManager.send(new UpdateSecretCommand({ SecretId: id, Description: "changed by hand" }));
      const read = await fixture.provider.read(id, SECRET, outs);
      expect(read.props).to.include({ description: "changed by hand", recoveryWindowInDays: 7 });
    });

    it("returns an empty id once the secret is scheduled for deletion or gone", async () => {
      const { id, outs } = await checkAndCreate(fixture, SECRET, { name: NAME });
      await fixture.secretsManager.send(new DeleteSecretCommand({ SecretId: id, RecoveryWindowInDays: 7 }));
      expect((await fixture.provider.read(id, SECRET, outs)).id).to.equal("");
      await fixture.secretsManager.send(new DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true }));
      expect((await fixture.provider.read(id, SECRET, outs)).id).to.equal("");
    });
  });

  describe("delete", () => {
    it("schedules the deletion with the state's recovery window: the secret can still be restored", async () => {
      const { id, outs } = await checkAndCreate(fixture, SECRET, { name: NAME, recoveryWindowInDays: 7 });
      const before = Date.now();
      await fixture.provider.delete(id, SECRET, outs);
      const { DeletedDate } = await describeLive(id);
      // moto reports the end of the window as DeletedDate.
      expect(DeletedDate?.getTime()).to.be.within(before + 7 * DAY_MS - 60_000, Date.now() + 7 * DAY_MS + 60_000);
      await fixture.secretsManager.send(new RestoreSecretCommand({ SecretId: id }));
      expect((await describeLive(id)).DeletedDate).to.equal(undefined);
    });

    it("deletes at once without recovery when the window is 0, freeing the name", async () => {
      const { id, outs } = await checkAndCreate(fixture, SECRET, { name: NAME, recoveryWindowInDays: 0 });
      await fixture.provider.delete(id, SECRET, outs);
      expect(await errorName(describeLive(id))).to.equal("ResourceNotFoundException");
      const again = await checkAndCreate(fixture, SECRET, { name: NAME });
      expect(again.outs.name).to.equal(NAME);
    });

    it("refuses to create a secret whose name a secret scheduled for deletion still holds, in AWS's words", async () => {
      const { id, outs } = await checkAndCreate(fixture, SECRET, { name: NAME, recoveryWindowInDays: 7 });
      await fixture.provider.delete(id, SECRET, outs);
      const error = await checkAndCreate(fixture, SECRET, { name: NAME }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.name).to.equal("InvalidRequestException");
      expect(error?.message).to.equal("You can't create this secret because a secret with this name is already scheduled for deletion.");
    });

    it("tolerates a secret already scheduled for deletion or already gone", async () => {
      const { id, outs } = await checkAndCreate(fixture, SECRET, { name: NAME });
      await fixture.provider.delete(id, SECRET, outs);
      await fixture.provider.delete(id, SECRET, outs);
      await fixture.secretsManager.send(new DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true }));
      await fixture.provider.delete(id, SECRET, outs);
    });
  });
});
