import { expect } from "chai";
import { diffPolicyDocuments, hasDrift } from "../../../automation/verify/policy/policyDrift";
import { canonicalPolicy } from "../../../infra/policy/canonicalPolicy";
import { buildUploadsPolicy } from "../../../infra/policy";
import { equivalentPolicies } from "../../../sandbox/provider/aws/policyDocument";

const program = buildUploadsPolicy({ bucketName: "talentbase-dev-uploads", partition: "aws" });

/** The same document with one action respelled, as the old setup-iam.sh wrote it. */
const respelled = {
  ...program,
  Statement: program.Statement.map((statement) => ({
    ...statement,
    Action: statement.Action.map((action) => (action === "s3:GetBucketCORS" ? "s3:GetBucketCors" : action)),
  })),
};

describe("the one canonical form of a policy", () => {
  it("treats action names case-insensitively, as IAM does", () => {
    expect(canonicalPolicy(respelled)).to.equal(canonicalPolicy(program));
  });

  it("is what the drift check and the sandbox's provider both use, so they agree", () => {
    const variants = [respelled, { ...program, Statement: [...program.Statement].reverse() }, { ...program, Statement: program.Statement.slice(1) }];
    for (const variant of variants) {
      const sameForDriftCheck = !hasDrift(diffPolicyDocuments(program, variant));
      const sameForProvider = equivalentPolicies(JSON.stringify(program), JSON.stringify(variant));
      expect(sameForDriftCheck).to.equal(sameForProvider);
    }
  });
});
