import { CreateAccessKeyCommand } from "@aws-sdk/client-iam";
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { expect } from "chai";
import { djangoCredentialsDocument } from "../../../infra/components/djangoCredentials";
import { renderHumanReport, toJsonReport } from "../../../automation/verify";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type MotoServer } from "../../../sandbox/moto/motoServer";
import { adminClients, createOperatorKey, provisionStack, type AdminClients, type ProvisionedStack } from "./fixture";
import { checkOf, verifyOnMoto } from "./helpers";

const NAME = "talentbase/local/aws-credentials";
const CHECK = "credentials-secret";

describe("the credentials-secret check against moto", () => {
  let moto: MotoServer;
  let admin: AdminClients;
  let secretsManager: SecretsManagerClient;
  let input: ProvisionedStack;

  before(async () => {
    moto = await startMoto();
    admin = adminClients(moto);
    secretsManager = new SecretsManagerClient({ region: MOTO_REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    admin?.destroy();
    secretsManager?.destroy();
    await moto?.stop();
  });
  beforeEach(async () => {
    input = { ...(await provisionStack(admin)), credentialsSecretName: NAME };
  });
  afterEach(() => moto.reset());

  /** The secret string the program writes for a pair. */
  const documentFor = (accessKeyId: string, secretAccessKey: string) =>
    djangoCredentialsDocument({ accessKeyId, secretAccessKey, bucketName: input.bucketName, region: input.region });
  const stackDocument = () => documentFor(input.accessKeyId, input.secretAccessKey.reveal());
  const createSecret = (secretString: string) => secretsManager.send(new CreateSecretCommand({ Name: NAME, SecretString: secretString }));
  const checkResult = async (credentials: { accessKeyId: string; secretAccessKey: string } = MOTO_CREDENTIALS) =>
    checkOf(await verifyOnMoto(moto, input, credentials, [CHECK]), CHECK);

  it("passes when AWSCURRENT holds the stack's key, which authenticates as the stack's user, and never shows the value", async () => {
    await createSecret(stackDocument());
    const report = await verifyOnMoto(moto, input, MOTO_CREDENTIALS, [CHECK]);
    const check = checkOf(report, CHECK);
    expect(check.status).to.equal("PASS");
    expect(check.detail).to.match(
      new RegExp(
        `^${NAME} AWSCURRENT \\(version [0-9a-f-]+\\) holds key ${input.accessKeyId}, which authenticates as arn:aws:iam::123456789012:user/talentbase-backend-local$`,
      ),
    );
    for (const text of [renderHumanReport(report, { color: false, debug: true }), JSON.stringify(toJsonReport(report))]) {
      expect(text).not.to.include(input.secretAccessKey.reveal());
    }
  });

  it("skips a stack that keeps no secret", async () => {
    const { credentialsSecretName: _name, ...withoutSecret } = input;
    input = withoutSecret;
    expect(await checkResult()).to.include({ status: "SKIP", detail: "the stack keeps no credentials secret (talentbase-iam:credentialsSecret is off)" });
  });

  it("fails when the secret does not exist", async () => {
    expect(await checkResult()).to.include({ status: "FAIL", detail: `secret ${NAME} does not exist or has no AWSCURRENT version` });
  });

  it("fails when the secret has no value yet", async () => {
    await secretsManager.send(new CreateSecretCommand({ Name: NAME }));
    expect((await checkResult()).status).to.equal("FAIL");
  });

  it("fails when AWSCURRENT names another key of the user (say, a pair written by hand), naming both", async () => {
    await createSecret(stackDocument());
    const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: input.userName }));
    await secretsManager.send(new PutSecretValueCommand({ SecretId: NAME, SecretString: documentFor(AccessKey!.AccessKeyId!, AccessKey!.SecretAccessKey!) }));
    const check = await checkResult();
    expect(check.status).to.equal("FAIL");
    expect(check.detail).to.include(`names key ${AccessKey!.AccessKeyId}, not the stack's current key ${input.accessKeyId}`);
    expect(check.detail).not.to.include(AccessKey!.SecretAccessKey!);
  });

  it("reads AWSCURRENT explicitly: after the label moves back to the stack's version, moto's default still lags, the check does not", async () => {
    const first = await createSecret(stackDocument());
    const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: input.userName }));
    const second = await secretsManager.send(
      new PutSecretValueCommand({ SecretId: NAME, SecretString: documentFor(AccessKey!.AccessKeyId!, AccessKey!.SecretAccessKey!) }),
    );
    await secretsManager.send(
      new UpdateSecretVersionStageCommand({
        SecretId: NAME,
        VersionStage: "AWSCURRENT",
        MoveToVersionId: first.VersionId,
        RemoveFromVersionId: second.VersionId,
      }),
    );
    const versions = (await secretsManager.send(new ListSecretVersionIdsCommand({ SecretId: NAME }))).Versions ?? [];
    expect(versions.find((version) => version.VersionStages?.includes("AWSCURRENT"))?.VersionId).to.equal(first.VersionId);
    const byDefault = await secretsManager.send(new GetSecretValueCommand({ SecretId: NAME }));
    expect(byDefault.VersionId, "moto's quirk: the default read still returns the old default").to.equal(second.VersionId);
    expect(await checkResult()).to.include({ status: "PASS" });
  });

  it("fails when the secret is scheduled for deletion", async () => {
    await createSecret(stackDocument());
    await secretsManager.send(new DeleteSecretCommand({ SecretId: NAME, RecoveryWindowInDays: 7 }));
    expect((await checkResult()).detail).to.equal(`secret ${NAME} cannot be read (InvalidRequestException): is it scheduled for deletion?`);
  });

  it("fails a value that is not the django-storages document, without quoting it", async () => {
    await createSecret(input.secretAccessKey.reveal());
    const check = await checkResult();
    expect(check.status).to.equal("FAIL");
    expect(check.detail).to.match(/ is not JSON$/);
  });

  describe("under IAM enforcement (signatures checked)", () => {
    let operator: { accessKeyId: string; secretAccessKey: string };
    beforeEach(async () => {
      operator = await createOperatorKey(admin);
    });
    afterEach(() => moto.setAuthEnforcement(false));

    it("passes with the operator's own key reading the secret and the stack's pair signing STS", async () => {
      await createSecret(stackDocument());
      await moto.setAuthEnforcement(true);
      expect(await checkResult(operator)).to.include({ status: "PASS" });
    });

    it("fails a pair whose secret does not match its key id (SignatureDoesNotMatch), showing neither secret", async () => {
      const wrongSecret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
      await createSecret(documentFor(input.accessKeyId, wrongSecret));
      await moto.setAuthEnforcement(true);
      const report = await verifyOnMoto(moto, input, operator, [CHECK]);
      const check = checkOf(report, CHECK);
      expect(check.status).to.equal("FAIL");
      expect(check.detail).to.match(new RegExp(`holds key ${input.accessKeyId} with a secret that does not authenticate \\(SignatureDoesNotMatch\\)$`));
      const printed = JSON.stringify(toJsonReport(report));
      expect(printed).not.to.include(wrongSecret).and.not.to.include(input.secretAccessKey.reveal());
    });
  });
});
