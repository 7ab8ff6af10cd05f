import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { REPO_ROOT } from "../../../automation/projectPaths";
import { redactSecrets } from "../../../automation/secret";
import { projectPython } from "../../../sandbox/projectPython";

/** The minimal Django project and its pytest suite. */
export const DJANGO_SUITE_DIR = path.join(REPO_ROOT, "tests", "consumers", "django");

/** The two ways the stack hands its key over: the dev env file and the prod Secrets Manager secret. */
export const CREDENTIAL_SOURCES = ["env", "secretsmanager"] as const;
export type CredentialSource = (typeof CREDENTIAL_SOURCES)[number];

export interface AwsKeyPair {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** What the suite checks Django ended up with, from the stack's (masked) outputs. */
export interface ExpectedIdentity {
  readonly accessKeyId: string;
  readonly userArn: string;
  readonly bucketName: string;
}

export interface DjangoSuiteOptions {
  readonly source: CredentialSource;
  /** env: the file `outputs --format env --show-secrets --out` wrote. */
  readonly envFile?: string;
  /** secretsmanager: the secret's name or ARN, the identity Django reads it as (its own role in prod), and where. */
  readonly secretId?: string;
  readonly reader?: AwsKeyPair;
  readonly region: string;
  /** moto's URL: the S3 endpoint beside the secret (the env file names it itself) and the enforcement switch. */
  readonly motoEndpoint: string;
  /** moto checks every request against IAM: refusals are real, and the suite suspends it only where moto fails. */
  readonly iamEnforced: boolean;
  readonly expected: ExpectedIdentity;
  /** Values no output of the suite may carry. */
  readonly secrets: readonly string[];
  /** A private directory for the JUnit report. */
  readonly scratchDir: string;
}

export type TestOutcome = "passed" | "failed" | "skipped";

export interface DjangoSuiteResult {
  readonly source: CredentialSource;
  readonly exitCode: number | null;
  /** pytest's output, stdout and stderr, with every secret redacted. */
  readonly output: string;
  readonly durationMs: number;
  readonly tests: readonly { readonly name: string; readonly outcome: TestOutcome }[];
}

/** The runner's environment minus anything that would configure AWS or Django behind the hand-off's back. */
function baseEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(AWS_|PULUMI_|TALENTBASE_|DJANGO_|PYTHON)/.test(name)) env[name] = value;
  }
  return {
    ...env,
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
    AWS_EC2_METADATA_DISABLED: "true",
    PYTHONDONTWRITEBYTECODE: "1",
    PYTHONPATH: DJANGO_SUITE_DIR,
  };
}

/** The variables of one run: the hand-off of its source, what to expect, and moto's switch. */
export function suiteEnvironment(options: DjangoSuiteOptions): Record<string, string> {
  const common = {
    TALENTBASE_CREDENTIALS_SOURCE: options.source,
    TALENTBASE_EXPECTED_ACCESS_KEY_ID: options.expected.accessKeyId,
    TALENTBASE_EXPECTED_USER_ARN: options.expected.userArn,
    TALENTBASE_EXPECTED_BUCKET: options.expected.bucketName,
    TALENTBASE_MOTO_ENDPOINT: options.motoEndpoint,
    TALENTBASE_IAM_ENFORCED: options.iamEnforced ? "1" : "0",
  };
  if (options.source === "env") {
    if (!options.envFile) throw new Error("the env source needs the env file");
    // The file alone configures Django: no AWS variable at all.
    return { ...baseEnvironment(), ...common, TALENTBASE_ENV_FILE: options.envFile };
  }
  if (!options.secretId || !options.reader) throw new Error("the secretsmanager source needs the secret and a reader identity");
  return {
    ...baseEnvironment(),
    ...common,
    TALENTBASE_AWS_CREDENTIALS_SECRET: options.secretId,
    AWS_ACCESS_KEY_ID: options.reader.accessKeyId,
    AWS_SECRET_ACCESS_KEY: options.reader.secretAccessKey,
    AWS_REGION: options.region,
    AWS_ENDPOINT_URL: options.motoEndpoint,
    AWS_S3_ENDPOINT_URL: options.motoEndpoint,
  };
}

/** Each testcase of a pytest JUnit report with its outcome. */
export function parseJunitOutcomes(xml: string): { name: string; outcome: TestOutcome }[] {
  const cases = xml.match(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g) ?? [];
  return cases.map((testcase) => {
    const name = /\bname="([^"]*)"/.exec(testcase)?.[1] ?? "(unnamed)";
    const outcome: TestOutcome = /<(failure|error)\b/.test(testcase) ? "failed" : /<skipped\b/.test(testcase) ? "skipped" : "passed";
    return { name, outcome };
  });
}

/** Runs the Django suite once, for one source, in the project's Python environment (setup installed it there). */
export async function runDjangoSuite(options: DjangoSuiteOptions): Promise<DjangoSuiteResult> {
  const junit = path.join(options.scratchDir, `django-${options.source}-${Date.now()}.xml`);
  const python = projectPython();
  const started = performance.now();
  const child = spawn(python, ["-m", "pytest", `--junitxml=${junit}`, "-o", "junit_family=xunit1"], {
    cwd: DJANGO_SUITE_DIR,
    env: suiteEnvironment(options),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  const xml = await readFile(junit, "utf8").catch(() => "");
  return {
    source: options.source,
    exitCode,
    output: redactSecrets(output, options.secrets),
    durationMs: Math.round(performance.now() - started),
    tests: parseJunitOutcomes(xml),
  };
}
