import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SNSClient } from "@aws-sdk/client-sns";
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
  /** The region the provider's environment names (AWS_REGION). */
  region: string;
  /** Clients of the regional services in `region` (default: the provider's), for arranging and inspecting. */
  regional(region?: string): RegionalTestClients;
}

export interface RegionalTestClients {
  sns: SNSClient;
  eventBridge: EventBridgeClient;
  cloudWatch: CloudWatchClient;
  kms: KMSClient;
}

export function motoEnvironment(endpoint: string, region: string = MOTO_REGION): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
  };
}

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::talentbase-iam::talentbase:iam:BackendS3User$${type}::${name}`;
}

/**
 * Starts one moto for the suite, wipes it before each test, and serves the stand-in against it. `region`
 * is the provider's environment region: the regional types' suites use another one than the
 * resources they place with a `region` input, so a test can tell the two apart.
 */
export function useProviderAgainstMoto(options: { region?: string } = {}): ProviderFixture {
  const region = options.region ?? MOTO_REGION;
  const fixture = { region } as ProviderFixture;
  const regionalClients = new Map<string, RegionalTestClients>();
  before(async function () {
    this.timeout(60_000);
    fixture.moto = await startMoto();
    fixture.provider = createAwsStandInProvider(motoEnvironment(fixture.moto.endpoint, region)) as ProviderFixture["provider"];
    const clientOptions = { region: MOTO_REGION, endpoint: fixture.moto.endpoint, credentials: MOTO_CREDENTIALS, maxAttempts: 3, retryMode: "adaptive" };
    fixture.iam = new IAMClient(clientOptions);
    fixture.secretsManager = new SecretsManagerClient(clientOptions);
    fixture.regional = (clientRegion = region) => {
      let clients = regionalClients.get(clientRegion);
      if (!clients) {
        const options = { ...clientOptions, region: clientRegion };
        clients = {
          sns: new SNSClient(options),
          eventBridge: new EventBridgeClient(options),
          cloudWatch: new CloudWatchClient(options),
          kms: new KMSClient(options),
        };
        regionalClients.set(clientRegion, clients);
      }
      return clients;
    };
  });
  beforeEach(() => fixture.moto.reset());
  after(async () => {
    fixture.iam?.destroy();
    fixture.secretsManager?.destroy();
    for (const clients of regionalClients.values()) for (const client of Object.values(clients)) client.destroy();
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
