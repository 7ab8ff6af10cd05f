import { readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { expect } from "chai";
import { createUploadsBucket } from "../../../sandbox/seed";
import { runDriver, type DriverRun } from "../../support/driverProcess";
import { awaitNoProcessesOf, runWithFault, type Fault } from "../../support/faultInjection";
import { iamInventory, LOCAL_POLICY, LOCAL_USER, openSandboxAccount, type SandboxAccount } from "../../support/sandboxAccount";

/** A moment of a provision, recognised by the line the engine (or the driver) prints as it begins. */
interface Moment {
  readonly name: string;
  readonly marker: string;
  /** What the stack looks like before the faulted run: nothing, or provisioned with another bucket. */
  readonly before: "empty" | "provisioned";
}

const MOMENTS: readonly Moment[] = [
  { name: "before the engine starts", marker: "== Provisioning stack local ==", before: "empty" },
  { name: "while the user is created", marker: "aws:iam:User backend-user creating", before: "empty" },
  { name: "while the key is created", marker: "aws:iam:AccessKey backend-access-key creating", before: "empty" },
  { name: "during a policy update", marker: "aws:iam:Policy backend-policy updating", before: "provisioned" },
  { name: "during verification", marker: "Verifying stack local...", before: "empty" },
];
const FAULTS: readonly Fault[] = ["SIGINT", "SIGKILL"];

function expectSucceeded(run: DriverRun): void {
  expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
}

/**
 * Interrupts (SIGINT to the command's process group, as Ctrl-C does) and kills (SIGKILL to every
 * process of the run, engine and plugins included) `provision` at chosen moments, then runs the one
 * documented recovery, `npm run repair -- local`. Each case must end with exactly the stack's user,
 * policy, attachment and key in moto, verification passing, no orphan, and no process left.
 */
describe("interrupted and killed provisions, repaired by one command", function () {
  this.timeout(300_000);

  for (const moment of MOMENTS) {
    for (const fault of FAULTS) {
      describe(`${fault} ${moment.name}`, () => {
        let account: SandboxAccount;
        before(async () => {
          account = await openSandboxAccount();
          if (moment.before === "provisioned") {
            // The update to interrupt: the bucket changes, so the policy gets a new version in place.
            expectSucceeded(await runDriver("provision", ["local", "--skip-verify"], { env: account.env }));
            await createUploadsBucket(account.moto.endpoint, "us-east-1", "talentbase-local-media");
            const stackFile = path.join(account.project.dir, "Pulumi.local.yaml");
            await writeFile(stackFile, `${(await readFile(stackFile, "utf8")).trimEnd()}\n  talentbase-iam:bucketName: talentbase-local-media\n`);
          }
        });
        after(() => account?.close());

        it("ends converged after `repair`: the stack's objects only, verified, no process left", async () => {
          const faulted = await runWithFault("provision", ["local"], moment.marker, fault, { env: account.env });
          expect(faulted.injected, faulted.output).to.equal(true);
          if (fault === "SIGINT") {
            expect(faulted.code, faulted.output).to.equal(130);
            expect(faulted.output).to.match(/^Interrupted: /m);
          }
          expect(await awaitNoProcessesOf(account.project.dir), "processes left by the faulted run").to.deep.equal([]);

          const repaired = await runDriver("repair", ["local"], { env: account.env });
          expectSucceeded(repaired);
          expect(repaired.stdout).to.match(/All \d+ checks passed|Passed with \d+ warning/);

          expect(await iamInventory(account.iam)).to.deep.equal({ users: [LOCAL_USER], policies: [LOCAL_POLICY], attached: [LOCAL_POLICY] });
          const outputs = JSON.parse((await runDriver("outputs", ["local"], { env: account.env })).stdout);
          const keys = ((await account.iam.send(new ListAccessKeysCommand({ UserName: LOCAL_USER }))).AccessKeyMetadata ?? []).map((key) => key.AccessKeyId);
          expect(keys, "exactly the stack's key").to.deep.equal([outputs.accessKeyId]);
          const again = await runDriver("provision", ["local"], { env: account.env });
          expectSucceeded(again);
          expect(again.stdout).to.match(/Changes to local: no changes \(6 unchanged\)/);
          expect(await awaitNoProcessesOf(account.project.dir), "processes left after the repair").to.deep.equal([]);
        });
      });
    }
  }
});
