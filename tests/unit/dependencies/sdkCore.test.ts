import { readFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "../../../automation/projectPaths";

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as Record<string, Record<string, string> | undefined>;
const clients = Object.keys({ ...manifest["dependencies"], ...manifest["devDependencies"] }).filter((name) => name.startsWith("@aws-sdk/client-"));

/** Where `core` resolves from inside `client`'s own directory, as the client's code loads it. */
function coreOf(client: string, core: string): string {
  const clientDir = path.dirname(require.resolve(`${client}/package.json`, { paths: [REPO_ROOT] }));
  return require.resolve(`${core}/package.json`, { paths: [clientDir] });
}

/**
 * One SDK core in node_modules: two copies mean two middleware stacks, two credential caches and
 * retry token buckets, and `instanceof` checks across clients that fail. @aws-sdk/client-cloudtrail's
 * last release (3.1137.0) lags the others; its caret ranges must keep resolving to the same core.
 */
describe("the AWS SDK clients share one core", () => {
  for (const core of ["@smithy/core", "@aws-sdk/core"]) {
    it(`every @aws-sdk client loads the same ${core}`, () => {
      const resolved = new Set(clients.map((client) => coreOf(client, core)));
      expect([...resolved], clients.join(", ")).to.have.length(1);
    });
  }
});
