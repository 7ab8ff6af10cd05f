import { expect } from "chai";
import { createHash } from "node:crypto";
import { createServer as createHttpServer, type Server } from "node:http";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, symlink, unlink, writeFile } from "node:fs/promises";
import { createServer as createTcpServer } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../../automation/projectPaths";
import { SETTING_NAMES } from "../../../infra/config";
import { runDriver, type DriverCommand, type DriverRun } from "../../support/driverProcess";
import { copyProjectWithEnv } from "../../../harness/projectCopy";

/**
 * The bad-input catalogue (docs/bad-inputs.md): every input a newcomer can get wrong is refused
 * with its exit code and exactly one line on stderr, before any AWS call, with nothing changed.
 *
 * "No AWS call" is measured, not assumed: every run that has an endpoint gets AWS_ENDPOINT_URL pointing
 * at an HTTP server of this test that counts the requests it receives (the driver's SDK clients, the
 * Pulumi engine and the stand-in provider all honour AWS_ENDPOINT_URL; real stacks run with moto's
 * fake keys and no network, and their backend is a file backend in the case's own directory). Only the
 * endpoint preflight may call it, once, and only in the cases that are about the endpoint itself.
 */

const MOTO_KEYS = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" };

/** How the case's AWS_ENDPOINT_URL behaves. */
type Endpoint = "counting" | "html-200" | "html-404" | "closed" | "not-a-url" | "unset";

interface Case {
  readonly project: Awaited<ReturnType<typeof copyProjectWithEnv>>;
  readonly endpoint: string;
  /** A directory outside any git repository for --out and --junit paths. */
  readonly scratch: string;
}

interface BadInput {
  /** The catalogue row. */
  readonly input: string;
  readonly command: DriverCommand;
  readonly args: (c: Case) => string[];
  /** The real stacks need credentials to get past the credentials preflight; given unless false. */
  readonly credentials?: boolean;
  readonly endpoint?: Endpoint;
  /** Puts the bad input in place (edits a stack file, creates a symlink...) before the snapshot. */
  readonly setup?: (c: Case) => Promise<void>;
  /** Files outside the project that the command must leave alone (README.md, the target of a symlink). */
  readonly watched?: (c: Case) => string[];
  readonly exit: number;
  /** The whole line on stderr, without the newline. */
  readonly line: (c: Case) => string;
  /** Requests the endpoint may receive: the preflight's one STS call in the endpoint cases, else none. */
  readonly requests?: number;
}

const editStackFile =
  (stack: string, edit: (text: string) => string) =>
  async ({ project }: Case) => {
    const file = path.join(project.dir, `Pulumi.${stack}.yaml`);
    await writeFile(file, edit(await readFile(file, "utf8")));
  };

const README = path.join(REPO_ROOT, "README.md");
const NOT_IGNORED = path.join(REPO_ROOT, "tests", "e2e", "driver", "not-ignored-by-git.env.txt");

const CATALOGUE: readonly BadInput[] = [
  {
    input: "unknown stack",
    command: "provision",
    args: () => ["qa"],
    exit: 2,
    line: () => 'provision: unknown stack "qa": choose one of dev, staging, prod, local',
  },
  {
    input: "no stack named",
    command: "provision",
    args: () => [],
    exit: 2,
    line: () => "provision: name a stack (dev, staging, prod, local) or pass --all",
  },
  {
    input: "unknown flag",
    command: "outputs",
    args: () => ["local", "--show-secret"],
    exit: 2,
    line: () => "outputs: unknown option '--show-secret' (Did you mean --show-secrets?) (see outputs --help)",
  },
  {
    input: "unknown output format",
    command: "outputs",
    args: () => ["local", "--format", "yaml"],
    exit: 2,
    line: () => "outputs: option '--format <format>' argument 'yaml' is invalid. Allowed choices are json, env. (see outputs --help)",
  },
  {
    input: "invalid config values (keyMaxAgeDays: ninety, a misspelt setting)",
    command: "provision",
    args: () => ["dev"],
    setup: editStackFile("dev", (text) => text.replace('keyMaxAgeDays: "90"', 'keyMaxAgeDays: "ninety"\n  talentbase-iam:bucketNmae: x')),
    exit: 2,
    line: () =>
      `provision: stack dev has invalid configuration: talentbase-iam:bucketNmae is not a setting of this project (known: ${SETTING_NAMES.join(", ")}); talentbase-iam:keyMaxAgeDays must be a whole number of days between 1 and 365, got "ninety"`,
  },
  {
    input: "malformed YAML in Pulumi.local.yaml",
    command: "verify",
    args: () => ["local"],
    setup: editStackFile("local", (text) => text.replace("  aws:region: us-east-1", "  aws:region: [us-east-1")),
    exit: 2,
    line: () =>
      "verify: Pulumi.local.yaml is not valid YAML at line 7, column 3 (flow sequence in block collection must be sufficiently indented and end with a ]): fix that line and run again",
  },
  {
    input: "malformed YAML in Pulumi.yaml",
    command: "provision",
    args: () => ["dev"],
    setup: async ({ project }) => writeFile(path.join(project.dir, "Pulumi.yaml"), "name: talentbase-iam\n\truntime: nodejs\n"),
    exit: 2,
    line: () => "provision: Pulumi.yaml is not valid YAML at line 2, column 1 (tabs are not allowed as indentation): fix that line and run again",
  },
  {
    input: "a stack without its Pulumi.<stack>.yaml",
    command: "provision",
    args: () => ["staging"],
    setup: async ({ project }) => unlink(path.join(project.dir, "Pulumi.staging.yaml")),
    exit: 2,
    line: ({ project }) => `provision: stack "staging" has no Pulumi.staging.yaml in ${project.dir}`,
  },
  {
    input: "region us-east-9",
    command: "provision",
    args: () => ["dev"],
    setup: editStackFile("dev", (text) => text.replace("aws:region: us-east-1", "aws:region: us-east-9")),
    exit: 2,
    line: () =>
      'provision: stack dev has invalid configuration: aws:region must be a region the aws provider knows, such as us-east-1 or eu-west-1 (46 known), got "us-east-9"',
  },
  {
    input: "a region of another partition than the configured one",
    command: "provision",
    args: () => ["dev"],
    setup: editStackFile("dev", (text) => text.replace("aws:region: us-east-1", "aws:region: cn-north-1")),
    exit: 2,
    line: () => "provision: stack dev has invalid configuration: talentbase-iam:partition must be aws-cn to match aws:region cn-north-1, it is not set",
  },
  {
    input: 'namespace typo talentbase_iam:protect: "true"',
    command: "provision",
    args: () => ["prod", "--yes"],
    setup: editStackFile("prod", (text) => text.replace("talentbase-iam:protect", "talentbase_iam:protect")),
    exit: 2,
    line: () =>
      'provision: stack prod has invalid configuration: talentbase_iam:protect is in namespace "talentbase_iam", which nothing reads: rename it to talentbase-iam:protect (namespaces read: talentbase-iam, aws, pulumi)',
  },
  {
    input: "no AWS credentials (real stack)",
    command: "provision",
    args: () => ["dev"],
    credentials: false,
    exit: 2,
    line: () =>
      "provision: no AWS credentials for stack dev: export AWS_PROFILE (after `aws sso login`) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then run again",
  },
  {
    input: "AWS_ENDPOINT_URL that does not answer",
    command: "provision",
    args: () => ["local"],
    endpoint: "closed",
    exit: 2,
    line: ({ endpoint }) =>
      `provision: AWS endpoint ${endpoint} does not answer (ECONNREFUSED): start it (for the sandbox: \`npm run demo -- --keep-running\`) or unset AWS_ENDPOINT_URL`,
  },
  {
    input: "AWS_ENDPOINT_URL at a web server that answers 200 HTML",
    command: "provision",
    args: () => ["local"],
    endpoint: "html-200",
    exit: 2,
    requests: 1,
    line: ({ endpoint }) =>
      `provision: AWS_ENDPOINT_URL ${endpoint} is not an AWS endpoint (STS GetCallerIdentity got HTTP 200 text/html without an account and ARN): point it at moto (the URL \`npm run demo -- --keep-running\` prints) or an AWS-compatible endpoint, or unset it`,
  },
  {
    input: "AWS_ENDPOINT_URL at a web server that answers 404 (real stack)",
    command: "verify",
    args: () => ["dev"],
    endpoint: "html-404",
    exit: 2,
    requests: 1,
    line: ({ endpoint }) =>
      `verify: AWS_ENDPOINT_URL ${endpoint} is not an AWS endpoint (STS GetCallerIdentity got HTTP 404 text/html): point it at moto (the URL \`npm run demo -- --keep-running\` prints) or an AWS-compatible endpoint, or unset it`,
  },
  {
    input: "AWS_ENDPOINT_URL that is not a URL",
    command: "verify",
    args: () => ["local"],
    endpoint: "not-a-url",
    exit: 2,
    line: () => 'verify: AWS_ENDPOINT_URL "127.0.0.1 port 5000" is not a URL (expected e.g. http://127.0.0.1:5000)',
  },
  {
    input: "the local stack without AWS_ENDPOINT_URL",
    command: "verify",
    args: () => ["local"],
    endpoint: "unset",
    exit: 2,
    line: () =>
      "verify: stack local runs against moto, but AWS_ENDPOINT_URL is not set: run `npm run demo -- --keep-running` and export the AWS_ENDPOINT_URL it prints (or just run `npm run demo`)",
  },
  {
    input: "prod without a terminal and without --yes",
    command: "provision",
    args: () => ["prod"],
    exit: 2,
    line: () => "provision: changing prod needs confirmation and there is no terminal to ask on: rerun with --yes",
  },
  {
    input: "destroying another stack than local without a terminal and without --yes",
    command: "destroy",
    args: () => ["dev"],
    exit: 2,
    line: () => "destroy: destroying dev needs confirmation and there is no terminal to ask on: rerun with --yes",
  },
  {
    input: "destroying prod while its config protects it",
    command: "destroy",
    args: () => ["prod", "--yes"],
    exit: 2,
    line: () =>
      "destroy: stack prod is protected by config: run `npm run pulumi -- prod config set talentbase-iam:protect false`, then `npm run provision -- prod` to apply it, then destroy",
  },
  {
    input: "outputs --out a file git tracks (README.md)",
    command: "outputs",
    args: () => ["local", "--out", "README.md", "--force"],
    watched: () => [README],
    exit: 2,
    line: () =>
      `outputs: refusing to write credentials to ${README}: git tracks this file (write outside the repository, or to a path git ignores such as *.env)`,
  },
  {
    input: "outputs --out a path git does not ignore",
    command: "outputs",
    args: () => ["local", "--out", NOT_IGNORED],
    exit: 2,
    line: () =>
      `outputs: refusing to write credentials to ${NOT_IGNORED}: git does not ignore it (add it to .gitignore, e.g. as *.env, or write outside the repository)`,
  },
  {
    input: "outputs --out an existing file without --force",
    command: "outputs",
    args: ({ scratch }) => ["local", "--out", path.join(scratch, "backend.env")],
    setup: ({ scratch }) => writeFile(path.join(scratch, "backend.env"), "AWS_ACCESS_KEY_ID=old\n"),
    exit: 2,
    line: ({ scratch }) => `outputs: ${path.join(scratch, "backend.env")} already exists: pass --force to replace it`,
  },
  {
    input: "outputs --out in a directory that does not exist",
    command: "outputs",
    args: ({ scratch }) => ["local", "--out", path.join(scratch, "missing", "backend.env")],
    exit: 2,
    line: ({ scratch }) => `outputs: cannot write ${path.join(scratch, "missing", "backend.env")}: directory ${path.join(scratch, "missing")} does not exist`,
  },
  {
    input: "verify --junit /dev/null/x.xml",
    command: "verify",
    args: () => ["local", "--junit", "/dev/null/x.xml"],
    exit: 2,
    line: () => "verify: cannot write /dev/null/x.xml: /dev/null is not a directory (choose another path)",
  },
  {
    input: "verify --junit README.md (a file git tracks)",
    command: "verify",
    args: () => ["local", "--junit", "README.md"],
    watched: () => [README],
    exit: 2,
    line: () => "verify: refusing to overwrite README.md: git tracks it (write the report outside the repository, or to a path git ignores)",
  },
  {
    input: "verify --junit a symbolic link",
    command: "verify",
    args: ({ scratch }) => ["local", "--junit", path.join(scratch, "report.xml")],
    setup: async ({ scratch }) => {
      await writeFile(path.join(scratch, "precious.txt"), "precious\n");
      await symlink(path.join(scratch, "precious.txt"), path.join(scratch, "report.xml"));
    },
    exit: 2,
    line: ({ scratch }) =>
      `verify: refusing to write ${path.join(scratch, "report.xml")}: it is a symbolic link, and writing through it would change another file (choose another path)`,
  },
  {
    input: "verify --junit in a directory that does not exist",
    command: "verify",
    args: ({ scratch }) => ["local", "--junit", path.join(scratch, "reports", "verify.xml")],
    exit: 2,
    line: ({ scratch }) =>
      `verify: cannot write ${path.join(scratch, "reports", "verify.xml")}: directory ${path.join(scratch, "reports")} does not exist (create it, or choose another path)`,
  },
  {
    input: "verify --compliance --junit in a directory that does not exist",
    command: "verify",
    args: ({ scratch }) => ["local", "--compliance", "--junit", path.join(scratch, "reports", "compliance.xml")],
    exit: 2,
    line: ({ scratch }) =>
      `verify: cannot write ${path.join(scratch, "reports", "compliance.xml")}: directory ${path.join(scratch, "reports")} does not exist (create it, or choose another path)`,
  },
  {
    input: "operator-policy --account that is not an account id",
    command: "operator-policy",
    args: () => ["dev", "--account", "1234"],
    exit: 2,
    line: () => "operator-policy: --account 1234 is not an AWS account id (12 digits)",
  },
];

/** An HTTP server on loopback that counts requests and answers like a web site, never like AWS. */
async function webServer(status: number): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server: Server = createHttpServer((request, response) => {
    requests += 1;
    request.resume();
    response.writeHead(status, { "content-type": "text/html" });
    response.end("<html><body>not AWS</body></html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests: () => requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Every file under the given roots (and the single files named) with its content hash; symlinks by target. */
async function snapshot(roots: readonly string[], files: readonly string[]): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const hash = async (file: string) =>
    createHash("sha256")
      .update(await readFile(file))
      .digest("hex");
  for (const root of roots) {
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
      const full = path.join(entry.parentPath, entry.name);
      if (full.includes(`${path.sep}node_modules`)) continue;
      if (entry.isSymbolicLink()) result[full] = `link`;
      else if (entry.isFile()) result[full] = await hash(full);
      else if (entry.isDirectory()) result[full] = "dir";
    }
  }
  for (const file of files) result[file] = existsSync(file) ? await hash(file) : "absent";
  return result;
}

/** Runs `tasks` at most `limit` at a time (the machine is shared; each run is a Node process). */
async function inBatches<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

interface Outcome {
  readonly run: DriverRun;
  readonly line: string;
  readonly requests: number | undefined;
  readonly before: Record<string, string>;
  readonly after: Record<string, string>;
}

async function runCase(badInput: BadInput): Promise<Outcome> {
  const project = await copyProjectWithEnv();
  const scratch = await mkdtemp(path.join(tmpdir(), "talentbase-iam-bad-input-"));
  const kind = badInput.endpoint ?? "counting";
  const server = kind === "counting" || kind === "html-200" ? await webServer(200) : kind === "html-404" ? await webServer(404) : undefined;
  const endpoint = server?.url ?? (kind === "closed" ? `http://127.0.0.1:${await closedPort()}` : kind === "not-a-url" ? "127.0.0.1 port 5000" : "");
  const c: Case = { project, endpoint, scratch };
  try {
    await badInput.setup?.(c);
    const roots = [project.dir, project.stateDir, scratch];
    const watched = [...(badInput.watched?.(c) ?? []), NOT_IGNORED];
    const before = await snapshot(roots, watched);
    const env = {
      ...project.env,
      PULUMI_BACKEND_URL: `file://${project.stateDir}`,
      PULUMI_CONFIG_PASSPHRASE: "bad-input-catalogue",
      ...(badInput.credentials === false ? {} : MOTO_KEYS),
      ...(kind === "unset" ? {} : { AWS_ENDPOINT_URL: endpoint }),
    };
    const run = await runDriver(badInput.command, badInput.args(c), { env });
    return { run, line: badInput.line(c), requests: server?.requests(), before, after: await snapshot(roots, watched) };
  } finally {
    await server?.close();
    await project.remove();
    await rm(scratch, { recursive: true, force: true });
  }
}

describe("bad inputs: one line, the documented exit code, no AWS call, nothing changed", function () {
  this.timeout(300_000);
  const outcomes = new Map<string, Outcome>();

  before(async () => {
    const results = await inBatches(
      CATALOGUE.map((badInput) => () => runCase(badInput)),
      3,
    );
    for (const [index, badInput] of CATALOGUE.entries()) outcomes.set(badInput.input, results[index]!);
  });

  it("--help describes the command's flags and exits 0", async () => {
    const run = await runDriver("provision", ["--help"]);
    expect(run.code).to.equal(0);
    for (const flag of ["--preview", "--refresh", "--yes", "--json", "--skip-verify", "--debug", "--all"]) expect(run.stdout).to.include(flag);
  });

  for (const badInput of CATALOGUE) {
    it(`${badInput.input}: exit ${badInput.exit}`, () => {
      const { run, line, requests, before, after } = outcomes.get(badInput.input)!;
      expect(run.stderr, "exactly one line on stderr").to.equal(`${line}\n`);
      expect(run.code, run.stderr).to.equal(badInput.exit);
      expect(run.stdout, "nothing on stdout").to.equal("");
      if (requests !== undefined) expect(requests, "requests the endpoint received").to.equal(badInput.requests ?? 0);
      expect(after, "project, state, scratch and watched files unchanged").to.deep.equal(before);
    });
  }
});
