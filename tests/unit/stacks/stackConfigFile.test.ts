import { expect } from "chai";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { UsageError } from "../../../automation/errors";
import { parseSettings, plainConfig, readStackSettings } from "../../../automation/stacks/stackConfigFile";

function refusalOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error("expected a UsageError");
}

describe("stack config files", () => {
  describe("parseSettings", () => {
    it("names the file, line and column of a YAML error in one line", () => {
      const message = refusalOf(() => parseSettings("/p/Pulumi.local.yaml", 'config:\n  aws:region: us-east-1\n  talentbase-iam:keyMaxAgeDays: "90\n'));
      expect(message).to.equal('Pulumi.local.yaml is not valid YAML at line 4, column 1 (missing closing "quote): fix that line and run again');
    });

    it("rejects a key given twice, as the Pulumi CLI does", () => {
      expect(refusalOf(() => parseSettings("Pulumi.dev.yaml", "config:\n  aws:region: us-east-1\n  aws:region: eu-west-1\n"))).to.equal(
        "Pulumi.dev.yaml is not valid YAML at line 3, column 3 (map keys must be unique): fix that line and run again",
      );
    });

    it("rejects a file whose top level is not a mapping", () => {
      expect(refusalOf(() => parseSettings("Pulumi.dev.yaml", "- aws:region\n"))).to.include("Pulumi.dev.yaml must be a YAML mapping");
    });

    it("reads an empty file as no settings", () => {
      expect(parseSettings("Pulumi.dev.yaml", "# nothing yet\n")).to.equal(null);
    });
  });

  it("plainConfig gives structured values as JSON, so their keys are validated too, and leaves secure values out", () => {
    expect(plainConfig({ "pulumi:tags": { team: "backend" }, "talentbase_iam:protect": { x: 1 }, "aws:secretKey": { secure: "v1:x" } })).to.deep.equal({
      "pulumi:tags": '{"team":"backend"}',
      "talentbase_iam:protect": '{"x":1}',
    });
  });

  describe("readStackSettings", () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), "talentbase-iam-config-"));
      await writeFile(path.join(dir, "Pulumi.yaml"), "name: talentbase-iam\nruntime: nodejs\n");
    });
    after(() => rm(dir, { recursive: true, force: true }));

    const refusal = async (stack: string) => {
      const error = await readStackSettings(dir, stack).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(UsageError);
      return (error as UsageError).message;
    };

    it("says which stack file is missing", async () => {
      expect(await refusal("staging")).to.equal(`stack "staging" has no Pulumi.staging.yaml in ${dir}`);
    });

    it("lists every config problem in one line", async () => {
      await writeFile(path.join(dir, "Pulumi.prod.yaml"), 'config:\n  aws:region: us-east-9\n  talentbase_iam:protect: "true"\n');
      const message = await refusal("prod");
      expect(message.split("\n")).to.have.length(1);
      expect(message)
        .to.match(/^stack prod has invalid configuration: /)
        .and.include('talentbase_iam:protect is in namespace "talentbase_iam", which nothing reads: rename it to talentbase-iam:protect')
        .and.include("aws:region must be a region the aws provider knows, such as us-east-1 or eu-west-1");
    });

    it("overlays the stack file on Pulumi.yaml's project config", async () => {
      await writeFile(
        path.join(dir, "Pulumi.yaml"),
        "name: talentbase-iam\nruntime: nodejs\nconfig:\n  keyMaxAgeDays:\n    default: 30\n  aws:region: eu-west-1\n",
      );
      await writeFile(path.join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: eu-central-1\n");
      expect(await readStackSettings(dir, "dev")).to.include({ region: "eu-central-1", keyMaxAgeDays: 30 });
    });
  });
});
