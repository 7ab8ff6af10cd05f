import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { expect } from "chai";
import { awsCliCommand } from "../../../automation/stacks/printedCommands";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type MotoServer } from "../../../sandbox/moto/motoServer";
import { runDjangoConsumer, summarizeConsumerRun, type DjangoConsumerRun } from "../../consumers/django/djangoConsumer";
import { DJANGO_SUITE_DIR } from "../../consumers/django/djangoSuite";
import { runDriver, type DriverRun } from "../../support/driverProcess";
import { copyProjectWithEnv } from "../../../harness/projectCopy";
import { stateFiles } from "../../../harness/projectCopy";

const SECRET_NAME = "talentbase/local/aws-credentials";
const RECOVERY_DAYS = 7;
const DAY_MS = 86_400_000;

interface Pair {
  readonly AWS_ACCESS_KEY_ID: string;
  readonly AWS_SECRET_ACCESS_KEY: string;
}

/**
 * The hand-off proven by its consumer: `local` provisioned prod-like (the Secrets Manager secret on,
 * a 7-day recovery window), then a minimal Django project with django-storages' S3 backend, configured
 * only from the env file and from the secret, does the backend's uploads under moto's IAM enforcement.
 */
describe("the Django consumer (django-storages) on what the stack hands over, against moto", function () {
  this.timeout(300_000);
  let moto: MotoServer;
  let project: Awaited<ReturnType<typeof copyProjectWithEnv>>;
  let env: Record<string, string>;
  let scratch: string;
  let secretsManager: SecretsManagerClient;
  let provisioned: DriverRun;
  /** Every output of the driver and the suite, for the leak check at the end. */
  const printed: string[] = [];
  /** Every secret value the run handled: key secrets and secret strings. */
  const secrets = new Set<string>();

  const driver = async (...args: Parameters<typeof runDriver>) => {
    const run = await runDriver(...args);
    printed.push(run.stdout, run.stderr);
    return run;
  };
  const valueAt = async (stage: "AWSCURRENT" | "AWSPREVIOUS") => {
    const { SecretString, VersionId } = await secretsManager.send(new GetSecretValueCommand({ SecretId: SECRET_NAME, VersionStage: stage }));
    secrets.add(SecretString ?? "");
    return { pair: JSON.parse(SecretString ?? "{}") as Pair, versionId: VersionId };
  };
  /** The current secret access key as an operator reveals it; remembered for the leak check, never printed. */
  const revealedKey = async () => {
    const shown = await runDriver("outputs", ["local", "--format", "json", "--show-secrets"], { env });
    expect(shown.code, shown.stderr).to.equal(0);
    const outputs = JSON.parse(shown.stdout) as { accessKeyId: string; secretAccessKey: string };
    secrets.add(outputs.secretAccessKey);
    return outputs;
  };
  const consumer = async (sources?: DjangoConsumerRun["runs"][number]["source"][]) => {
    const run = await runDjangoConsumer({
      motoEndpoint: moto.endpoint,
      driverEnv: project.env,
      scratchDir: scratch,
      enforce: true,
      ...(sources ? { sources } : {}),
    });
    for (const value of run.secrets) secrets.add(value);
    for (const result of run.runs) printed.push(result.output);
    console.log(summarizeConsumerRun(run).replace(/^/gm, "      "));
    return run;
  };
  const expectSuitePassed = (run: DjangoConsumerRun, sources: string[]) => {
    expect(run.runs.map((result) => result.source)).to.deep.equal(sources);
    for (const result of run.runs) {
      expect(result.exitCode, `${result.source}:\n${result.output}`).to.equal(0);
      expect(
        result.tests.map((test) => `${test.name}: ${test.outcome}`),
        result.source,
      ).to.have.members([
        "test_settings_come_from_the_hand_off_and_name_the_stacks_current_key: passed",
        "test_the_key_django_storages_signs_with_is_the_stacks_user: passed",
        "test_default_storage_saves_reads_back_and_deletes_a_file: passed",
        "test_presigned_post_uploads_a_candidate_photo__posted_with_iam_enforcement_off_as_moto_answers_500_under_it: passed",
        "test_bucket_administration_is_refused_to_the_stacks_key: passed",
      ]);
    }
  };
  const setLocalConfig = async (entries: Record<string, string>) => {
    const file = path.join(project.dir, "Pulumi.local.yaml");
    const lines = Object.entries(entries).map(([key, value]) => `  talentbase-iam:${key}: "${value}"`);
    await writeFile(file, `${(await readFile(file, "utf8")).trimEnd()}\n${lines.join("\n")}\n`);
  };

  before(async () => {
    moto = await startMoto();
    project = await copyProjectWithEnv();
    env = { ...project.env, AWS_ENDPOINT_URL: moto.endpoint };
    scratch = await mkdtemp(path.join(tmpdir(), "talentbase-django-consumer-"));
    secretsManager = new SecretsManagerClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    const s3 = new S3Client({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "talentbase-local-uploads" }));
    s3.destroy();
    await setLocalConfig({ credentialsSecret: "true", credentialsSecretRecoveryDays: String(RECOVERY_DAYS) });
    provisioned = await driver("provision", ["local", "--json"], { env });
  });
  after(async () => {
    secretsManager?.destroy();
    await moto?.stop();
    await project?.remove();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("provisions local with the secret: AWSCURRENT holds the current key pair, and the verification proves it", async () => {
    expect(provisioned.code, provisioned.stderr).to.equal(0);
    const [result] = JSON.parse(provisioned.stdout).stacks;
    expect(result.changes).to.deep.equal({ create: 22 });
    expect(result.outputs.credentialsSecretName).to.equal(SECRET_NAME);
    expect(result.outputs.credentialsSecretArn).to.match(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:talentbase\/local\/aws-credentials-\w{6}$/);
    const check = result.verification.checks.find((candidate: { id: string }) => candidate.id === "credentials-secret");
    expect(check).to.include({ status: "PASS" });
    expect(check.detail).to.include(`holds key ${result.outputs.accessKeyId}, which authenticates as ${result.outputs.userArn}`);

    const operator = await revealedKey();
    const { pair } = await valueAt("AWSCURRENT");
    expect(pair.AWS_ACCESS_KEY_ID).to.equal(operator.accessKeyId);
    expect(pair.AWS_SECRET_ACCESS_KEY === operator.secretAccessKey, "AWSCURRENT holds the stack's secret access key").to.equal(true);
  });

  it("Django passes from the env file (dev) and from the secret read with boto3 at settings load (prod), under IAM enforcement", async () => {
    expectSuitePassed(await consumer(), ["env", "secretsmanager"]);
  });

  it("replacing the key writes a new version: the new pair is AWSCURRENT, the old one AWSPREVIOUS", async () => {
    const before = await valueAt("AWSCURRENT");
    // A forced replacement with the plain CLI (through our passthrough, in the sandbox's environment).
    const exported = await driver("pulumi", ["local", "stack", "export"], { env });
    const resources = (JSON.parse(exported.stdout).deployment?.resources ?? []) as { urn: string; type: string }[];
    const keyUrn = resources.find((resource) => resource.type === "aws:iam/accessKey:AccessKey")!.urn;
    const up = await driver("pulumi", ["local", "up", "--yes", "--skip-preview", "--replace", keyUrn], { env });
    expect(up.code, up.stderr).to.equal(0);
    expect(up.stdout).to.match(/\+-\s*2 replaced/);

    const operator = await revealedKey();
    const current = await valueAt("AWSCURRENT");
    const previous = await valueAt("AWSPREVIOUS");
    expect(current.pair.AWS_ACCESS_KEY_ID).to.equal(operator.accessKeyId).and.not.equal(before.pair.AWS_ACCESS_KEY_ID);
    expect(previous.versionId).to.equal(before.versionId);
    expect(previous.pair.AWS_ACCESS_KEY_ID).to.equal(before.pair.AWS_ACCESS_KEY_ID);
  });

  it("a rotation's start makes the new key AWSCURRENT while the old stays AWSPREVIOUS (and Active): Django picks up the new key", async () => {
    const before = await valueAt("AWSCURRENT");
    await setLocalConfig({ accessKeySlot: "b", rotation: "started" });
    const started = await driver("provision", ["local", "--json"], { env });
    expect(started.code, started.stderr).to.equal(0);
    const [result] = JSON.parse(started.stdout).stacks;
    expect(result.outputs.retiringAccessKeyId).to.equal(before.pair.AWS_ACCESS_KEY_ID);

    expect((await valueAt("AWSCURRENT")).pair.AWS_ACCESS_KEY_ID).to.equal(result.outputs.accessKeyId);
    expect((await valueAt("AWSPREVIOUS")).pair.AWS_ACCESS_KEY_ID).to.equal(before.pair.AWS_ACCESS_KEY_ID);
    await revealedKey();
    const run = await consumer(["secretsmanager"]);
    expectSuitePassed(run, ["secretsmanager"]);
    expect(run.accessKeyId).to.equal(result.outputs.accessKeyId);
  });

  it("a refresh with --debug (the engine's full output, reads of the secret's version included) changes nothing", async () => {
    const run = await driver("provision", ["local", "--refresh", "--debug", "--skip-verify"], { env });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/Changes to local: no changes \(\d+ unchanged\)/);
  });

  it("destroy schedules the secret's deletion with the configured 7-day window, says how to restore it, and a provision in the window says how to free the name", async () => {
    const requested = Date.now();
    const run = await driver("destroy", ["local"], { env });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include(`Secret ${SECRET_NAME} is scheduled for deletion in ${RECOVERY_DAYS} days`);
    const { DeletedDate } = await secretsManager.send(new DescribeSecretCommand({ SecretId: SECRET_NAME }));
    // moto reports the end of the window as DeletedDate.
    expect(DeletedDate?.getTime()).to.be.within(requested + RECOVERY_DAYS * DAY_MS - 60_000, Date.now() + RECOVERY_DAYS * DAY_MS + 60_000);
    const read = await secretsManager.send(new GetSecretValueCommand({ SecretId: SECRET_NAME, VersionStage: "AWSCURRENT" })).then(
      () => "read",
      (error: Error) => error.name,
    );
    expect(read).to.equal("InvalidRequestException");

    const again = await driver("provision", ["local", "--skip-verify"], { env });
    expect(again.code).to.equal(1);
    expect(again.stderr).to.include(
      `provision: the credentials secret's name (${SECRET_NAME}, unless talentbase-iam:credentialsSecretName says otherwise) is held by a secret a destroy scheduled for deletion: free it with \`${awsCliCommand("local", "secretsmanager", "delete-secret", "--secret-id", SECRET_NAME, "--force-delete-without-recovery")}\` (the stack writes its current key again)`,
    );
  });

  it("no command output, suite output or state file carries a secret in plain text; the env files are 0600 outside git", async () => {
    const values = [...secrets].filter((value) => value.length >= 20);
    expect(values.length, "key secrets and secret strings seen").to.be.at.least(4);
    for (const text of printed) for (const value of values) expect(text.includes(value), "a secret in some output").to.equal(false);
    for (const file of await stateFiles(project.stateDir)) {
      const content = await readFile(file, "utf8");
      for (const value of values) expect(content.includes(value), `a secret in ${file}`).to.equal(false);
    }
    const envFiles = (await readdir(scratch)).filter((name) => name.endsWith(".env"));
    expect(envFiles).to.have.length(2);
    for (const name of envFiles) expect((await stat(path.join(scratch, name))).mode & 0o777, name).to.equal(0o600);
    const left = (await readdir(DJANGO_SUITE_DIR, { recursive: true })).filter((name) => /__pycache__|\.pyc$|\.pytest_cache|\.xml$|\.env$/.test(name));
    expect(left, "the suite leaves nothing behind in the repository").to.deep.equal([]);
  });
});
