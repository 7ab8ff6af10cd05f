import { expect } from "chai";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto } from "../../../sandbox/moto/motoServer";

describe("moto harness state file", function () {
  this.timeout(60_000);
  let scratch: string;
  before(async () => { scratch = await mkdtemp(path.join(tmpdir(), "moto-state-")); });
  after(async () => { await rm(scratch, { recursive: true, force: true }); });

  it("keeps users, keys, buckets and secrets across restarts in an owner-only file", async () => {
    const stateFile = path.join(scratch, "state", "moto.pickle");
    const first = await startMoto({ stateFile });
    const clients = (endpoint: string) => ({
      iam: new IAMClient({ endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS }),
      s3: new S3Client({ endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, forcePathStyle: true }),
      secretsManager: new SecretsManagerClient({ endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS }),
    });
    let key;
    try {
      const { iam, s3, secretsManager } = clients(first.endpoint);
      await secretsManager.send(new CreateSecretCommand({ Name: "talentbase/local/aws-credentials", SecretString: "kept-value" }));
      await iam.send(new CreateUserCommand({ UserName: "kept" }));
      key = (await iam.send(new CreateAccessKeyCommand({ UserName: "kept" }))).AccessKey;
      await s3.send(new CreateBucketCommand({ Bucket: "kept-bucket" }));
    } finally {
      await first.stop();
    }
    expect((await stat(stateFile)).mode & 0o777).to.equal(0o600);

    const second = await startMoto({ stateFile });
    try {
      const { iam, s3, secretsManager } = clients(second.endpoint);
      const kept = await secretsManager.send(new GetSecretValueCommand({ SecretId: "talentbase/local/aws-credentials", VersionStage: "AWSCURRENT" }));
      expect(kept.SecretString).to.equal("kept-value");
      const keys = (await iam.send(new ListAccessKeysCommand({ UserName: "kept" }))).AccessKeyMetadata ?? [];
      expect(keys.map((k) => k.AccessKeyId)).to.deep.equal([key?.AccessKeyId]);
      await s3.send(new HeadBucketCommand({ Bucket: "kept-bucket" }));
      const sts = new STSClient({
        endpoint: second.endpoint, region: MOTO_REGION,
        credentials: { accessKeyId: key?.AccessKeyId ?? "", secretAccessKey: key?.SecretAccessKey ?? "" },
      });
      expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).to.match(/:user\/kept$/);
    } finally {
      await second.stop();
    }
  });

  it("starts empty without a state file", async () => {
    const moto = await startMoto();
    try {
      const iam = new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
      const error = await iam.send(new ListAccessKeysCommand({ UserName: "kept" })).catch((e: Error) => e);
      expect((error as Error).name).to.equal("NoSuchEntityException");
    } finally {
      await moto.stop();
    }
  });
});
