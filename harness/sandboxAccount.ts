import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListPoliciesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type MotoServer } from "../sandbox/moto/motoServer";
import { createAccountTrail, createUploadsBucket } from "../sandbox/seed";
import { copyProjectWithEnv, type ProjectCopy } from "./projectCopy";

export const LOCAL_USER = "talentbase-backend-local";
export const LOCAL_POLICY = "talentbase-backend-local-s3-policy";
export const LOCAL_GROUP = "talentbase-backend-local-s3";

export interface KeyPair {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** A moto with the uploads buckets, a project copy, and the env that points the CLI at both: what the tests and the bench run in. */
export interface SandboxAccount {
  readonly moto: MotoServer;
  readonly project: ProjectCopy & { env: Record<string, string> };
  /** For the CLI: the project copy, its state directory and moto's endpoint. */
  readonly env: Record<string, string>;
  /** Signed with moto's `testing` keys (refused once IAM enforcement is on). */
  readonly iam: IAMClient;
  close(): Promise<void>;
}

export interface SandboxAccountOptions {
  /** The checkout whose project is copied (the bench measures other checkouts); this one by default. */
  readonly repository?: string;
  /** The stacks whose uploads bucket is made (the sandbox's only by default). */
  readonly stacks?: readonly string[];
}

/**
 * The stacks' uploads buckets (the separate S3 setup's job in real accounts), the account's trail (the
 * security team's), and one IAM call: moto loads its IAM backend on the first one, slowly, which must
 * not land in what is timed or raced.
 */
export async function seedSandbox(endpoint: string, stacks: readonly string[]): Promise<void> {
  await Promise.all(stacks.map((stack) => createUploadsBucket(endpoint, MOTO_REGION, `talentbase-${stack}-uploads`)));
  await createAccountTrail(endpoint, MOTO_REGION);
  const iam = new IAMClient({ endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
  await iam.send(new ListUsersCommand({}));
  iam.destroy();
}

export async function openSandboxAccount(options: SandboxAccountOptions = {}): Promise<SandboxAccount> {
  const moto = await startMoto();
  const project = await copyProjectWithEnv(options.repository);
  await seedSandbox(moto.endpoint, options.stacks ?? ["local"]);
  const iam = new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
  return {
    moto,
    project,
    env: { ...project.env, AWS_ENDPOINT_URL: moto.endpoint },
    iam,
    async close() {
      iam.destroy();
      await moto.stop();
      await project.remove();
    },
  };
}

/** What IAM holds: every user, customer policy and group; the policies attached to the stack's user itself. */
export async function iamInventory(iam: IAMClient): Promise<{ users: string[]; policies: string[]; attached: string[]; groups: string[] }> {
  const users = ((await iam.send(new ListUsersCommand({}))).Users ?? []).map((user) => user.UserName!).sort();
  const policies = ((await iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies ?? []).map((policy) => policy.PolicyName!).sort();
  const groups = ((await iam.send(new ListGroupsCommand({}))).Groups ?? []).map((group) => group.GroupName!).sort();
  const attached = users.includes(LOCAL_USER)
    ? ((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: LOCAL_USER }))).AttachedPolicies ?? []).map((policy) => policy.PolicyName!)
    : [];
  return { users, policies, attached, groups };
}

/** The policies that reach the stack's user through its groups, as `<group>: <policy>`. */
export async function grantedThroughGroups(iam: IAMClient): Promise<string[]> {
  const groups = ((await iam.send(new ListGroupsForUserCommand({ UserName: LOCAL_USER }))).Groups ?? []).map((group) => group.GroupName!);
  const granted = await Promise.all(
    groups.map(async (group) =>
      ((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: group }))).AttachedPolicies ?? []).map((policy) => `${group}: ${policy.PolicyName}`),
    ),
  );
  return granted.flat().sort();
}

/** A moto-made admin key: what the engine and the operator need once moto enforces IAM. */
export async function createOperatorKey(iam: IAMClient): Promise<KeyPair> {
  await iam.send(new CreateUserCommand({ UserName: "operator" }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: "operator",
      PolicyName: "everything",
      PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
    }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "operator" }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

/** Whether a key pair authenticates (STS GetCallerIdentity), and as whom. */
export async function callerOf(endpoint: string, key: KeyPair): Promise<string | undefined> {
  const sts = new STSClient({ endpoint, region: MOTO_REGION, credentials: key, maxAttempts: 1 });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
  } catch {
    return undefined;
  } finally {
    sts.destroy();
  }
}
