import type { Environment } from "../../infra/config";
import { sandboxEngineEnv } from "../../sandbox/sandboxEngine";
import { SILENCE_SDK_NODE_NOTICE } from "../aws/sdkNotice";
import type { ProjectPaths } from "../projectPaths";
import { adminCredentialsFor } from "./adminClients";

/**
 * Environment added to the Pulumi CLI's own (which it inherits). Real stacks use whatever backend
 * and AWS credentials the operator is logged in with. The `local` sandbox is self-contained: its
 * file backend inside the project, the published sandbox passphrase, moto's credentials (or the
 * moto-made key the operator exported), the stand-in aws plugin when no real one is installed, and
 * AWS_ENDPOINT_URL pointing at moto.
 */
export function engineEnvironment(
  stack: Environment,
  paths: ProjectPaths,
  endpoint: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const common = { PULUMI_SKIP_UPDATE_CHECK: "true", ...SILENCE_SDK_NODE_NOTICE };
  if (stack !== "local") return common;
  const credentials = adminCredentialsFor(stack, env) as { accessKeyId: string; secretAccessKey: string };
  const { AWS_ENDPOINT_URL: _unset, ...sandbox } = sandboxEngineEnv({ motoEndpoint: endpoint ?? "", stateDir: paths.localStateDir, credentials });
  return { ...common, ...sandbox, ...(endpoint ? { AWS_ENDPOINT_URL: endpoint } : {}) };
}
