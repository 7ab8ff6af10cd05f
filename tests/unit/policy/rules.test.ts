import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { RESOURCE_TYPES } from "../../../infra/resourceTypes";
import { buildUploadsPolicy } from "../../../infra/policy";
import {
  directUserGrant,
  LOGIN_PROFILE_TYPE,
  loginProfile,
  POLICY_ATTACHMENT_TYPE,
  policiesOutsideGroups,
  USER_GRANT_TYPES,
  wildcardActions,
} from "../../../policy/rules";

const token = (resourceClass: unknown) => (resourceClass as { __pulumiType: string }).__pulumiType;
const resource = (type: string, props: Record<string, unknown> = {}, urn = `urn:pulumi:dev::talentbase-iam::${type}::x`) => ({ type, urn, props });

describe("the CrossGuard pack's rules (policy/rules.ts)", () => {
  it("name the @pulumi/aws classes they refuse by their real tokens", () => {
    expect(USER_GRANT_TYPES).to.deep.equal([token(aws.iam.UserPolicyAttachment), token(aws.iam.UserPolicy), token(aws.iam.UserPolicyAttachmentsExclusive)]);
    expect(POLICY_ATTACHMENT_TYPE).to.equal(token(aws.iam.PolicyAttachment));
    expect(LOGIN_PROFILE_TYPE).to.equal(token(aws.iam.UserLoginProfile));
  });

  it("refuse a policy attached to or inline in a user, and a PolicyAttachment naming users; allow groups", () => {
    expect(directUserGrant(resource(RESOURCE_TYPES.userPolicyAttachment))).to.match(/gives a user permissions of its own/);
    expect(directUserGrant(resource("aws:iam/userPolicy:UserPolicy"))).to.match(/attach the policy to a group/);
    expect(directUserGrant(resource(POLICY_ATTACHMENT_TYPE, { users: ["talentbase-backend-dev"] }))).to.include("user(s) talentbase-backend-dev");
    expect(directUserGrant(resource(POLICY_ATTACHMENT_TYPE, { groups: ["talentbase-backend-dev-s3"], users: [] }))).to.equal(undefined);
    expect(directUserGrant(resource(RESOURCE_TYPES.groupPolicyAttachment))).to.equal(undefined);
  });

  it("refuse a login profile", () => {
    expect(loginProfile(resource(LOGIN_PROFILE_TYPE))).to.match(/programmatic-only/);
    expect(loginProfile(resource(RESOURCE_TYPES.user))).to.equal(undefined);
  });

  it("find wildcard actions and NotAction in Allow statements only; the program's uploads policy has none", () => {
    const document = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["s3:GetObject", "s3:Put*"], Resource: "*" },
        { Effect: "Allow", Action: "*", Resource: "*" },
        { Effect: "Allow", NotAction: "iam:*", Resource: "*" },
        { Effect: "Deny", Action: "s3:*", Resource: "*" },
      ],
    };
    expect(wildcardActions(JSON.stringify(document))).to.deep.equal(["s3:Put*", "*", "NotAction iam:*"]);
    expect(wildcardActions(JSON.stringify(buildUploadsPolicy({ bucketName: "talentbase-dev-uploads", partition: "aws" })))).to.deep.equal([]);
    expect(wildcardActions(undefined), "unknown in a preview").to.deep.equal([]);
  });

  it("find a managed policy no group attachment grants, matching a preview's new attachment by where its policyArn comes from", () => {
    const policy = resource(RESOURCE_TYPES.policy, {}, "urn:policy");
    const granted = resource(RESOURCE_TYPES.groupPolicyAttachment, { group: "talentbase-backend-dev-s3" }, "urn:attachment");
    expect(policiesOutsideGroups([policy, { ...granted, inputsFrom: { policyArn: ["urn:policy"] } }])).to.deep.equal([]);
    const deployed = resource(RESOURCE_TYPES.policy, { arn: "arn:aws:iam::123456789012:policy/p" }, "urn:deployed");
    expect(
      policiesOutsideGroups([deployed, resource(RESOURCE_TYPES.groupPolicyAttachment, { policyArn: "arn:aws:iam::123456789012:policy/p" })]),
    ).to.deep.equal([]);
    expect(
      policiesOutsideGroups([policy, deployed, resource(RESOURCE_TYPES.userPolicyAttachment, { policyArn: "arn:aws:iam::123456789012:policy/p" })]),
    ).to.deep.equal(["urn:policy", "urn:deployed"]);
  });
});
