import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import {
  CreateBucketCommand,
  GetObjectCommand,
  paginateListObjectsV2,
  PutBucketEncryptionCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { findPulumiCli } from "../../automation/toolchain/pulumiCli";
import { pinnedPulumiVersion } from "../../tools/pulumi/pins.cjs";
import { MOTO_CREDENTIALS, MOTO_REGION, type MotoServer } from "../../sandbox/moto/motoServer";
import { installStandIn } from "../../sandbox/sandboxEngine";

/** The team's state bucket, as the README's "Running it as a team" makes it. */
export const STATE_BUCKET = "talentbase-pulumi-state";

/**
 * A team's state account on its own moto: the state bucket (versioned, encrypted, public access
 * blocked) and one KMS key per environment behind the alias `alias/talentbase-iam-<stack>`.
 */
export interface TeamStateAccount {
  readonly moto: MotoServer;
  readonly s3: S3Client;
  readonly kms: KMSClient;
  /** The s3:// backend URL (with the folder `prefix`), with the endpoint parameters the pinned CLI's S3 opener takes. */
  backendUrl(options?: { bucket?: string; endpoint?: string }): string;
  /** Every object under the backend's folder, key and content. */
  objects(): Promise<Array<{ key: string; content: string }>>;
  /** Lock objects of a stack. */
  locks(stack: string): Promise<string[]>;
  close(): void;
}

export async function openTeamStateAccount(moto: MotoServer, prefix: string, stacks: readonly string[]): Promise<TeamStateAccount> {
  const s3 = new S3Client({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, forcePathStyle: true });
  const kms = new KMSClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
  await s3.send(new CreateBucketCommand({ Bucket: STATE_BUCKET }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: STATE_BUCKET, VersioningConfiguration: { Status: "Enabled" } }));
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: STATE_BUCKET,
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] },
    }),
  );
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: STATE_BUCKET,
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    }),
  );
  for (const stack of stacks) {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: `Pulumi secrets of talentbase-iam ${stack}` }));
    await kms.send(new CreateAliasCommand({ AliasName: `alias/talentbase-iam-${stack}`, TargetKeyId: KeyMetadata!.KeyId! }));
  }
  const list = async (under: string) => {
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: STATE_BUCKET, Prefix: under })) {
      keys.push(...(page.Contents ?? []).map((object) => object.Key!));
    }
    return keys;
  };
  return {
    moto,
    s3,
    kms,
    backendUrl({ bucket = STATE_BUCKET, endpoint = moto.endpoint } = {}) {
      // moto needs buckets in the path; it sends no response checksums, which the CLI would warn about on every read.
      return `s3://${bucket}/${prefix}?region=${MOTO_REGION}&endpoint=${endpoint}&use_path_style=true&response_checksum_validation=when_required`;
    },
    async objects() {
      const objects: Array<{ key: string; content: string }> = [];
      for (const key of await list(`${prefix}/`)) {
        const object = await s3.send(new GetObjectCommand({ Bucket: STATE_BUCKET, Key: key }));
        objects.push({ key, content: await object.Body!.transformToString() });
      }
      return objects;
    },
    locks: (stack) => list(`${prefix}/.pulumi/locks/organization/talentbase-iam/${stack}/`),
    close() {
      s3.destroy();
      kms.destroy();
    },
  };
}

/**
 * An operator's own PULUMI_HOME: their login, workspaces and logs, the pinned CLI (a link to the
 * installed one) and their aws plugin (the sandbox's stand-in, as no real one can be downloaded here).
 */
export interface OperatorHome {
  readonly dir: string;
  /** The pinned CLI's directory, for PATH: an operator has `pulumi` installed. */
  readonly cliBin: string;
  /** Runs the pinned CLI as this operator. */
  pulumi(args: readonly string[], env: Record<string, string>, cwd?: string): Promise<{ stdout: string; stderr: string }>;
  remove(): Promise<void>;
}

export async function createOperatorHome(name: string): Promise<OperatorHome> {
  const dir = await mkdtemp(path.join(tmpdir(), `talentbase-iam-${name}-`));
  // Where setup installed the pinned CLI, which the driver looks for under $PULUMI_HOME.
  const installed = path.join(process.env["PULUMI_HOME"] ?? path.join(homedir(), ".pulumi"), "versions");
  if (existsSync(path.join(installed, pinnedPulumiVersion()))) await symlink(installed, path.join(dir, "versions"));
  // The CLI the driver chooses (an absolute path), so the operator's `pulumi` is the driver's.
  const cliBin = path.dirname((await findPulumiCli()).command);
  installStandIn(dir);
  return {
    dir,
    cliBin,
    pulumi: (args, env, cwd) => promisify(execFile)(path.join(cliBin, "pulumi"), [...args], { env: { ...env, PULUMI_HOME: dir }, ...(cwd ? { cwd } : {}) }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
