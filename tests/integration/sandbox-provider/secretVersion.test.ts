import { CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { expect } from "chai";
import { secretValue } from "../../../sandbox/provider/wireValues";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const VERSION = urnOf("aws:secretsmanager/secretVersion:SecretVersion", "backend-credentials-version");
const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const OLD_PAIR = JSON.stringify({ AWS_ACCESS_KEY_ID: "AKIAOLDEXAMPLE000001", AWS_SECRET_ACCESS_KEY: "old-secret" });
const NEW_PAIR = JSON.stringify({ AWS_ACCESS_KEY_ID: "AKIANEWEXAMPLE000002", AWS_SECRET_ACCESS_KEY: "new-secret" });

/** The value of a secret envelope, failing when the value came back in the clear. */
function revealed(value: unknown): unknown {
  expect(value, "returned as a secret").to.deep.include(SECRET_SIG);
  return (value as { value: unknown }).value;
}

describe("stand-in aws:secretsmanager/secretVersion:SecretVersion", () => {
  const fixture = useProviderAgainstMoto();
  let secretArn: string;

  beforeEach(async () => {
    secretArn = (await fixture.secretsManager.send(new CreateSecretCommand({ Name: "talentbase/dev/aws-credentials" }))).ARN!;
  });

  /** The labels of every version of the secret, by version id. */
  const stages = async () => (await fixture.secretsManager.send(new DescribeSecretCommand({ SecretId: secretArn }))).VersionIdsToStages ?? {};
  const currentValue = async () =>
    (await fixture.secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn, VersionStage: "AWSCURRENT" }))).SecretString;
  /** A version written the way the engine sends it: the value wrapped as a secret. */
  const createVersion = (secretString: string, extra: Record<string, unknown> = {}) =>
    checkAndCreate(fixture, VERSION, { secretId: secretArn, secretString: secretValue(secretString), ...extra });

  describe("check", () => {
    it("requires the secret and exactly one value, and refuses the write-only value it cannot keep out of the state", async () => {
      const failing = async (news: Record<string, unknown>) =>
        ((await fixture.provider.check(VERSION, {}, news)).failures ?? []).map((failure) => failure.property);
      expect(await failing({ secretString: "x" })).to.deep.equal(["secretId"]);
      expect(await failing({ secretId: "s" })).to.deep.equal(["secretString"]);
      expect(await failing({ secretId: "s", secretString: "x", secretBinary: "eA==" })).to.deep.equal(["secretBinary"]);
      expect(await failing({ secretId: "s", secretStringWo: "x", secretStringWoVersion: 1 })).to.deep.equal(["secretStringWo"]);
      expect(await failing({ secretId: "s", secretString: "x", versionStages: ["AWSCURRENT", ""] })).to.deep.equal(["versionStages"]);
    });
  });

  describe("create", () => {
    it("puts the value as a new version that takes AWSCURRENT; id = `<secret arn>|<version id>`; the value comes back only as a secret", async () => {
      const { id, outs } = await createVersion(NEW_PAIR);
      expect(id).to.equal(`${secretArn}|${outs.versionId}`);
      expect(outs).to.include({ secretId: secretArn, secretArn, arn: secretArn, hasSecretStringWo: false, region: "us-east-1" });
      expect(outs.versionStages).to.deep.equal(["AWSCURRENT"]);
      expect(revealed(outs.secretString)).to.equal(NEW_PAIR);
      expect(await currentValue()).to.equal(NEW_PAIR);
    });

    it("never returns a value in the clear, even one the engine sent plain (the schema marks it sensitive)", async () => {
      const { outs } = await checkAndCreate(fixture, VERSION, { secretId: secretArn, secretString: NEW_PAIR });
      expect(revealed(outs.secretString)).to.equal(NEW_PAIR);
      expect(JSON.stringify({ ...outs, secretString: undefined }), "no other output carries it").not.to.include("new-secret");
    });

    it("stores binary values given base64-encoded", async () => {
      const { outs } = await checkAndCreate(fixture, VERSION, { secretId: secretArn, secretBinary: Buffer.from("bin").toString("base64") });
      expect(revealed(outs.secretBinary)).to.equal(Buffer.from("bin").toString("base64"));
      expect(outs.secretString).to.equal(undefined);
    });

    it("with versionStages, labels the new version with them and leaves AWSCURRENT where it was", async () => {
      const first = await createVersion(OLD_PAIR);
      const canary = await createVersion(NEW_PAIR, { versionStages: ["TB_CANARY"] });
      expect(canary.outs.versionStages).to.deep.equal(["TB_CANARY"]);
      expect(await stages()).to.deep.equal({ [first.outs.versionId as string]: ["AWSCURRENT"], [canary.outs.versionId as string]: ["TB_CANARY"] });
    });
  });

  describe("replacement (a new key pair): create the new version, then delete the old resource", () => {
    it("leaves the new pair AWSCURRENT and the old one AWSPREVIOUS, so cached consumers can fall back", async () => {
      const old = await createVersion(OLD_PAIR);
      const replacement = await createVersion(NEW_PAIR);
      await fixture.provider.delete(old.id, VERSION, old.outs);
      expect(await stages()).to.deep.equal({
        [old.outs.versionId as string]: ["AWSPREVIOUS"],
        [replacement.outs.versionId as string]: ["AWSCURRENT"],
      });
      expect(await currentValue()).to.equal(NEW_PAIR);
      const previous = await fixture.secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn, VersionStage: "AWSPREVIOUS" }));
      expect(previous.SecretString).to.equal(OLD_PAIR);
    });
  });

  describe("diff", () => {
    const olds = { secretId: "arn", secretString: OLD_PAIR, versionId: "v1", versionStages: ["AWSCURRENT"] };

    it("replaces on a new value or another secret", async () => {
      expect((await fixture.provider.diff("arn|v1", VERSION, olds, { secretId: "arn", secretString: NEW_PAIR })).replaces).to.deep.equal(["secretString"]);
      expect((await fixture.provider.diff("arn|v1", VERSION, olds, { secretId: "other", secretString: OLD_PAIR })).replaces).to.deep.equal(["secretId"]);
    });

    it("updates labels in place, and sees no change when the program leaves them out or reorders them", async () => {
      const relabelled = await fixture.provider.diff("arn|v1", VERSION, olds, {
        secretId: "arn",
        secretString: OLD_PAIR,
        versionStages: ["AWSCURRENT", "TB_CANARY"],
      });
      expect(relabelled.changes).to.equal(true);
      expect(relabelled.replaces ?? []).to.be.empty;
      expect((await fixture.provider.diff("arn|v1", VERSION, olds, { secretId: "arn", secretString: OLD_PAIR })).changes).to.equal(false);
      const twoLabels = { ...olds, versionStages: ["AWSCURRENT", "TB_CANARY"] };
      expect(
        (await fixture.provider.diff("arn|v1", VERSION, twoLabels, { secretId: "arn", secretString: OLD_PAIR, versionStages: ["TB_CANARY", "AWSCURRENT"] }))
          .changes,
      ).to.equal(false);
    });
  });

  describe("update", () => {
    it("moves an added label from the version holding it, and removes a dropped one", async () => {
      const first = await createVersion(OLD_PAIR, { versionStages: ["AWSCURRENT", "TB_CANARY"] });
      const second = await createVersion(NEW_PAIR);
      const secondInputs = { secretId: secretArn, secretString: NEW_PAIR };
      const { outs: labelled } = await fixture.provider.update(second.id, VERSION, second.outs, {
        ...secondInputs,
        versionStages: ["AWSCURRENT", "TB_CANARY"],
      });
      expect(labelled.versionStages).to.have.members(["AWSCURRENT", "TB_CANARY"]);
      expect((await stages())[first.outs.versionId as string]).to.deep.equal(["AWSPREVIOUS"]);

      const { outs: unlabelled } = await fixture.provider.update(second.id, VERSION, labelled, { ...secondInputs, versionStages: ["AWSCURRENT"] });
      expect(unlabelled.versionStages).to.deep.equal(["AWSCURRENT"]);
    });

    it("never removes AWSCURRENT, which can only move to another version", async () => {
      const only = await createVersion(OLD_PAIR);
      const { outs } = await fixture.provider.update(only.id, VERSION, only.outs, {
        secretId: secretArn,
        secretString: OLD_PAIR,
        versionStages: ["TB_CANARY"],
      });
      expect(outs.versionStages).to.have.members(["AWSCURRENT", "TB_CANARY"]);
    });
  });

  describe("read", () => {
    it("imports by `<secret arn>|<version id>` alone, the value marked secret", async () => {
      const { id, outs } = await createVersion(NEW_PAIR);
      const read = await fixture.provider.read(id, VERSION, {});
      expect(read.id).to.equal(id);
      expect(read.props).to.include({ secretId: secretArn, versionId: outs.versionId });
      expect(read.props.versionStages).to.deep.equal(["AWSCURRENT"]);
      expect(revealed(read.props.secretString)).to.equal(NEW_PAIR);
      expect(revealed(read.inputs?.secretString)).to.equal(NEW_PAIR);
    });

    it("sees the labels move when a newer version is written outside Pulumi", async () => {
      const { id, outs } = await createVersion(OLD_PAIR);
      await createVersion(NEW_PAIR);
      expect((await fixture.provider.read(id, VERSION, outs)).props.versionStages).to.deep.equal(["AWSPREVIOUS"]);
    });

    it("returns an empty id for a version that does not exist, or a secret scheduled for deletion", async () => {
      const { id, outs } = await createVersion(OLD_PAIR);
      expect((await fixture.provider.read(`${secretArn}|00000000-0000-4000-8000-000000000000`, VERSION, outs)).id).to.equal("");
      await fixture.secretsManager.send(new DeleteSecretCommand({ SecretId: secretArn, RecoveryWindowInDays: 7 }));
      expect((await fixture.provider.read(id, VERSION, outs)).id).to.equal("");
    });

    it("refuses an id that is not `<secret>|<version>`", async () => {
      const error = await fixture.provider.read("no-separator", VERSION, {}).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message).to.include("expected SECRET_ID|VERSION_ID");
    });
  });

  describe("delete", () => {
    it("removes the version's own labels but leaves AWSCURRENT, and the value, in place", async () => {
      const { id, outs } = await createVersion(OLD_PAIR, { versionStages: ["AWSCURRENT", "TB_CANARY"] });
      await fixture.provider.delete(id, VERSION, outs);
      expect(await stages()).to.deep.equal({ [outs.versionId as string]: ["AWSCURRENT"] });
      expect(await currentValue()).to.equal(OLD_PAIR);
    });

    it("does nothing once the secret is scheduled for deletion", async () => {
      const { id, outs } = await createVersion(OLD_PAIR, { versionStages: ["AWSCURRENT", "TB_CANARY"] });
      await fixture.secretsManager.send(new DeleteSecretCommand({ SecretId: secretArn, RecoveryWindowInDays: 7 }));
      await fixture.provider.delete(id, VERSION, outs);
    });
  });
});
