import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CreateAccessKeyCommand, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { expect } from "chai";
import { runDriver, type DriverRun } from "../../support/driverProcess";
import { awaitNoProcessesOf, runWithFault } from "../../support/faultInjection";
import { plainCliFindsNoChanges } from "../../support/plainCli";
import { startS3Poller, type RunningPoller } from "../../support/pollerProcess";
import { callerOf, createOperatorKey, LOCAL_USER, openSandboxAccount, type KeyPair, type SandboxAccount } from "../../../harness/sandboxAccount";

interface RotationStatusJson {
  readonly status: { readonly phase: string; readonly keys: readonly { id: string; status: string; role: string; namedByOutputs: boolean }[] };
}

/** The outputs as the Django deploy reads them, secret included. */
async function outputsOf(account: SandboxAccount): Promise<{ accessKeyId: string; secretAccessKey: string; retiringAccessKeyId?: string }> {
  const run = await runDriver("outputs", ["local", "--show-secrets"], { env: account.env });
  expect(run.code, run.stderr).to.equal(0);
  return JSON.parse(run.stdout);
}

async function statusOf(account: SandboxAccount): Promise<RotationStatusJson["status"]> {
  const run = await runDriver("rotate", ["local", "status", "--json"], { env: account.env });
  expect(run.code, run.stderr).to.equal(0);
  return (JSON.parse(run.stdout) as RotationStatusJson).status;
}

async function userKeyIds(account: SandboxAccount): Promise<string[]> {
  return ((await account.iam.send(new ListAccessKeysCommand({ UserName: LOCAL_USER }))).AccessKeyMetadata ?? []).map((key) => key.AccessKeyId!).sort();
}

function expectSucceeded(run: DriverRun): void {
  expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
}

describe("zero-downtime key rotation (rotate start|finish|status) against moto", function () {
  this.timeout(300_000);

  describe("a full cycle while a consumer polls S3 every 100 ms under IAM enforcement", () => {
    let account: SandboxAccount;
    let operator: KeyPair;
    let scratch: string;
    let env: Record<string, string>;
    let poller: RunningPoller | undefined;

    before(async () => {
      account = await openSandboxAccount();
      operator = await createOperatorKey(account.iam);
      await account.moto.setAuthEnforcement(true);
      // Under enforcement moto refuses its `testing` keys: the engine and the operator use a moto-made key.
      env = { ...account.env, AWS_ACCESS_KEY_ID: operator.accessKeyId, AWS_SECRET_ACCESS_KEY: operator.secretAccessKey };
      scratch = await mkdtemp(path.join(tmpdir(), "rotation-"));
    });
    after(async () => {
      poller?.kill();
      await account?.close();
      if (scratch) await rm(scratch, { recursive: true, force: true });
    });

    it("sees zero failed calls from before start to after finish, and the old key stops authenticating", async () => {
      expectSucceeded(await runDriver("provision", ["local"], { env }));
      await plainCliFindsNoChanges(account, operator);
      const file = path.join(scratch, "outputs.json");
      expectSucceeded(await runDriver("outputs", ["local", "--show-secrets", "--out", file], { env }));
      const oldKey: KeyPair = JSON.parse(await readFile(file, "utf8"));

      poller = startS3Poller(file, account.moto.endpoint);
      await poller.waitFor(`using ${oldKey.accessKeyId}`);

      const start = await runDriver("rotate", ["local", "start"], { env });
      expectSucceeded(start);
      expect(start.stdout).to.include("Once it runs on the new key: `npm run rotate -- local finish`");
      await plainCliFindsNoChanges(account, operator);

      // The redeploy: Django re-reads the outputs, which now name the new key.
      expectSucceeded(await runDriver("outputs", ["local", "--show-secrets", "--out", file, "--force"], { env }));
      const newKey: KeyPair = JSON.parse(await readFile(file, "utf8"));
      expect(newKey.accessKeyId).not.to.equal(oldKey.accessKeyId);
      poller.redeploy();
      await poller.waitFor(`using ${newKey.accessKeyId}\n`);
      // A few rounds on the new key, so IAM's last-use record shows the move.
      await new Promise((resolve) => setTimeout(resolve, 500));

      const finish = await runDriver("rotate", ["local", "finish"], { env });
      expectSucceeded(finish);
      expect(finish.stdout, "the verification's rotation line, once finished").to.match(/Key rotation: next rotation due \d{4}-\d{2}-\d{2} \(90 days\)/);
      expect(finish.stdout).not.to.include("is being deleted");
      await plainCliFindsNoChanges(account, operator);
      await new Promise((resolve) => setTimeout(resolve, 500));

      const report = await poller.stop();
      expect(report.failures, "failed S3 calls during the rotation").to.deep.equal([]);
      expect(report.calls).to.be.greaterThan(30);
      expect(report.keysUsed).to.deep.equal([oldKey.accessKeyId, newKey.accessKeyId]);
      expect(await callerOf(account.moto.endpoint, oldKey), "the old key after finish").to.equal(undefined);
      expect(await callerOf(account.moto.endpoint, newKey)).to.match(/:user\/talentbase-backend-local$/);
      expect(await awaitNoProcessesOf(account.project.dir)).to.deep.equal([]);
    });
  });

  describe("refusals, idempotence, status and interruptions", () => {
    let account: SandboxAccount;
    beforeEach(async () => {
      account = await openSandboxAccount();
      expectSucceeded(await runDriver("provision", ["local", "--skip-verify"], { env: account.env }));
    });
    afterEach(() => account?.close());

    it("finish without start is refused, changing nothing", async () => {
      const keys = await userKeyIds(account);
      const run = await runDriver("rotate", ["local", "finish"], { env: account.env });
      expect(run.code, "a refusal for the stack's state: exit 1").to.equal(1);
      expect(run.stderr.trim()).to.equal(
        "rotate: no key rotation is in progress on stack local: `npm run rotate -- local start` begins one, `npm run rotate -- local status` shows the keys",
      );
      expect(await userKeyIds(account)).to.deep.equal(keys);
    });

    it("rotates an overdue key (65 days on a 60-day stack) with every command exiting 0, each age line naming its command", async () => {
      const stackFile = path.join(account.project.dir, "Pulumi.local.yaml");
      await writeFile(stackFile, (await readFile(stackFile, "utf8")).replace('talentbase-iam:keyMaxAgeDays: "90"', 'talentbase-iam:keyMaxAgeDays: "60"'));
      expectSucceeded(await runDriver("provision", ["local", "--skip-verify"], { env: account.env }));
      const [overdue] = await userKeyIds(account);
      await account.moto.ageAccessKey(LOCAL_USER, overdue!, 65.5);

      const before = await runDriver("verify", ["local"], { env: account.env });
      expect(before.code, before.stdout).to.equal(1);
      expect(before.stdout).to.match(
        /\[FAIL\] Access key age.*65 days old \(limit 60\): rotation overdue since \S+ \(5 days\): `npm run rotate -- local start`/,
      );

      const started = await runDriver("rotate", ["local", "start"], { env: account.env });
      expectSucceeded(started);
      expect(started.stdout).to.match(
        new RegExp(
          `\\[WARN\\] Access key age.*old key ${overdue} of the open rotation is 65 days old \\(limit 60\\), past the limit: \`npm run rotate -- local finish\` retires it`,
        ),
      );
      expectSucceeded(await runDriver("verify", ["local"], { env: account.env }));

      const finished = await runDriver("rotate", ["local", "finish"], { env: account.env });
      expectSucceeded(finished);
      expect(await userKeyIds(account))
        .to.have.length(1)
        .and.not.include(overdue);
      const after = await runDriver("verify", ["local"], { env: account.env });
      expectSucceeded(after);
      expect(after.stdout).to.match(/\[PASS\] Access key age.*0 days old \(limit 60\)/);
    });

    it("status names each key and the phase through start, a paused finish and finish", async () => {
      const idle = await statusOf(account);
      expect(idle.phase).to.equal("idle");
      expect(idle.keys.map((key) => [key.role, key.status, key.namedByOutputs])).to.deep.equal([["current", "Active", true]]);

      expectSucceeded(await runDriver("rotate", ["local", "start"], { env: account.env }));
      const started = await statusOf(account);
      expect(started.phase).to.equal("started");
      expect(started.keys.map((key) => [key.role, key.status, key.namedByOutputs]).sort()).to.deep.equal([
        ["current", "Active", true],
        ["retiring", "Active", false],
      ]);

      const paused = await runDriver("rotate", ["local", "finish", "--deactivate-only"], { env: account.env });
      expectSucceeded(paused);
      expect(paused.stdout).to.include("`npm run rotate -- local reactivate`");
      const inactive = await statusOf(account);
      expect(inactive.phase).to.equal("old-key-inactive");
      expect(inactive.keys.find((key) => key.role === "retiring")?.status).to.equal("Inactive");
      await plainCliFindsNoChanges(account);

      expectSucceeded(await runDriver("rotate", ["local", "reactivate"], { env: account.env }));
      expect((await statusOf(account)).keys.find((key) => key.role === "retiring")?.status).to.equal("Active");

      expectSucceeded(await runDriver("rotate", ["local", "finish"], { env: account.env }));
      const finished = await statusOf(account);
      expect(finished.phase).to.equal("idle");
      expect(finished.keys).to.have.length(1);
      expect(finished.keys[0]).to.include({ role: "current", namedByOutputs: true });
    });

    it("start twice is one rotation: no third key, the same new key", async () => {
      expectSucceeded(await runDriver("rotate", ["local", "start"], { env: account.env }));
      const first = await outputsOf(account);
      const again = await runDriver("rotate", ["local", "start"], { env: account.env });
      expectSucceeded(again);
      expect(again.stdout).to.include("Resuming the rotation of stack local");
      expect((await outputsOf(account)).accessKeyId).to.equal(first.accessKeyId);
      expect(await userKeyIds(account)).to.have.length(2);
    });

    it("finish refuses while the old key is still used, naming its last use, and --force overrides", async () => {
      const old = await outputsOf(account);
      expectSucceeded(await runDriver("rotate", ["local", "start"], { env: account.env }));
      // Something still runs on the old key after the new one went live (and after start verified it).
      expect(await callerOf(account.moto.endpoint, old)).to.match(/talentbase-backend-local$/);
      const refused = await runDriver("rotate", ["local", "finish"], { env: account.env });
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.match(new RegExp(`^rotate: ${old.accessKeyId} is still in use: last used \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z \\(sts, us-east-1\\)`));
      expect(refused.stderr).to.include("or pass --force");
      expect(await userKeyIds(account), "nothing changed").to.include(old.accessKeyId);
      expect((await statusOf(account)).phase).to.equal("started");

      expectSucceeded(await runDriver("rotate", ["local", "finish", "--force"], { env: account.env }));
      expect(await userKeyIds(account)).not.to.include(old.accessKeyId);
    });

    it("start refuses before any change when the user already has two keys, naming the foreign one", async () => {
      const { AccessKey } = await account.iam.send(new CreateAccessKeyCommand({ UserName: LOCAL_USER }));
      const keys = await userKeyIds(account);
      const stackFile = await readFile(path.join(account.project.dir, "Pulumi.local.yaml"), "utf8");
      const run = await runDriver("rotate", ["local", "start"], { env: account.env });
      expect(run.code).to.equal(1);
      expect(run.stderr)
        .to.include(`key ${AccessKey!.AccessKeyId} (Active, 0 days old, never used), not the stack's`)
        .and.include(`\`npm run retire-key -- local ${AccessKey!.AccessKeyId}\``);
      expect(await userKeyIds(account)).to.deep.equal(keys);
      expect(await readFile(path.join(account.project.dir, "Pulumi.local.yaml"), "utf8")).to.equal(stackFile);
    });

    for (const fault of ["SIGINT", "SIGKILL"] as const) {
      it(`${fault} while start creates the new key, then the same command again converges`, async () => {
        const old = await outputsOf(account);
        const faulted = await runWithFault("rotate", ["local", "start"], "aws:iam:AccessKey backend-access-key-b creating", fault, { env: account.env });
        expect(faulted.injected, faulted.output).to.equal(true);
        expect(faulted.code === 0, "the fault stopped the command").to.equal(false);

        expectSucceeded(await runDriver("rotate", ["local", "start"], { env: account.env }));
        const outputs = await outputsOf(account);
        expect(outputs.accessKeyId).not.to.equal(old.accessKeyId);
        expect(outputs.retiringAccessKeyId).to.equal(old.accessKeyId);
        expect(await userKeyIds(account)).to.deep.equal([old.accessKeyId, outputs.accessKeyId].sort());
        await plainCliFindsNoChanges(account);
        expect(await awaitNoProcessesOf(account.project.dir)).to.deep.equal([]);
      });

      it(`${fault} while finish deletes the old key, then the same command again converges`, async () => {
        expectSucceeded(await runDriver("rotate", ["local", "start"], { env: account.env }));
        const current = await outputsOf(account);
        const faulted = await runWithFault("rotate", ["local", "finish"], "aws:iam:AccessKey backend-access-key deleting", fault, { env: account.env });
        expect(faulted.injected, faulted.output).to.equal(true);

        const again = await runDriver("rotate", ["local", "finish"], { env: account.env });
        expectSucceeded(again);
        expect(await userKeyIds(account)).to.deep.equal([current.accessKeyId]);
        expect((await statusOf(account)).phase).to.equal("idle");
        await plainCliFindsNoChanges(account);
        expect(await awaitNoProcessesOf(account.project.dir)).to.deep.equal([]);
      });
    }

    it("a finish killed while it deletes the old key is completed by `repair`: the old key gone, the rotation idle", async () => {
      expectSucceeded(await runDriver("rotate", ["local", "start"], { env: account.env }));
      const current = await outputsOf(account);
      const faulted = await runWithFault("rotate", ["local", "finish"], "aws:iam:AccessKey backend-access-key deleting", "SIGKILL", { env: account.env });
      expect(faulted.injected, faulted.output).to.equal(true);
      expect(await readFile(path.join(account.project.dir, "Pulumi.local.yaml"), "utf8")).to.include("talentbase-iam:rotation: finishing");

      const repaired = await runDriver("repair", ["local"], { env: account.env });
      expectSucceeded(repaired);
      expect(repaired.stdout).to.include("- the key rotation was finishing: the old key is deleted and the rotation is complete (commit Pulumi.local.yaml)");
      expect(await readFile(path.join(account.project.dir, "Pulumi.local.yaml"), "utf8")).not.to.include("talentbase-iam:rotation");
      expect(await userKeyIds(account)).to.deep.equal([current.accessKeyId]);
      expect((await statusOf(account)).phase).to.equal("idle");
      await plainCliFindsNoChanges(account);
    });
  });
});
