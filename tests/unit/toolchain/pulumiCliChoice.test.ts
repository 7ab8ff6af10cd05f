import { expect } from "chai";
import semver from "semver";
import { decidePulumiCli, SUPPORTED_PULUMI_RANGE, type PinnedPulumi, type PulumiOnPath } from "../../../automation/toolchain/pulumiCliChoice.cjs";
import { pinnedPulumiVersion } from "../../../tools/pulumi/pins.cjs";

const PINNED = pinnedPulumiVersion();
const built: PinnedPulumi = { version: PINNED, binDir: "/home/dev/.pulumi/versions/x/bin", installed: true };
const notBuilt: PinnedPulumi = { ...built, installed: false };
const onPath = (reported: string | undefined, languageHost = true): PulumiOnPath => ({ command: "/usr/local/bin/pulumi", reported, languageHost });
const BUILD_HINT = `upgrade it, or run \`npm run setup -- --build-pulumi\` to build the pinned v${PINNED} for this project beside it`;

describe("choosing the Pulumi CLI (pulumiCliChoice.cjs)", () => {
  it("supports the pinned release itself", () => {
    expect(semver.satisfies(PINNED, SUPPORTED_PULUMI_RANGE)).to.equal(true);
  });

  it("uses a supported pulumi on PATH with its language host, even when the pinned one is built", () => {
    for (const reported of ["3.206.0", "3.250.0", "3.299.5"]) {
      expect(decidePulumiCli({ onPath: onPath(reported), pinned: built })).to.deep.equal({
        use: "installed",
        command: "/usr/local/bin/pulumi",
        version: reported,
        line: `Pulumi CLI: the installed v${reported} at /usr/local/bin/pulumi (this project supports ${SUPPORTED_PULUMI_RANGE})`,
      });
    }
  });

  it("uses the pinned build when nothing is on PATH", () => {
    expect(decidePulumiCli({ onPath: undefined, pinned: built })).to.deep.equal({
      use: "pinned",
      command: "/home/dev/.pulumi/versions/x/bin/pulumi",
      version: PINNED,
      line: `Pulumi CLI: the pinned v${PINNED} built in /home/dev/.pulumi/versions/x/bin`,
    });
  });

  it("uses the pinned build over an unusable pulumi on PATH, and says why", () => {
    const choice = decidePulumiCli({ onPath: onPath("3.205.9"), pinned: built });
    expect(choice.use).to.equal("pinned");
    expect(choice.line).to.equal(
      `Pulumi CLI: the pinned v${PINNED} built in /home/dev/.pulumi/versions/x/bin; not the one on PATH: ` +
        `pulumi v3.205.9 at /usr/local/bin/pulumi is older than this project supports (${SUPPORTED_PULUMI_RANGE}: from 3.206 the engine streams its events over loopback, keeping a new key's secret off the disk)`,
    );
  });

  it("refuses an unusable pulumi on PATH when nothing is built, in one sentence naming the way out", () => {
    const refusals: Record<string, PulumiOnPath> = {
      [`pulumi v3.100.0 at /usr/local/bin/pulumi is older than this project supports (${SUPPORTED_PULUMI_RANGE}: from 3.206 the engine streams its events over loopback, keeping a new key's secret off the disk)`]:
        onPath("3.100.0"),
      [`pulumi v4.0.0 at /usr/local/bin/pulumi is newer than this project supports (${SUPPORTED_PULUMI_RANGE}: the Automation API of @pulumi/pulumi 3 refuses another major version)`]:
        onPath("4.0.0"),
      [`pulumi v3.280.0-alpha.1 at /usr/local/bin/pulumi is a pre-release; this project supports the releases ${SUPPORTED_PULUMI_RANGE}`]:
        onPath("3.280.0-alpha.1"),
      ['the pulumi at /usr/local/bin/pulumi reports "dev" as its version, not a release']: onPath("dev"),
      ["the pulumi at /usr/local/bin/pulumi does not answer `pulumi version`"]: onPath(undefined),
      ["pulumi v3.250.0 at /usr/local/bin/pulumi has no pulumi-language-nodejs beside it, which runs the program"]: onPath("3.250.0", false),
    };
    for (const [reason, found] of Object.entries(refusals)) {
      expect(decidePulumiCli({ onPath: found, pinned: notBuilt })).to.deep.equal({ use: "refuse", command: "", version: "", line: `${reason}: ${BUILD_HINT}` });
    }
  });

  it("builds the pinned release when nothing is installed, or when asked to beside an unusable one", () => {
    expect(decidePulumiCli({ onPath: undefined, pinned: notBuilt })).to.deep.equal({
      use: "build",
      command: "/home/dev/.pulumi/versions/x/bin/pulumi",
      version: PINNED,
      line: `Pulumi CLI: none installed; the pinned v${PINNED} is built from the Go module proxy into /home/dev/.pulumi/versions/x/bin`,
    });
    const asked = decidePulumiCli({ onPath: onPath("3.100.0"), pinned: notBuilt, buildRequested: true });
    expect(asked.use).to.equal("build");
    expect(asked.line).to.match(
      /^Pulumi CLI: not the one on PATH \(pulumi v3\.100\.0 at \/usr\/local\/bin\/pulumi is older than .*\); the pinned v[\d.]+ is built from the Go module proxy/,
    );
  });
});
