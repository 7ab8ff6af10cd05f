import { expect } from "chai";
import { assessAccessKeys } from "../../../automation/verify/checks/accessKeys";
import { assessKeyAge, judgeKeyAges } from "../../../automation/verify/checks/keyAge";
import { judgeIdleKeys } from "../../../automation/verify/checks/keyIdle";
import type { BookedKey } from "../../../automation/keys/keyBook";
import { tagMismatches } from "../../../automation/verify/checks/tags";
import { describeRequest, leastPrivilegeRequests, probeObjectArn, requestKey } from "../../../automation/verify/policy/accessRequests";
import { simulateLocally } from "../../../automation/verify/policy/localSimulator";
import { buildUploadsPolicy, type PolicyDocument } from "../../../infra/policy";
import { resolveEndpoint } from "../../../automation/aws/clients";

const DAY = 86_400_000;
const NOW = new Date("2026-11-27T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

describe("assessAccessKeys: every key accounted for", () => {
  const key = (id: string, status: "Active" | "Inactive", createdDaysAgo = 3, lastUsedDaysAgo?: number) => ({
    id,
    status,
    createdAt: daysAgo(createdDaysAgo),
    ...(lastUsedDaysAgo === undefined ? {} : { lastUsed: { at: daysAgo(lastUsedDaysAgo), service: "s3", region: "us-east-1" } }),
  });
  const assess = (keys: ReturnType<typeof key>[], known: { current: string; retiring?: string; unmanaged?: string[] }) =>
    assessAccessKeys("local", keys, { unmanaged: [], ...known }, NOW);

  it("passes one Active stack key", () => {
    expect(assess([key("AKIA1", "Active")], { current: "AKIA1" })).to.deep.equal({
      status: "PASS",
      detail: "stack key AKIA1 is Active; 1 of the 2 keys IAM allows a user",
    });
  });
  it("fails when the stack key is missing, listing what exists", () => {
    const outcome = assess([key("AKIA2", "Active")], { current: "AKIA1", unmanaged: ["AKIA2"] });
    expect(outcome.status).to.equal("FAIL");
    expect(outcome.detail).to.match(/^stack key AKIA1 does not exist \(keys: unmanaged key AKIA2/);
  });
  it("fails when the stack key is Inactive", () => {
    expect(assess([key("AKIA1", "Inactive")], { current: "AKIA1" }).detail).to.match(/^stack key AKIA1 is Inactive/);
  });
  it("fails an Active key the stack does not know, naming its id, age, last use and the command that removes it", () => {
    const outcome = assess([key("AKIA1", "Active"), key("AKIA9", "Active", 5, 1)], { current: "AKIA1" });
    expect(outcome.status).to.equal("FAIL");
    expect(outcome.detail).to.include(
      "an Active key the stack does not know: AKIA9 (Active, 5 days old, last used 2026-11-26T12:00:00Z (s3, us-east-1)): remove it with `npm run retire-key -- local AKIA9`",
    );
  });
  it("warns about an Inactive key the stack does not know", () => {
    const outcome = assess([key("AKIA1", "Active"), key("AKIA9", "Inactive")], { current: "AKIA1" });
    expect(outcome.status).to.equal("WARN");
    expect(outcome.detail).to.include("Inactive key AKIA9 is not the stack's: remove it with `npm run retire-key -- local AKIA9`");
  });
  it("warns about an adopted key until it is retired, naming the way forward", () => {
    const outcome = assess([key("AKIA1", "Active"), key("AKIAOLD", "Active", 400, 0)], { current: "AKIA1", unmanaged: ["AKIAOLD"] });
    expect(outcome.status).to.equal("WARN");
    expect(outcome.detail).to.include("key AKIAOLD predates the stack (adopted): switch its consumers to AKIA1, then `npm run retire-key -- local AKIAOLD`");
    expect(outcome.detail).to.include("unmanaged key AKIAOLD (Active, 400 days old, last used");
  });
  it("reports the old key of an open rotation without failing or warning", () => {
    const outcome = assess([key("AKIANEW", "Active", 0), key("AKIAOLD", "Active", 80, 0)], { current: "AKIANEW", retiring: "AKIAOLD" });
    expect(outcome.status).to.equal("PASS");
    expect(outcome.detail).to.match(
      /^rotation open \(keys: current key AKIANEW \(Active, 0 days old, never used\); retiring key AKIAOLD \(Active, 80 days old/,
    );
  });
});

describe("assessKeyAge", () => {
  const REMEDY = "`npm run rotate -- dev start`";
  it("passes before the last 10% of the limit", () => {
    expect(assessKeyAge(daysAgo(80), NOW, 90, REMEDY).status).to.equal("PASS");
  });
  it("warns from 90% of the limit, naming the due date and the command", () => {
    const outcome = assessKeyAge(daysAgo(81), NOW, 90, REMEDY);
    expect(outcome.status).to.equal("WARN");
    expect(outcome.detail).to.equal("81 days old (limit 90): rotate by 2026-12-06 (9 days left): `npm run rotate -- dev start`");
  });
  it("still warns on the last day", () => {
    expect(assessKeyAge(daysAgo(90), NOW, 90, REMEDY).status).to.equal("WARN");
  });
  it("fails past the limit, saying since when and what to run", () => {
    expect(assessKeyAge(daysAgo(65), NOW, 60, REMEDY)).to.deep.equal({
      status: "FAIL",
      detail: "65 days old (limit 60): rotation overdue since 2026-11-22 (5 days): `npm run rotate -- dev start`",
    });
  });
});

describe("judgeKeyAges", () => {
  const booked = (id: string, role: BookedKey["role"], ageDays: number): BookedKey => ({ id, role, status: "Active", createdAt: daysAgo(ageDays) });

  it("fails an overdue current key with the command that starts its rotation", () => {
    const outcome = judgeKeyAges("prod", [booked("AKIAOLD", "current", 65)], NOW, 60);
    expect(outcome.status).to.equal("FAIL");
    expect(outcome.detail).to.equal("key AKIAOLD is 65 days old (limit 60): rotation overdue since 2026-11-22 (5 days): `npm run rotate -- prod start`");
  });

  it("once a rotation is open, reports the overdue old key as a warning naming the step that retires it", () => {
    const outcome = judgeKeyAges("prod", [booked("AKIANEW", "current", 0), booked("AKIAOLD", "retiring", 65)], NOW, 60);
    expect(outcome).to.deep.equal({
      status: "WARN",
      detail:
        "key AKIANEW is 0 days old (limit 60): rotation due 2027-01-26 (60 days left); " +
        "old key AKIAOLD of the open rotation is 65 days old (limit 60), past the limit: `npm run rotate -- prod finish` retires it",
    });
  });

  it("passes an open rotation whose old key is within the limit", () => {
    expect(judgeKeyAges("dev", [booked("AKIANEW", "current", 0), booked("AKIAOLD", "retiring", 50)], NOW, 90).status).to.equal("PASS");
  });

  it("fails an adopted key past the limit with its retire-key command", () => {
    const outcome = judgeKeyAges("dev", [booked("AKIANEW", "current", 1), booked("AKIASETUP", "unmanaged", 120)], NOW, 90);
    expect(outcome.status).to.equal("FAIL");
    expect(outcome.detail).to.include("adopted key AKIASETUP is 120 days old (limit 90), past the limit: `npm run retire-key -- dev AKIASETUP` retires it");
  });

  it("fails when the stack's key is not among the user's keys", () => {
    expect(judgeKeyAges("dev", [booked("AKIAOTHER", "unknown", 1)], NOW, 90).status).to.equal("FAIL");
  });
});

describe("tagMismatches", () => {
  const expected = { Environment: "dev", Project: "talentbase" };
  it("accepts extra tags", () => {
    expect(
      tagMismatches(expected, [
        { Key: "Environment", Value: "dev" },
        { Key: "Project", Value: "talentbase" },
        { Key: "Owner", Value: "x" },
      ]),
    ).to.be.empty;
  });
  it("names missing and wrong tags", () => {
    expect(tagMismatches(expected, [{ Key: "Environment", Value: "prod" }])).to.deep.equal(["Environment=prod, expected dev", "Project missing"]);
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
    expect(requests.forbidden.filter((request) => request.resource === "*").map((request) => request.action)).to.deep.equal(["iam:CreateUser", "iam:PassRole"]);
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

describe("judgeIdleKeys (CIS 1.12)", () => {
  const booked = (
    id: string,
    role: BookedKey["role"],
    createdDaysAgo: number,
    lastUsedDaysAgo?: number,
    status: "Active" | "Inactive" = "Active",
  ): BookedKey => ({
    id,
    role,
    status,
    createdAt: daysAgo(createdDaysAgo),
    ...(lastUsedDaysAgo === undefined ? {} : { lastUsed: { at: daysAgo(lastUsedDaysAgo), service: "s3", region: "us-east-1" } }),
  });

  it("passes a key used within the limit, and a young key never used yet", () => {
    expect(judgeIdleKeys("dev", "dev", [booked("AKIAUSED", "current", 60, 3)], NOW, 45).status).to.equal("PASS");
    expect(judgeIdleKeys("dev", "dev", [booked("AKIANEW", "current", 2)], NOW, 45).detail).to.equal(
      "used within 45 days: key AKIANEW never used, made 2 days ago",
    );
  });

  it("warns on dev and fails on prod for a key unused for the limit or more, never used counting from its creation", () => {
    const dev = judgeIdleKeys("dev", "dev", [booked("AKIAIDLE", "current", 80, 45)], NOW, 45);
    expect(dev.status).to.equal("WARN");
    expect(dev.detail).to.equal(
      "key AKIAIDLE unused for 45 days (limit 45): nothing runs on it; check Django's deploy uses it (`npm run outputs -- dev`), or remove this environment's identity (`npm run destroy -- dev`)",
    );
    expect(judgeIdleKeys("prod", "prod", [booked("AKIANEVER", "current", 50)], NOW, 45).status).to.equal("FAIL");
  });

  it("names retire-key for an idle adopted key, and leaves the old key of a rotation and Inactive keys alone", () => {
    const keys = [
      booked("AKIACUR", "current", 10, 1),
      booked("AKIASETUP", "unmanaged", 200, 90),
      booked("AKIAOLD", "retiring", 100, 60),
      booked("AKIAOFF", "unknown", 100, 60, "Inactive"),
    ];
    const outcome = judgeIdleKeys("staging", "staging", keys, NOW, 45);
    expect(outcome).to.deep.equal({ status: "WARN", detail: "adopted key AKIASETUP unused for 90 days (limit 45): `npm run retire-key -- staging AKIASETUP`" });
  });
});
