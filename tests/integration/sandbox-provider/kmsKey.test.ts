import {
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import { expect } from "chai";
import { canonicalPolicy } from "../../../infra/policy/canonicalPolicy";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const KEY = urnOf("aws:kms/key:Key", "alerts-key");
const PROVIDER_REGION = "eu-west-1";
const DAY_MS = 86_400_000;

const keyPolicy = (principal: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" },
      { Sid: "Publishers", Effect: "Allow", Principal: { Service: principal }, Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: "*" },
    ],
  });

describe("stand-in aws:kms/key:Key", () => {
  const fixture = useProviderAgainstMoto({ region: PROVIDER_REGION });
  const kmsIn = (region = PROVIDER_REGION) => fixture.regional(region).kms;
  const describeLive = async (keyId: string, region = PROVIDER_REGION) => (await kmsIn(region).send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;

  describe("check", () => {
    it("fills terraform's defaults and the provider's region", async () => {
      const { inputs, failures } = await fixture.provider.check(KEY, {}, {});
      expect(failures).to.be.empty;
      expect(inputs).to.include({
        enableKeyRotation: false,
        isEnabled: true,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        bypassPolicyLockoutSafetyCheck: false,
        region: PROVIDER_REGION,
      });
      expect(inputs).to.not.have.property("deletionWindowInDays");
    });

    it("fails as terraform does: a window outside 7-30 days, a rotation period outside 90-2560, an unknown usage, a policy that is not JSON", async () => {
      const { failures } = await fixture.provider.check(
        KEY,
        {},
        { deletionWindowInDays: 5, rotationPeriodInDays: 30, keyUsage: "WRAP", policy: "{nope", customKeyStoreId: "cks-1" },
      );
      expect(failures?.map((failure) => failure.property)).to.have.members([
        "deletionWindowInDays",
        "rotationPeriodInDays",
        "keyUsage",
        "policy",
        "customKeyStoreId",
      ]);
    });
  });

  describe("create", () => {
    it("creates the key with id = key id, rotation on, the policy kept as written and the tags", async () => {
      const policy = keyPolicy("events.amazonaws.com");
      const { id, outs } = await checkAndCreate(fixture, KEY, {
        description: "IAM alerts topic key",
        enableKeyRotation: true,
        deletionWindowInDays: 7,
        policy,
        tags: { Purpose: "monitoring" },
      });
      expect(id).to.match(/^[0-9a-f-]{36}$/);
      expect(outs).to.include({
        keyId: id,
        arn: `arn:aws:kms:eu-west-1:123456789012:key/${id}`,
        description: "IAM alerts topic key",
        enableKeyRotation: true,
        isEnabled: true,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        multiRegion: false,
        deletionWindowInDays: 7,
        policy,
        region: PROVIDER_REGION,
      });
      expect(outs.tagsAll).to.deep.equal({ Purpose: "monitoring" });
      expect((await kmsIn().send(new GetKeyRotationStatusCommand({ KeyId: id }))).KeyRotationEnabled).to.equal(true);
      const livePolicy = (await kmsIn().send(new GetKeyPolicyCommand({ KeyId: id, PolicyName: "default" }))).Policy ?? "";
      expect(canonicalPolicy(JSON.parse(livePolicy))).to.equal(canonicalPolicy(JSON.parse(policy)));
    });

    it("creates a disabled key when isEnabled is false, and reports KMS's default policy when none is given", async () => {
      const { id, outs } = await checkAndCreate(fixture, KEY, { isEnabled: false });
      expect(outs.isEnabled).to.equal(false);
      expect((await describeLive(id))?.KeyState).to.equal("Disabled");
      expect(JSON.parse(outs.policy as string).Statement[0].Principal).to.deep.equal({ AWS: "arn:aws:iam::123456789012:root" });
    });

    it("honours the region input: a key for us-east-1 lands there", async () => {
      const { id, outs } = await checkAndCreate(fixture, KEY, { description: "east", region: "us-east-1" });
      expect(outs).to.include({ region: "us-east-1", arn: `arn:aws:kms:us-east-1:123456789012:key/${id}` });
      expect((await describeLive(id, "us-east-1"))?.Description).to.equal("east");
      const elsewhere = await describeLive(id).then(
        () => "found",
        (error: Error) => error.name,
      );
      expect(elsewhere).to.equal("NotFoundException");
    });
  });

  describe("diff", () => {
    const olds = {
      keyId: "k",
      description: "d",
      policy: keyPolicy("events.amazonaws.com"),
      enableKeyRotation: false,
      isEnabled: true,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      multiRegion: false,
      bypassPolicyLockoutSafetyCheck: false,
      region: PROVIDER_REGION,
      tags: {},
    };
    const news = {
      enableKeyRotation: false,
      isEnabled: true,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      bypassPolicyLockoutSafetyCheck: false,
      region: PROVIDER_REGION,
    };

    it("keeps KMS's description and policy when the program sets none, and ignores a reformatted policy", async () => {
      expect((await fixture.provider.diff("k", KEY, olds, news)).changes).to.equal(false);
      const reformatted = JSON.stringify(JSON.parse(olds.policy), null, 2);
      expect((await fixture.provider.diff("k", KEY, olds, { ...news, policy: reformatted })).changes).to.equal(false);
    });

    it("replaces on another usage, spec or region; updates the rest in place", async () => {
      for (const [key, value] of [
        ["keyUsage", "SIGN_VERIFY"],
        ["customerMasterKeySpec", "RSA_2048"],
        ["region", "us-east-1"],
      ]) {
        expect((await fixture.provider.diff("k", KEY, olds, { ...news, [key!]: value })).replaces, key).to.deep.equal([key]);
      }
      for (const change of [
        { description: "e" },
        { enableKeyRotation: true },
        { isEnabled: false },
        { deletionWindowInDays: 7 },
        { policy: keyPolicy("sns.amazonaws.com") },
        { tags: { a: "b" } },
      ]) {
        const diff = await fixture.provider.diff("k", KEY, olds, { ...news, ...change });
        expect(diff.changes, JSON.stringify(change)).to.equal(true);
        expect(diff.replaces ?? [], JSON.stringify(change)).to.be.empty;
      }
    });
  });

  it("updates description, rotation, policy and tags in place, and disables the key last", async () => {
    const { id, inputs, outs } = await checkAndCreate(fixture, KEY, { description: "old", enableKeyRotation: true, tags: { a: "1", b: "2" } });
    const policy = keyPolicy("sns.amazonaws.com");
    const { outs: updated } = await fixture.provider.update(id, KEY, outs, {
      ...inputs,
      description: "new",
      enableKeyRotation: false,
      policy,
      isEnabled: false,
      tags: { a: "9" },
    });
    expect(updated).to.deep.include({ keyId: id, description: "new", enableKeyRotation: false, isEnabled: false, policy, tags: { a: "9" } });
    expect(await describeLive(id)).to.include({ Description: "new", KeyState: "Disabled" });
    expect((await kmsIn().send(new GetKeyRotationStatusCommand({ KeyId: id }))).KeyRotationEnabled).to.equal(false);
    expect((await kmsIn().send(new ListResourceTagsCommand({ KeyId: id }))).Tags).to.deep.equal([{ TagKey: "a", TagValue: "9" }]);
  });

  describe("read", () => {
    it("imports by key id, and by terraform's `<key id>@<region>` for another region", async () => {
      // moto reports a key's usage only when CreateKey named it (AWS always does).
      const legacy = { Description: "legacy", KeyUsage: "ENCRYPT_DECRYPT" as const, Tags: [{ TagKey: "Team", TagValue: "sec" }] };
      const { KeyMetadata } = await kmsIn("us-east-1").send(new CreateKeyCommand(legacy));
      const keyId = KeyMetadata!.KeyId!;
      expect((await fixture.provider.read(keyId, KEY, {})).id, "not in the provider's region").to.equal("");
      const read = await fixture.provider.read(`${keyId}@us-east-1`, KEY, {});
      expect(read.id).to.equal(keyId);
      expect(read.inputs).to.deep.include({
        description: "legacy",
        enableKeyRotation: false,
        isEnabled: true,
        keyUsage: "ENCRYPT_DECRYPT",
        tags: { Team: "sec" },
        region: "us-east-1",
      });
    });

    it("shows a key disabled outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, KEY, { description: "k" });
      await kmsIn().send(new DisableKeyCommand({ KeyId: id }));
      expect((await fixture.provider.read(id, KEY, outs)).props).to.include({ isEnabled: false });
    });

    it("returns an empty id once the key was scheduled for deletion outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, KEY, { description: "k" });
      await kmsIn().send(new ScheduleKeyDeletionCommand({ KeyId: id, PendingWindowInDays: 7 }));
      expect((await fixture.provider.read(id, KEY, outs)).id).to.equal("");
    });
  });

  it("schedules the deletion with the state's window, and does nothing more for a key already scheduled", async () => {
    const { id, outs } = await checkAndCreate(fixture, KEY, { description: "k", deletionWindowInDays: 7 });
    const before = Date.now();
    await fixture.provider.delete(id, KEY, outs);
    const live = await describeLive(id);
    expect(live?.KeyState).to.equal("PendingDeletion");
    expect(live?.DeletionDate?.getTime()).to.be.within(before + 7 * DAY_MS - 60_000, Date.now() + 7 * DAY_MS + 60_000);
    await fixture.provider.delete(id, KEY, outs);
    expect((await describeLive(id))?.DeletionDate?.getTime()).to.equal(live?.DeletionDate?.getTime());
  });
});
