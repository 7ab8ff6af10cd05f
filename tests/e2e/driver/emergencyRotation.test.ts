import { readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { expect } from "chai";
import { MOTO_CREDENTIALS, MOTO_REGION } from "../../../sandbox/moto/motoServer";
import { callerOf, LOCAL_USER, openSandboxAccount, type KeyPair, type SandboxAccount } from "../../../harness/sandboxAccount";
import { runDriver, type DriverRun } from "../../support/driverProcess";
import { CloudTrailOnMoto } from "../../support/cloudTrailOnMoto";

function expectSucceeded(run: DriverRun): void {
  expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
}

interface Outputs extends KeyPair {
  readonly retiringAccessKeyId?: string;
  readonly alertTopicArn: string;
  readonly credentialsSecretName: string;
}

/**
 * rotate <stack> emergency against moto. What moto cannot show: it lets an Inactive key still
 * authenticate and act (NOTES), so "the old key no longer works" is proven by its IAM status, by the
 * outputs and the secret naming the new key, and, once finish deletes it, by its refusal; on AWS an
 * Inactive key is refused at once (InvalidClientTokenId).
 */
describe("rotate <stack> emergency: a leaked key contained in one command", function () {
  this.timeout(300_000);
  let account: SandboxAccount;
  let cloudTrail: CloudTrailOnMoto;

  const outputsOf = async (): Promise<Outputs> => {
    const run = await runDriver("outputs", ["local", "--show-secrets"], { env: account.env });
    expectSucceeded(run);
    return JSON.parse(run.stdout);
  };
  const keyStatuses = async () =>
    Object.fromEntries(
      ((await account.iam.send(new ListAccessKeysCommand({ UserName: LOCAL_USER }))).AccessKeyMetadata ?? []).map((key) => [key.AccessKeyId!, key.Status!]),
    );
  const phase = async () => {
    const run = await runDriver("rotate", ["local", "status", "--json"], { env: account.env });
    expectSucceeded(run);
    return (JSON.parse(run.stdout) as { status: { phase: string } }).status.phase;
  };

  before(async () => {
    account = await openSandboxAccount();
    // The sandbox with prod's hand-off: the Secrets Manager secret Django reads its key from.
    const stackFile = path.join(account.project.dir, "Pulumi.local.yaml");
    await writeFile(stackFile, `${await readFile(stackFile, "utf8")}  talentbase-iam:credentialsSecret: "true"\n`);
    expectSucceeded(await runDriver("provision", ["local"], { env: account.env }));
    cloudTrail = new CloudTrailOnMoto(account.moto.endpoint);
  });
  after(async () => {
    cloudTrail?.destroy();
    await account?.close();
  });

  it("is confirmed on every stack but the sandbox: without a terminal or --yes, dev refuses before anything starts", async () => {
    const run = await runDriver("rotate", ["dev", "emergency"], { env: account.env });
    expect(run.code).to.equal(2);
    expect(run.stderr.trim()).to.equal("rotate: cutting off dev's access key needs confirmation and there is no terminal to ask on: rerun with --yes");
  });

  it("makes a new key and the old one Inactive at once, moves the outputs and the secret, tells the alert topic; finish then deletes the old key", async () => {
    const old = await outputsOf();
    const watcher = await cloudTrail.subscribe(old.alertTopicArn, "security-team");

    const emergency = await runDriver("rotate", ["local", "emergency"], { env: account.env });
    expectSucceeded(emergency);
    const contained = await outputsOf();
    expect(contained.accessKeyId).not.to.equal(old.accessKeyId);
    expect(contained.retiringAccessKeyId).to.equal(old.accessKeyId);
    expect(await keyStatuses()).to.deep.equal({ [old.accessKeyId]: "Inactive", [contained.accessKeyId]: "Active" });
    expect(await phase()).to.equal("contained");
    expect(emergency.stdout).to.include(`Alert topic: told ${old.alertTopicArn}`);
    expect(emergency.stdout).to.include(`- The old key ${old.accessKeyId} is Inactive;`).and.include("`npm run rotate -- local finish` deletes it");
    expect(emergency.stdout, "the new key verified").to.match(
      /\[PASS\] User's key authenticates as the user \(STS\): key \w+ is arn:aws:iam::123456789012:user\/talentbase-backend-local/,
    );

    const secrets = new SecretsManagerClient({ endpoint: account.moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    try {
      const current = await secrets.send(new GetSecretValueCommand({ SecretId: contained.credentialsSecretName, VersionStage: "AWSCURRENT" }));
      expect(JSON.parse(current.SecretString!)).to.include({ AWS_ACCESS_KEY_ID: contained.accessKeyId, AWS_SECRET_ACCESS_KEY: contained.secretAccessKey });
    } finally {
      secrets.destroy();
    }

    const notices = (await cloudTrail.take(watcher)).map((body) => JSON.parse(body));
    expect(notices).to.have.length(1);
    expect(notices[0]).to.include({ inactiveKey: old.accessKeyId, newKey: contained.accessKeyId, by: "arn:aws:sts::123456789012:user/moto" });
    expect(notices[0].next).to.equal("examine the old key's calls in CloudTrail, then `npm run rotate -- local finish` deletes it");

    // Run again (an interrupted emergency): it resumes, cutting off nothing more and making no third key.
    const again = await runDriver("rotate", ["local", "emergency"], { env: account.env });
    expectSucceeded(again);
    expect(again.stdout).to.include("Changes to local: no changes");
    expect((await outputsOf()).accessKeyId).to.equal(contained.accessKeyId);
    expect(Object.keys(await keyStatuses())).to.have.length(2);
    await cloudTrail.take(watcher);

    for (const [move, refusal] of [
      ["start", "an emergency rotation of stack local left the old key Inactive"],
      ["reactivate", "was cut off by an emergency rotation and stays Inactive"],
    ] as const) {
      const refused = await runDriver("rotate", ["local", move], { env: account.env });
      expect(refused.code, `${move}\n${refused.stdout}\n${refused.stderr}`).to.equal(1);
      expect(refused.stderr, move).to.include(refusal);
    }
    expectSucceeded(await runDriver("pulumi", ["local", "preview", "--expect-no-changes"], { env: account.env }));

    expectSucceeded(await runDriver("rotate", ["local", "finish"], { env: account.env }));
    expect(await keyStatuses()).to.deep.equal({ [contained.accessKeyId]: "Active" });
    expect(await phase()).to.equal("idle");
    // Under IAM enforcement moto checks the key (without it, any key passes as moto's default identity).
    await account.moto.setAuthEnforcement(true);
    try {
      expect(await callerOf(account.moto.endpoint, old), "the deleted key").to.equal(undefined);
      expect(await callerOf(account.moto.endpoint, contained)).to.match(/:user\/talentbase-backend-local$/);
    } finally {
      await account.moto.setAuthEnforcement(false);
    }
  });
});
