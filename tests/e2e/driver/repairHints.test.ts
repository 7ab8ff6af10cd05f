import { CreatePolicyVersionCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { expect } from "chai";
import { ALL_CHECKS } from "../../../automation/verify/checks";
import { buildUploadsPolicy } from "../../../infra/policy";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type MotoServer } from "../../../sandbox/moto/motoServer";
import { runDriver, type DriverRun } from "../../support/driverProcess";
import { copyProjectWithEnv } from "../../../harness/projectCopy";

const POLICY_ARN = "arn:aws:iam::123456789012:policy/talentbase-backend-local-s3-policy";
const BUCKET = "talentbase-local-uploads";

/** The last line on stderr: the one-line failure the CLI ends with (the engine's progress is on stdout). */
const failureLine = (run: DriverRun) => run.stderr.trimEnd().split("\n").at(-1);

/**
 * Two catalogue rows need a deployed stack: AWS lost or changed the stack's objects. A plain update
 * cannot see that, so the failure must say that `provision --refresh` repairs it, and following the
 * advice must repair it.
 */
describe("failures that provision --refresh repairs say so (engine + moto)", function () {
  this.timeout(300_000);
  let moto: MotoServer;
  let project: Awaited<ReturnType<typeof copyProjectWithEnv>>;
  let env: Record<string, string>;

  const createBucket = async () => {
    const s3 = new S3Client({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    } finally {
      s3.destroy();
    }
  };

  before(async () => {
    moto = await startMoto();
    project = await copyProjectWithEnv();
    env = { ...project.env, AWS_ENDPOINT_URL: moto.endpoint };
    await createBucket();
    const first = await runDriver("provision", ["local"], { env });
    expect(first.code, first.stderr).to.equal(0);
  });
  after(async () => {
    await moto?.stop();
    await project?.remove();
  });

  it("a policy changed outside Pulumi: a plain provision changes nothing, fails, and names --refresh, which repairs it", async () => {
    const iam = new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    try {
      const program = buildUploadsPolicy({ bucketName: BUCKET, partition: "aws" });
      const allowOnly = { ...program, Statement: program.Statement.filter((statement) => statement.Effect === "Allow") };
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: POLICY_ARN, PolicyDocument: JSON.stringify(allowOnly), SetAsDefault: true }));
    } finally {
      iam.destroy();
    }

    const plain = await runDriver("provision", ["local"], { env });
    expect(plain.code, plain.stderr).to.equal(1);
    expect(plain.stdout).to.include("Changes to local: no changes");
    expect(failureLine(plain)).to.equal(
      `provision: verification of stack local failed: 2 of ${ALL_CHECKS.length} checks failed; AWS no longer matches the stack's state (policy-drift changed outside Pulumi), so run \`npm run provision -- local --refresh\` to repair it`,
    );

    const refreshed = await runDriver("provision", ["local", "--refresh"], { env });
    expect(refreshed.code, refreshed.stderr).to.equal(0);
    expect(refreshed.stdout).to.match(/Changes to local: update 1/);
  });

  it("moto restarted empty: verify names --refresh, which recreates the user, policy and key", async () => {
    await moto.reset();
    const broken = await runDriver("verify", ["local"], { env });
    expect(broken.code, broken.stderr).to.equal(1);
    expect(broken.stderr.trimEnd().split("\n")).to.have.length(1);
    expect(failureLine(broken)).to.match(
      /^verify: verification of stack local failed: \d+ of \d+ checks failed; the stack's IAM user is missing in AWS \(for the sandbox: moto restarted without its state\), so run `npm run provision -- local --refresh` to recreate the user, policy and key$/,
    );

    // The uploads bucket belongs to the S3 setup, not to the stack (in the sandbox the demo makes it).
    await createBucket();
    const repaired = await runDriver("provision", ["local", "--refresh"], { env });
    expect(repaired.code, repaired.stderr).to.equal(0);
    expect(repaired.stdout).to.include("Changes to local: create");
    const verified = await runDriver("verify", ["local"], { env });
    expect(verified.code, verified.stderr).to.equal(0);
  });
});
