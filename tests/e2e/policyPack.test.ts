import * as path from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "../../automation/projectPaths";
import { runDriver, type DriverRun } from "../support/driverProcess";
import { projectBeforeTheGroup } from "../support/projectBeforeTheGroup";
import { openSandboxAccount, type SandboxAccount } from "../../harness/sandboxAccount";

const PACK = path.join(REPO_ROOT, "policy");

function expectSucceeded(run: DriverRun): void {
  expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
}

/**
 * The CrossGuard pack (policy/) as the CLI runs it: `pulumi preview --policy-pack policy` starts it
 * through the Node.js language host's RunPlugin. The program passes; the program as it was before the
 * group (the policy attached to the user) is refused by two mandatory rules.
 */
describe("the CrossGuard pack on a preview (pulumi preview --policy-pack policy)", function () {
  this.timeout(300_000);
  let account: SandboxAccount;
  let before: Awaited<ReturnType<typeof projectBeforeTheGroup>> | undefined;
  beforeEach(async () => {
    account = await openSandboxAccount();
  });
  afterEach(async () => {
    await account?.close();
    await before?.remove();
  });

  it("passes the program: every rule, on the nineteen resources a new stack would create", async () => {
    expectSucceeded(await runDriver("pulumi", ["local", "stack", "init"], { env: account.env }));
    const preview = await runDriver("pulumi", ["local", "preview", "--policy-pack", PACK], { env: account.env });
    expectSucceeded(preview);
    expect(preview.stdout).to.include("talentbase-iam@v0.1.0 (local: ").and.include("+ 19 to create");
    expect(preview.stdout).not.to.include("mandatory");
  });

  it("refuses the program of the commit before the group: the policy attached to the user, and to no group", async () => {
    before = await projectBeforeTheGroup();
    const env = { ...account.env, TALENTBASE_IAM_PROJECT_DIR: before.dir };
    expectSucceeded(await runDriver("pulumi", ["local", "stack", "init"], { env }));
    const preview = await runDriver("pulumi", ["local", "preview", "--policy-pack", PACK], { env });
    expect(preview.code, preview.stdout).not.to.equal(0);
    const output = preview.stdout + preview.stderr;
    expect(output)
      .to.match(/\[mandatory\]\s+permissions-only-through-groups/)
      .and.include("aws:iam/userPolicyAttachment:UserPolicyAttachment gives a user permissions of its own");
    expect(output).to.match(/\[mandatory\]\s+policies-attached-to-a-group/);
  });
});
