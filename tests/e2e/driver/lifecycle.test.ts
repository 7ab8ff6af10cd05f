import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type MotoServer } from "../../../sandbox/moto/motoServer";
import { REPO_ROOT } from "../../../automation/projectPaths";
import { cleanEnv, runDriver, type DriverRun } from "../../support/driverProcess";
import { copyProjectWithEnv } from "../../../harness/projectCopy";

const USER = "talentbase-backend-local";

describe("driver commands on the local stack against moto", function () {
  this.timeout(120_000);
  let moto: MotoServer;
  let project: Awaited<ReturnType<typeof copyProjectWithEnv>>;
  let env: Record<string, string>;
  let iam: IAMClient;
  let scratch: string;
  /** The runs every test may look at, made once in order: a preview of the new stack, then the first provision. */
  let firstPreview: DriverRun;
  let firstProvision: DriverRun;

  const userNames = async () => ((await iam.send(new ListUsersCommand({}))).Users ?? []).map((user) => user.UserName);
  const checkpointFile = () => path.join(project.stateDir, ".pulumi", "stacks", "talentbase-iam", "local.json");
  /** The secret access key, read the way an operator would. */
  const revealedSecret = async () => {
    const shown = await runDriver("outputs", ["local", "--format", "json", "--show-secrets"], { env: project.env });
    expect(shown.code, shown.stderr).to.equal(0);
    const secret: string = JSON.parse(shown.stdout).secretAccessKey;
    expect(secret).to.match(/^[A-Za-z0-9/+]{30,}$/);
    return secret;
  };

  before(async () => {
    moto = await startMoto();
    project = await copyProjectWithEnv();
    env = { ...project.env, AWS_ENDPOINT_URL: moto.endpoint };
    iam = new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    const s3 = new S3Client({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "talentbase-local-uploads" }));
    s3.destroy();
    scratch = await mkdtemp(path.join(tmpdir(), "talentbase-iam-outputs-"));
    firstPreview = await runDriver("provision", ["local", "--preview"], { env });
    firstProvision = await runDriver("provision", ["local", "--json"], { env });
  });
  after(async () => {
    iam?.destroy();
    await moto?.stop();
    await project?.remove();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("--preview of a new stack shows what it would create and creates nothing", () => {
    expect(firstPreview.code, firstPreview.stderr).to.equal(0);
    expect(firstPreview.stdout).to.include("Preview of local: create 19");
    expect(firstProvision.stdout, "the preview left nothing behind for the provision").to.include('"create": 19');
  });

  it("provisions a fresh stack, verifies it and prints one JSON document with the secret masked", async () => {
    expect(firstProvision.code, firstProvision.stderr).to.equal(0);
    const document = JSON.parse(firstProvision.stdout);
    const [result] = document.stacks;
    expect(document.exitCode).to.equal(0);
    expect(result).to.include({ stack: "local", operation: "update", status: "succeeded" });
    expect(result.changes).to.deep.equal({ create: 19 });
    expect(result.outputs).to.include({ userName: USER, secretAccessKey: "[secret]", bucketName: "talentbase-local-uploads" });
    expect(result.verification.summary.FAIL).to.equal(0);
    expect(result.verification.summary.PASS).to.be.greaterThan(10);
    expect(firstProvision.stderr, "engine progress goes to stderr").to.include("Updating (local)");
    expect(await userNames()).to.include(USER);
  });

  it("a second provision changes nothing and prints the verification report", async () => {
    const run = await runDriver("provision", ["local"], { env });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include("Changes to local: no changes (19 unchanged)");
    expect(run.stdout).to.include("IAM verification: stack local").and.include("[PASS] IAM user exists");
  });

  it("`npm run -s provision -- local --json` pipes into jq", async () => {
    const pipeline = "npm run -s provision -- local --json --skip-verify | jq -e '.stacks[0].status'";
    const { stdout } = await promisify(execFile)("bash", ["-o", "pipefail", "-c", pipeline], { cwd: REPO_ROOT, env: cleanEnv(env) });
    expect(stdout.trim()).to.equal('"succeeded"');
  });

  it("provision, with or without --json, never prints the secret", async () => {
    const again = await runDriver("provision", ["local"], { env });
    const secret = await revealedSecret();
    for (const run of [firstProvision, again]) {
      expect(run.stdout + run.stderr).not.to.include(secret);
    }
  });

  it("--format json masks the secret; --show-secrets reveals it", async () => {
    const masked = await runDriver("outputs", ["local"], { env: project.env });
    expect(masked.code, masked.stderr).to.equal(0);
    expect(JSON.parse(masked.stdout)).to.include({ userName: USER, secretAccessKey: "[secret]" });
    const secret = await revealedSecret();
    expect(masked.stdout + masked.stderr).not.to.include(secret);
  });

  it("outputs read from the state files (no CLI process) agree with `pulumi stack output --json`", async () => {
    const trace = path.join(scratch, "cli-calls");
    const ours = await runDriver("outputs", ["local"], { env: { ...project.env, TALENTBASE_IAM_TRACE_CLI: trace } });
    expect(ours.code, ours.stderr).to.equal(0);
    expect(existsSync(trace), "a Pulumi CLI call was made").to.equal(false);
    const pulumis = await runDriver("pulumi", ["local", "stack", "output", "--json"], { env: project.env });
    expect(pulumis.code, pulumis.stderr).to.equal(0);
    expect(JSON.parse(ours.stdout)).to.deep.equal(JSON.parse(pulumis.stdout));
  });

  it("--format env uses the django-storages names, with moto's endpoint, secret masked or shown", async () => {
    const secret = await revealedSecret();
    const masked = await runDriver("outputs", ["local", "--format", "env"], { env });
    expect(masked.code, masked.stderr).to.equal(0);
    expect(masked.stdout)
      .to.include("AWS_SECRET_ACCESS_KEY=[secret]\n")
      .and.include("AWS_STORAGE_BUCKET_NAME=talentbase-local-uploads\n")
      .and.include("AWS_S3_REGION_NAME=us-east-1\n")
      .and.include(`AWS_S3_ENDPOINT_URL=${moto.endpoint}\n`)
      .and.match(/^AWS_ACCESS_KEY_ID=AKIA\w+$/m);
    const shown = await runDriver("outputs", ["local", "--format", "env", "--show-secrets"], { env });
    expect(shown.stdout).to.include(`AWS_SECRET_ACCESS_KEY=${secret}\n`);
  });

  it("--out creates the file with mode 0600 outside git, and refuses to overwrite without --force", async () => {
    const secret = await revealedSecret();
    const file = path.join(scratch, "backend.env");
    const first = await runDriver("outputs", ["local", "--format", "env", "--show-secrets", "--out", file], { env });
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout, "nothing secret on stdout").to.equal("");
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    expect(await readFile(file, "utf8")).to.include(`AWS_SECRET_ACCESS_KEY=${secret}`);

    await writeFile(file, "kept\n", { mode: 0o600 });
    const again = await runDriver("outputs", ["local", "--out", file], { env });
    expect(again.code).to.equal(2);
    expect(again.stderr).to.include("already exists: pass --force");
    expect(await readFile(file, "utf8")).to.equal("kept\n");

    const forced = await runDriver("outputs", ["local", "--out", file, "--force"], { env });
    expect(forced.code, forced.stderr).to.equal(0);
    expect(JSON.parse(await readFile(file, "utf8"))).to.include({ secretAccessKey: "[secret]" });
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
  });

  it("--out refuses a path git tracks or does not ignore, and writes an ignored one", async () => {
    const repo = path.join(scratch, "repo");
    await mkdir(repo);
    const git = (...args: string[]) => promisify(execFile)("git", ["-C", repo, ...args]);
    await git("init", "-q");
    await writeFile(path.join(repo, ".gitignore"), "*.env\n");
    await writeFile(path.join(repo, "tracked.env"), "old\n");
    await git("add", "-f", "tracked.env");

    const tracked = await runDriver("outputs", ["local", "--out", path.join(repo, "tracked.env"), "--force"], { env });
    expect(tracked.code).to.equal(2);
    expect(tracked.stderr).to.include("git tracks this file");
    expect(await readFile(path.join(repo, "tracked.env"), "utf8")).to.equal("old\n");

    const unignored = await runDriver("outputs", ["local", "--out", path.join(repo, "outputs.json")], { env });
    expect(unignored.code).to.equal(2);
    expect(unignored.stderr).to.include("git does not ignore it");
    expect(existsSync(path.join(repo, "outputs.json"))).to.equal(false);

    const ignored = await runDriver("outputs", ["local", "--format", "env", "--out", path.join(repo, "backend.env")], { env });
    expect(ignored.code, ignored.stderr).to.equal(0);
    expect((await stat(path.join(repo, "backend.env"))).mode & 0o777).to.equal(0o600);
  });

  it("verify --json prints the report and --junit writes one testcase per check", async () => {
    const junit = path.join(scratch, "reports", "verify.xml");
    // The directory must exist (a missing one is refused before any AWS call, like outputs --out).
    await mkdir(path.dirname(junit));
    const run = await runDriver("verify", ["local", "--json", "--junit", junit], { env });
    expect(run.code, run.stderr).to.equal(0);
    const report = JSON.parse(run.stdout);
    expect(report).to.include({ stack: "local", environment: "local" });
    expect(report.summary.FAIL).to.equal(0);
    const xml = await readFile(junit, "utf8");
    expect(xml.match(/<testcase /g)).to.have.length(report.checks.length);
  });

  it("a held lock is another update: names its holder and `npm run repair`, exit code 1", async () => {
    const lockDir = path.join(project.stateDir, ".pulumi", "locks", "organization", "talentbase-iam", "local");
    await mkdir(lockDir, { recursive: true });
    const lock = path.join(lockDir, `${randomUUID()}.json`);
    await writeFile(lock, JSON.stringify({ pid: 4242, username: "someone", hostname: "elsewhere", timestamp: new Date().toISOString() }));
    try {
      const run = await runDriver("provision", ["local"], { env });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.include("another update is running on stack local (or a killed one left its lock; locked by someone@elsewhere, pid 4242, since ");
      expect(run.stderr).to.include("`npm run repair -- local` clears the lock and repairs the stack");
      expect(run.stderr, "no stack trace without --debug").not.to.match(/\n\s+at /);
    } finally {
      await rm(lock);
    }
  });

  it("pending operations of an interrupted update are refused with the repair commands, exit code 1", async () => {
    // `pulumi stack import` always drops pending operations, so the interruption is written into the checkpoint itself.
    const original = await readFile(checkpointFile(), "utf8");
    const checkpoint = JSON.parse(original);
    const latest = checkpoint.checkpoint.latest;
    const key = latest.resources.find((resource: { type: string }) => resource.type === "aws:iam/accessKey:AccessKey");
    latest.resources = latest.resources.filter((resource: unknown) => resource !== key);
    latest.pending_operations = [{ resource: key, type: "creating" }];
    await writeFile(checkpointFile(), JSON.stringify(checkpoint));
    try {
      const run = await runDriver("provision", ["local", "--json"], { env });
      expect(run.code).to.equal(1);
      const [result] = JSON.parse(run.stdout).stacks;
      expect(result.error.kind).to.equal("pending-operations");
      expect(run.stderr)
        .to.include("stack local has 1 pending operation(s) from an interrupted update (creating backend-access-key)")
        .and.include("`npm run repair -- local`");
    } finally {
      await writeFile(checkpointFile(), original);
    }
  });

  it("destroy removes the stack's IAM user, group, policy and key from moto, and says so", async () => {
    const run = await runDriver("destroy", ["local"], { env });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include("Destroyed local: delete 19");
    expect(await userNames()).not.to.include(USER);
  });

  it("a resource still protected in the state stops destroy before deleting anything, naming the config to lift", async () => {
    const stackFile = path.join(project.dir, "Pulumi.local.yaml");
    const original = await readFile(stackFile, "utf8");
    await writeFile(stackFile, `${original.trimEnd()}\n  talentbase-iam:protect: "true"\n`);
    const protectedRun = await runDriver("provision", ["local", "--skip-verify"], { env });
    expect(protectedRun.code, protectedRun.stderr).to.equal(0);

    // Protection lifted in config but not applied yet: the state still protects the resources.
    await writeFile(stackFile, original);
    const run = await runDriver("destroy", ["local"], { env });
    expect(run.code).to.equal(1);
    expect(run.stderr)
      .to.include("protected resources in the way")
      .and.include("`npm run pulumi -- local config set talentbase-iam:protect false`")
      .and.include("npm run provision -- local");
    expect(await userNames()).to.include(USER);
  });
});
