import { expect } from "chai";
import { buildUploadsPolicy, lintPolicy } from "../../../infra/policy";

describe("buildUploadsPolicy", () => {
  it("grants exactly the object and bucket permissions of the original architecture, and denies ACLs that would make an upload public", () => {
    expect(buildUploadsPolicy({ bucketName: "talentbase-dev-uploads", partition: "aws" })).to.deep.equal({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "UploadsObjectAccess",
          Effect: "Allow",
          Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:PutObjectAcl"],
          Resource: ["arn:aws:s3:::talentbase-dev-uploads/*"],
        },
        {
          Sid: "UploadsBucketRead",
          Effect: "Allow",
          Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketCORS", "s3:GetBucketPolicy"],
          Resource: ["arn:aws:s3:::talentbase-dev-uploads"],
        },
        {
          Sid: "DenyPublicObjectAcls",
          Effect: "Deny",
          Action: ["s3:PutObjectAcl"],
          Resource: ["arn:aws:s3:::talentbase-dev-uploads/*"],
          Condition: { StringEquals: { "s3:x-amz-acl": ["public-read", "public-read-write", "authenticated-read"] } },
        },
        {
          Sid: "DenyObjectAclsWithoutCannedAcl",
          Effect: "Deny",
          Action: ["s3:PutObjectAcl"],
          Resource: ["arn:aws:s3:::talentbase-dev-uploads/*"],
          Condition: { Null: { "s3:x-amz-acl": "true" } },
        },
      ],
    });
  });

  it("puts the configured partition into every ARN", () => {
    const doc = buildUploadsPolicy({ bucketName: "talentbase-prod-uploads", partition: "aws-us-gov" });
    expect(doc.Statement.flatMap((s) => s.Resource)).to.deep.equal([
      "arn:aws-us-gov:s3:::talentbase-prod-uploads/*",
      "arn:aws-us-gov:s3:::talentbase-prod-uploads",
      "arn:aws-us-gov:s3:::talentbase-prod-uploads/*",
      "arn:aws-us-gov:s3:::talentbase-prod-uploads/*",
    ]);
  });

  it("passes the policy guard for every partition", async () => {
    for (const partition of ["aws", "aws-cn", "aws-us-gov"] as const) {
      expect(await lintPolicy(buildUploadsPolicy({ bucketName: "talentbase-staging-uploads", partition }))).to.deep.equal([]);
    }
  });
});
