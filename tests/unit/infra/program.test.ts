import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { expect } from "chai";
import { ENVIRONMENTS } from "../../../infra/config";
import { buildUploadsPolicy } from "../../../infra/policy";
import { OUTPUT_KINDS, OUTPUT_NAMES } from "../../../infra/outputs";
import {
  ACCESS_KEY_ID,
  ACCOUNT_ID,
  KEY_CREATE_DATE,
  onlyResourceOfType,
  secretArnOf,
  resolved,
  runFailingProgramUnderMocks,
  runProgramUnderMocks,
  SECRET_ACCESS_KEY,
  type MockRun,
} from "./programUnderMocks";

const COMPONENT = "talentbase:iam:BackendS3User";
const USER = "aws:iam/user:User";
const POLICY = "aws:iam/policy:Policy";
const GROUP = "aws:iam/group:Group";
const GROUP_ATTACHMENT = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment";
const MEMBERSHIP = "aws:iam/userGroupMembership:UserGroupMembership";
const ACCESS_KEY = "aws:iam/accessKey:AccessKey";
const SECRET_COMPONENT = "talentbase:secretsmanager:CredentialsSecret";
const SECRET = "aws:secretsmanager/secret:Secret";
const SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
const REGION = { "aws:region": "us-east-1" };

/** A secret input as the engine receives it: the secret envelope's value, failing when it is not secret. */
function secretInputValue(value: unknown): string {
  const envelope = value as Record<string, unknown>;
  expect(envelope?.[rpc.specialSigKey], "sent to the engine as a secret").to.equal(rpc.specialSecretSig);
  return envelope["value"] as string;
}

describe("the Pulumi program (under mocks)", () => {
  let dev: MockRun;
  before(async () => {
    dev = await runProgramUnderMocks("dev", REGION);
  });

  it("registers the component and exactly a user, a policy, a group, its attachment, the membership and an access key under it", () => {
    expect(dev.resources.map((r) => [r.type, r.name])).to.have.deep.members([
      [COMPONENT, "backend"],
      [USER, "backend-user"],
      [POLICY, "backend-policy"],
      [GROUP, "backend-group"],
      [GROUP_ATTACHMENT, "backend-group-policy-attachment"],
      [MEMBERSHIP, "backend-group-membership"],
      [ACCESS_KEY, "backend-access-key"],
    ]);
    const component = onlyResourceOfType(dev, COMPONENT);
    for (const child of dev.resources.filter((r) => r.type !== COMPONENT)) {
      expect(child.parentUrn, child.name).to.equal(component.urn);
    }
  });

  it("never creates a console login profile for the user", () => {
    expect(dev.resources.map((r) => r.type)).to.not.include("aws:iam/userLoginProfile:UserLoginProfile");
    expect(dev.resources.filter((r) => /loginprofile/i.test(r.type))).to.be.empty;
  });

  for (const environment of ENVIRONMENTS) {
    it(`names the ${environment} user and policy talentbase-backend-${environment}[-s3-policy]`, async () => {
      const run = environment === "dev" ? dev : await runProgramUnderMocks(environment, REGION);
      expect(onlyResourceOfType(run, USER).inputs.name).to.equal(`talentbase-backend-${environment}`);
      expect(onlyResourceOfType(run, POLICY).inputs.name).to.equal(`talentbase-backend-${environment}-s3-policy`);
      expect(JSON.parse(onlyResourceOfType(run, POLICY).inputs.policy)).to.deep.equal(
        buildUploadsPolicy({ bucketName: `talentbase-${environment}-uploads`, partition: "aws" }),
      );
    });
  }

  it("creates the user programmatic-only at path / without force-destroy or boundary by default", () => {
    const user = onlyResourceOfType(dev, USER).inputs;
    expect(user).to.include({ path: "/", forceDestroy: false });
    expect(user).to.not.have.property("permissionsBoundary");
  });

  it("tags the user and the policy with environment, project, purpose and manager", () => {
    const tags = { Environment: "dev", Project: "talentbase", Purpose: "backend-s3-access", ManagedBy: "pulumi" };
    expect(onlyResourceOfType(dev, USER).inputs.tags).to.deep.equal(tags);
    expect(onlyResourceOfType(dev, POLICY).inputs.tags).to.deep.equal(tags);
  });

  it("registers the exact least-privilege policy document for the configured bucket", async () => {
    const run = await runProgramUnderMocks("staging", { ...REGION, "talentbase-iam:bucketName": "acme-media-staging" });
    expect(JSON.parse(onlyResourceOfType(run, POLICY).inputs.policy)).to.deep.equal({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "UploadsObjectAccess",
          Effect: "Allow",
          Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:PutObjectAcl"],
          Resource: ["arn:aws:s3:::acme-media-staging/*"],
        },
        {
          Sid: "UploadsBucketRead",
          Effect: "Allow",
          Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketCORS", "s3:GetBucketPolicy"],
          Resource: ["arn:aws:s3:::acme-media-staging"],
        },
        {
          Sid: "DenyPublicObjectAcls",
          Effect: "Deny",
          Action: ["s3:PutObjectAcl"],
          Resource: ["arn:aws:s3:::acme-media-staging/*"],
          Condition: { StringEquals: { "s3:x-amz-acl": ["public-read", "public-read-write", "authenticated-read"] } },
        },
        {
          Sid: "DenyObjectAclsWithoutCannedAcl",
          Effect: "Deny",
          Action: ["s3:PutObjectAcl"],
          Resource: ["arn:aws:s3:::acme-media-staging/*"],
          Condition: { Null: { "s3:x-amz-acl": "true" } },
        },
      ],
    });
  });

  it("exports the fixed outputs the Django deploy reads, with their values", async () => {
    const plain = Object.fromEntries(await Promise.all(Object.entries(dev.outputs).map(async ([name, value]) => [name, await resolved(value)])));
    expect(plain).to.deep.equal({
      environment: "dev",
      region: "us-east-1",
      bucketName: "talentbase-dev-uploads",
      bucketArn: "arn:aws:s3:::talentbase-dev-uploads",
      userName: "talentbase-backend-dev",
      userArn: `arn:aws:iam::${ACCOUNT_ID}:user/talentbase-backend-dev`,
      policyName: "talentbase-backend-dev-s3-policy",
      policyArn: `arn:aws:iam::${ACCOUNT_ID}:policy/talentbase-backend-dev-s3-policy`,
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRET_ACCESS_KEY,
      keyMaxAgeDays: 90,
      partition: "aws",
      accessKeyCreateDate: KEY_CREATE_DATE,
    });
  });

  it("exports exactly the output contract, each output secret exactly when the contract says so", async () => {
    // Optional outputs exist only where what they name does: the secret and the monitoring (prod by default), an open rotation.
    const required = OUTPUT_NAMES.filter((name) => OUTPUT_KINDS[name] !== "optional");
    expect(Object.keys(dev.outputs)).to.have.members(required);
    expect(Object.keys((await runProgramUnderMocks("prod", REGION)).outputs)).to.have.members([
      ...required,
      "credentialsSecretArn",
      "credentialsSecretName",
      "alertTopicArn",
    ]);
    for (const name of OUTPUT_NAMES) {
      const value = (dev.outputs as Record<string, unknown>)[name];
      expect(await pulumi.isSecret(pulumi.output(value)), name).to.equal(OUTPUT_KINDS[name] === "secret");
    }
  });

  describe("protection against deletion", () => {
    const protectedNames = (run: MockRun) => run.resources.filter((r) => r.protect).map((r) => r.name);

    it("protects the prod user, policy, group and access key by default", async () => {
      const prod = await runProgramUnderMocks("prod", REGION);
      expect(protectedNames(prod)).to.have.members(["backend-user", "backend-policy", "backend-group", "backend-access-key", "backend-credentials-secret"]);
      expect(await resolved(prod.outputs.keyMaxAgeDays)).to.equal(60);
    });

    it("lets prod lift the protection with talentbase-iam:protect false", async () => {
      expect(protectedNames(await runProgramUnderMocks("prod", { ...REGION, "talentbase-iam:protect": "false" }))).to.be.empty;
    });

    it("leaves dev unprotected", () => {
      expect(protectedNames(dev)).to.be.empty;
    });
  });

  describe("the Secrets Manager hand-off", () => {
    let prod: MockRun;
    before(async () => {
      prod = await runProgramUnderMocks("prod", REGION);
    });

    it("creates no secret where it is off (every stack but prod by default)", () => {
      expect(dev.resources.map((r) => r.type)).not.to.include.members([SECRET_COMPONENT, SECRET, SECRET_VERSION]);
    });

    it("creates on prod a component with exactly a secret and a version under it", () => {
      const component = onlyResourceOfType(prod, SECRET_COMPONENT);
      expect(component.name).to.equal("backend-credentials");
      const secret = onlyResourceOfType(prod, SECRET);
      const version = onlyResourceOfType(prod, SECRET_VERSION);
      expect([secret.name, version.name]).to.deep.equal(["backend-credentials-secret", "backend-credentials-version"]);
      expect(secret.parentUrn).to.equal(component.urn);
      expect(version.parentUrn).to.equal(component.urn);
    });

    it("names the secret talentbase/prod/aws-credentials, described and tagged, with AWS's key and a 30-day recovery window", () => {
      const { inputs } = onlyResourceOfType(prod, SECRET);
      expect(inputs).to.deep.equal({
        name: "talentbase/prod/aws-credentials",
        description:
          "Current access key of talentbase-backend-prod for the Django backend's S3 uploads (django-storages setting names); written by Pulumi (talentbase-iam)",
        recoveryWindowInDays: 30,
        tags: { Environment: "prod", Project: "talentbase", Purpose: "backend-s3-access", ManagedBy: "pulumi" },
      });
    });

    it("writes the current key pair, bucket and region under the django-storages names, as a Pulumi secret", () => {
      const version = onlyResourceOfType(prod, SECRET_VERSION);
      expect(version.inputs.secretId).to.equal(secretArnOf("talentbase/prod/aws-credentials"));
      expect(JSON.parse(secretInputValue(version.inputs.secretString))).to.deep.equal({
        AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
        AWS_STORAGE_BUCKET_NAME: "talentbase-prod-uploads",
        AWS_S3_REGION_NAME: "us-east-1",
      });
      expect(version.inputs).not.to.have.property("versionStages");
    });

    it("protects the prod secret but never its version, which every new key pair replaces", () => {
      expect(onlyResourceOfType(prod, SECRET).protect).to.equal(true);
      expect(onlyResourceOfType(prod, SECRET_VERSION).protect).to.equal(false);
    });

    it("exports the secret's ARN and name, in the clear", async () => {
      expect(await resolved(prod.outputs.credentialsSecretArn)).to.equal(secretArnOf("talentbase/prod/aws-credentials"));
      expect(await resolved(prod.outputs.credentialsSecretName)).to.equal("talentbase/prod/aws-credentials");
      expect(await pulumi.isSecret(pulumi.output(prod.outputs.credentialsSecretArn))).to.equal(false);
    });

    it("takes the name, KMS key and recovery window from config, on any stack that turns the secret on", async () => {
      const kmsKeyId = "arn:aws:kms:us-east-1:123456789012:alias/talentbase-secrets";
      const run = await runProgramUnderMocks("staging", {
        ...REGION,
        "talentbase-iam:credentialsSecret": "true",
        "talentbase-iam:credentialsSecretName": "acme/staging/django-s3",
        "talentbase-iam:credentialsSecretKmsKeyId": kmsKeyId,
        "talentbase-iam:credentialsSecretRecoveryDays": "7",
      });
      expect(onlyResourceOfType(run, SECRET).inputs).to.include({ name: "acme/staging/django-s3", kmsKeyId, recoveryWindowInDays: 7 });
      expect(onlyResourceOfType(run, SECRET).protect).to.equal(false);
      expect(await resolved(run.outputs.credentialsSecretName)).to.equal("acme/staging/django-s3");
    });

    it("writes the new key once a rotation starts, so it becomes AWSCURRENT while the old one is still Active", async () => {
      const run = await runProgramUnderMocks("prod", {
        ...REGION,
        "talentbase-iam:accessKeySlot": "b",
        "talentbase-iam:rotation": "started",
      });
      const document = JSON.parse(secretInputValue(onlyResourceOfType(run, SECRET_VERSION).inputs.secretString));
      expect(document.AWS_ACCESS_KEY_ID).to.equal("AKIAI44QH8DHBEXAMPLE");
      expect(await resolved(run.outputs.accessKeyId)).to.equal("AKIAI44QH8DHBEXAMPLE");
      expect(await resolved(run.outputs.retiringAccessKeyId)).to.equal(ACCESS_KEY_ID);
    });
  });

  it("applies a configured user path and permissions boundary", async () => {
    const boundary = `arn:aws:iam::${ACCOUNT_ID}:policy/TalentbaseBoundary`;
    const run = await runProgramUnderMocks("staging", {
      ...REGION,
      "talentbase-iam:userPath": "/service/",
      "talentbase-iam:permissionsBoundaryArn": boundary,
    });
    expect(onlyResourceOfType(run, USER).inputs).to.include({ path: "/service/", permissionsBoundary: boundary });
    expect(await resolved(run.outputs.userArn)).to.equal(`arn:aws:iam::${ACCOUNT_ID}:user/service/talentbase-backend-staging`);
  });

  it("builds GovCloud ARNs when the partition is aws-us-gov", async () => {
    const run = await runProgramUnderMocks("prod", { "aws:region": "us-gov-west-1", "talentbase-iam:partition": "aws-us-gov" });
    expect(await resolved(run.outputs.bucketArn)).to.equal("arn:aws-us-gov:s3:::talentbase-prod-uploads");
    expect(JSON.parse(onlyResourceOfType(run, POLICY).inputs.policy).Statement[0].Resource).to.deep.equal(["arn:aws-us-gov:s3:::talentbase-prod-uploads/*"]);
  });

  it("stops with a clean error naming the key, before registering anything, when config is invalid", async () => {
    const { error, resources } = await runFailingProgramUnderMocks("dev", { ...REGION, "talentbase-iam:keyMaxAgeDays": "abc" });
    expect(resources).to.be.empty;
    expect(pulumi.RunError.isInstance(error)).to.equal(true);
    expect((error as Error).message).to.contain('talentbase-iam:keyMaxAgeDays must be a whole number of days between 1 and 365, got "abc"');
  });

  it("refuses prod with its protection in a mistyped namespace, rather than deploying it unprotected", async () => {
    const { error, resources } = await runFailingProgramUnderMocks("prod", { ...REGION, "talentbase_iam:protect": "true" });
    expect(resources).to.be.empty;
    expect((error as Error).message).to.contain('talentbase_iam:protect is in namespace "talentbase_iam", which nothing reads');
  });

  it("refuses a region no partition has, rather than provisioning into it", async () => {
    const { error, resources } = await runFailingProgramUnderMocks("dev", { "aws:region": "us-east-9" });
    expect(resources).to.be.empty;
    expect((error as Error).message).to.contain("aws:region must be a region the aws provider knows");
  });

  it("rejects a stack that is not one of the four environments before registering anything", async () => {
    const { error, resources } = await runFailingProgramUnderMocks("qa", REGION);
    expect(resources).to.be.empty;
    expect((error as Error).message).to.contain('stack name must be one of dev, staging, prod, local, got "qa"');
  });
});
