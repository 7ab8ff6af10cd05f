import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { djangoSecretReadPolicy } from "./readGrant";
import { MOTO_CREDENTIALS, setMotoAuthEnforcement } from "../../../sandbox/moto/motoServer";
import { runDriver } from "../../support/driverProcess";
import { CREDENTIAL_SOURCES, runDjangoSuite, type AwsKeyPair, type CredentialSource, type DjangoSuiteResult } from "./djangoSuite";

export interface DjangoConsumerOptions {
  /** The moto the `local` stack was provisioned on. */
  readonly motoEndpoint: string;
  /** Variables for the driver's commands besides AWS_ENDPOINT_URL (which project, which state). */
  readonly driverEnv: Readonly<Record<string, string>>;
  /** A private (0700) directory outside any git work tree: the env file and reports go there. */
  readonly scratchDir: string;
  /** Turn moto's IAM enforcement on for the suite (off again afterwards, whatever happens). */
  readonly enforce: boolean;
  readonly sources?: readonly CredentialSource[];
}

export interface DjangoConsumerRun {
  readonly runs: readonly DjangoSuiteResult[];
  /** Sources that did not run, and why. */
  readonly notRun: readonly { readonly source: CredentialSource; readonly reason: string }[];
  /** The values this run handled that nothing may print: the caller checks its own output against them. */
  readonly secrets: readonly string[];
  /** The key the stack handed over (its masked outputs' accessKeyId). */
  readonly accessKeyId: string;
}

interface MaskedOutputs {
  readonly accessKeyId: string;
  readonly userArn: string;
  readonly bucketName: string;
  readonly region: string;
  readonly credentialsSecretName?: string;
  readonly credentialsSecretArn?: string;
}

/** The reader stands in for Django's own role (an ECS task role in prod), which the Django deploy owns. */
const READER = "talentbase-django-reader-local";
const READ_GRANT = "read-credentials-secret";

/**
 * Creates the identity Django reads its secret as, holding the README's read grant. moto checks every
 * action but S3's against resource "*", so the grant's secret ARN would never match there: the reader
 * gets the same single action on "*" (tests/unit/infra/djangoReadPolicy.test.ts proves the ARN-scoped
 * grant with iam-simulate instead).
 */
async function createReader(iam: IAMClient, secretArn: string): Promise<AwsKeyPair> {
  const grant = djangoSecretReadPolicy({ secretArn });
  const onMoto = { ...grant, Statement: grant.Statement.map((statement) => ({ ...statement, Resource: "*" })) };
  await removeReader(iam);
  await iam.send(new CreateUserCommand({ UserName: READER }));
  await iam.send(new PutUserPolicyCommand({ UserName: READER, PolicyName: READ_GRANT, PolicyDocument: JSON.stringify(onMoto) }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: READER }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

/** Removes the reader, also one an interrupted run left behind; nothing to remove is fine. */
async function removeReader(iam: IAMClient): Promise<void> {
  const keys = await iam.send(new ListAccessKeysCommand({ UserName: READER })).catch((error: Error) => {
    if (error.name === "NoSuchEntityException") return undefined;
    throw error;
  });
  if (!keys) return;
  for (const key of keys.AccessKeyMetadata ?? []) await iam.send(new DeleteAccessKeyCommand({ UserName: READER, AccessKeyId: key.AccessKeyId }));
  await iam.send(new DeleteUserPolicyCommand({ UserName: READER, PolicyName: READ_GRANT })).catch((error: Error) => {
    if (error.name !== "NoSuchEntityException") throw error;
  });
  await iam.send(new DeleteUserCommand({ UserName: READER }));
}

async function driver(command: "outputs", args: string[], env: Record<string, string>): Promise<string> {
  const run = await runDriver(command, args, { env });
  if (run.code !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${run.code}): ${run.stderr.trim()}`);
  return run.stdout;
}

/**
 * Runs the Django suite against the `local` stack from each source, taking only what the project hands
 * over: the env file `outputs --format env --show-secrets --out` writes, and the stack's secret. With
 * `enforce`, moto checks every request against IAM while the suite runs.
 */
export async function runDjangoConsumer(options: DjangoConsumerOptions): Promise<DjangoConsumerRun> {
  const env = { ...options.driverEnv, AWS_ENDPOINT_URL: options.motoEndpoint };
  const outputs = JSON.parse(await driver("outputs", ["local", "--format", "json"], env)) as MaskedOutputs;
  const envFile = path.join(options.scratchDir, `backend-${randomUUID()}.env`);
  await driver("outputs", ["local", "--format", "env", "--show-secrets", "--out", envFile], env);
  const secretAccessKey = /^AWS_SECRET_ACCESS_KEY=(.*)$/m.exec(await readFile(envFile, "utf8"))?.[1] ?? "";
  const secrets = [secretAccessKey];

  const sources = options.sources ?? CREDENTIAL_SOURCES;
  const notRun: { source: CredentialSource; reason: string }[] = [];
  const secretArn = outputs.credentialsSecretArn;
  if (sources.includes("secretsmanager") && !secretArn) {
    notRun.push({
      source: "secretsmanager",
      reason: 'stack local keeps no credentials secret: set talentbase-iam:credentialsSecret to "true" in Pulumi.local.yaml and provision local',
    });
  }

  const iam = new IAMClient({ endpoint: options.motoEndpoint, region: outputs.region, credentials: MOTO_CREDENTIALS, maxAttempts: 3 });
  let reader: AwsKeyPair | undefined;
  const runs: DjangoSuiteResult[] = [];
  try {
    if (secretArn && sources.includes("secretsmanager")) {
      reader = await createReader(iam, secretArn);
      secrets.push(reader.secretAccessKey);
    }
    if (options.enforce) await setMotoAuthEnforcement(options.motoEndpoint, true);
    const common = {
      region: outputs.region,
      motoEndpoint: options.motoEndpoint,
      iamEnforced: options.enforce,
      expected: { accessKeyId: outputs.accessKeyId, userArn: outputs.userArn, bucketName: outputs.bucketName },
      secrets,
      scratchDir: options.scratchDir,
    };
    if (sources.includes("env")) runs.push(await runDjangoSuite({ ...common, source: "env", envFile }));
    if (reader && secretArn) {
      runs.push(await runDjangoSuite({ ...common, source: "secretsmanager", secretId: outputs.credentialsSecretName ?? secretArn, reader }));
    }
  } finally {
    if (options.enforce) await setMotoAuthEnforcement(options.motoEndpoint, false);
    if (reader) await removeReader(iam);
    iam.destroy();
  }
  return { runs, notRun, secrets, accessKeyId: outputs.accessKeyId };
}

/** One line per source: what ran, how it ended, how long it took. */
export function summarizeConsumerRun(run: DjangoConsumerRun): string {
  const lines = run.runs.map((result) => {
    const count = (outcome: string) => result.tests.filter((test) => test.outcome === outcome).length;
    const verdict = result.exitCode === 0 ? "passed" : "FAILED";
    return `  ${result.source.padEnd(14)} ${verdict}: ${count("passed")} passed, ${count("failed")} failed, ${count("skipped")} skipped (${(result.durationMs / 1000).toFixed(1)} s)`;
  });
  for (const { source, reason } of run.notRun) lines.push(`  ${source.padEnd(14)} not run: ${reason}`);
  return ["Django consumer suite (django-storages S3 backend) against stack local:", ...lines, ""].join("\n");
}
