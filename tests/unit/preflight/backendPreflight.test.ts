import { expect } from "chai";
import { kmsKeyFailure, stateBucketFailure } from "../../../automation/preflight/backendPreflight";
import { conventionalKmsUrl } from "../../../automation/preflight/sharedStackCreation";
import { parseAwsKmsUrl } from "../../../automation/backend/awsKmsUrl";
import { parseS3BackendUrl } from "../../../automation/backend/s3StateStore";

/** An error as the AWS SDK v3 throws it: an AWS error name and the answer's HTTP status. */
function awsError(name: string, status: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status, attempts: 1 } });
}

/** A call that never got an answer. */
function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code, $metadata: { attempts: 1 } });
}

const BACKEND = parseS3BackendUrl("s3://talentbase-pulumi-state?region=us-east-1");
const KEEPER = parseAwsKmsUrl("awskms://alias/talentbase-iam-dev?region=us-east-1");
const AT = "AWS";

describe("the state backend preflight: one sentence per way the bucket or the key fails", () => {
  it("names the bucket and what to do for each failure of the listing", () => {
    const sentence = (error: Error) => stateBucketFailure("dev", BACKEND, error, AT);
    expect(sentence(networkError("ECONNREFUSED"))).to.equal(
      "the state bucket talentbase-pulumi-state cannot be reached at AWS (ECONNREFUSED): check the backend URL's endpoint= (the URL you logged in with, or PULUMI_BACKEND_URL: now s3://talentbase-pulumi-state?region=us-east-1) and the network, then run again",
    );
    expect(sentence(Object.assign(new Error("aborted"), { name: "TimeoutError" }))).to.include("cannot be reached at AWS (timed out)");
    expect(sentence(awsError("NoSuchBucket", 404))).to.equal(
      `the state bucket talentbase-pulumi-state does not exist at AWS (NoSuchBucket): create it as docs/team-backend.md shows, or log in to the team's backend (the URL you logged in with, or PULUMI_BACKEND_URL: now s3://talentbase-pulumi-state?region=us-east-1)`,
    );
    expect(sentence(awsError("AccessDenied", 403))).to.equal(
      `access to the state bucket talentbase-pulumi-state is denied (AccessDenied, HTTP 403): your identity needs the operator policy (\`npm run operator-policy -- dev\` prints it: s3:ListBucket on the bucket, s3:GetObject, s3:PutObject and s3:DeleteObject under .pulumi/)`,
    );
    expect(sentence(awsError("InvalidAccessKeyId", 403))).to.match(
      /^the state bucket talentbase-pulumi-state rejected your AWS credentials \(InvalidAccessKeyId, HTTP 403\): log in again/,
    );
    expect(sentence(awsError("PermanentRedirect", 301))).to.match(
      /is in another region than the backend URL says \(PermanentRedirect, HTTP 301\): set region=/,
    );
    expect(sentence(Object.assign(new Error("no creds"), { name: "CredentialsProviderError" }))).to.match(
      /^no AWS credentials for the state bucket talentbase-pulumi-state: /,
    );
    expect(sentence(awsError("InternalError", 500))).to.match(/could not be listed at AWS \(InternalError, HTTP 500\)/);
  });

  it("names the stack's key and what to do for each failure of the data key's decryption", () => {
    const sentence = (error: Error) => kmsKeyFailure("dev", KEEPER, error, AT);
    const key = "the KMS key of stack dev (alias/talentbase-iam-dev, Pulumi.dev.yaml's secretsprovider)";
    expect(sentence(networkError("ENOTFOUND"))).to.equal(
      `${key} cannot be reached at AWS (ENOTFOUND): check the secretsprovider URL's region= and endpoint= and the network, then run again`,
    );
    expect(sentence(awsError("AccessDeniedException", 400))).to.equal(
      `${key} refuses your identity (AccessDeniedException, HTTP 400): it needs kms:Decrypt on the key (the operator policy: \`npm run operator-policy -- dev\` prints it), then run again`,
    );
    expect(sentence(awsError("SyntaxError", 403)), "moto's XML answer to a refused call").to.match(/refuses your identity \(SyntaxError, HTTP 403\)/);
    expect(sentence(awsError("DisabledException", 400))).to.equal(
      `${key} is disabled (DisabledException): an administrator enables it with \`aws kms enable-key --key-id <its key id>\`, then run again`,
    );
    expect(sentence(awsError("KMSInvalidStateException", 400))).to.match(
      /is pending deletion or not usable \(KMSInvalidStateException\): an administrator cancels the deletion/,
    );
    expect(sentence(awsError("NotFoundException", 400))).to.match(/does not exist at AWS \(NotFoundException\)/);
    expect(sentence(awsError("InvalidCiphertextException", 400))).to.match(
      /cannot decrypt the stack's encryptedkey \(InvalidCiphertextException\): Pulumi\.dev\.yaml's secretsprovider and encryptedkey must come from the same stack init \(restore both from git\)/,
    );
    expect(sentence(awsError("UnrecognizedClientException", 400))).to.match(/KMS rejected your AWS credentials \(UnrecognizedClientException, HTTP 400\)/);
  });

  it("gives a team's new stack one KMS key per environment, beside the state bucket", () => {
    expect(conventionalKmsUrl("staging", {}, "eu-west-1")).to.equal("awskms://alias/talentbase-iam-staging?region=eu-west-1");
    expect(conventionalKmsUrl("dev", { region: "us-east-1", endpoint: "http://127.0.0.1:5000", profile: "state" }, "eu-west-1")).to.equal(
      "awskms://alias/talentbase-iam-dev?region=us-east-1&endpoint=http://127.0.0.1:5000&profile=state",
    );
  });
});
