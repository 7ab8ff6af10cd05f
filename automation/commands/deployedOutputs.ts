import type { OutputMap } from "@pulumi/pulumi/automation";
import type { StackOutputs } from "../../infra/outputs";
import { DeploymentError } from "./errors";

/** Shown instead of the secret access key unless the operator asks for it. */
export const SECRET_MASK = "[secret]";

const REQUIRED_STRINGS = [
  "environment", "region", "bucketName", "bucketArn", "userName", "userArn",
  "policyName", "policyArn", "accessKeyId", "secretAccessKey",
] as const;

/** The deployed outputs, typed; a stack without them (never provisioned, or destroyed) is an error. */
export function toStackOutputs(stack: string, map: OutputMap): StackOutputs {
  const missing = REQUIRED_STRINGS.filter((name) => typeof map[name]?.value !== "string");
  if (missing.length > 0) {
    throw new DeploymentError(
      "not-deployed",
      `stack ${stack} has no deployed outputs (missing ${missing.join(", ")}): run \`npm run provision -- ${stack}\` first`,
    );
  }
  const values = Object.fromEntries(Object.entries(map).map(([name, output]) => [name, output.value]));
  return values as unknown as StackOutputs;
}

/** The outputs for printing: every output, the secret masked unless `showSecrets`. */
export function printableOutputs(outputs: StackOutputs, showSecrets: boolean): StackOutputs {
  return { ...outputs, secretAccessKey: showSecrets ? outputs.secretAccessKey : SECRET_MASK };
}

/**
 * A dotenv file with the names django-storages reads. The sandbox also needs moto's endpoint, which
 * changes with every moto start, so it comes from the current AWS_ENDPOINT_URL.
 */
export function renderDjangoEnv(outputs: StackOutputs, options: { showSecrets: boolean; endpoint?: string }): string {
  const lines = [
    `AWS_ACCESS_KEY_ID=${outputs.accessKeyId}`,
    `AWS_SECRET_ACCESS_KEY=${options.showSecrets ? outputs.secretAccessKey : SECRET_MASK}`,
    `AWS_STORAGE_BUCKET_NAME=${outputs.bucketName}`,
    `AWS_S3_REGION_NAME=${outputs.region}`,
  ];
  if (outputs.environment === "local") {
    lines.push(
      options.endpoint
        ? `AWS_S3_ENDPOINT_URL=${options.endpoint}`
        : "# AWS_S3_ENDPOINT_URL: moto's URL (`npm run demo -- --keep-running` prints it)",
    );
  }
  return lines.join("\n") + "\n";
}

export function renderOutputsJson(outputs: StackOutputs, showSecrets: boolean): string {
  return JSON.stringify(printableOutputs(outputs, showSecrets), null, 2) + "\n";
}
