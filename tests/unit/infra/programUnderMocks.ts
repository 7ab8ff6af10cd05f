import * as pulumi from "@pulumi/pulumi";
import type { StackOutputValues } from "../../../infra/outputs";
// The entry module only defines the program function, so importing it before setMocks is safe.
import program = require("../../../infra/index");

export const ACCOUNT_ID = "123456789012";
export const ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
export const SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
export const KEY_CREATE_DATE = "2026-01-15T10:00:00Z";
export const SECRET_VERSION_ID = "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE";

/** A secret's ARN as Secrets Manager makes it: the name, a hyphen and six random characters. */
export function secretArnOf(name: string): string {
  return `arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:${name}-AbCdEf`;
}

/** One RegisterResource request as the engine would receive it. */
export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly parentUrn: string;
  readonly protect: boolean;
  /** The id the resource is to be imported from, or "" when it is created. */
  readonly importId: string;
  readonly ignoreChanges: readonly string[];
  readonly dependencies: readonly string[];
  readonly inputs: Record<string, any>;
}

export interface MockRun {
  readonly resources: RegisteredResource[];
  readonly outputs: StackOutputValues;
}

/** Realistic provider answers: IAM ids and ARNs as AWS returns them. */
/** Slot a's key gets the documented example id, slot b's another, so tests can tell them apart. */
export function accessKeyIdOf(logicalName: string): string {
  return logicalName.endsWith("-b") ? "AKIAI44QH8DHBEXAMPLE" : ACCESS_KEY_ID;
}

/** The example KMS key id of the AWS documentation. */
export const KMS_KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

/** ARNs as the services make them; `region` is the resource's own region input or the stack's. */
function fakeProviderState(type: string, name: string, inputs: Record<string, any>, stackRegion: string): { id: string; state: Record<string, any> } {
  const region = inputs.region ?? stackRegion;
  switch (type) {
    case "aws:kms/key:Key":
      return { id: KMS_KEY_ID, state: { ...inputs, arn: `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${KMS_KEY_ID}`, keyId: KMS_KEY_ID } };
    case "aws:sns/topic:Topic": {
      const arn = `arn:aws:sns:${region}:${ACCOUNT_ID}:${inputs.name}`;
      return { id: arn, state: { ...inputs, arn } };
    }
    case "aws:sns/topicPolicy:TopicPolicy":
      return { id: inputs.arn, state: inputs };
    case "aws:sns/topicSubscription:TopicSubscription": {
      const arn = `${inputs.topic}:0b1f9a0e-5c3d-4e2f-8a7b-EXAMPLE${name.length}`;
      return { id: arn, state: { ...inputs, arn, pendingConfirmation: true } };
    }
    case "aws:cloudwatch/eventRule:EventRule":
      return { id: inputs.name, state: { ...inputs, region, arn: `arn:aws:events:${region}:${ACCOUNT_ID}:rule/${inputs.name}` } };
    case "aws:cloudwatch/eventTarget:EventTarget":
      return { id: `${inputs.rule}-${name}`, state: { ...inputs, region } };
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return { id: inputs.name, state: { ...inputs, arn: `arn:aws:cloudwatch:${region}:${ACCOUNT_ID}:alarm:${inputs.name}` } };
    case "aws:iam/role:Role":
      return { id: inputs.name, state: { ...inputs, arn: `arn:aws:iam::${ACCOUNT_ID}:role/${inputs.name}`, uniqueId: "AROADBQP57FF2AEXAMPLE" } };
    case "aws:iam/rolePolicy:RolePolicy":
      return { id: `${inputs.role}:${name}`, state: inputs };
    case "aws:iam/user:User":
      return {
        id: inputs.name,
        state: { ...inputs, arn: `arn:aws:iam::${ACCOUNT_ID}:user${inputs.path ?? "/"}${inputs.name}`, uniqueId: "AIDAJQABLZS4A3QDU576Q" },
      };
    case "aws:iam/policy:Policy": {
      const arn = `arn:aws:iam::${ACCOUNT_ID}:policy/${inputs.name}`;
      return { id: arn, state: { ...inputs, arn, policyId: "ANPAJ2UCCR6DPCEXAMPLE" } };
    }
    case "aws:iam/userPolicyAttachment:UserPolicyAttachment":
      return { id: `${inputs.user}-20260115100000000000000001`, state: inputs };
    case "aws:iam/group:Group":
      return {
        id: inputs.name,
        state: { ...inputs, arn: `arn:aws:iam::${ACCOUNT_ID}:group${inputs.path ?? "/"}${inputs.name}`, uniqueId: "AGPAJQABLZS4A3QDU576Q" },
      };
    case "aws:iam/groupPolicyAttachment:GroupPolicyAttachment":
      return { id: `${inputs.group}-20260115100000000000000002`, state: inputs };
    case "aws:iam/userGroupMembership:UserGroupMembership":
      return { id: "terraform-20260115100000000000000003", state: inputs };
    case "aws:iam/accessKey:AccessKey":
      return { id: accessKeyIdOf(name), state: { ...inputs, secret: SECRET_ACCESS_KEY, status: inputs.status ?? "Active", createDate: KEY_CREATE_DATE } };
    case "aws:secretsmanager/secret:Secret": {
      const arn = secretArnOf(inputs.name);
      return { id: arn, state: { ...inputs, arn, tagsAll: inputs.tags } };
    }
    case "aws:secretsmanager/secretVersion:SecretVersion":
      return {
        id: `${inputs.secretId}|${SECRET_VERSION_ID}`,
        state: { ...inputs, arn: inputs.secretId, versionId: SECRET_VERSION_ID, versionStages: ["AWSCURRENT"] },
      };
    default:
      return { id: `${inputs.name ?? type}-id`, state: inputs };
  }
}

/**
 * Runs the real Pulumi entry point for `stack` with `config` (fully qualified keys) against mocks,
 * recording every RegisterResource request, including the parent and protect options mocks never see.
 */
export async function runProgramUnderMocks(stack: string, config: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<MockRun> {
  const resources = await recordRegistrations(stack, config);
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const outputs = await program();
    await Promise.all(Object.values(outputs).map((value) => resolved(value)));
    // Resources no output waits for (the secret's version) register later: drain every pending call.
    await waitForRPCs();
    return { resources, outputs };
  } finally {
    for (const name of Object.keys(env)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

/** Runs the entry point expecting it to fail; returns the error and whatever got registered before it. */
export async function runFailingProgramUnderMocks(stack: string, config: Record<string, string>): Promise<{ error: unknown; resources: RegisteredResource[] }> {
  const resources = await recordRegistrations(stack, config);
  const error = await program().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) throw new Error(`expected the program to fail for stack ${stack}`);
  return { error, resources };
}

/**
 * Runs `body` (which registers resources, components say) for `stack` with `config` against mocks and
 * returns every RegisterResource request once all have been made.
 */
export async function registerUnderMocks(stack: string, config: Record<string, string>, body: () => void): Promise<RegisteredResource[]> {
  const resources = await recordRegistrations(stack, config);
  body();
  await waitForRPCs();
  return resources;
}

async function recordRegistrations(stack: string, config: Record<string, string>): Promise<RegisteredResource[]> {
  const stackRegion = config["aws:region"] ?? "us-east-1";
  await pulumi.runtime.setMocks(
    {
      newResource: ({ type, name, inputs }) => fakeProviderState(type, name, inputs, stackRegion),
      call: () => ({}),
    },
    "talentbase-iam",
    stack,
  );
  pulumi.runtime.setAllConfig(config);

  const resources: RegisteredResource[] = [];
  const monitor = pulumi.runtime.getMonitor() as any;
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request: any, callback: (error: unknown, response: any) => void) =>
    registerResource(request, (error: unknown, response: any) => {
      if (!error) {
        resources.push({
          type: request.getType(),
          name: request.getName(),
          urn: response.getUrn(),
          parentUrn: request.getParent(),
          protect: request.getProtect() === true,
          importId: request.getImportid(),
          ignoreChanges: request.getIgnorechangesList(),
          dependencies: request.getDependenciesList(),
          inputs: pulumi.runtime.deserializeProperties(request.getObject()),
        });
      }
      callback(error, response);
    });
  return resources;
}

/** The SDK's own drain of its pending resource calls (marked internal, so absent from its typings). */
function waitForRPCs(): Promise<void> {
  return (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> }).waitForRPCs();
}

/** The value of an Input, awaited outside `.apply` so failing assertions never hang a test. */
export function resolved<T>(value: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(value).apply((v) => resolve(v as T)));
}

export function onlyResourceOfType(run: Pick<MockRun, "resources">, type: string): RegisteredResource {
  const matches = run.resources.filter((r) => r.type === type);
  if (matches.length !== 1) throw new Error(`expected exactly one ${type}, found ${matches.length}`);
  return matches[0]!;
}
