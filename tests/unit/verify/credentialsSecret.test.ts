import { expect } from "chai";
import { assessCredentialsDocument } from "../../../automation/verify/checks/credentialsSecret";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const STACK = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", bucketName: "talentbase-prod-uploads", region: "us-east-1" };
const LABEL = "talentbase/prod/aws-credentials AWSCURRENT (version v1)";
const document = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    AWS_ACCESS_KEY_ID: STACK.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_STORAGE_BUCKET_NAME: STACK.bucketName,
    AWS_S3_REGION_NAME: STACK.region,
    ...overrides,
  });
const detailOf = (secretString: string) => {
  const result = assessCredentialsDocument(secretString, STACK, LABEL);
  if (!("outcome" in result)) throw new Error("expected a failure");
  expect(result.outcome.status).to.equal("FAIL");
  expect(result.outcome.detail, "never quotes the secret").not.to.include(SECRET);
  return result.outcome.detail;
};

describe("assessCredentialsDocument", () => {
  it("returns the pair to authenticate with when the document names the stack's key, bucket and region", () => {
    expect(assessCredentialsDocument(document(), STACK, LABEL)).to.deep.equal({ pair: { accessKeyId: STACK.accessKeyId, secretAccessKey: SECRET } });
  });

  it("fails a value that is not a JSON object, without quoting it", () => {
    expect(detailOf(SECRET)).to.equal(`${LABEL} is not JSON`);
    expect(detailOf(JSON.stringify([SECRET]))).to.equal(`${LABEL} is not a JSON object`);
  });

  it("names every django-storages setting the document lacks", () => {
    expect(detailOf(document({ AWS_SECRET_ACCESS_KEY: undefined, AWS_S3_REGION_NAME: "" }))).to.equal(
      `${LABEL} lacks AWS_SECRET_ACCESS_KEY, AWS_S3_REGION_NAME`,
    );
  });

  it("fails a document naming another key, bucket or region, saying which", () => {
    expect(detailOf(document({ AWS_ACCESS_KEY_ID: "AKIAI44QH8DHBEXAMPLE" }))).to.equal(
      `${LABEL} names key AKIAI44QH8DHBEXAMPLE, not the stack's current key AKIAIOSFODNN7EXAMPLE`,
    );
    expect(detailOf(document({ AWS_STORAGE_BUCKET_NAME: "other", AWS_S3_REGION_NAME: "eu-west-1" }))).to.equal(
      `${LABEL} names bucket other, not talentbase-prod-uploads; region eu-west-1, not us-east-1`,
    );
  });
});
