import { inspect } from "node:util";
import { expect } from "chai";
import { DeploymentError } from "../../../automation/errors";
import { Secret } from "../../../automation/secret";
import { renderOutputsJson, secretValuesOf, toDeployedOutputs, type OutputValues } from "../../../automation/engine/deployedOutputs";
import { OUTPUT_KINDS, OUTPUT_NAMES } from "../../../infra/outputs";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/** Outputs as `pulumi stack output --json --show-secrets` prints them, with every contract output set. */
function outputMap(overrides: Partial<Record<string, unknown>> = {}): OutputValues {
  const map: Record<string, unknown> = {};
  for (const name of OUTPUT_NAMES) {
    const kind = OUTPUT_KINDS[name];
    const value = name in overrides ? overrides[name] : kind === "number" ? 90 : kind === "secret" ? SECRET : `${name}-value`;
    if (value !== undefined) map[name] = value;
  }
  return map;
}

describe("deployed outputs", () => {
  it("wraps the secret access key in a Secret that masks itself everywhere", () => {
    const outputs = toDeployedOutputs("dev", outputMap());
    expect(outputs.secretAccessKey).to.be.instanceOf(Secret);
    expect(outputs.secretAccessKey.reveal()).to.equal(SECRET);
    const printed = [
      String(outputs.secretAccessKey),
      `${outputs.secretAccessKey}`,
      JSON.stringify(outputs),
      inspect(outputs),
      renderOutputsJson(outputs, false),
    ];
    for (const text of printed) {
      expect(text).not.to.include(SECRET);
      expect(text).to.include("[secret]");
    }
  });

  it("reveals the secret only when asked", () => {
    expect(JSON.parse(renderOutputsJson(toDeployedOutputs("dev", outputMap()), true)).secretAccessKey).to.equal(SECRET);
  });

  it("refuses a stack missing any required output of the contract, naming it", () => {
    for (const name of OUTPUT_NAMES.filter((output) => OUTPUT_KINDS[output] !== "optional")) {
      expect(() => toDeployedOutputs("dev", outputMap({ [name]: undefined })), name).to.throw(DeploymentError, name);
    }
  });

  it("takes an optional output when present and leaves it out when absent", () => {
    expect(toDeployedOutputs("dev", outputMap({ retiringAccessKeyId: "AKIAOLD" })).retiringAccessKeyId).to.equal("AKIAOLD");
    expect(toDeployedOutputs("dev", outputMap({ retiringAccessKeyId: undefined }))).not.to.have.property("retiringAccessKeyId");
  });

  it("refuses an output of the wrong kind", () => {
    expect(() => toDeployedOutputs("dev", outputMap({ keyMaxAgeDays: "90" }))).to.throw(DeploymentError, "keyMaxAgeDays");
  });

  it("collects every value the output contract marks secret, and nothing else", () => {
    expect(secretValuesOf({ ...outputMap(), plain: "plain" })).to.deep.equal([SECRET]);
  });
});
