import { expect } from "chai";
import { pulumiCommand, withRunnableEngineHints } from "../../../automation/stacks/printedCommands";

describe("printed Pulumi commands", () => {
  it("go through our passthrough on every stack, which needs no pulumi on PATH", () => {
    expect(pulumiCommand("prod", "config", "set", "talentbase-iam:protect", "false")).to.equal(
      "npm run pulumi -- prod config set talentbase-iam:protect false",
    );
    expect(pulumiCommand("local", "cancel")).to.equal("npm run pulumi -- local cancel");
  });

  it("rewrite the commands the engine suggests, the stack named once, by the passthrough", () => {
    const destroyed = "If you want to remove the stack completely, run `pulumi stack rm local`.\n";
    expect(withRunnableEngineHints("local", destroyed)).to.equal(
      "If you want to remove the stack completely, run `npm run pulumi -- local stack rm --preserve-config`.\n",
    );
    expect(withRunnableEngineHints("dev", "run `pulumi cancel -s dev` or `pulumi refresh --stack dev`")).to.equal(
      "run `npm run pulumi -- dev cancel` or `npm run pulumi -- dev refresh`",
    );
    expect(withRunnableEngineHints("dev", "no hint here, `npm run verify -- dev` stays")).to.equal("no hint here, `npm run verify -- dev` stays");
  });
});
