import { IAMClient } from "@aws-sdk/client-iam";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type * as provider from "@pulumi/pulumi/provider";
import { createAwsStandInProvider } from "../../../sandbox/provider/aws/awsStandInProvider";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type MotoServer } from "../../../sandbox/moto/motoServer";

export interface ProviderFixture {
  moto: MotoServer;
  provider: Required<Pick<provider.Provider, "check" | "diff" | "create" | "read" | "update" | "delete">>;
  /** A separate client for arranging and inspecting state behind the provider's back. */
  iam: IAMClient;
  /** The same, for Secrets Manager. */
  secretsManager: SecretsManagerClient;
}

export function motoEnvironment(endpoint: string): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: MOTO_REGION,
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
  };
}

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::talentbase-iam::talentbase:iam:BackendS3User$${type}::${name}`;
}

/** Starts one moto for the suite, wipes it before each test, and serves the stand-in against it. */
export function useProviderAgainstMoto(): ProviderFixture {
  const fixture = {} as ProviderFixture;
  before(async function () {
    this.timeout(60_000);
    fixture.moto = await startMoto();
    fixture.provider = createAwsStandInProvider(motoEnvironment(fixture.moto.endpoint)) as ProviderFixture["provider"];
    const clientOptions = { region: MOTO_REGION, endpoint: fixture.moto.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 3, retryMode: "adaptive" };
    fixture.iam = new IAMClient(clientOptions);
    fixture.secretsManager = new SecretsManagerClient(clientOptions);
  });
  beforeEach(() => fixture.moto.reset());
  after(async () => {
    fixture.iam?.destroy();
    fixture.secretsManager?.destroy();
    await fixture.moto?.stop();
  });
  return fixture;
}

/** Runs check then create, the way the engine does, and returns the checked inputs too. */
export async function checkAndCreate(fixture: ProviderFixture, urn: string, news: Record<string, unknown>) {
  const checked = await fixture.provider.check(urn, {}, news);
  if (checked.failures && checked.failures.length > 0) {
    throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  }
  const created = await fixture.provider.create(urn, checked.inputs);
  return { inputs: checked.inputs as Record<string, unknown>, id: created.id, outs: created.outs as Record<string, unknown> };
}
