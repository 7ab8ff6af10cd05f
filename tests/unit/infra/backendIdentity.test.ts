import { expect } from "chai";
import { backendIdentityNames, backendTags } from "../../../infra/components/backendIdentity";
import { bucketNameViolations } from "../../../infra/config";

describe("backendIdentityNames", () => {
  it("derives the user, policy and group names the Django deploy and runbooks expect", () => {
    expect(backendIdentityNames("prod")).to.deep.equal({
      userName: "talentbase-backend-prod",
      policyName: "talentbase-backend-prod-s3-policy",
      groupName: "talentbase-backend-prod-s3",
    });
  });
});

describe("backendTags", () => {
  it("tags with the environment, the project, the purpose and Pulumi as manager", () => {
    expect(backendTags("staging")).to.deep.equal({
      Environment: "staging",
      Project: "talentbase",
      Purpose: "backend-s3-access",
      ManagedBy: "pulumi",
    });
  });
});

describe("bucketNameViolations", () => {
  for (const name of ["abc", "a".repeat(63), "talentbase-dev-uploads", "media.talentbase.example", "1talentbase9"]) {
    it(`accepts the valid bucket name ${name.length > 30 ? `${name.slice(0, 10)}... (${name.length} chars)` : name}`, () => {
      expect(bucketNameViolations(name)).to.deep.equal([]);
    });
  }

  it("lists every rule a name breaks", () => {
    expect(bucketNameViolations("-Xn..")).to.deep.equal([
      "it may contain only lowercase letters, digits, '.' and '-'",
      "it must begin and end with a letter or digit",
      "it must not contain two adjacent periods",
    ]);
  });
});
