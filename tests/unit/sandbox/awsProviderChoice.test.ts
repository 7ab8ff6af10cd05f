import { expect } from "chai";
import { existsSync, readlinkSync, realpathSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { chooseAwsProvider, installStandIn, sandboxEngineEnv, standInPluginHome } from "../../../sandbox/sandboxEngine";

const awsVersion: string = require("@pulumi/aws/package.json").version;

describe("choosing the aws provider plugin for engine runs", () => {
  let scratch: string;
  const emptyHome = () => path.join(scratch, "empty-pulumi-home");
  const stateDir = () => path.join(scratch, "state");
  const engineEnv = (choice: ReturnType<typeof chooseAwsProvider>) => sandboxEngineEnv({ motoEndpoint: "http://127.0.0.1:5000", stateDir: stateDir() }, choice);

  async function executable(file: string): Promise<string> {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, "#!/bin/sh\n");
    await chmod(file, 0o755);
    return file;
  }

  beforeEach(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "provider-choice-"));
    await mkdir(stateDir());
  });
  afterEach(() => rm(scratch, { recursive: true, force: true }));

  it("uses the stand-in when no real plugin is installed, from the sandbox's own plugin home, never from PATH", () => {
    const choice = chooseAwsProvider({ PATH: "/usr/bin", PULUMI_HOME: emptyHome() });
    expect(choice.kind).to.equal("stand-in");
    const env = engineEnv(choice);
    const home = env["PULUMI_HOME"]!;
    expect(path.relative(stateDir(), home), "inside the sandbox's state, not the operator's home").to.equal("pulumi-home");
    const cached = path.join(home, "plugins", `resource-aws-v${awsVersion}`, "pulumi-resource-aws");
    expect(realpathSync(cached)).to.equal(realpathSync(choice.path));
    expect(env).not.to.have.property("PATH");
    expect(engineEnv(choice)["PULUMI_HOME"], "a second run finds the same home").to.equal(home);
  });

  it("prefers a real pulumi-resource-aws on PATH, leaving the operator's PULUMI_HOME alone", async () => {
    const real = await executable(path.join(scratch, "bin", "pulumi-resource-aws"));
    const choice = chooseAwsProvider({ PATH: `${path.dirname(real)}${path.delimiter}/usr/bin`, PULUMI_HOME: emptyHome() });
    expect(choice).to.deep.equal({ kind: "real", path: real });
    expect(engineEnv(choice)).not.to.have.property("PULUMI_HOME");
    expect(existsSync(path.join(stateDir(), "pulumi-home")), "no stand-in installed").to.equal(false);
  });

  it("prefers a real plugin in the operator's plugin cache at the version @pulumi/aws asks for", async () => {
    const home = path.join(scratch, "pulumi-home");
    const cached = await executable(path.join(home, "plugins", `resource-aws-v${awsVersion}`, "pulumi-resource-aws"));
    const choice = chooseAwsProvider({ PATH: "/usr/bin", PULUMI_HOME: home });
    expect(choice).to.deep.equal({ kind: "real", path: cached });
    expect(engineEnv(choice), "the engine looks in the operator's home, where the real one is").not.to.have.property("PULUMI_HOME");
  });

  it("does not take the stand-in, linked into a plugin cache, for a real plugin", () => {
    const home = path.join(scratch, "pulumi-home");
    installStandIn(home);
    expect(chooseAwsProvider({ PATH: "/usr/bin", PULUMI_HOME: home }).kind).to.equal("stand-in");
  });

  it("shares the operator's installed CLIs with the sandbox's home, and nothing else", () => {
    const operatorHome = path.join(scratch, "operator-home");
    const home = standInPluginHome(stateDir(), { PULUMI_HOME: operatorHome });
    expect(readlinkSync(path.join(home, "versions"))).to.equal(path.join(operatorHome, "versions"));
    expect(standInPluginHome(stateDir(), { PULUMI_HOME: home }), "started from its own environment, it links nothing to itself").to.equal(home);
    expect(readlinkSync(path.join(home, "versions"))).to.equal(path.join(operatorHome, "versions"));
  });

  it("ignores a cached plugin of another version", async () => {
    const home = path.join(scratch, "pulumi-home");
    await executable(path.join(home, "plugins", "resource-aws-v6.0.0", "pulumi-resource-aws"));
    expect(chooseAwsProvider({ PATH: "/usr/bin", PULUMI_HOME: home }).kind).to.equal("stand-in");
  });
});
