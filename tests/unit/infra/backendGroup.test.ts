import { expect } from "chai";
import { ConfigError } from "../../../infra/config";
import { IMPORT_IDS_VARIABLE, readImportIds } from "../../../infra/imports";
import { ACCOUNT_ID, onlyResourceOfType, runProgramUnderMocks, type MockRun, type RegisteredResource } from "./programUnderMocks";

const USER = "aws:iam/user:User";
const POLICY = "aws:iam/policy:Policy";
const GROUP = "aws:iam/group:Group";
const GROUP_ATTACHMENT = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment";
const MEMBERSHIP = "aws:iam/userGroupMembership:UserGroupMembership";
const USER_ATTACHMENT = "aws:iam/userPolicyAttachment:UserPolicyAttachment";
const ACCESS_KEY = "aws:iam/accessKey:AccessKey";
const REGION = { "aws:region": "us-east-1" };
const POLICY_ARN = `arn:aws:iam::${ACCOUNT_ID}:policy/talentbase-backend-dev-s3-policy`;

const withImports = (ids: Record<string, string>) => ({ [IMPORT_IDS_VARIABLE]: JSON.stringify(ids) });
const keysOf = (run: MockRun): RegisteredResource[] => run.resources.filter((resource) => resource.type === ACCESS_KEY);

describe("the group the backend user gets its policy through (under mocks)", () => {
  let dev: MockRun;
  before(async () => {
    dev = await runProgramUnderMocks("dev", REGION);
  });

  it("names the group talentbase-backend-<env>-s3 at the user's path, with no tags (IAM groups take none)", async () => {
    expect(onlyResourceOfType(dev, GROUP).inputs).to.deep.equal({ name: "talentbase-backend-dev-s3", path: "/" });
    const staging = await runProgramUnderMocks("staging", { ...REGION, "talentbase-iam:userPath": "/service/" });
    expect(onlyResourceOfType(staging, GROUP).inputs).to.deep.equal({ name: "talentbase-backend-staging-s3", path: "/service/" });
  });

  it("attaches the stack's policy to the group, and no policy to the user", () => {
    expect(onlyResourceOfType(dev, GROUP_ATTACHMENT).inputs).to.deep.equal({ group: "talentbase-backend-dev-s3", policyArn: POLICY_ARN });
    const types = dev.resources.map((resource) => resource.type);
    expect(types).not.to.include.oneOf([USER_ATTACHMENT, "aws:iam/userPolicy:UserPolicy", "aws:iam/policyAttachment:PolicyAttachment"]);
  });

  it("makes the user a member of that group alone, without taking over the group's other members or the user's other groups", () => {
    expect(onlyResourceOfType(dev, MEMBERSHIP).inputs).to.deep.equal({ user: "talentbase-backend-dev", groups: ["talentbase-backend-dev-s3"] });
    expect(dev.resources.map((resource) => resource.type)).not.to.include("aws:iam/groupMembership:GroupMembership");
  });

  it("builds the grant from the user, the policy and the group: the attachment waits for the group and the policy, the membership for the user and the group", () => {
    const urnOf = (type: string) => onlyResourceOfType(dev, type).urn;
    expect(onlyResourceOfType(dev, GROUP_ATTACHMENT).dependencies).to.include.members([urnOf(GROUP), urnOf(POLICY)]);
    expect(onlyResourceOfType(dev, MEMBERSHIP).dependencies).to.include.members([urnOf(USER), urnOf(GROUP)]);
  });

  it("creates every key of the user only after the group grants the policy: each depends on the group attachment and the membership", async () => {
    const rotating = await runProgramUnderMocks("dev", { ...REGION, "talentbase-iam:accessKeySlot": "b", "talentbase-iam:rotation": "started" });
    const grant = [onlyResourceOfType(rotating, GROUP_ATTACHMENT).urn, onlyResourceOfType(rotating, MEMBERSHIP).urn];
    expect(keysOf(rotating)).to.have.lengthOf(2);
    for (const key of keysOf(rotating)) {
      expect(key.inputs.user, key.name).to.equal("talentbase-backend-dev");
      expect(key.dependencies, key.name).to.include.members(grant);
    }
  });

  it("protects the group on prod, like the user and the policy", async () => {
    const prod = await runProgramUnderMocks("prod", REGION);
    expect(onlyResourceOfType(prod, GROUP).protect).to.equal(true);
    expect(onlyResourceOfType(dev, GROUP).protect).to.equal(false);
  });

  describe("taking over what exists (import ids)", () => {
    it("imports the group, its policy attachment and the membership by terraform-provider-aws's ids", async () => {
      const ids = {
        group: "talentbase-backend-dev-s3",
        groupAttachment: `talentbase-backend-dev-s3/${POLICY_ARN}`,
        membership: "talentbase-backend-dev/talentbase-backend-dev-s3",
      };
      const run = await runProgramUnderMocks("dev", REGION, withImports(ids));
      expect(onlyResourceOfType(run, GROUP).importId).to.equal(ids.group);
      expect(onlyResourceOfType(run, GROUP_ATTACHMENT).importId).to.equal(ids.groupAttachment);
      expect(onlyResourceOfType(run, MEMBERSHIP).importId).to.equal(ids.membership);
    });

    it("declares the user's direct attachment only to import it (adoption), and no key waits for it", async () => {
      const attachment = `talentbase-backend-dev/${POLICY_ARN}`;
      const run = await runProgramUnderMocks("dev", REGION, withImports({ user: "talentbase-backend-dev", attachment }));
      const direct = onlyResourceOfType(run, USER_ATTACHMENT);
      expect([direct.name, direct.importId]).to.deep.equal(["backend-policy-attachment", attachment]);
      expect(direct.inputs).to.deep.equal({ user: "talentbase-backend-dev", policyArn: POLICY_ARN });
      expect(onlyResourceOfType(run, GROUP_ATTACHMENT).importId, "the group's grant is created alongside").to.equal("");
      expect(keysOf(run)[0]!.dependencies).not.to.include(direct.urn);
    });
  });

  describe("readImportIds", () => {
    it("reads every id the program can import", () => {
      const ids = {
        user: "u",
        policy: "arn:aws:iam::123456789012:policy/p",
        attachment: "u/arn:aws:iam::123456789012:policy/p",
        group: "g",
        groupAttachment: "g/arn:aws:iam::123456789012:policy/p",
        membership: "u/g",
      };
      expect(readImportIds(withImports(ids))).to.deep.equal(ids);
    });

    it("refuses an entry it does not know, or an empty id, naming the entry", () => {
      for (const ids of [{ groups: "g" }, { membership: "" }] as Record<string, string>[]) {
        const entry = Object.keys(ids)[0];
        expect(() => readImportIds(withImports(ids)), entry)
          .to.throw(ConfigError)
          .with.property("problems")
          .that.deep.equals([{ key: IMPORT_IDS_VARIABLE, message: `${IMPORT_IDS_VARIABLE} has an invalid entry ${entry}` }]);
      }
    });
  });
});
