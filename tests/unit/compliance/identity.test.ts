import { expect } from "chai";
import { PROGRAMMATIC_USER_PER_ENVIRONMENT } from "../../../automation/compliance/control";
import {
  memberOfAGroup,
  noCloudShellFullAccess,
  noFullAdministrator,
  noServiceWildcards,
  permissionsOnlyThroughGroups,
} from "../../../automation/compliance/controls/permissions";
import {
  consoleUsersHaveMfa,
  everyUserHasMfa,
  instanceRoles,
  noIamUsers,
  temporaryCredentials,
  userTagged,
} from "../../../automation/compliance/controls/signIn";
import { ACCOUNT, compliantEvidence, daysAgo, inputOf, policy, STACK_POLICY } from "./evidenceFixtures";

const ADMIN = policy("AdministratorAccess", [{ Effect: "Allow", Action: "*", Resource: "*" }], "arn:aws:iam::aws:policy/AdministratorAccess");
const CONSOLE = { loginProfileCreatedAt: daysAgo(10) };

describe("compliance: sign-in and identity controls", () => {
  describe("cis-1.10, MFA for console users", () => {
    it("passes a user without a console password: the control is about sign-in", async () => {
      expect(consoleUsersHaveMfa.assess(await inputOf(compliantEvidence())).status).to.equal("PASS");
    });

    it("fails a console user without MFA, and passes one with it", async () => {
      expect(consoleUsersHaveMfa.assess(await inputOf(compliantEvidence(CONSOLE))).status).to.equal("FAIL");
      expect(consoleUsersHaveMfa.assess(await inputOf(compliantEvidence({ ...CONSOLE, mfaDeviceCount: 1 }))).status).to.equal("PASS");
    });
  });

  describe("iam-19, MFA for every user", () => {
    it("accepts no MFA on a programmatic-only user, quoting the architecture's decision", async () => {
      const verdict = everyUserHasMfa.assess(await inputOf(compliantEvidence()));
      expect(verdict.status).to.equal("ACCEPTED");
      expect(verdict.acceptance).to.deep.equal(PROGRAMMATIC_USER_PER_ENVIRONMENT);
      expect(verdict.acceptance?.decision).to.match(/^IAM users, not instance roles/);
    });

    it("fails a console user without MFA, and passes any user with a device", async () => {
      expect(everyUserHasMfa.assess(await inputOf(compliantEvidence(CONSOLE))).status).to.equal("FAIL");
      expect(everyUserHasMfa.assess(await inputOf(compliantEvidence({ mfaDeviceCount: 1 }))).status).to.equal("PASS");
    });
  });

  it("ckv-aws-273, the temporary-credentials check and cis-1.18 are accepted by the architecture, never passed or failed", async () => {
    const input = await inputOf(compliantEvidence());
    for (const control of [noIamUsers, temporaryCredentials, instanceRoles]) {
      const verdict = control.assess(input);
      expect(verdict.status, control.id).to.equal("ACCEPTED");
      expect(verdict.acceptance, control.id).to.deep.equal(PROGRAMMATIC_USER_PER_ENVIRONMENT);
    }
  });

  describe("iam-25, the user is tagged", () => {
    it("passes the program's tags and fails a user with only AWS's own", async () => {
      expect(userTagged.assess(await inputOf(compliantEvidence())).status).to.equal("PASS");
      const untagged = compliantEvidence({ user: { ...compliantEvidence().user, tags: { "aws:cloudformation:stack-name": "x" } } });
      const verdict = userTagged.assess(await inputOf(untagged));
      expect(verdict.status).to.equal("FAIL");
      expect(verdict.reason).to.include("`npm run provision -- dev`");
    });
  });
});

describe("compliance: permission controls", () => {
  describe("cis-1.15, permissions only through groups", () => {
    it("passes the stack's layout: the policy through the group, nothing on the user", async () => {
      const verdict = permissionsOnlyThroughGroups.assess(await inputOf(compliantEvidence()));
      expect(verdict.status).to.equal("PASS");
      expect(verdict.reason).to.include("group(s) talentbase-backend-dev-s3");
    });

    it("fails the stack's policy still attached directly (an adopted user before the update that detaches it), with both ways out", async () => {
      const evidence = compliantEvidence({ attachedPolicies: [STACK_POLICY] });
      const verdict = permissionsOnlyThroughGroups.assess(await inputOf(evidence));
      expect(verdict.status).to.equal("FAIL");
      expect(verdict.reason)
        .to.include("talentbase-backend-dev-s3-policy is attached to the user directly")
        .and.include("`npm run provision -- dev`")
        .and.include(
          `aws iam detach-user-policy --user-name talentbase-backend-dev --policy-arn arn:aws:iam::${ACCOUNT}:policy/talentbase-backend-dev-s3-policy`,
        );
    });

    it("fails an inline policy on the user", async () => {
      const evidence = compliantEvidence({ inlinePolicies: [policy("legacy", [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }])] });
      const verdict = permissionsOnlyThroughGroups.assess(await inputOf(evidence));
      expect(verdict.status).to.equal("FAIL");
      expect(verdict.reason).to.include("legacy is not the stack's");
    });
  });

  it("ckv2-aws-21 passes a member of a group and fails a user in none", async () => {
    expect(memberOfAGroup.assess(await inputOf(compliantEvidence())).status).to.equal("PASS");
    const verdict = memberOfAGroup.assess(await inputOf(compliantEvidence({ groups: [], attachedPolicies: [STACK_POLICY] })));
    expect(verdict.status).to.equal("FAIL");
    expect(verdict.reason).to.include("member of talentbase-backend-dev-s3");
  });

  it('cis-1.16 passes the stack\'s policy and fails "*" on "*" reaching the user through any group', async () => {
    expect(noFullAdministrator.assess(await inputOf(compliantEvidence())).status).to.equal("PASS");
    const evidence = compliantEvidence({ groups: [...compliantEvidence().groups, { name: "admins", attachedPolicies: [ADMIN], inlinePolicies: [] }] });
    const verdict = noFullAdministrator.assess(await inputOf(evidence));
    expect(verdict.status).to.equal("FAIL");
    expect(verdict.reason).to.include("policy AdministratorAccess of group admins");
  });

  it("iam-21 fails a whole-service wildcard in the account's own policy, but not in an AWS managed one", async () => {
    expect(noServiceWildcards.assess(await inputOf(compliantEvidence())).status).to.equal("PASS");
    const own = policy(
      "wide",
      [{ Effect: "Allow", Action: ["s3:*"], Resource: "arn:aws:s3:::talentbase-dev-uploads/*" }],
      `arn:aws:iam::${ACCOUNT}:policy/wide`,
    );
    const verdict = noServiceWildcards.assess(await inputOf(compliantEvidence({ inlinePolicies: [own] })));
    expect(verdict.status).to.equal("FAIL");
    expect(verdict.reason).to.include("allows s3:*");
    const managed = policy("AmazonS3FullAccess", [{ Effect: "Allow", Action: "s3:*", Resource: "*" }], "arn:aws:iam::aws:policy/AmazonS3FullAccess");
    expect(
      noServiceWildcards.assess(await inputOf(compliantEvidence({ groups: [{ name: "g", attachedPolicies: [managed], inlinePolicies: [] }] }))).status,
    ).to.equal("PASS");
  });

  it("cis-1.22 fails AWSCloudShellFullAccess reaching the user, and passes without it", async () => {
    expect(noCloudShellFullAccess.assess(await inputOf(compliantEvidence())).status).to.equal("PASS");
    const cloudShell = policy(
      "AWSCloudShellFullAccess",
      [{ Effect: "Allow", Action: "cloudshell:*", Resource: "*" }],
      "arn:aws:iam::aws:policy/AWSCloudShellFullAccess",
    );
    expect(noCloudShellFullAccess.assess(await inputOf(compliantEvidence({ attachedPolicies: [cloudShell] }))).status).to.equal("FAIL");
  });
});
