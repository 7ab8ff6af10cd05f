import {
  AttachUserPolicyCommand,
  CreatePolicyVersionCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  GetPolicyCommand,
  ListPolicyVersionsCommand,
  UntagPolicyCommand,
} from "@aws-sdk/client-iam";
import { expect } from "chai";
import { checkAndCreate, urnOf, useProviderAgainstMoto } from "./providerFixture";

const POLICY = urnOf("aws:iam/policy:Policy", "backend-policy");

const uploadsPolicy = (bucket: string) => ({
  Version: "2012-10-17",
  Statement: [{ Sid: "Objects", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: `arn:aws:s3:::${bucket}/*` }],
});
const DOCUMENT = JSON.stringify(uploadsPolicy("talentbase-dev-uploads"));

describe("stand-in aws:iam/policy:Policy", () => {
  const fixture = useProviderAgainstMoto();

  describe("check", () => {
    it("defaults path to '/' and autonames a policy without a name", async () => {
      const { inputs } = await fixture.provider.check(POLICY, {}, { policy: DOCUMENT });
      expect(inputs.path).to.equal("/");
      expect(inputs.name).to.match(/^backend-policy-[0-9a-f]{7}$/);
    });

    it("accepts a policy document object and passes it on as JSON text, as the bridge does", async () => {
      const { inputs } = await fixture.provider.check(POLICY, {}, { name: "p", policy: uploadsPolicy("b") });
      expect(inputs.policy).to.be.a("string");
      expect(JSON.parse(inputs.policy as string)).to.deep.equal(uploadsPolicy("b"));
    });

    it("fails on a missing or malformed document and on name together with namePrefix", async () => {
      const missing = await fixture.provider.check(POLICY, {}, { name: "p" });
      expect(missing.failures?.map((failure) => failure.property)).to.deep.equal(["policy"]);
      const malformed = await fixture.provider.check(POLICY, {}, { name: "p", policy: "{not json" });
      expect(malformed.failures?.map((failure) => failure.property)).to.deep.equal(["policy"]);
      const conflicting = await fixture.provider.check(POLICY, {}, { name: "p", namePrefix: "q", policy: DOCUMENT });
      expect(conflicting.failures?.map((failure) => failure.property)).to.deep.equal(["namePrefix"]);
    });
  });

  describe("create", () => {
    it("creates the policy with id = policy ARN and the real provider's outputs", async () => {
      const { id, outs } = await checkAndCreate(fixture, POLICY, {
        name: "talentbase-backend-dev-s3-policy",
        description: "uploads",
        policy: DOCUMENT,
        tags: { environment: "dev" },
      });
      expect(id).to.equal("arn:aws:iam::123456789012:policy/talentbase-backend-dev-s3-policy");
      expect(outs).to.include({
        arn: id,
        name: "talentbase-backend-dev-s3-policy",
        path: "/",
        description: "uploads",
        policy: DOCUMENT,
        attachmentCount: 0,
      });
      expect(outs.policyId).to.be.a("string").and.not.empty;
      expect(outs.tagsAll).to.deep.equal({ environment: "dev" });
    });

    it("builds the name from namePrefix plus terraform's 26-character unique suffix", async () => {
      const { outs } = await checkAndCreate(fixture, POLICY, { namePrefix: "uploads-", policy: DOCUMENT });
      expect(outs.name).to.match(/^uploads-\d{18}[0-9a-f]{8}$/);
      expect(outs.namePrefix).to.equal("uploads-");
    });
  });

  describe("diff", () => {
    const olds = { arn: "arn", name: "p", path: "/", description: "d", policy: DOCUMENT, tags: {} };
    const explicit = { name: "p", path: "/", description: "d", policy: DOCUMENT, __defaults: ["path"] };

    it("replaces, deleting first, when a chosen name, path or description changes", async () => {
      for (const [key, value] of [
        ["name", "q"],
        ["path", "/other/"],
        ["description", "new"],
      ]) {
        const diff = await fixture.provider.diff("arn", POLICY, olds, { ...explicit, [key]: value });
        expect(diff.replaces, key).to.deep.equal([key]);
        expect(diff.deleteBeforeReplace, key).to.equal(true);
      }
    });

    it("replaces an autonamed policy create-first (the new one gets a fresh name)", async () => {
      const diff = await fixture.provider.diff("arn", POLICY, olds, {
        ...explicit,
        description: "new",
        __defaults: ["name", "path"],
      });
      expect(diff.replaces).to.deep.equal(["description"]);
      expect(diff.deleteBeforeReplace).to.equal(false);
    });

    it("updates in place when only the document or the tags change", async () => {
      for (const change of [{ policy: JSON.stringify(uploadsPolicy("other")) }, { tags: { a: "b" } }]) {
        const diff = await fixture.provider.diff("arn", POLICY, olds, { ...explicit, ...change });
        expect(diff.changes).to.equal(true);
        expect(diff.replaces ?? []).to.be.empty;
      }
    });

    it("sees no change in an equivalent document (whitespace, order, one-element lists)", async () => {
      const reordered = {
        Statement: [{ Resource: ["arn:aws:s3:::talentbase-dev-uploads/*"], Action: ["s3:GetObject", "s3:PutObject"], Effect: "Allow", Sid: "Objects" }],
        Version: "2012-10-17",
      };
      const diff = await fixture.provider.diff("arn", POLICY, olds, { ...explicit, policy: JSON.stringify(reordered, null, 2) });
      expect(diff.changes).to.equal(false);
    });
  });

  describe("update", () => {
    it("publishes a new default version for a new document", async () => {
      const { id, inputs, outs } = await checkAndCreate(fixture, POLICY, { name: "p", policy: DOCUMENT });
      const next = JSON.stringify(uploadsPolicy("talentbase-staging-uploads"));
      const { outs: updated } = await fixture.provider.update(id, POLICY, outs, { ...inputs, policy: next });
      expect(updated.policy).to.equal(next);
      expect(updated.arn).to.equal(id);
      const policy = await fixture.iam.send(new GetPolicyCommand({ PolicyArn: id }));
      expect(policy.Policy?.DefaultVersionId).to.equal("v2");
    });

    it("deletes the oldest non-default version when IAM's five are in use", async () => {
      const { id, inputs, outs } = await checkAndCreate(fixture, POLICY, { name: "p", policy: DOCUMENT });
      for (const bucket of ["b2", "b3", "b4", "b5"]) {
        await fixture.iam.send(new CreatePolicyVersionCommand({ PolicyArn: id, PolicyDocument: JSON.stringify(uploadsPolicy(bucket)), SetAsDefault: false }));
      }
      await fixture.provider.update(id, POLICY, outs, { ...inputs, policy: JSON.stringify(uploadsPolicy("b6")) });
      const versions = await fixture.iam.send(new ListPolicyVersionsCommand({ PolicyArn: id }));
      expect(versions.Versions?.map((version) => version.VersionId)).to.have.members(["v1", "v3", "v4", "v5", "v6"]);
      expect(versions.Versions?.find((version) => version.IsDefaultVersion)?.VersionId).to.equal("v6");
    });

    it("retags in place without a new version", async () => {
      const { id, inputs, outs } = await checkAndCreate(fixture, POLICY, { name: "p", policy: DOCUMENT, tags: { a: "1", b: "2" } });
      const { outs: updated } = await fixture.provider.update(id, POLICY, outs, { ...inputs, tags: { a: "9" } });
      expect(updated.tags).to.deep.equal({ a: "9" });
      const versions = await fixture.iam.send(new ListPolicyVersionsCommand({ PolicyArn: id }));
      expect(versions.Versions).to.have.length(1);
    });
  });

  describe("read", () => {
    it("keeps the program's text while IAM holds an equivalent document", async () => {
      const pretty = JSON.stringify(uploadsPolicy("talentbase-dev-uploads"), null, 2);
      const { id, outs } = await checkAndCreate(fixture, POLICY, { name: "p", policy: pretty });
      const read = await fixture.provider.read(id, POLICY, outs);
      expect(read.props.policy).to.equal(pretty);
    });

    it("reports a document changed outside Pulumi, a removed tag and the attachment count", async () => {
      const { id, outs } = await checkAndCreate(fixture, POLICY, { name: "p", policy: DOCUMENT, tags: { a: "1" } });
      const tampered = JSON.stringify(uploadsPolicy("someone-elses-bucket"));
      await fixture.iam.send(new CreatePolicyVersionCommand({ PolicyArn: id, PolicyDocument: tampered, SetAsDefault: true }));
      await fixture.iam.send(new UntagPolicyCommand({ PolicyArn: id, TagKeys: ["a"] }));
      await fixture.iam.send(new CreateUserCommand({ UserName: "u" }));
      await fixture.iam.send(new AttachUserPolicyCommand({ UserName: "u", PolicyArn: id }));
      const read = await fixture.provider.read(id, POLICY, outs);
      expect(read.props.policy).to.equal(tampered);
      expect(read.props.tags).to.deep.equal({});
      expect(read.props.attachmentCount).to.equal(1);
    });

    it("returns an empty id when the policy was deleted outside Pulumi", async () => {
      const { id, outs } = await checkAndCreate(fixture, POLICY, { name: "p", policy: DOCUMENT });
      await fixture.iam.send(new DeletePolicyCommand({ PolicyArn: id }));
      expect((await fixture.provider.read(id, POLICY, outs)).id).to.equal("");
    });
  });

  describe("delete", () => {
    it("deletes a policy that has several versions (moto, unlike AWS, would not insist on the cleanup)", async () => {
      const { id, inputs, outs } = await checkAndCreate(fixture, POLICY, { name: "p", policy: DOCUMENT });
      const { outs: updated } = await fixture.provider.update(id, POLICY, outs, {
        ...inputs,
        policy: JSON.stringify(uploadsPolicy("b2")),
      });
      await fixture.provider.delete(id, POLICY, updated);
      const missing = await fixture.iam.send(new GetPolicyCommand({ PolicyArn: id })).catch((error: Error) => error);
      expect((missing as Error).name).to.equal("NoSuchEntityException");
    });

    it("treats an already deleted policy as deleted", async () => {
      const { id, outs } = await checkAndCreate(fixture, POLICY, { name: "p", policy: DOCUMENT });
      await fixture.iam.send(new DeletePolicyCommand({ PolicyArn: id }));
      await fixture.provider.delete(id, POLICY, outs);
    });
  });
});
