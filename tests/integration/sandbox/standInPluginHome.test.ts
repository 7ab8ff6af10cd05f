import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { standInPluginHome } from "../../../sandbox/sandboxEngine";

const awsVersion: string = require("@pulumi/aws/package.json").version;

describe("the stand-in in the sandbox's plugin home", function () {
  this.timeout(30_000);
  let stateDir: string;

  before(async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), "stand-in-home-"));
  });
  after(() => rm(stateDir, { recursive: true, force: true }));

  it("starts through its link there, as the engine starts a cached plugin, and announces its port", async () => {
    const plugin = path.join(standInPluginHome(stateDir), "plugins", `resource-aws-v${awsVersion}`, "pulumi-resource-aws");
    const child = spawn(plugin, [], {
      env: { PATH: process.env["PATH"], HOME: process.env["HOME"], AWS_ENDPOINT_URL: "http://127.0.0.1:5000" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", resolve);
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.once("exit", (code) => reject(new Error(`plugin exited with ${code} before announcing a port: ${stderr}`)));
      });
      expect(Number(firstLine.trim())).to.be.greaterThan(0);
    } finally {
      child.kill();
    }
  });
});
