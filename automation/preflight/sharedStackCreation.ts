import type { Environment, StackSettings } from "../../infra/config";
import { pulumiCommand } from "../stacks/printedCommands";
import type { CommandContext } from "../context";
import { profileOf } from "../stacks/stackProfile";
import { PreflightError } from "../errors";
import { redactUrl } from "../backend/awsUrlOptions";
import { parseS3BackendUrl } from "../backend/s3StateStore";
import { backendKindOf, backendUrlOf } from "../backend/stackBackend";
import { readStackSecretsProvider } from "../stacks/stackConfigFile";

/**
 * provision (and repair) create a stack that does not exist yet, except a real stack on a shared
 * backend: created by the engine it would get the backend's default secrets provider, a passphrase,
 * which is wrong for a team (one more secret to share, or a stack nobody else can open). It is created
 * once, on purpose, with its KMS key: this refuses, exit 2, with the stack init command that
 * does it, for the secrets provider Pulumi.<stack>.yaml already names or else the project's convention.
 * The sandbox, a file backend (one machine) and the Pulumi Cloud (its own secrets) create as before.
 */
export async function refuseNewStackOnSharedBackend(stack: Environment, settings: StackSettings, context: CommandContext): Promise<void> {
  if (profileOf(stack).sandbox) return;
  const backendUrl = await backendUrlOf(stack, context.paths, context.env);
  if (!backendUrl || backendKindOf(backendUrl) !== "shared") return;
  const { secretsProvider } = await readStackSecretsProvider(context.paths.projectDir, stack);
  const chosen = secretsProvider && secretsProvider !== "passphrase" && secretsProvider !== "default" ? secretsProvider : undefined;
  const provider = chosen ?? conventionalKmsUrl(stack, backendUrl.startsWith("s3://") ? parseS3BackendUrl(backendUrl).client : {}, settings.region);
  const init = pulumiCommand(stack, "stack", "init", "--secrets-provider", shellWord(provider));
  throw new PreflightError(
    `stack ${stack} does not exist in the shared state backend ${redactUrl(backendUrl)}, and provision does not create it there (it would get a passphrase): create it once, with ${chosen ? `the KMS key Pulumi.${stack}.yaml names` : "its KMS key"}: \`${init}\`; commit the Pulumi.${stack}.yaml it writes, then run the command again`,
  );
}

/**
 * The secrets provider of a team's new stack by this project's convention: one KMS key per environment,
 * named by the alias `alias/talentbase-iam-<stack>`, beside the state bucket (the backend URL's region,
 * endpoint and profile when it names them, else the stack's region).
 */
export function conventionalKmsUrl(
  stack: string,
  backend: { readonly region?: string; readonly endpoint?: string; readonly profile?: string },
  stackRegion: string,
): string {
  const params = new URLSearchParams({ region: backend.region ?? stackRegion });
  if (backend.endpoint) params.set("endpoint", backend.endpoint);
  if (backend.profile) params.set("profile", backend.profile);
  // The CLI reads the query with Go's url.ParseQuery, which takes ':' and '/' as they are: keep them readable.
  return `awskms://alias/talentbase-iam-${stack}?${params.toString().replace(/%3A/gi, ":").replace(/%2F/gi, "/")}`;
}

/** A path as one shell word: bare when it is plain, else single-quoted. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
