import { expect } from "chai";
import { buildUploadsPolicy } from "../../../infra/policy";
import { parsePolicyDocument } from "../../../automation/verify/policy/livePolicyDocument";
import { diffPolicyDocuments, hasDrift } from "../../../automation/verify/policy/policyDrift";

const expected = buildUploadsPolicy({ bucketName: "talentbase-dev-uploads", partition: "aws" });
const [objects, bucket, ...denies] = expected.Statement;

describe("diffPolicyDocuments", () => {
  it("finds no drift in the same document", () => {
    expect(hasDrift(diffPolicyDocuments(expected, expected))).to.equal(false);
  });

  it("ignores statement order, list order and single values versus lists", () => {
    const [publicAcls, withoutCanned] = denies;
    const acls = publicAcls!.Condition!["StringEquals"]!["s3:x-amz-acl"] as readonly string[];
    const live = {
      Version: "2012-10-17",
      Statement: [
        withoutCanned!,
        bucket!,
        { ...objects!, Action: [...objects!.Action].reverse(), Resource: objects!.Resource[0]! },
        { ...publicAcls!, Action: "s3:PutObjectAcl", Condition: { StringEquals: { "s3:x-amz-acl": [...acls].reverse() } } },
      ],
    };
    expect(hasDrift(diffPolicyDocuments(expected, live))).to.equal(false);
  });

  it("names a changed statement as missing and its live form as unexpected", () => {
    const live = { ...expected, Statement: [objects!, { ...bucket!, Action: ["s3:*"] }, ...denies] };
    expect(diffPolicyDocuments(expected, live)).to.deep.equal({
      missing: ["UploadsBucketRead"],
      unexpected: ["UploadsBucketRead"],
      versionDiffers: false,
    });
  });

  it("labels a statement without Sid by its position", () => {
    const live = { ...expected, Statement: [...expected.Statement, { Effect: "Allow", Action: "iam:*", Resource: "*" }] };
    expect(diffPolicyDocuments(expected, live).unexpected).to.deep.equal(["Statement[4]"]);
  });

  it("counts a Condition added to a statement as drift", () => {
    const live = { ...expected, Statement: [objects!, { ...bucket!, Condition: { Bool: { "aws:SecureTransport": "true" } } }, ...denies] };
    expect(hasDrift(diffPolicyDocuments(expected, live))).to.equal(true);
  });

  it("counts a Deny statement dropped or its condition changed as drift, naming it", () => {
    const [publicAcls, withoutCanned] = denies;
    expect(diffPolicyDocuments(expected, { ...expected, Statement: [objects!, bucket!, publicAcls!] }).missing).to.deep.equal([
      "DenyObjectAclsWithoutCannedAcl",
    ]);
    const weakened = { ...withoutCanned!, Condition: { Null: { "s3:x-amz-acl": "false" } } };
    expect(diffPolicyDocuments(expected, { ...expected, Statement: [objects!, bucket!, publicAcls!, weakened] })).to.deep.equal({
      missing: ["DenyObjectAclsWithoutCannedAcl"],
      unexpected: ["DenyObjectAclsWithoutCannedAcl"],
      versionDiffers: false,
    });
  });
});

describe("parsePolicyDocument", () => {
  it("decodes IAM's URL-encoded documents and accepts plain JSON", () => {
    const json = JSON.stringify(expected);
    expect(parsePolicyDocument(encodeURIComponent(json))).to.deep.equal(expected);
    expect(parsePolicyDocument(json)).to.deep.equal(expected);
  });
});
