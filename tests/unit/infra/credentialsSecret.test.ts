import { expect } from "chai";
import { credentialsSecretDescription } from "../../../infra/components/credentialsSecret";
import { DJANGO_CREDENTIAL_NAMES, djangoCredentialsDocument } from "../../../infra/components/djangoCredentials";
import { Secret } from "../../../automation/secret";
import { renderDjangoEnv, type DeployedOutputs } from "../../../automation/engine/deployedOutputs";

const VALUES = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  bucketName: "talentbase-prod-uploads",
  region: "eu-west-1",
};

describe("the credentials secret's content", () => {
  it("is one JSON object with the django-storages names and nothing else", () => {
    expect(JSON.parse(djangoCredentialsDocument(VALUES))).to.deep.equal({
      AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      AWS_STORAGE_BUCKET_NAME: "talentbase-prod-uploads",
      AWS_S3_REGION_NAME: "eu-west-1",
    });
  });

  it("uses exactly the names `outputs --format env` hands to the dev deploy, so both ways configure Django alike", () => {
    const outputs = {
      environment: "prod",
      accessKeyId: VALUES.accessKeyId,
      secretAccessKey: new Secret(VALUES.secretAccessKey),
      bucketName: VALUES.bucketName,
      region: VALUES.region,
    } as DeployedOutputs;
    const envNames = renderDjangoEnv(outputs, { showSecrets: false })
      .trim()
      .split("\n")
      .map((line) => line.split("=")[0]);
    expect(envNames).to.deep.equal([...DJANGO_CREDENTIAL_NAMES]);
  });

  it("is described as written by Pulumi for the environment's backend user", () => {
    expect(credentialsSecretDescription("staging")).to.include("talentbase-backend-staging").and.include("written by Pulumi");
  });
});
