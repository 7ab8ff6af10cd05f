import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { expect } from "chai";
import { REPO_ROOT } from "../../../automation/projectPaths";
import { randomUUID } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { sandboxEngineEnv } from "../../../sandbox/sandboxEngine";
import { createAccountTrail } from "../../../sandbox/seed";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type MotoServer } from "../../../sandbox/moto/motoServer";
import { IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { cleanEnv, runDriver, runDriverInTerminal } from "../../support/driverProcess";
import { copyProjectWithEnv } from "../../../harness/projectCopy";

/**
 * dev, staging and prod as an operator runs them (own backend, own credentials, AWS_ENDPOINT_URL),
 * except that the backend is a file, the AWS is moto and the aws plugin the stand-in.
 */
describe("provision of the real stacks (dev, staging, prod) as an operator runs it", function () {
  this.timeout(120_000);
  let moto: MotoServer;
  let project: Awaited<ReturnType<typeof copyProjectWithEnv>>;

  before(async () => {
    moto = await startMoto();
    project = await copyProjectWithEnv();
    const s3 = new S3Client({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
    for (const stack of ["dev", "staging", "prod"]) await s3.send(new CreateBucketCommand({ Bucket: `talentbase-${stack}-uploads` }));
    s3.destroy();
    // prod's monitoring, on by default, as an operator completes it: someone subscribed, the account's trail logging.
    const prodFile = path.join(project.dir, "Pulumi.prod.yaml");
    await writeFile(prodFile, `${await readFile(prodFile, "utf8")}  talentbase-iam:alertEmails: security@talentbase.example\n`);
    await createAccountTrail(moto.endpoint, MOTO_REGION);
  });
  after(async () => {
    await moto?.stop();
    await project?.remove();
  });

  it("prod at a terminal shows the preview's change summary and changes nothing unless the answer is yes", async () => {
    const env = { ...project.env, ...sandboxEngineEnv({ motoEndpoint: moto.endpoint, stateDir: project.stateDir }) };
    const run = await runDriverInTerminal("provision", ["prod"], { env, input: "no\n" });
    expect(run.code).to.equal(1);
    // The identity's 8 (stack, component, user, policy, group, membership, group attachment, key), prod's credentials secret
    // (component, secret, version) and its access monitoring (component, KMS key, topic, its policy, the e-mail subscription, alarm,
    // 3 rules, 3 targets).
    expect(run.stdout).to.include("Preview of prod: create 23").and.include("Apply these changes to prod?");
    expect(run.stdout).to.include("cancelled: nothing was changed");
    const iam = new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    const users = ((await iam.send(new ListUsersCommand({}))).Users ?? []).map((user) => user.UserName);
    iam.destroy();
    expect(users).not.to.include("talentbase-backend-prod");
  });

  /** Another machine's update holds staging's lock. */
  const lockStaging = async () => {
    const lockDir = path.join(project.stateDir, ".pulumi", "locks", "organization", "talentbase-iam", "staging");
    await mkdir(lockDir, { recursive: true });
    await writeFile(path.join(lockDir, `${randomUUID()}.json`), JSON.stringify({ pid: 1, username: "x", hostname: "y", timestamp: new Date().toISOString() }));
  };

  it("--all runs dev and staging at once with lines labelled by stack; prod, which asks, waits for them and is not run once one failed", async () => {
    await lockStaging();
    const env = { ...project.env, ...sandboxEngineEnv({ motoEndpoint: moto.endpoint, stateDir: project.stateDir }) };
    const run = await runDriverInTerminal("provision", ["--all"], { env, input: "yes\n" });
    expect(run.code).to.equal(1);
    expect(run.stdout)
      .to.match(/^\[dev {4}\] +\+ +aws:iam:User backend-user created/m)
      .and.match(/^\[staging\] == Provisioning stack staging ==/m);
    expect(run.stdout).not.to.include("Apply these changes to prod?");
    expect(run.stdout).to.match(/Summary:\r?\n\s+dev\s+succeeded: create 8; .*\r?\n\s+staging\s+failed.*\r?\n\s+prod\s+not-run/);
  });

  it("--all --yes runs all three at once: one stack's failure neither stops nor hides the others, exit 1 with a combined summary", async () => {
    await lockStaging();
    const env = { ...project.env, ...sandboxEngineEnv({ motoEndpoint: moto.endpoint, stateDir: project.stateDir }) };

    const run = await runDriver("provision", ["--all", "--yes", "--json"], { env });
    expect(run.code).to.equal(1);
    const document = JSON.parse(run.stdout);
    expect(document.exitCode).to.equal(1);
    expect(document.stacks.map((stack: { stack: string; status: string }) => [stack.stack, stack.status])).to.deep.equal([
      ["dev", "succeeded"],
      ["staging", "failed"],
      ["prod", "succeeded"],
    ]);
    expect(document.stacks[0].changes).to.deep.equal({ same: 8 });
    expect(document.stacks[2].changes).to.deep.equal({ create: 23 });
    expect(document.stacks[2].verification.summary.FAIL).to.equal(0);
    expect(document.stacks[1].error.kind).to.equal("concurrent-update");
    expect(run.stderr).to.match(/^\[prod {3}\] /m);
    expect(run.stderr).to.match(/Summary:\n\s+dev\s+succeeded: no changes \(8 unchanged\); .*\n\s+staging\s+failed.*\n\s+prod\s+succeeded: create 23/);
  });

  it("destroying prod: the protection refusal's printed command and the destroy's own stack rm hint each work exactly as printed", async () => {
    const env = { ...project.env, ...sandboxEngineEnv({ motoEndpoint: moto.endpoint, stateDir: project.stateDir }) };
    expect((await runDriver("provision", ["prod", "--yes", "--skip-verify"], { env })).code).to.equal(0);

    const refused = await runDriver("destroy", ["prod", "--yes"], { env });
    expect(refused.code).to.equal(2);
    const unprotect = printedCommands(refused.stderr)[0]!;
    expect(unprotect).to.equal("npm run pulumi -- prod config set talentbase-iam:protect false");
    await runPrinted(unprotect, env);
    expect((await runDriver("provision", ["prod", "--yes", "--skip-verify"], { env })).code).to.equal(0);

    const destroyed = await runDriver("destroy", ["prod", "--yes"], { env });
    expect(destroyed.code, destroyed.stderr).to.equal(0);
    const remove = printedCommands(destroyed.stdout + destroyed.stderr).find((command) => command.includes("stack rm"));
    expect(remove).to.equal("npm run pulumi -- prod stack rm --preserve-config");
    // At a prompt, as the operator runs it: the CLI asks for the stack's name.
    await runPrinted(remove!, env, { prompt: "by typing", answer: "prod" });
    const listed = await runDriver("pulumi", ["dev", "stack", "ls", "--json"], { env });
    expect(JSON.parse(listed.stdout).map((stack: { name: string }) => stack.name)).not.to.include("prod");
    expect(existsSync(path.join(project.dir, "Pulumi.prod.yaml")), "the committed stack file stays").to.equal(true);
  });
});

/** The commands a message shows, in backticks. */
function printedCommands(text: string): string[] {
  return [...text.matchAll(/`((?:npm run|pulumi|aws) [^`]+)`/g)].map((match) => match[1]!);
}

/**
 * Runs a printed command as an operator would: from the repository, in a shell at a terminal. The
 * terminal answers the CLI's cursor-position query, and `answer` is typed once `prompt` shows.
 */
async function runPrinted(command: string, env: Record<string, string>, dialogue?: { prompt: string; answer: string }): Promise<void> {
  // A terminal says what it is: the CLI treats TERM=dumb (or none) as non-interactive and asks nothing.
  const terminal = { ...cleanEnv(env), TERM: "xterm-256color" };
  const child = spawn("script", ["--quiet", "--return", "--command", command, "/dev/null"], { cwd: REPO_ROOT, env: terminal, stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  let queriesAnswered = 0;
  let typed = false;
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's cursor-position query starts with ESC
    const queries = (output.match(/\x1b\[6n/g) ?? []).length;
    for (; queriesAnswered < queries; queriesAnswered += 1) child.stdin.write("\x1b[1;1R");
    if (dialogue && !typed && output.includes(dialogue.prompt)) {
      typed = true;
      child.stdin.write(`${dialogue.answer}\r`);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  expect(code, `${command}\n${output}`).to.equal(0);
}
