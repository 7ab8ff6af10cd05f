import { readFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "../../automation/projectPaths";
import { layerViolations, readImportGraph, type LayerRule } from "../support/importGraph";

/**
 * The layers of the product, top first, as the README states them: a folder imports only folders of
 * later steps, never one of its own step or an earlier one. `automation/*` is automation's top-level
 * modules (errors, context, Secret, confirmation, project paths).
 */
const LAYERS: readonly (readonly string[])[] = [
  ["automation/cli", "policy"],
  ["automation/commands"],
  ["automation/recovery"],
  ["automation/adoption", "automation/rotation"],
  ["automation/session"],
  ["automation/compliance"],
  ["automation/preflight", "automation/verify", "automation/operator"],
  ["automation/engine"],
  ["automation/backend", "automation/keys", "automation/toolchain"],
  ["automation/stacks"],
  ["automation/aws", "automation/files"],
  ["automation/*"],
  ["sandbox"],
  ["infra"],
];

/** Every arrow the layer list forbids: up the list, and across one step. */
function rulesOf(layers: readonly (readonly string[])[]): LayerRule[] {
  return layers.flatMap((step, index) =>
    step.map((from) => ({
      from,
      mayNotImport: [...layers.slice(0, index).flat(), ...step.filter((other) => other !== from)],
      why: `${from} may import only the layers after it`,
    })),
  );
}

/** The chain as the README writes it: steps joined by →, the folders of one step side by side. */
function chainOf(layers: readonly (readonly string[])[]): string {
  return layers.map((step) => step.map((folder) => `\`${folder}\``).join(" ")).join(" → ");
}

/** What the build ships: none of it may use the test and bench harness. */
const SHIPPED = ["infra", "automation", "sandbox", "policy", "bin", "build", "tools"];

const RULES: readonly LayerRule[] = [
  ...rulesOf(LAYERS),
  ...SHIPPED.map((from) => ({ from, mayNotImport: ["tests", "harness"], why: "the product ships no test or bench harness" })),
  ...["harness", "scripts"].map((from) => ({ from, mayNotImport: ["tests"], why: "nothing outside tests/ imports tests/" })),
];

const SOURCE_FOLDERS = ["infra", "automation", "sandbox", "policy", "harness", "scripts", "bin", "build", "tools/pulumi", "tests"];

describe("architecture: imports run down the layers", () => {
  it("holds for the repository", () => {
    const graph = readImportGraph(REPO_ROOT, SOURCE_FOLDERS);
    expect(graph.length, "source files found").to.be.greaterThan(100);
    expect(layerViolations(graph, RULES)).to.deep.equal([]);
  });

  it("is the chain the README states, folder for folder", () => {
    const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8").replace(/\s*\n\s*/g, " ");
    expect(readme).to.include(chainOf(LAYERS));
  });

  it("catches the harness in the product, tests/ outside tests, an import up the layers and one across a step", () => {
    const graph = [
      { file: "automation/commands/demo.ts", imports: ["harness/projectCopy", "automation/engine/stackState"] },
      { file: "harness/sandboxAccount.ts", imports: ["tests/support/driverProcess"] },
      { file: "automation/engine/stackState.ts", imports: ["automation/commands/provision"] },
      { file: "automation/adoption/adopt.ts", imports: ["automation/rotation/transitions"] },
      { file: "automation/errors.ts", imports: ["automation/stacks/stackProfile"] },
      { file: "tests/e2e/x.test.ts", imports: ["tests/support/projectCopy", "automation/cli/runCli"] },
      { file: "sandbox/moto/motoServer.ts", imports: ["automation/projectPaths"] },
    ];
    expect(layerViolations(graph, RULES)).to.have.members([
      "automation/commands/demo.ts imports harness/projectCopy (the product ships no test or bench harness)",
      "harness/sandboxAccount.ts imports tests/support/driverProcess (nothing outside tests/ imports tests/)",
      "automation/engine/stackState.ts imports automation/commands/provision (automation/engine may import only the layers after it)",
      "automation/adoption/adopt.ts imports automation/rotation/transitions (automation/adoption may import only the layers after it)",
      "automation/errors.ts imports automation/stacks/stackProfile (automation/* may import only the layers after it)",
      "sandbox/moto/motoServer.ts imports automation/projectPaths (sandbox may import only the layers after it)",
    ]);
  });

  it("reads imports the way TypeScript does, require() and dynamic import() included", () => {
    const graph = readImportGraph(REPO_ROOT, ["bin", "automation/cli"]);
    expect(graph.find((source) => source.file === "bin/talentbase-iam.js")?.imports).to.include("build/loadCompiled.cjs");
    expect(graph.find((source) => source.file === "automation/cli/program.ts")?.imports, "the commands loaded on use").to.include(
      "automation/commands/provision",
    );
  });
});
