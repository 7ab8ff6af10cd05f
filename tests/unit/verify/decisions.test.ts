import { expect } from "chai";
import { assessAccessKeys } from "../../../automation/verify/checks/accessKeys";
import { assessKeyAge } from "../../../automation/verify/checks/keyAge";
import { tagMismatches } from "../../../automation/verify/checks/tags";
import { describeRequest, leastPrivilegeRequests, probeObjectArn, requestKey } from "../../../automation/verify/policy/accessRequests";
import { simulateLocally } from "../../../automation/verify/policy/localSimulator";
import { buildUploadsPolicy, type PolicyDocument } from "../../../infra/policy";
import { resolveEndpoint } from "../../../automation/aws/clients";

const DAY = 86_400_000;
const NOW = new Date("2026-11-27T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

describe("assessAccessKeys", () => {
  const key = (AccessKeyId: string, Status: "Active" | "Inactive") => ({ AccessKeyId, Status });

  it("passes one Active stack key", () => {
    expect(assessAccessKeys([key("AKIA1", "Active")], "AKIA1").status).to.equal("PASS");
  });
  it("fails when no key is Active", () => {
    expect(assessAccessKeys([key("AKIA1", "Inactive")], "AKIA1").detail).to.match(/^no Active access key/);
  });
  it("fails when the stack key is missing even if another is Active", () => {
    expect(assessAccessKeys([key("AKIA2", "Active")], "AKIA1")).to.deep.include({ status: "FAIL" });
  });
  it("fails when the stack key is Inactive but another is Active", () => {
    expect(assessAccessKeys([key("AKIA1", "Inactive"), key("AKIA2", "Active")], "AKIA1").detail).to.match(/AKIA1 is Inactive/);
  });
  it("warns at two keys", () => {
    expect(assessAccessKeys([key("AKIA1", "Active"), key("AKIA2", "Active")], "AKIA1").status).to.equal("WARN");
  });
});

describe("assessKeyAge", () => {
  it("passes before the last 10% of the limit", () => {
    expect(assessKeyAge(daysAgo(80), NOW, 90).status).to.equal("PASS");
  });
  it("warns from 90% of the limit, naming the due date", () => {
    const outcome = assessKeyAge(daysAgo(81), NOW, 90);
    expect(outcome.status).to.equal("WARN");
    expect(outcome.detail).to.equal("81 days old (limit 90): rotate by 2026-12-06 (9 days left)");
  });
  it("still warns on the last day", () => {
    expect(assessKeyAge(daysAgo(90), NOW, 90).status).to.equal("WARN");
  });
  it("fails past the limit, saying since when", () => {
    expect(assessKeyAge(daysAgo(65), NOW, 60)).to.deep.equal({
      status: "FAIL",
      detail: "65 days old (limit 60): rotation overdue since 2026-11-22 (5 days)",
    });
  });
});

describe("tagMismatches", () => {
  const expected = { Environment: "dev", Project: "talentbase" };
  it("accepts extra tags", () => {
    expect(tagMismatches(expected, [{ Key: "Environment", Value: "dev" }, { Key: "Project", Value: "talentbase" }, { Key: "Owner", Value: "x" }])).to.be.empty;
  });
  it("names missing and wrong tags", () => {
    expect(tagMismatches(expected, [{ Key: "Environment", Value: "prod" }])).to.deep.equal([
      "Environment=prod, expected dev",
      "Project missing",
    ]);
  });
});

describe("leastPrivilegeRequests", () => {
  const bucketArn = "arn:aws:s3:::talentbase-dev-uploads";
  const requests = leastPrivilegeRequests(bucketArn, ["iam:CreateUser", "iam:PassRole"]);

  it("requires ListBucket on the bucket, object actions and a private ACL on an object under the probe prefix", () => {
    expect(requests.required).to.deep.equal([
      { action: "s3:ListBucket", resource: bucketArn },
      { action: "s3:PutObject", resource: probeObjectArn(bucketArn) },
      { action: "s3:GetObject", resource: probeObjectArn(bucketArn) },
      { action: "s3:DeleteObject", resource: probeObjectArn(bucketArn) },
      { action: "s3:PutObjectAcl", resource: probeObjectArn(bucketArn), context: { "s3:x-amz-acl": "private" } },
    ]);
  });
  it("forbids the eight bucket-administration actions on the bucket and every IAM action on *", () => {
    expect(requests.forbidden.filter((request) => request.resource === bucketArn).map((request) => request.action)).to.have.lengthOf(8);
    expect(requests.forbidden.filter((request) => request.resource === "*").map((request) => request.action)).to.deep.equal([
      "iam:CreateUser",
      "iam:PassRole",
    ]);
  });
  it("forbids public canned ACLs, grants to AllUsers and AuthenticatedUsers, and an ACL without the canned-ACL header", () => {
    const aclRequests = requests.forbidden.filter((request) => request.action === "s3:PutObjectAcl");
    expect(aclRequests.map(describeRequest)).to.deep.equal([
      `s3:PutObjectAcl on ${probeObjectArn(bucketArn)} with s3:x-amz-acl=public-read`,
      `s3:PutObjectAcl on ${probeObjectArn(bucketArn)} with s3:x-amz-acl=public-read-write`,
      `s3:PutObjectAcl on ${probeObjectArn(bucketArn)} with s3:x-amz-acl=authenticated-read`,
      `s3:PutObjectAcl on ${probeObjectArn(bucketArn)} with s3:x-amz-grant-read=uri="http://acs.amazonaws.com/groups/global/AllUsers"`,
      `s3:PutObjectAcl on ${probeObjectArn(bucketArn)} with s3:x-amz-grant-full-control=uri="http://acs.amazonaws.com/groups/global/AuthenticatedUsers"`,
      `s3:PutObjectAcl on ${probeObjectArn(bucketArn)} without ACL headers`,
    ]);
  });
  it("keys requests by their context too, so a private and a public ACL get their own decisions", () => {
    const [privateAcl] = requests.required.filter((request) => request.action === "s3:PutObjectAcl");
    const keys = new Set([...requests.required, ...requests.forbidden].map(requestKey));
    expect(keys.size).to.equal(requests.required.length + requests.forbidden.length);
    expect(requestKey(privateAcl!)).to.not.equal(requestKey({ action: "s3:PutObjectAcl", resource: probeObjectArn(bucketArn) }));
  });
});

describe("the uploads policy, evaluated locally (iam-simulate)", () => {
  const userArn = "arn:aws:iam::123456789012:user/talentbase-backend-dev";
  const bucketArn = "arn:aws:s3:::talentbase-dev-uploads";
  const { required, forbidden } = leastPrivilegeRequests(bucketArn, ["iam:CreateAccessKey"]);
  const decide = async (policy: PolicyDocument) =>
    simulateLocally({ userArn, identityPolicies: [{ name: "uploads", policy: policy as unknown as Record<string, unknown> }] }, [...required, ...forbidden]);
  const program = buildUploadsPolicy({ bucketName: "talentbase-dev-uploads", partition: "aws" });

  it("allows every required request, a private ACL included, and explicitly denies every public ACL", async () => {
    const decisions = await decide(program);
    expect(required.map((request) => decisions.get(requestKey(request)))).to.deep.equal(required.map(() => "allowed"));
    const acl = forbidden.filter((request) => request.action === "s3:PutObjectAcl");
    expect(acl.map((request) => decisions.get(requestKey(request)))).to.deep.equal(acl.map(() => "explicitDeny"));
  });

  it("allows public ACLs once the Deny statements are gone, as the policy did before", async () => {
    const allowOnly = { ...program, Statement: program.Statement.filter((statement) => statement.Effect === "Allow") };
    const decisions = await decide(allowOnly);
    const acl = forbidden.filter((request) => request.action === "s3:PutObjectAcl");
    expect(acl.map((request) => decisions.get(requestKey(request)))).to.deep.equal(acl.map(() => "allowed"));
  });
});

describe("resolveEndpoint", () => {
  it("prefers the explicit endpoint over AWS_ENDPOINT_URL", () => {
    expect(resolveEndpoint("http://127.0.0.1:1", { AWS_ENDPOINT_URL: "http://127.0.0.1:2" })).to.equal("http://127.0.0.1:1");
  });
  it("falls back to AWS_ENDPOINT_URL, and to none when it is empty", () => {
    expect(resolveEndpoint(undefined, { AWS_ENDPOINT_URL: "http://127.0.0.1:2" })).to.equal("http://127.0.0.1:2");
    expect(resolveEndpoint(undefined, { AWS_ENDPOINT_URL: "" })).to.equal(undefined);
  });
});
