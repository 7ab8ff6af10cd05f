import { OUTPUT_KINDS, OUTPUT_NAMES, type StackOutputs } from "../../infra/outputs";
import { KEEP_SANDBOX_RUNNING, ourCommand } from "../stacks/printedCommands";
import { DeploymentError } from "../errors";
import { Secret } from "../secret";
import { profileOf } from "../stacks/stackProfile";

/** The deployed outputs as the driver holds them: the secret access key is a Secret, never a string. */
export type DeployedOutputs = Omit<StackOutputs, "secretAccessKey"> & { readonly secretAccessKey: Secret };

/** Stack outputs as `pulumi stack output --json` gives them (secrets as "[secret]" unless shown). */
export type OutputValues = Readonly<Record<string, unknown>>;

/**
 * The deployed outputs, checked against the output contract; a stack without them (never
 * provisioned, or destroyed) is an error. Secret outputs are wrapped before anything else sees them.
 */
export function toDeployedOutputs(stack: string, map: OutputValues): DeployedOutputs {
  const missing = OUTPUT_NAMES.filter((name) => {
    const value = map[name];
    switch (OUTPUT_KINDS[name]) {
      case "number":
        return typeof value !== "number";
      case "optional":
        return value !== undefined && typeof value !== "string";
      default:
        return typeof value !== "string";
    }
  });
  if (missing.length > 0) {
    throw new DeploymentError(
      "not-deployed",
      `stack ${stack} has no deployed outputs (missing ${missing.join(", ")}): run \`${ourCommand("provision", stack)}\` first`,
    );
  }
  const values: Record<string, unknown> = {};
  for (const name of OUTPUT_NAMES) {
    const value = map[name];
    if (value === undefined) continue;
    values[name] = OUTPUT_KINDS[name] === "secret" ? new Secret(value as string) : value;
  }
  return values as DeployedOutputs;
}

/** Every output value the contract marks secret, for redacting text that must never carry one. */
export function secretValuesOf(map: OutputValues): string[] {
  return OUTPUT_NAMES.filter((name) => OUTPUT_KINDS[name] === "secret" && typeof map[name] === "string").map((name) => map[name] as string);
}

/** The outputs as a JSON document: secrets masked unless `showSecrets`. */
export function renderOutputsJson(outputs: DeployedOutputs, showSecrets: boolean): string {
  const printable = showSecrets ? { ...outputs, secretAccessKey: outputs.secretAccessKey.reveal() } : outputs;
  return `${JSON.stringify(printable, null, 2)}\n`;
}

/**
 * A dotenv file with the names django-storages reads. The sandbox also needs moto's endpoint, which
 * changes with every moto start, so it comes from the current AWS_ENDPOINT_URL.
 */
export function renderDjangoEnv(outputs: DeployedOutputs, options: { showSecrets: boolean; endpoint?: string }): string {
  const lines = [
    `AWS_ACCESS_KEY_ID=${outputs.accessKeyId}`,
    `AWS_SECRET_ACCESS_KEY=${options.showSecrets ? outputs.secretAccessKey.reveal() : outputs.secretAccessKey}`,
    `AWS_STORAGE_BUCKET_NAME=${outputs.bucketName}`,
    `AWS_S3_REGION_NAME=${outputs.region}`,
  ];
  if (profileOf(outputs.environment).sandbox) {
    lines.push(options.endpoint ? `AWS_S3_ENDPOINT_URL=${options.endpoint}` : `# AWS_S3_ENDPOINT_URL: moto's URL (\`${KEEP_SANDBOX_RUNNING}\` prints it)`);
  }
  return `${lines.join("\n")}\n`;
}
