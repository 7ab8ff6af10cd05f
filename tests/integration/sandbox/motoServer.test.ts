import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  GetAccessKeyLastUsedCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
} from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { expect } from "chai";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type MotoServer } from "../../../sandbox/moto/motoServer";

describe("moto harness", () => {
  let moto: MotoServer;
  let iam: IAMClient;

  before(async () => {
    moto = await startMoto();
    iam = new IAMClient({ region: MOTO_REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
  });
  after(async () => {
    iam?.destroy();
    await moto?.stop();
  });
  afterEach(async () => {
    await moto.setAuthEnforcement(false);
    await moto.reset();
  });

  it("listens on a loopback endpoint", () => {
    expect(moto.endpoint).to.equal(`http://127.0.0.1:${moto.port}`);
  });

  it("refuses a non-loopback address", async () => {
    let error: unknown;
    try {
      await startMoto({ host: "0.0.0.0" });
    } catch (caught) {
      error = caught;
    }
    expect(String(error)).to.match(/non-loopback/);
  });

  it("runs two servers side by side on different ports", async () => {
    const second = await startMoto();
    try {
      expect(second.port).to.not.equal(moto.port);
    } finally {
      await second.stop();
    }
  });

  it("reset wipes IAM state", async () => {
    await iam.send(new CreateUserCommand({ UserName: "to-be-wiped" }));
    await moto.reset();
    const { Users } = await iam.send(new ListUsersCommand({}));
    expect(Users ?? []).to.be.empty;
  });

  it("ages an access key by the requested number of days", async () => {
    await iam.send(new CreateUserCommand({ UserName: "aged" }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "aged" }));
    await moto.ageAccessKey("aged", AccessKey!.AccessKeyId!, 30);
    const { AccessKeyMetadata } = await iam.send(new ListAccessKeysCommand({ UserName: "aged" }));
    const ageDays = (Date.now() - AccessKeyMetadata![0]!.CreateDate!.getTime()) / 86_400_000;
    expect(ageDays).to.be.closeTo(30, 0.1);
  });

  it("reports aging an unknown key as an error", async () => {
    let error: unknown;
    try {
      await moto.ageAccessKey("nobody", "AKIANOPE", 1);
    } catch (caught) {
      error = caught;
    }
    expect(String(error)).to.match(/could not age key AKIANOPE/);
  });

  it("moves a used key's last use into the past, and refuses a key never used", async () => {
    await iam.send(new CreateUserCommand({ UserName: "idle" }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "idle" }));
    const id = AccessKey!.AccessKeyId!;
    let error: unknown;
    await moto.ageAccessKeyLastUse("idle", id, 10).catch((caught: unknown) => (error = caught));
    expect(String(error)).to.include(`access key ${id} was never used`);
    const sts = new STSClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: { accessKeyId: id, secretAccessKey: AccessKey!.SecretAccessKey! } });
    await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    await moto.ageAccessKeyLastUse("idle", id, 10);
    const { AccessKeyLastUsed } = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id }));
    expect((Date.now() - AccessKeyLastUsed!.LastUsedDate!.getTime()) / 86_400_000).to.be.closeTo(10, 0.1);
    expect(AccessKeyLastUsed!.ServiceName).to.equal("sts");
  });

  it("enforces IAM when asked: unsigned-by-moto credentials are rejected", async () => {
    await moto.setAuthEnforcement(true);
    const sts = new STSClient({ region: MOTO_REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 1 });
    try {
      let errorName: string | undefined;
      try {
        await iam.send(new ListUsersCommand({}));
      } catch (caught) {
        errorName = (caught as Error).name;
      }
      expect(errorName).to.equal("InvalidClientTokenId");
      await moto.setAuthEnforcement(false);
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      expect(identity.Account).to.equal("123456789012");
    } finally {
      sts.destroy();
    }
  });

  it("stops: the endpoint no longer answers", async () => {
    const short = await startMoto();
    await short.stop();
    let error: unknown;
    try {
      await fetch(`${short.endpoint}/moto-api/`);
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(Error);
  });
});
