import { expect } from "chai";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import * as path from "node:path";
import { driverProject, runDriver } from "../../support/driverProcess";

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const MOTO_KEYS = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" };

describe("driver commands refuse before any API call", function () {
  this.timeout(60_000);
  let project: Awaited<ReturnType<typeof driverProject>>;

  before(async () => {
    project = await driverProject();
  });
  after(() => project?.remove());

  it("--help describes the command's flags and exits 0", async () => {
    const run = await runDriver("provision", ["--help"]);
    expect(run.code).to.equal(0);
    for (const flag of ["--preview", "--refresh", "--yes", "--json", "--skip-verify", "--debug", "--all"]) expect(run.stdout).to.include(flag);
  });

  it("an unknown flag is one line on stderr and exit code 2", async () => {
    const run = await runDriver("outputs", ["local", "--show-secret"], { env: project.env });
    expect(run.code).to.equal(2);
    expect(run.stderr.trim().split("\n")).to.have.length(1);
    expect(run.stderr).to.include("unknown option '--show-secret'");
    expect(run.stdout).to.equal("");
  });

  it("an unknown stack names the valid ones, exit code 2", async () => {
    const run = await runDriver("provision", ["production"], { env: project.env });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include('unknown stack "production"').and.include("dev, staging, prod, local");
  });

  it("an invalid stack config lists every problem, exit code 2", async () => {
    const file = path.join(project.dir, "Pulumi.dev.yaml");
    const original = await readFile(file, "utf8");
    await writeFile(file, original.replace('keyMaxAgeDays: "90"', 'keyMaxAgeDays: "ninety"\n  talentbase-iam:bucketNmae: x'));
    try {
      const run = await runDriver("provision", ["dev"], { env: { ...project.env, ...MOTO_KEYS } });
      expect(run.code).to.equal(2);
      expect(run.stderr).to.include("talentbase-iam:keyMaxAgeDays must be a whole number").and.include("talentbase-iam:bucketNmae is not a setting");
    } finally {
      await writeFile(file, original);
    }
  });

  it("a real stack without AWS credentials says how to log in, exit code 2", async () => {
    const run = await runDriver("provision", ["dev"], { env: project.env });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include("no AWS credentials for stack dev").and.include("AWS_PROFILE");
  });

  it("an AWS_ENDPOINT_URL that does not answer is named, exit code 2", async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const run = await runDriver("provision", ["local"], { env: { ...project.env, AWS_ENDPOINT_URL: endpoint } });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include(`AWS endpoint ${endpoint} does not answer (ECONNREFUSED)`);
  });

  it("the local stack without AWS_ENDPOINT_URL points to the sandbox, exit code 2", async () => {
    const run = await runDriver("verify", ["local"], { env: project.env });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include("npm run demo -- --keep-running");
  });

  it("prod without a terminal and without --yes changes nothing, exit code 2", async () => {
    const env = { ...project.env, ...MOTO_KEYS, PULUMI_BACKEND_URL: `file://${project.stateDir}`, PULUMI_CONFIG_PASSPHRASE: "x" };
    const run = await runDriver("provision", ["prod"], { env });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include("changing prod needs confirmation").and.include("--yes");
    expect(existsSync(path.join(project.stateDir, ".pulumi", "stacks", "talentbase-iam", "prod.json"))).to.equal(false);
  });

  it("destroying prod while config protects it says which setting to lift, exit code 2", async () => {
    const run = await runDriver("destroy", ["prod", "--yes"], { env: { ...project.env, ...MOTO_KEYS } });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include("pulumi config set talentbase-iam:protect false -s prod");
  });
});
