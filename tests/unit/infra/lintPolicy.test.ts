import { expect } from "chai";
import {
  guardPolicy,
  buildUploadsPolicy,
  lintPolicy,
  PolicyLintError,
  type PolicyDocument,
  type PolicyFinding,
  type PolicyStatement,
} from "../../../infra/policy";

const BUCKET = "arn:aws:s3:::talentbase-dev-uploads";
const OBJECTS = `${BUCKET}/*`;

/** The generated policy plus one extra statement: each test adds exactly the mistake it names. */
function withStatement(statement: Partial<PolicyStatement>): PolicyDocument {
  const good = buildUploadsPolicy({ bucketName: "talentbase-dev-uploads", partition: "aws" });
  return {
    ...good,
    Statement: [...good.Statement, { Sid: "Extra", Effect: "Allow", Action: [], Resource: [BUCKET], ...statement }],
  };
}

function summary(findings: PolicyFinding[]): Array<Pick<PolicyFinding, "kind" | "sid" | "action">> {
  return findings.map(({ kind, sid, action }) => (action === undefined ? { kind, sid } : { kind, sid, action }));
}

describe("lintPolicy (the policy guard)", () => {
  it("reports a misspelled action as unknown", async () => {
    const findings = await lintPolicy(withStatement({ Action: ["s3:PutObjekt"], Resource: [OBJECTS] }));
    expect(summary(findings)).to.deep.equal([{ kind: "unknown-action", sid: "Extra", action: "s3:PutObjekt" }]);
  });

  it("reports an action of an unknown service as unknown", async () => {
    const findings = await lintPolicy(withStatement({ Action: ["s4:GetObject"], Resource: [OBJECTS] }));
    expect(summary(findings)).to.deep.equal([{ kind: "unknown-action", sid: "Extra", action: "s4:GetObject" }]);
  });

  it("reports a known action spelled other than IAM's canonical name, which moto would deny", async () => {
    const doc: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [{ Sid: "BucketRead", Effect: "Allow", Action: ["s3:GetBucketCors"], Resource: [BUCKET] }],
    };
    expect(summary(await lintPolicy(doc))).to.deep.equal([{ kind: "non-canonical-action", sid: "BucketRead", action: "s3:GetBucketCors" }]);
  });

  for (const action of ["s3:*", "*", "s3:Get*", "s3:PutObjec?"]) {
    it(`reports the wildcard action ${action}`, async () => {
      const findings = await lintPolicy(withStatement({ Action: [action], Resource: [OBJECTS] }));
      expect(summary(findings)).to.deep.equal([{ kind: "wildcard-action", sid: "Extra", action }]);
    });
  }

  it('reports Resource "*"', async () => {
    const findings = await lintPolicy(withStatement({ Sid: "Everything", Action: ["s3:ListAllMyBuckets"], Resource: ["*"] }));
    expect(summary(findings)).to.deep.equal([{ kind: "wildcard-resource", sid: "Everything" }]);
  });

  for (const action of ["iam:CreateAccessKey", "sts:AssumeRole", "kms:Decrypt", "IAM:PassRole"]) {
    it(`reports the ${action.split(":")[0]!.toLowerCase()}: action ${action}`, async () => {
      const findings = await lintPolicy(withStatement({ Action: [action], Resource: ["arn:aws:iam::123456789012:user/x"] }));
      expect(summary(findings)).to.deep.equal([{ kind: "forbidden-service", sid: "Extra", action }]);
    });
  }

  for (const name of [
    "CreateBucket",
    "DeleteBucket",
    "PutBucketPolicy",
    "DeleteBucketPolicy",
    "PutBucketAcl",
    "PutBucketPublicAccessBlock",
    "PutBucketVersioning",
    "PutReplicationConfiguration",
  ]) {
    it(`reports the bucket-administration action s3:${name}`, async () => {
      const findings = await lintPolicy(withStatement({ Sid: "Admin", Action: [`s3:${name}`], Resource: [BUCKET] }));
      expect(summary(findings)).to.deep.equal([{ kind: "bucket-administration", sid: "Admin", action: `s3:${name}` }]);
    });
  }

  it("reports an object action granted on the bucket ARN", async () => {
    const findings = await lintPolicy(withStatement({ Sid: "Misplaced", Action: ["s3:GetObjectTagging"], Resource: [BUCKET] }));
    expect(summary(findings)).to.deep.equal([{ kind: "resource-type-mismatch", sid: "Misplaced", action: "s3:GetObjectTagging" }]);
    expect(findings[0]!.message).to.contain("is an ARN of resource type bucket");
  });

  it("reports a bucket action granted on the object ARN", async () => {
    const findings = await lintPolicy(withStatement({ Sid: "Misplaced", Action: ["s3:GetBucketTagging"], Resource: [OBJECTS] }));
    expect(summary(findings)).to.deep.equal([{ kind: "resource-type-mismatch", sid: "Misplaced", action: "s3:GetBucketTagging" }]);
    expect(findings[0]!.message).to.contain("is an ARN of resource type object");
  });

  it("reports an S3 action granted on a resource of another service", async () => {
    const findings = await lintPolicy(
      withStatement({ Sid: "Elsewhere", Action: ["s3:GetObjectTagging"], Resource: ["arn:aws:sqs:us-east-1:123456789012:queue"] }),
    );
    expect(summary(findings)).to.deep.equal([{ kind: "resource-type-mismatch", sid: "Elsewhere", action: "s3:GetObjectTagging" }]);
  });

  it("reports an action repeated across statements, as the original third statement did", async () => {
    const findings = await lintPolicy(withStatement({ Sid: "Repeat", Action: ["s3:PutObject", "s3:GetObject"], Resource: [OBJECTS] }));
    expect(summary(findings)).to.deep.equal([
      { kind: "duplicate-action", sid: "Repeat", action: "s3:PutObject" },
      { kind: "duplicate-action", sid: "Repeat", action: "s3:GetObject" },
    ]);
  });

  it("accepts a conditional Deny that repeats an allowed action, and a Deny of bucket administration", async () => {
    expect(
      await lintPolicy(withStatement({ Sid: "DenyAdmin", Effect: "Deny", Action: ["s3:DeleteBucket", "s3:PutBucketAcl"], Resource: [BUCKET] })),
    ).to.deep.equal([]);
    expect(await lintPolicy(withStatement({ Sid: "DenyAll", Effect: "Deny", Action: ["s3:PutObjectAcl"], Resource: ["*"] }))).to.deep.equal([]);
  });

  it("reports a Deny that repeats an action of another Deny under the same condition", async () => {
    const condition = { StringEquals: { "s3:x-amz-acl": "public-read" } };
    const findings = await lintPolicy(
      withStatement({ Sid: "DenyAgain", Effect: "Deny", Action: ["s3:PutObjectAcl"], Resource: [OBJECTS], Condition: { Null: { "s3:x-amz-acl": ["true"] } } }),
    );
    expect(summary(findings)).to.deep.equal([{ kind: "duplicate-action", sid: "DenyAgain", action: "s3:PutObjectAcl" }]);
    expect(findings[0]!.message).to.equal('statement "DenyAgain" repeats s3:PutObjectAcl, already denied by "DenyObjectAclsWithoutCannedAcl"');
    expect(
      await lintPolicy(withStatement({ Sid: "DenyOther", Effect: "Deny", Action: ["s3:PutObjectAcl"], Resource: [OBJECTS], Condition: condition })),
    ).to.deep.equal([]);
  });

  it("still reports a forbidden service or bucket administration in an Allow with a condition", async () => {
    const findings = await lintPolicy(withStatement({ Sid: "Sneaky", Action: ["s3:PutBucketPolicy"], Condition: { Bool: { "aws:SecureTransport": "true" } } }));
    expect(summary(findings)).to.deep.equal([{ kind: "bucket-administration", sid: "Sneaky", action: "s3:PutBucketPolicy" }]);
  });

  it("reports a condition key the action does not support: a misspelt key makes a Deny miss what it names", async () => {
    const findings = await lintPolicy(
      withStatement({
        Sid: "DenyTypo",
        Effect: "Deny",
        Action: ["s3:PutObjectAcl"],
        Resource: [OBJECTS],
        Condition: { StringEquals: { "s3:x-amz-acll": "public-read" } },
      }),
    );
    expect(summary(findings)).to.deep.equal([{ kind: "unsupported-condition-key", sid: "DenyTypo", action: "s3:PutObjectAcl" }]);
    expect(findings[0]!.message).to.equal(
      'statement "DenyTypo": s3:PutObjectAcl does not support the condition key s3:x-amz-acll: its requests never carry it, so the condition does not do what it says',
    );
  });

  it("accepts global condition keys and templated service keys", async () => {
    const Condition = { Bool: { "aws:SecureTransport": "false" }, StringEquals: { "s3:ExistingObjectTag/classification": "secret" } };
    expect(await lintPolicy(withStatement({ Sid: "DenyTagged", Effect: "Deny", Action: ["s3:GetObject"], Resource: [OBJECTS], Condition }))).to.deep.equal([]);
  });

  it("reports a statement id used twice", async () => {
    const findings = await lintPolicy(withStatement({ Sid: "UploadsBucketRead", Action: ["s3:GetBucketTagging"] }));
    expect(summary(findings)).to.deep.equal([{ kind: "duplicate-sid", sid: "UploadsBucketRead" }]);
  });

  it("reports documents that are not valid identity policies", async () => {
    const doc = { ...withStatement({ Action: ["s3:GetObjectTagging"], Resource: [OBJECTS] }), Principal: "*" } as PolicyDocument;
    expect(summary(await lintPolicy(doc)).map((f) => f.kind)).to.deep.equal(["invalid-syntax"]);
  });
});

describe("guardPolicy", () => {
  it("throws a PolicyLintError naming the statement Sid and the action", async () => {
    const error = await guardPolicy(withStatement({ Sid: "Admin", Action: ["s3:DeleteBucket"] })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(PolicyLintError);
    expect((error as PolicyLintError).name).to.equal("PolicyLintError");
    expect((error as PolicyLintError).message).to.contain('statement "Admin": s3:DeleteBucket');
  });

  it("returns the generated policy unchanged when it passes", async () => {
    const doc = buildUploadsPolicy({ bucketName: "talentbase-prod-uploads", partition: "aws" });
    expect(await guardPolicy(doc)).to.equal(doc);
  });
});
