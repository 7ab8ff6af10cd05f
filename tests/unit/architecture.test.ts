import { expect } from "chai";
import { REPO_ROOT } from "../../automation/projectPaths";
import { layerViolations, readImportGraph, type LayerRule } from "../support/importGraph";

/** The architecture the folders show: each layer may use the ones below it, never the ones above. */
const RULES: readonly LayerRule[] = [
  ...["infra", "automation", "sandbox", "scripts", "bin", "build", "tools"].map((from) => ({
    from,
    mayNotImport: ["tests"],
    why: "nothing outside tests/ imports tests/",
  })),
  { from: "infra", mayNotImport: ["automation", "sandbox"], why: "the Pulumi program stands alone" },
  { from: "sandbox", mayNotImport: ["automation"], why: "the sandbox serves the driver, not the other way round" },
  { from: "automation", mayNotImport: ["automation/cli"], except: ["automation/cli"], why: "only the CLI entry parses argv" },
  { from: "automation", mayNotImport: ["automation/commands"], except: ["automation/cli", "automation/commands"], why: "commands sit above the stack services" },
  {
    from: "automation",
    mayNotImport: ["automation/stacks"],
    except: ["automation/cli", "automation/commands", "automation/stacks"],
    why: "verification, AWS clients and the toolchain do not know about stacks",
  },
];

const PRODUCT_FOLDERS = ["infra", "automation", "sandbox", "scripts", "bin", "build", "tools/pulumi"];

describe("architecture: imports run down the layers", () => {
  it("holds for the repository", () => {
    const graph = readImportGraph(REPO_ROOT, [...PRODUCT_FOLDERS, "tests"]);
    expect(graph.length, "source files found").to.be.greaterThan(100);
    expect(layerViolations(graph, RULES)).to.deep.equal([]);
  });

  it("catches an import from tests/ in product code, and one running up the layers", () => {
    const graph = [
      { file: "automation/commands/demo.ts", imports: ["tests/support/projectCopy", "automation/stacks/openStack"] },
      { file: "automation/stacks/openStack.ts", imports: ["automation/commands/provision"] },
      { file: "tests/e2e/x.test.ts", imports: ["tests/support/projectCopy", "automation/cli/runCli"] },
      { file: "sandbox/moto/motoServer.ts", imports: ["automation/projectPaths"] },
    ];
    expect(layerViolations(graph, RULES)).to.deep.equal([
      "automation/commands/demo.ts imports tests/support/projectCopy (nothing outside tests/ imports tests/)",
      "sandbox/moto/motoServer.ts imports automation/projectPaths (the sandbox serves the driver, not the other way round)",
      "automation/stacks/openStack.ts imports automation/commands/provision (commands sit above the stack services)",
    ]);
  });

  it("reads imports the way TypeScript does, require() and dynamic import() included", () => {
    const graph = readImportGraph(REPO_ROOT, ["bin", "automation/cli"]);
    expect(graph.find((source) => source.file === "bin/talentbase-iam.js")?.imports).to.include("build/loadCompiled.cjs");
    expect(graph.find((source) => source.file === "automation/cli/program.ts")?.imports, "the commands loaded on use").to.include("automation/commands/provision");
  });
});
