import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect } from "chai";
import { createAwsStandInProvider } from "../../../sandbox/provider/aws/awsStandInProvider";
import { REPO_ROOT } from "../../../automation/projectPaths";
import { requireLoopbackEndpoint } from "../../../sandbox/provider/environment";
import { urnOf } from "./providerFixture";

const PLUGIN = path.join(REPO_ROOT, "sandbox", "provider", "bin", "pulumi-resource-aws");
const USER = urnOf("aws:iam/user:User", "backend-user");
const STATE = { name: "u", path: "/", forceDestroy: false };

async function refusal(call: () => Promise<unknown>): Promise<Error | undefined> {
  try {
    await call();
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

describe("stand-in aws provider: loopback only", () => {
  for (const endpoint of ["https://iam.amazonaws.com", "http://10.0.0.8:5000", "http://127.0.0.1.example.com:5000", undefined]) {
    it(`refuses every operation when AWS_ENDPOINT_URL is ${endpoint ?? "unset"}`, async () => {
      const provider = createAwsStandInProvider({ AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b" });
      const calls: Record<string, () => Promise<unknown>> = {
        check: () => provider.check!(USER, {}, STATE),
        diff: () => provider.diff!("u", USER, STATE, STATE),
        create: () => provider.create!(USER, STATE),
        read: () => provider.read!("u", USER, STATE),
        update: () => provider.update!("u", USER, STATE, STATE),
        delete: () => provider.delete!("u", USER, STATE),
      };
      for (const [operation, call] of Object.entries(calls)) {
        const error = await refusal(call);
        expect(error?.name, operation).to.equal("NonLoopbackEndpointError");
      }
    });
  }

  it("re-checks the environment on every call, not just at construction", async () => {
    const env: NodeJS.ProcessEnv = { AWS_ENDPOINT_URL: "http://127.0.0.1:9" };
    const provider = createAwsStandInProvider(env);
    await provider.check!(USER, {}, STATE);
    env.AWS_ENDPOINT_URL = "https://iam.amazonaws.com";
    expect((await refusal(() => provider.check!(USER, {}, STATE)))?.name).to.equal("NonLoopbackEndpointError");
  });

  it("accepts localhost, 127.0.0.0/8 and ::1 endpoints", () => {
    for (const endpoint of ["http://localhost:5000", "http://127.0.0.1:5000", "http://127.1.2.3:80", "http://[::1]:5000"]) {
      expect(requireLoopbackEndpoint(endpoint)).to.equal(endpoint);
    }
  });

  it("makes the plugin executable exit with a clear message before serving", function () {
    this.timeout(30_000);
    const run = spawnSync(PLUGIN, [], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_ENDPOINT_URL: "https://iam.amazonaws.com" },
      encoding: "utf8",
    });
    expect(run.status).to.equal(1);
    expect(run.stdout).to.equal("");
    expect(run.stderr).to.contain("refuses non-loopback endpoint https://iam.amazonaws.com");
  });
});
