import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { DescribeKeyCommand, KMSClient, ListKeysCommand } from "@aws-sdk/client-kms";
import { expect } from "chai";
import { MOTO_CREDENTIALS, MOTO_REGION } from "../../../sandbox/moto/motoServer";
import { createUploadsBucket } from "../../../sandbox/seed";
import { runDriver, type DriverRun } from "../../support/driverProcess";
import { awaitNoProcessesOf, runWithFault, type Fault } from "../../support/faultInjection";
import {
  grantedThroughGroups,
  iamInventory,
  LOCAL_GROUP,
  LOCAL_POLICY,
  LOCAL_USER,
  openSandboxAccount,
  type SandboxAccount,
} from "../../../harness/sandboxAccount";

/** A moment of a provision, recognised by the line the engine (or the driver) prints as it begins. */
interface Moment {
  readonly name: string;
  readonly marker: string;
  /** What the stack looks like before the faulted run: nothing, or provisioned with another bucket. */
  readonly before: "empty" | "provisioned";
  /** The faults tried at this moment (both unless said). */
  readonly faults?: readonly Fault[];
}

const MOMENTS: readonly Moment[] = [
  { name: "before the engine starts", marker: "== Provisioning stack local ==", before: "empty" },
  { name: "while the user is created", marker: "aws:iam:User backend-user creating", before: "empty" },
  // The engine records the policy the moment it exists; the rerun must not take it for setup-iam.sh's.
  { name: "once the policy is created", marker: "aws:iam:Policy backend-policy created", before: "empty", faults: ["SIGINT"] },
  // A killed create of a group part leaves it in IAM but not in the state: repair takes it over.
  { name: "while the group is created", marker: "aws:iam:Group backend-group creating", before: "empty" },
  { name: "while the user joins the group", marker: "aws:iam:UserGroupMembership backend-group-membership creating", before: "empty", faults: ["SIGKILL"] },
  { name: "while the key is created", marker: "aws:iam:AccessKey backend-access-key creating", before: "empty" },
  // The alarm's create refuses a name that exists, and the alerts' KMS key has no name: repair removes what a killed create made.
  { name: "while the alerts' KMS key is created", marker: "aws:kms:Key monitoring-key creating", before: "empty", faults: ["SIGKILL"] },
  { name: "while the alarm is created", marker: "aws:cloudwatch:MetricAlarm monitoring-object-count creating", before: "empty", faults: ["SIGKILL"] },
  { name: "during a policy update", marker: "aws:iam:Policy backend-policy updating", before: "provisioned" },
  { name: "during verification", marker: "Verifying stack local...", before: "empty" },
];
const FAULTS: readonly Fault[] = ["SIGINT", "SIGKILL"];
/** What the faulted run's output tells the operator to do next, and the command that is. */
const RECOVERY = { SIGINT: "provision", SIGKILL: "repair", "SIGKILL-driver": "repair" } as const;

/** Every file under `dir` whose content includes `text`. */
async function filesContaining(dir: string, text: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if ((await readFile(file, "utf8").catch(() => "")).includes(text)) found.push(file);
  }
  return found;
}

/** The driver's scratch directories left in `dir`. */
async function scratchLeftIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((entry) => entry.startsWith("talentbase-iam-"));
}

/** The stack's secret key, read the way an operator would. */
async function secretOf(env: Record<string, string>): Promise<string> {
  const shown = await runDriver("outputs", ["local", "--show-secrets"], { env });
  expectSucceeded(shown);
  return JSON.parse(shown.stdout).secretAccessKey as string;
}

/** The monitoring objects a killed create could leave twice: the alarms, and the enabled KMS keys of the alerts. */
async function monitoringInventory(account: SandboxAccount): Promise<{ alarms: string[]; enabledAlertKeys: number }> {
  const client = { region: MOTO_REGION, endpoint: account.moto.endpoint, credentials: MOTO_CREDENTIALS };
  const cloudWatch = new CloudWatchClient(client);
  const kms = new KMSClient(client);
  try {
    const { MetricAlarms = [] } = await cloudWatch.send(new DescribeAlarmsCommand({}));
    const { Keys = [] } = await kms.send(new ListKeysCommand({}));
    const keys = await Promise.all(Keys.map(async ({ KeyId }) => (await kms.send(new DescribeKeyCommand({ KeyId: KeyId! }))).KeyMetadata!));
    return {
      alarms: MetricAlarms.map((alarm) => alarm.AlarmName!).sort(),
      enabledAlertKeys: keys.filter((key) => key.KeyState === "Enabled" && key.Description?.startsWith("Encrypts the alerts of")).length,
    };
  } finally {
    cloudWatch.destroy();
    kms.destroy();
  }
}

function expectSucceeded(run: DriverRun): void {
  expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
}

/**
 * Interrupts (SIGINT to the command's process group, as Ctrl-C does) and kills (SIGKILL to every
 * process of the run, engine and plugins included) `provision` at chosen moments, then runs the one
 * documented recovery: after Ctrl-C the same command again (the sentence it prints), after a kill
 * `npm run repair -- local`. Each case must end with exactly the stack's user, policy, the group that
 * grants it and the key in moto, verification passing, no orphan, no process left, and nothing of the run in the
 * temporary directory: no scratch, no file holding the stack's secret.
 */
describe("interrupted and killed provisions, repaired by one command", function () {
  this.timeout(300_000);

  for (const moment of MOMENTS) {
    for (const fault of moment.faults ?? FAULTS) {
      describe(`${fault} ${moment.name}`, () => {
        let account: SandboxAccount;
        let scratch: string;
        let env: Record<string, string>;
        before(async () => {
          account = await openSandboxAccount();
          scratch = await mkdtemp(path.join(tmpdir(), "talentbase-faults-tmp-"));
          env = { ...account.env, TMPDIR: scratch };
          if (moment.before === "provisioned") {
            // The update to interrupt: the bucket changes, so the policy gets a new version in place.
            expectSucceeded(await runDriver("provision", ["local", "--skip-verify"], { env: account.env }));
            await createUploadsBucket(account.moto.endpoint, "us-east-1", "talentbase-local-media");
            const stackFile = path.join(account.project.dir, "Pulumi.local.yaml");
            await writeFile(stackFile, `${(await readFile(stackFile, "utf8")).trimEnd()}\n  talentbase-iam:bucketName: talentbase-local-media\n`);
          }
        });
        after(async () => {
          await account?.close();
          if (scratch) await rm(scratch, { recursive: true, force: true });
        });

        it(`ends converged after \`${RECOVERY[fault]}\`: the stack's objects only, verified, no process, scratch or secret left`, async () => {
          const faulted = await runWithFault("provision", ["local"], moment.marker, fault, { env });
          expect(faulted.injected, faulted.output).to.equal(true);
          if (fault === "SIGINT") {
            expect(faulted.code, faulted.output).to.equal(130);
            expect(faulted.output)
              .to.match(/^Interrupted: /m)
              .and.include("running the same command again continues");
          }
          expect(await awaitNoProcessesOf(account.project.dir), "processes left by the faulted run").to.deep.equal([]);

          const recovered = await runDriver(RECOVERY[fault], ["local"], { env });
          expectSucceeded(recovered);
          expect(recovered.stdout).to.match(/All \d+ checks passed|Passed with \d+ warning/);

          expect(await iamInventory(account.iam)).to.deep.equal({ users: [LOCAL_USER], policies: [LOCAL_POLICY], attached: [], groups: [LOCAL_GROUP] });
          expect(await grantedThroughGroups(account.iam)).to.deep.equal([`${LOCAL_GROUP}: ${LOCAL_POLICY}`]);
          const outputs = JSON.parse((await runDriver("outputs", ["local"], { env })).stdout);
          const keys = ((await account.iam.send(new ListAccessKeysCommand({ UserName: LOCAL_USER }))).AccessKeyMetadata ?? []).map((key) => key.AccessKeyId);
          expect(keys, "exactly the stack's key").to.deep.equal([outputs.accessKeyId]);
          expect(await monitoringInventory(account), "exactly the stack's alarm and alerts key").to.deep.equal({
            alarms: [`talentbase-local-${moment.before === "provisioned" ? "media" : "uploads"}-object-count`],
            enabledAlertKeys: 1,
          });
          const again = await runDriver("provision", ["local"], { env });
          expectSucceeded(again);
          expect(again.stdout).to.match(/Changes to local: no changes \(19 unchanged\)/);
          expect(await awaitNoProcessesOf(account.project.dir), "processes left after the recovery").to.deep.equal([]);
          expect(await scratchLeftIn(scratch), "scratch left in TMPDIR").to.deep.equal([]);
          expect(await filesContaining(scratch, await secretOf(env)), "files in TMPDIR holding the secret").to.deep.equal([]);
        });
      });
    }
  }
});

describe("a driver killed while its engine runs leaves no secret on disk", function () {
  this.timeout(300_000);
  let account: SandboxAccount;
  let scratch: string;
  before(async () => {
    account = await openSandboxAccount();
    scratch = await mkdtemp(path.join(tmpdir(), "talentbase-faults-tmp-"));
  });
  after(async () => {
    await account?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it("the engine finishes the update; its events, which quote the new key's secret, never reached a file; the next run sweeps the scratch", async () => {
    const env = { ...account.env, TMPDIR: scratch };
    const faulted = await runWithFault("provision", ["local"], "aws:iam:AccessKey backend-access-key created", "SIGKILL-driver", { env });
    expect(faulted.injected, faulted.output).to.equal(true);
    expect(await awaitNoProcessesOf(account.project.dir), "the engine finished").to.deep.equal([]);
    const secret = await secretOf(env);
    expect(await filesContaining(scratch, secret), "files in TMPDIR holding the secret").to.deep.equal([]);
    expect(await scratchLeftIn(scratch), "the killed run's capture of the engine's output").to.have.length.greaterThan(0);

    const next = await runDriver("provision", ["local"], { env });
    expectSucceeded(next);
    expect(next.stdout).to.match(/Changes to local: no changes \(19 unchanged\)/);
    expect(await scratchLeftIn(scratch), "scratch left after the next run").to.deep.equal([]);
  });
});
