import { expect } from "chai";
import { accessKeyResourceName, planAccessKeys, slotOfAccessKeyResource } from "../../../infra/components/accessKeySlots";
import { IMPORT_IDS_VARIABLE } from "../../../infra/imports";
import { ACCESS_KEY_ID, accessKeyIdOf, resolved, runProgramUnderMocks } from "./programUnderMocks";

const ACCESS_KEY = "aws:iam/accessKey:AccessKey";
const REGION = { "aws:region": "us-east-1" };

describe("access key slots", () => {
  describe("planAccessKeys", () => {
    it("keeps one key, in the current slot, when no rotation is open", () => {
      expect(planAccessKeys({ slot: "a", rotation: "idle", protect: true })).to.deep.equal([{ slot: "a", role: "current", status: "Active", protect: true }]);
    });

    it("keeps the old key Active (and protected in prod) in the other slot once a rotation started", () => {
      expect(planAccessKeys({ slot: "b", rotation: "started", protect: true })).to.deep.equal([
        { slot: "b", role: "current", status: "Active", protect: true },
        { slot: "a", role: "retiring", status: "Active", protect: true },
      ]);
    });

    it("deletes the old key while finishing, as idle does, so an interrupted finish resumes from config", () => {
      expect(planAccessKeys({ slot: "b", rotation: "finishing", protect: true })).to.deep.equal(planAccessKeys({ slot: "b", rotation: "idle", protect: true }));
    });

    it("makes the old key Inactive and unprotected, so finishing can delete it", () => {
      expect(planAccessKeys({ slot: "a", rotation: "old-key-inactive", protect: true })).to.deep.equal([
        { slot: "a", role: "current", status: "Active", protect: true },
        { slot: "b", role: "retiring", status: "Inactive", protect: false },
      ]);
    });

    it("contained after an emergency: the new key Active in the current slot, the cut-off key Inactive and unprotected beside it", () => {
      expect(planAccessKeys({ slot: "b", rotation: "contained", protect: true })).to.deep.equal([
        { slot: "b", role: "current", status: "Active", protect: true },
        { slot: "a", role: "retiring", status: "Inactive", protect: false },
      ]);
    });
  });

  it("names slot a's key as stacks did before rotation existed, so their key is kept", () => {
    expect(accessKeyResourceName("backend", "a")).to.equal("backend-access-key");
    expect(accessKeyResourceName("backend", "b")).to.equal("backend-access-key-b");
  });

  describe("the program", () => {
    it("declares both keys during a rotation and names the new one in the outputs", async () => {
      const run = await runProgramUnderMocks("prod", { ...REGION, "talentbase-iam:accessKeySlot": "b", "talentbase-iam:rotation": "started" });
      const keys = run.resources.filter((resource) => resource.type === ACCESS_KEY);
      expect(keys.map((key) => [key.name, key.inputs.status, key.protect])).to.have.deep.members([
        ["backend-access-key-b", "Active", true],
        ["backend-access-key", "Active", true],
      ]);
      expect(await resolved(run.outputs.accessKeyId)).to.equal(accessKeyIdOf("backend-access-key-b"));
      expect(await resolved(run.outputs.retiringAccessKeyId!)).to.equal(ACCESS_KEY_ID);
    });

    it("declares one key and no retiring key when idle", async () => {
      const run = await runProgramUnderMocks("dev", REGION);
      expect(run.resources.filter((resource) => resource.type === ACCESS_KEY).map((key) => key.name)).to.deep.equal(["backend-access-key"]);
      expect(run.outputs).not.to.have.property("retiringAccessKeyId");
    });

    it("imports the user and policy the driver names, and creates the rest", async () => {
      const ids = { user: "talentbase-backend-dev", policy: "arn:aws:iam::123456789012:policy/talentbase-backend-dev-s3-policy" };
      const run = await runProgramUnderMocks("dev", REGION, { [IMPORT_IDS_VARIABLE]: JSON.stringify(ids) });
      const importIds = Object.fromEntries(run.resources.map((resource) => [resource.name, resource.importId]));
      expect(importIds).to.deep.equal({
        backend: "",
        "backend-user": ids.user,
        "backend-policy": ids.policy,
        "backend-group": "",
        "backend-group-policy-attachment": "",
        "backend-group-membership": "",
        "backend-access-key": "",
      });
    });

    it("never recreates the policy over its description, which IAM cannot change", async () => {
      const run = await runProgramUnderMocks("dev", REGION);
      expect(run.resources.find((resource) => resource.name === "backend-policy")?.ignoreChanges).to.deep.equal(["description"]);
    });
  });
});

describe("slotOfAccessKeyResource", () => {
  it("reads back the slot of every name accessKeyResourceName gives", () => {
    for (const slot of ["a", "b"] as const) expect(slotOfAccessKeyResource(accessKeyResourceName("backend", slot))).to.equal(slot);
  });
});
