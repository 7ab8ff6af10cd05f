import { expect } from "chai";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { chooseAwsProvider, sandboxEngineEnv } from "../../../sandbox/sandboxEngine";

const awsVersion: string = require("@pulumi/aws/package.json").version;

describe("choosing the aws provider plugin for engine runs", () => {
  let scratch: string;
  const emptyHome = () => path.join(scratch, "empty-pulumi-home");

  async function executable(file: string): Promise<string> {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, "#!/bin/sh\n");
    await chmod(file, 0o755);
    return file;
  }

  beforeEach(async () => { scratch = await mkdtemp(path.join(tmpdir(), "provider-choice-")); });
  afterEach(() => rm(scratch, { recursive: true, force: true }));

  it("uses the stand-in when no real plugin is installed, and puts only it on PATH", () => {
    const choice = chooseAwsProvider({ PATH: "/usr/bin", PULUMI_HOME: emptyHome() });
    expect(choice.kind).to.equal("stand-in");
    const env = sandboxEngineEnv({ motoEndpoint: "http://127.0.0.1:5000", stateDir: scratch }, choice);
    expect(env["PATH"]?.split(path.delimiter)[0]).to.equal(path.dirname(choice.path));
  });

  it("prefers a real pulumi-resource-aws on PATH", async () => {
    const real = await executable(path.join(scratch, "bin", "pulumi-resource-aws"));
    const choice = chooseAwsProvider({ PATH: `${path.dirname(real)}${path.delimiter}/usr/bin`, PULUMI_HOME: emptyHome() });
    expect(choice).to.deep.equal({ kind: "real", path: real });
    const env = sandboxEngineEnv({ motoEndpoint: "http://127.0.0.1:5000", stateDir: scratch }, choice);
    expect(env["PATH"]).not.to.include(path.join("tests", "harness", "provider"));
  });

  it("prefers a real plugin in the plugin cache at the version @pulumi/aws asks for", async () => {
    const home = path.join(scratch, "pulumi-home");
    const cached = await executable(path.join(home, "plugins", `resource-aws-v${awsVersion}`, "pulumi-resource-aws"));
    expect(chooseAwsProvider({ PATH: "/usr/bin", PULUMI_HOME: home })).to.deep.equal({ kind: "real", path: cached });
  });

  it("ignores a cached plugin of another version", async () => {
    const home = path.join(scratch, "pulumi-home");
    await executable(path.join(home, "plugins", "resource-aws-v6.0.0", "pulumi-resource-aws"));
    expect(chooseAwsProvider({ PATH: "/usr/bin", PULUMI_HOME: home }).kind).to.equal("stand-in");
  });
});
