import {
  GetGroupPolicyCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  paginateListAttachedGroupPolicies,
  paginateListAttachedUserPolicies,
  paginateListGroupPolicies,
  paginateListGroupsForUser,
  paginateListMFADevices,
  paginateListUserPolicies,
  type AttachedPolicy,
  type LoginProfile,
  type User,
} from "@aws-sdk/client-iam";
import type { DescribeSecretCommandOutput } from "@aws-sdk/client-secrets-manager";
import { partitionOfRegion } from "../../infra/config";
import { s3BucketArn, type Partition } from "../../infra/policy";
import type { AwsClients, AwsCredentials } from "../aws/clients";
import { isAwsError } from "../aws/errors";
import { listUserKeys, type UserKey } from "../keys/userKeys";
import { parsePolicyDocument, type LivePolicyDocument } from "./policy/livePolicyDocument";
import type { EvaluatorNote, VerificationInput } from "./types";

export interface LivePolicyVersion {
  readonly versionId: string;
  readonly document: LivePolicyDocument;
}

export interface InlinePolicy {
  readonly name: string;
  readonly document: LivePolicyDocument;
}

/** A group the user is a member of, with the policies it passes on to its members. */
export interface UserGroup {
  readonly name: string;
  readonly attachedPolicies: readonly AttachedPolicy[];
  readonly inlinePolicies: readonly InlinePolicy[];
}

/**
 * Everything a check may ask about the deployed user. IAM lookups several checks share are made once
 * per run, because checks run concurrently and would otherwise repeat them.
 */
export class VerificationContext {
  readonly partition: Partition;
  readonly bucketArn: string;

  readonly user = once(async (): Promise<User> => {
    const { User: user } = await this.admin.iam.send(new GetUserCommand({ UserName: this.input.userName }));
    if (!user) throw new Error("GetUser returned no user");
    return user;
  });

  /** Every key of the user with its last use. */
  readonly userKeys = once((): Promise<UserKey[]> => listUserKeys(this.admin.iam, this.input.userName));

  readonly attachedPolicies = once(async (): Promise<AttachedPolicy[]> => {
    const policies: AttachedPolicy[] = [];
    const pages = paginateListAttachedUserPolicies({ client: this.admin.iam }, { UserName: this.input.userName });
    for await (const page of pages) policies.push(...(page.AttachedPolicies ?? []));
    return policies;
  });

  readonly inlinePolicies = once(async (): Promise<InlinePolicy[]> => {
    const names: string[] = [];
    for await (const page of paginateListUserPolicies({ client: this.admin.iam }, { UserName: this.input.userName })) {
      names.push(...(page.PolicyNames ?? []));
    }
    return Promise.all(
      names.map(async (name) => {
        const { PolicyDocument } = await this.admin.iam.send(new GetUserPolicyCommand({ UserName: this.input.userName, PolicyName: name }));
        return { name, document: parsePolicyDocument(PolicyDocument ?? "") };
      }),
    );
  });

  /** Every group of the user (the stack's and any other), each with its attached and inline policies. */
  readonly groups = once(async (): Promise<UserGroup[]> => {
    const names: string[] = [];
    for await (const page of paginateListGroupsForUser({ client: this.admin.iam }, { UserName: this.input.userName })) {
      names.push(...(page.Groups ?? []).map((group) => group.GroupName ?? ""));
    }
    return Promise.all(names.map((name) => this.groupWithPolicies(name)));
  });

  /** The user's console password, if it has one (the backend user is programmatic-only). */
  readonly loginProfile = once(async (): Promise<LoginProfile | undefined> => {
    try {
      return (await this.admin.iam.send(new GetLoginProfileCommand({ UserName: this.input.userName }))).LoginProfile;
    } catch (error) {
      if (isAwsError(error, "NoSuchEntity", "NoSuchEntityException")) return undefined;
      throw error;
    }
  });

  readonly mfaDeviceCount = once(async (): Promise<number> => {
    let devices = 0;
    for await (const page of paginateListMFADevices({ client: this.admin.iam }, { UserName: this.input.userName })) devices += page.MFADevices?.length ?? 0;
    return devices;
  });

  /** DescribeSecret of the stack's credentials secret (no value read); undefined where the stack keeps none. */
  readonly secretDescription = once(async (): Promise<DescribeSecretCommandOutput | undefined> => {
    const { credentialsSecretName: name } = this.input;
    if (!name) return undefined;
    // Loaded here: most stacks have no secret, and the package costs a tenth of a second to load.
    const { DescribeSecretCommand } = require("@aws-sdk/client-secrets-manager") as typeof import("@aws-sdk/client-secrets-manager");
    return this.admin.secretsManager.send(new DescribeSecretCommand({ SecretId: name }));
  });

  /** Which evaluator decided the policy checks of this run, once one did (reports say it once). */
  evaluatorNote: EvaluatorNote | undefined;

  /** Secret values a check came across (a secret's content); no report may carry them. */
  readonly secretsSeen = new Set<string>();

  private readonly defaultVersions = new Map<string, Promise<LivePolicyVersion>>();
  private readonly sharedResults = new Map<string, Promise<unknown>>();

  constructor(
    readonly input: VerificationInput,
    /** Clients signed with the operator's credentials (the standard chain). */
    readonly admin: AwsClients,
    /** Clients signed with the user's own access key from the stack outputs. */
    readonly userKey: AwsClients,
    readonly now: Date,
    /** Clients signed with other credentials (a key pair read from a secret), on the run's endpoint and region. */
    readonly clientsFor: (credentials: AwsCredentials) => AwsClients,
    /** The operator's clients in another region (a monitoring rule's, a trail's home), made once per region. */
    readonly adminIn: (region: string) => AwsClients = () => admin,
  ) {
    this.partition = input.partition ?? partitionOfRegion(input.region);
    this.bucketArn = s3BucketArn(this.partition, input.bucketName);
  }

  /** The document of a managed policy's current default version. */
  defaultPolicyVersion(policyArn: string): Promise<LivePolicyVersion> {
    let version = this.defaultVersions.get(policyArn);
    if (!version) {
      version = this.fetchDefaultPolicyVersion(policyArn);
      this.defaultVersions.set(policyArn, version);
    }
    return version;
  }

  /** A result several checks need, computed once per run under `key`. */
  shared<T>(key: string, load: () => Promise<T>): Promise<T> {
    let result = this.sharedResults.get(key) as Promise<T> | undefined;
    if (!result) {
      result = load();
      this.sharedResults.set(key, result);
    }
    return result;
  }

  /** Records a value the run must redact from every detail, before the check can put it anywhere. */
  treatAsSecret(value: string): void {
    if (value.length > 0) this.secretsSeen.add(value);
  }

  /** The user's ARN as the stack reported it, else as IAM reports it. */
  async userArn(): Promise<string> {
    return this.input.userArn ?? (await this.user()).Arn ?? "";
  }

  private async groupWithPolicies(name: string): Promise<UserGroup> {
    const attachedPolicies: AttachedPolicy[] = [];
    for await (const page of paginateListAttachedGroupPolicies({ client: this.admin.iam }, { GroupName: name })) {
      attachedPolicies.push(...(page.AttachedPolicies ?? []));
    }
    const inlineNames: string[] = [];
    for await (const page of paginateListGroupPolicies({ client: this.admin.iam }, { GroupName: name })) inlineNames.push(...(page.PolicyNames ?? []));
    const inlinePolicies = await Promise.all(
      inlineNames.map(async (policyName) => {
        const { PolicyDocument } = await this.admin.iam.send(new GetGroupPolicyCommand({ GroupName: name, PolicyName: policyName }));
        return { name: policyName, document: parsePolicyDocument(PolicyDocument ?? "") };
      }),
    );
    return { name, attachedPolicies, inlinePolicies };
  }

  private async fetchDefaultPolicyVersion(policyArn: string): Promise<LivePolicyVersion> {
    const { Policy } = await this.admin.iam.send(new GetPolicyCommand({ PolicyArn: policyArn }));
    const versionId = Policy?.DefaultVersionId;
    if (!versionId) throw new Error(`policy ${policyArn} has no default version`);
    const { PolicyVersion } = await this.admin.iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId }));
    return { versionId, document: parsePolicyDocument(PolicyVersion?.Document ?? "") };
  }
}

/** A lazy, shared result: the first call starts the work, later calls get the same promise. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= load());
}
