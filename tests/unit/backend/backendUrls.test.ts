import { expect } from "chai";
import { parseAwsKmsUrl } from "../../../automation/backend/awsKmsUrl";
import { BackendUrlError, redactUrl, sdkClientConfig } from "../../../automation/backend/awsUrlOptions";
import { parseS3BackendUrl } from "../../../automation/backend/s3StateStore";
import { backendKindOf } from "../../../automation/backend/stackBackend";

describe("backend and secrets provider URLs, read as the pinned Pulumi CLI reads them", () => {
  describe("s3:// backends (diy backend.go, gocloud.dev s3blob and aws)", () => {
    it("takes the bucket from the host, the folder from the path, and the AWS parameters from the query", () => {
      const backend = parseS3BackendUrl(
        "s3://talentbase-pulumi-state/teams/iam?region=eu-west-1&endpoint=http://127.0.0.1:5000&use_path_style=true&profile=state",
      );
      expect(backend).to.deep.include({ bucket: "talentbase-pulumi-state", prefix: "teams/iam/", forcePathStyle: true, useAccelerateEndpoint: false });
      expect(backend.client).to.deep.equal({ region: "eu-west-1", endpoint: "http://127.0.0.1:5000", profile: "state" });
      expect(sdkClientConfig(backend.client, { maxAttempts: 1 })).to.deep.equal({
        region: "eu-west-1",
        endpoint: "http://127.0.0.1:5000",
        profile: "state",
        maxAttempts: 1,
      });
    });

    it("has no folder for a bare bucket, and leaves region and endpoint to the standard chain when the URL does not name them", () => {
      const backend = parseS3BackendUrl("s3://talentbase-pulumi-state");
      expect(backend).to.deep.include({ bucket: "talentbase-pulumi-state", prefix: "", forcePathStyle: false });
      expect(backend.client).to.deep.equal({});
    });

    it("understands the v1-era names the CLI still translates: s3ForcePathStyle, disableSSL, a scheme-less endpoint", () => {
      expect(parseS3BackendUrl("s3://b?endpoint=minio:9000&disableSSL=true&s3ForcePathStyle=true")).to.deep.include({ forcePathStyle: true });
      expect(parseS3BackendUrl("s3://b?endpoint=minio:9000&disableSSL=true").client.endpoint).to.equal("http://minio:9000");
      expect(parseS3BackendUrl("s3://b?endpoint=minio:9000").client.endpoint).to.equal("https://minio:9000");
      expect(parseS3BackendUrl("s3://b?endpoint=https://minio:9000&disable_https=true").client.endpoint).to.equal("http://minio:9000");
    });

    it("keeps the encryption headers a bucket policy may require, and ignores what only tunes the CLI's own client", () => {
      const backend = parseS3BackendUrl(
        "s3://b?ssetype=aws:kms&kmskeyid=alias/state&request_checksum_calculation=when_required&response_checksum_validation=when_required&awssdk=v2",
      );
      expect(backend).to.deep.include({ serverSideEncryption: "aws:kms", sseKmsKeyId: "alias/state" });
      expect(backend.client).to.deep.equal({});
    });

    it("refuses, in one sentence, what the CLI refuses too or the driver cannot honour", () => {
      const refused = (url: string) => {
        try {
          parseS3BackendUrl(url);
        } catch (error) {
          expect(error).to.be.instanceOf(BackendUrlError);
          return (error as Error).message;
        }
        throw new Error(`${url} was accepted`);
      };
      expect(refused("s3://b?regoin=us-east-1")).to.equal(
        `s3://b?regoin=us-east-1 has the unknown parameter "regoin", which the Pulumi CLI refuses too: remove it (see docs/team-backend.md)`,
      );
      expect(refused("s3://b?use_path_style=yes")).to.equal(`s3://b?use_path_style=yes: use_path_style must be true or false, got "yes"`);
      expect(refused("s3://b?ssetype=DES")).to.equal(`s3://b?ssetype=DES: ssetype must be one of AES256, aws:kms, aws:kms:dsse, got "DES"`);
      expect(refused("s3://b?role=admin")).to.equal(`s3://b?role=admin: role must be a role ARN (arn:...), got "admin"`);
      expect(refused("s3://b?anonymous=true")).to.match(/asks for anonymous access/);
      expect(refused("s3://?region=us-east-1")).to.match(/names no bucket/);
    });

    it("assumes a role= with STS, as the CLI does", () => {
      const config = sdkClientConfig(parseS3BackendUrl("s3://b?region=us-east-1&role=arn:aws:iam::123456789012:role/state").client);
      expect(config).to.have.property("credentials").that.is.a("function");
    });
  });

  describe("awskms:// secrets providers (gocloud.dev secrets/awskms)", () => {
    it("takes the key from host and path: an alias, a key id, or an ARN after three slashes", () => {
      expect(parseAwsKmsUrl("awskms://alias/talentbase-iam-dev?region=us-east-1").keyId).to.equal("alias/talentbase-iam-dev");
      expect(parseAwsKmsUrl("awskms://1234abcd-12ab-34cd-56ef-1234567890ab?region=us-east-1").keyId).to.equal("1234abcd-12ab-34cd-56ef-1234567890ab");
      expect(parseAwsKmsUrl("awskms:///arn:aws:kms:us-east-1:123456789012:alias/talentbase-iam-prod?region=us-east-1").keyId).to.equal(
        "arn:aws:kms:us-east-1:123456789012:alias/talentbase-iam-prod",
      );
    });

    it("reads the encryption context from context_ parameters and the rest as AWS parameters", () => {
      const keeper = parseAwsKmsUrl("awskms://alias/k?region=us-east-1&endpoint=http://127.0.0.1:5000&context_stack=dev&context_project=talentbase-iam");
      expect(keeper.encryptionContext).to.deep.equal({ stack: "dev", project: "talentbase-iam" });
      expect(keeper.client).to.deep.equal({ region: "us-east-1", endpoint: "http://127.0.0.1:5000" });
    });

    it("refuses an unknown parameter and a URL without a key", () => {
      expect(() => parseAwsKmsUrl("awskms://alias/k?regoin=us-east-1")).to.throw(BackendUrlError, /unknown parameter "regoin"/);
      expect(() => parseAwsKmsUrl("awskms://?region=us-east-1")).to.throw(BackendUrlError, /names no key/);
    });
  });

  it("tells one machine's file backend, a team's shared ones and the Pulumi Cloud apart", () => {
    expect(backendKindOf("file:///home/me/state")).to.equal("file");
    for (const url of ["s3://b?region=us-east-1", "gs://b", "azblob://c", "postgres://db/state"]) expect(backendKindOf(url), url).to.equal("shared");
    expect(backendKindOf("https://api.pulumi.com")).to.equal("cloud");
  });

  it("never prints credentials a URL carries", () => {
    expect(redactUrl("postgres://admin:hunter2@db:5432/state")).to.equal("postgres://****@db:5432/state");
    expect(redactUrl("s3://b?region=us-east-1")).to.equal("s3://b?region=us-east-1");
  });
});
