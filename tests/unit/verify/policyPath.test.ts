import { expect } from "chai";
import { judgePolicyPath, type PolicyPath } from "../../../automation/verify/checks/policyAttached";
import { otherPolicies } from "../../../automation/verify/checks/policyDrift";

const POLICY = "arn:aws:iam::123456789012:policy/talentbase-backend-dev-s3-policy";
const GROUP = "talentbase-backend-dev-s3";
const attached = (arn: string) => ({ PolicyArn: arn, PolicyName: arn.split("/").at(-1)! });

/** The program's layout for dev: the policy on the group, the user a member, nothing on the user. */
const layout = (overrides: Partial<PolicyPath> = {}): PolicyPath => ({
  stack: "dev",
  environment: "dev",
  userName: "talentbase-backend-dev",
  policyArn: POLICY,
  groupName: GROUP,
  attachedToUser: [],
  inlineInUser: [],
  groups: [{ name: GROUP, attachedPolicies: [attached(POLICY)] }],
  ...overrides,
});

describe("judgePolicyPath: the stack's policy reaches the user only through its group", () => {
  it("passes the program's layout", () => {
    expect(judgePolicyPath(layout())).to.deep.equal({ status: "PASS", detail: `${POLICY} reaches talentbase-backend-dev only through group ${GROUP}` });
  });

  it("fails a user outside the group, with the refresh that puts it back", () => {
    expect(judgePolicyPath(layout({ groups: [] }))).to.deep.equal({
      status: "FAIL",
      detail: `talentbase-backend-dev is not a member of group ${GROUP}: \`npm run provision -- dev --refresh\` puts the group back`,
    });
  });

  it("fails a group without the policy", () => {
    expect(judgePolicyPath(layout({ groups: [{ name: GROUP, attachedPolicies: [] }] })).detail).to.equal(
      `${POLICY} is not attached to group ${GROUP}: \`npm run provision -- dev --refresh\` puts the group back`,
    );
  });

  it("fails the policy attached directly; offers the detach only once the group grants it", () => {
    const both = judgePolicyPath(layout({ attachedToUser: [POLICY] }));
    expect(both.detail).to.equal(
      `${POLICY} is attached to the user directly: the group grants the policy, so \`aws iam detach-user-policy --user-name talentbase-backend-dev --policy-arn ${POLICY}\``,
    );
    const directOnly = judgePolicyPath(layout({ attachedToUser: [POLICY], groups: [] }));
    expect(directOnly.detail).to.include("detach it once the group grants the policy").and.not.include("detach-user-policy");
  });

  it("fails policies of the user's own, managed or inline, whoever put them there", () => {
    const outcome = judgePolicyPath(layout({ attachedToUser: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], inlineInUser: ["sneaky"] }));
    expect(outcome).to.deep.equal({
      status: "FAIL",
      detail: "the user has policies of its own: arn:aws:iam::aws:policy/ReadOnlyAccess, inline sneaky: attach those to a group instead, or remove them",
    });
  });

  it("does not mind other groups: what they grant is drift's and least privilege's business", () => {
    expect(
      judgePolicyPath(
        layout({
          groups: [
            { name: "developers", attachedPolicies: [] },
            { name: GROUP, attachedPolicies: [attached(POLICY)] },
          ],
        }),
      ).status,
    ).to.equal("PASS");
  });
});

describe("otherPolicies: what reaches the user besides the stack's policy through its group", () => {
  const inline = (name: string) => ({ name, document: { Statement: [] } });

  it("is nothing for the program's layout", () => {
    expect(
      otherPolicies(POLICY, GROUP, { attached: [], inline: [] }, [{ name: GROUP, attachedPolicies: [attached(POLICY)], inlinePolicies: [] }]),
    ).to.deep.equal([]);
  });

  it("names the user's own, the stack group's others and every other group with its grants", () => {
    const found = otherPolicies(POLICY, GROUP, { attached: [attached(POLICY)], inline: [inline("sneaky")] }, [
      { name: GROUP, attachedPolicies: [attached(POLICY), attached("arn:aws:iam::123456789012:policy/extra")], inlinePolicies: [inline("note")] },
      { name: "developers", attachedPolicies: [attached("arn:aws:iam::aws:policy/ReadOnlyAccess")], inlinePolicies: [] },
      { name: "empty", attachedPolicies: [], inlinePolicies: [] },
    ]);
    expect(found).to.deep.equal([
      "attached talentbase-backend-dev-s3-policy (directly)",
      "inline sneaky",
      `attached extra (group ${GROUP})`,
      `inline note (group ${GROUP})`,
      "group developers (attached ReadOnlyAccess)",
      "group empty",
    ]);
  });
});
