import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { expect } from "chai";
import { parse } from "yaml";
import { REPO_ROOT } from "../../../automation/projectPaths";
import { LOCAL_USER, openSandboxAccount, type SandboxAccount } from "../../../harness/sandboxAccount";
import { cleanEnv } from "../../support/driverProcess";

interface WorkflowStep {
  readonly name?: string;
  readonly run?: string;
  readonly uses?: string;
}

const run = promisify(execFile);

/** The shell commands of the nightly workflow, in order, with the matrix's stack named. */
async function workflowRunSteps(stack: string): Promise<{ name: string; script: string }[]> {
  const workflow = parse(await readFile(path.join(REPO_ROOT, ".github", "workflows", "iam-audit.yml"), "utf8")) as {
    jobs: { audit: { steps: WorkflowStep[] } };
  };
  return workflow.jobs.audit.steps
    .filter((step): step is WorkflowStep & { run: string } => typeof step.run === "string")
    .map((step) => ({ name: step.name ?? step.run, script: step.run.replaceAll("${{ matrix.stack }}", stack) }));
}

/**
 * Every shell command of `.github/workflows/iam-audit.yml`, run as the runner runs it (bash, the
 * variables a step writes to $GITHUB_ENV passed to the next), on the sandbox stack against moto: the
 * verification's JUnit report, `rotate auto`, and the commit of the rotation's record pushed to the
 * repository. Left to GitHub: the `uses:` actions (checkout, Node, the Pulumi CLI, OIDC credentials,
 * the artifact upload) and `npm ci`, which CI itself runs on every fresh clone.
 */
describe("the nightly workflow's commands, run against moto", function () {
  this.timeout(300_000);
  let account: SandboxAccount;
  let scratch: string;
  before(async () => {
    account = await openSandboxAccount();
    scratch = await mkdtemp(path.join(tmpdir(), "talentbase-workflow-"));
  });
  after(async () => {
    await account?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("writes the JUnit report, starts the due rotation, and commits its record to the repository", async () => {
    // The checkout: the project copy as a git repository with an origin to push to.
    const checkout = account.project.dir;
    const origin = path.join(scratch, "origin.git");
    const git = (...args: string[]) => run("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: checkout });
    await run("git", ["init", "--bare", "--quiet", origin]);
    await git("init", "--quiet", "-b", "main");
    await git("add", "-A");
    await git("commit", "--quiet", "-m", "checkout");
    await git("remote", "add", "origin", origin);
    await git("push", "--quiet", "-u", "origin", "main");

    const env: Record<string, string> = cleanEnv({ ...account.env, RUNNER_TEMP: scratch, GITHUB_ENV: path.join(scratch, "github-env") });
    const provisioned = await run(process.execPath, [path.join(REPO_ROOT, "bin", "talentbase-iam.js"), "provision", "local", "--skip-verify"], {
      cwd: REPO_ROOT,
      env,
    });
    expect(provisioned.stdout).to.include("Changes to local");
    const { AccessKeyMetadata } = await account.iam.send(new ListAccessKeysCommand({ UserName: LOCAL_USER }));
    await account.moto.ageAccessKey(LOCAL_USER, AccessKeyMetadata![0]!.AccessKeyId!, 83);

    const steps = await workflowRunSteps("local");
    expect(steps.map((step) => step.name)).to.deep.equal([
      "npm ci",
      "Reports folder",
      "Verify",
      "Rotate on schedule",
      "Record the rotation",
      "Fail on a verification FAIL",
    ]);
    for (const step of steps.filter((candidate) => ["Reports folder", "Verify", "Rotate on schedule", "Record the rotation"].includes(candidate.name))) {
      const written = existsSync(env["GITHUB_ENV"]!) ? await readFile(env["GITHUB_ENV"]!, "utf8") : "";
      const fromEarlierSteps = Object.fromEntries(
        written
          .trim()
          .split("\n")
          .filter(Boolean)
          .map((line) => line.split(/=(.*)/s).slice(0, 2)),
      );
      // npm runs from the repository (the project copy is reached through TALENTBASE_IAM_PROJECT_DIR); git in the checkout.
      const cwd = step.name === "Record the rotation" ? checkout : REPO_ROOT;
      await run("bash", ["-e", "-c", step.script], { cwd, env: { ...env, ...fromEarlierSteps } });
    }

    const reports = path.join(scratch, "iam-audit");
    expect(await readFile(path.join(reports, "local.xml"), "utf8"))
      .to.include("<testsuite")
      .and.include('name="access-key-age: ');
    const rotation = JSON.parse(await readFile(path.join(reports, "local-rotation.json"), "utf8")) as { auto: { action: string }; status: { phase: string } };
    expect(rotation.auto.action).to.equal("start");
    expect(rotation.status.phase).to.equal("started");
    const { stdout: pushed } = await run("git", ["--git-dir", origin, "log", "-1", "--format=%s", "--name-only", "main"]);
    expect(pushed).to.include("rotate local auto: record the rotation").and.include("Pulumi.local.yaml");
  });
});
