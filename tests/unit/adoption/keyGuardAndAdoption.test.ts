import { expect } from "chai";
import { RefusedError, UsageError } from "../../../automation/errors";
import type { UserKey } from "../../../automation/keys/userKeys";
import { planAdoption } from "../../../automation/adoption/adoptionPlan";
import { summarizeCheckpoint } from "../../../automation/engine/deploymentState";
import { importIdsOf, notInState, type ExistingIdentity } from "../../../automation/adoption/existingIdentity";
import { guardCurrentKey } from "../../../automation/rotation/keyGuard";

const NOW = new Date("2026-11-28T12:00:00Z");
const STACK_URN = "urn:pulumi:prod::talentbase-iam::pulumi:pulumi:Stack::talentbase-iam-prod";
const keyUrn = (name: string) => `urn:pulumi:prod::talentbase-iam::talentbase:iam:BackendS3User$aws:iam/accessKey:AccessKey::${name}`;

/** A checkpoint after a rotation moved the current key to slot b. */
const rotatedState = summarizeCheckpoint({
  resources: [
    { urn: STACK_URN, type: "pulumi:pulumi:Stack", outputs: { accessKeyId: "AKIANEWKEYINSLOTB" } },
    { urn: keyUrn("backend-access-key-b"), type: "aws:iam/accessKey:AccessKey", id: "AKIANEWKEYINSLOTB" },
  ],
});

describe("the key guard", () => {
  it("knows each key's slot from its resource name and which key the outputs name", () => {
    expect(rotatedState.accessKeys).to.deep.equal([{ slot: "b", id: "AKIANEWKEYINSLOTB" }]);
    expect(rotatedState.currentAccessKeyId).to.equal("AKIANEWKEYINSLOTB");
  });

  it("lets config through that keeps the key the stack hands out", () => {
    guardCurrentKey("prod", { accessKeySlot: "b", rotation: "idle", protect: true }, rotatedState);
    guardCurrentKey("prod", { accessKeySlot: "a", rotation: "started", protect: true }, rotatedState);
  });

  it("refuses config older than the last rotation, which would delete the key consumers run on", () => {
    expect(() => guardCurrentKey("prod", { accessKeySlot: "a", rotation: "idle", protect: true }, rotatedState)).to.throw(
      UsageError,
      "Pulumi.prod.yaml would delete AKIANEWKEYINSLOTB, the key stack prod hands out (slot b)",
    );
  });
});

describe("planning an adoption", () => {
  const key = (id: string, lastUsedDaysAgo?: number): UserKey => ({
    id,
    status: "Active",
    createdAt: new Date("2025-01-01T00:00:00Z"),
    ...(lastUsedDaysAgo === undefined ? {} : { lastUsed: { at: new Date(NOW.getTime() - lastUsedDaysAgo * 86_400_000) } }),
  });
  const legacy = (overrides: Partial<NonNullable<ExistingIdentity["user"]>> = {}): ExistingIdentity => ({
    user: {
      name: "talentbase-backend-prod",
      arn: "arn:aws:iam::123456789012:user/talentbase-backend-prod",
      path: "/",
      loginProfile: false,
      groups: [],
      otherPolicies: [],
      inlinePolicies: [],
      keys: [key("AKIALEGACY1", 1)],
      ...overrides,
    },
    policy: { arn: "arn:aws:iam::123456789012:policy/talentbase-backend-prod-s3-policy", defaultVersionId: "v1", otherEntities: [] },
    attached: true,
  });
  const settings = { userPath: "/" };

  it("imports user, policy and attachment by terraform's ids and keeps the old key working, with the way to retire it", () => {
    const plan = planAdoption("prod", legacy(), settings, NOW);
    expect(plan.imports).to.deep.equal({
      user: "talentbase-backend-prod",
      policy: "arn:aws:iam::123456789012:policy/talentbase-backend-prod-s3-policy",
      attachment: "talentbase-backend-prod/arn:aws:iam::123456789012:policy/talentbase-backend-prod-s3-policy",
    });
    expect(plan.unmanagedKeys.map((userKey) => userKey.id)).to.deep.equal(["AKIALEGACY1"]);
    expect(plan.findings.join("\n")).to.include("keeps working").and.include("`npm run retire-key -- prod AKIALEGACY1`");
  });

  it("reports what setup-iam.sh did not make: a login profile, other policies, another path", () => {
    const plan = planAdoption(
      "prod",
      legacy({ loginProfile: true, path: "/legacy/", otherPolicies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }),
      settings,
      NOW,
    );
    const findings = plan.findings.join("\n");
    expect(findings).to.include("has a console password").and.include("delete-login-profile");
    expect(findings).to.include("policy arn:aws:iam::aws:policy/ReadOnlyAccess is also attached").and.include("not touched");
    expect(findings).to.include("has path /legacy/; the update moves it to /");
  });

  it("refuses a user with two keys before any change, naming the least recently used to retire", () => {
    expect(() => planAdoption("prod", legacy({ keys: [key("AKIAUSEDTODAY", 0), key("AKIAUNUSED")] }), settings, NOW)).to.throw(
      RefusedError,
      "`npm run retire-key -- prod AKIAUNUSED` (the least recently used)",
    );
  });

  it("creates the group where none exists, and says the direct attachment goes only once the group grants the policy", () => {
    const findings = planAdoption("prod", legacy(), settings, NOW).findings;
    expect(findings).to.include(
      "no group talentbase-backend-prod-s3 exists yet: the update creates it, attaches the policy to it and makes talentbase-backend-prod a member",
    );
    expect(findings).to.include(
      "the policy is attached to talentbase-backend-prod directly (as setup-iam.sh did it): the update takes that attachment over and a second update detaches it, once group talentbase-backend-prod-s3 grants the policy, so the user never goes without it",
    );
  });

  it("takes over a group of the stack's name with what it already does, and names what the update adds", () => {
    const group = {
      name: "talentbase-backend-prod-s3",
      path: "/old/",
      grantsPolicy: true,
      hasUser: false,
      otherPolicies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
    };
    const plan = planAdoption("prod", { ...legacy({ groups: [] }), group }, settings, NOW);
    expect(plan.imports).to.include({
      group: "talentbase-backend-prod-s3",
      groupAttachment: "talentbase-backend-prod-s3/arn:aws:iam::123456789012:policy/talentbase-backend-prod-s3-policy",
    });
    expect(plan.imports).not.to.have.property("membership");
    expect(plan.findings).to.include.members([
      "group talentbase-backend-prod-s3 exists and is taken over; the update moves it from path /old/ to /",
      "talentbase-backend-prod is not a member of group talentbase-backend-prod-s3: the update adds it",
      "policy arn:aws:iam::aws:policy/ReadOnlyAccess is also attached to group talentbase-backend-prod-s3: not touched; it applies to the backend too",
    ]);
    const member = planAdoption("prod", { ...legacy({ groups: ["talentbase-backend-prod-s3"] }), group: { ...group, hasUser: true } }, settings, NOW);
    expect(member.imports).to.include({ membership: "talentbase-backend-prod/talentbase-backend-prod-s3" });
    expect(member.findings.join("\n"), "the stack's group is not 'another group'").not.to.include("is in group(s)");
  });

  it("imports only what exists: a policy alone, or a user alone", () => {
    const policyOnly = planAdoption("prod", { policy: legacy().policy!, attached: false }, settings, NOW);
    expect(policyOnly.imports).to.deep.equal({ policy: "arn:aws:iam::123456789012:policy/talentbase-backend-prod-s3-policy" });
    expect(policyOnly.findings).to.include("no user exists yet: the update creates it");
    const userOnly = planAdoption("prod", { user: legacy().user!, attached: false }, settings, NOW);
    expect(userOnly.imports).to.deep.equal({ user: "talentbase-backend-prod" });
  });
});

describe("import ids of the group's parts", () => {
  const user = {
    name: "talentbase-backend-dev",
    arn: "arn:aws:iam::123456789012:user/talentbase-backend-dev",
    path: "/",
    loginProfile: false,
    groups: ["talentbase-backend-dev-s3"],
    otherPolicies: [],
    inlinePolicies: [],
    keys: [],
  };
  const policy = { arn: "arn:aws:iam::123456789012:policy/talentbase-backend-dev-s3-policy", defaultVersionId: "v1", otherEntities: [] };
  const group = { name: "talentbase-backend-dev-s3", path: "/", grantsPolicy: true, hasUser: true, otherPolicies: [] };

  it("are terraform's: the group by name, its attachment <group>/<policy arn>, the membership <user>/<group>", () => {
    expect(importIdsOf({ user, policy, group, attached: false })).to.deep.equal({
      user: "talentbase-backend-dev",
      policy: policy.arn,
      group: "talentbase-backend-dev-s3",
      groupAttachment: `talentbase-backend-dev-s3/${policy.arn}`,
      membership: "talentbase-backend-dev/talentbase-backend-dev-s3",
    });
  });

  it("take over an attachment or a membership only where IAM has it", () => {
    expect(importIdsOf({ user, policy, group: { ...group, grantsPolicy: false, hasUser: false }, attached: false })).to.deep.equal({
      user: user.name,
      policy: policy.arn,
      group: group.name,
    });
  });
});

describe("what IAM holds that the stack's own state does not", () => {
  const POLICY_ARN = "arn:aws:iam::123456789012:policy/talentbase-backend-dev-s3-policy";
  const found: ExistingIdentity = {
    user: {
      name: "talentbase-backend-dev",
      arn: "arn:aws:iam::123456789012:user/talentbase-backend-dev",
      path: "/",
      loginProfile: false,
      groups: [],
      otherPolicies: [],
      inlinePolicies: [],
      keys: [],
    },
    policy: { arn: POLICY_ARN, defaultVersionId: "v1", otherEntities: [] },
    attached: false,
  };
  const policyUrn = "urn:pulumi:dev::talentbase-iam::talentbase:iam:BackendS3User$aws:iam/policy:Policy::backend-policy";

  it("leaves out the policy an interrupted first provision created and recorded", () => {
    const state = summarizeCheckpoint({ resources: [{ urn: policyUrn, type: "aws:iam/policy:Policy", id: POLICY_ARN }] });
    expect(notInState({ policy: found.policy!, attached: false }, state)).to.deep.equal({ attached: false });
  });

  it("keeps what the state does not hold: setup-iam.sh's user beside the stack's policy", () => {
    const state = summarizeCheckpoint({ resources: [{ urn: policyUrn, type: "aws:iam/policy:Policy", id: POLICY_ARN }] });
    expect(notInState(found, state)).to.deep.equal({ user: found.user, attached: false });
  });

  it("keeps everything for a stack that does not exist, and a policy of another ARN", () => {
    expect(notInState(found, undefined)).to.deep.equal(found);
    const other = summarizeCheckpoint({ resources: [{ urn: policyUrn, type: "aws:iam/policy:Policy", id: `${POLICY_ARN}-old` }] });
    expect(notInState(found, other)).to.deep.equal(found);
  });
});
