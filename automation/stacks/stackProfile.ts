import { mkdir } from "node:fs/promises";
import type { Environment } from "../../infra/config";
import { MOTO_CREDENTIALS, MOTO_REGION } from "../../sandbox/moto/motoServer";
import { sandboxEngineEnv } from "../../sandbox/sandboxEngine";
import type { AwsCredentials } from "../aws/clients";
import { SILENCE_SDK_NODE_NOTICE } from "../aws/sdkNotice";
import type { ProjectPaths } from "../projectPaths";

/** The stack that runs on the sandbox (moto): `npm run demo`'s. */
export const SANDBOX_STACK: Environment = "local";

/**
 * Everything that differs between the sandbox stack and the real ones, decided here once: where the
 * state lives, the operator's credentials, the engine's environment, how a printed AWS CLI command
 * reaches the stack's account, and which preflight applies.
 */
export interface StackProfile {
  readonly stack: Environment;
  /** The sandbox: moto, its own file backend, passphrase and plugin; no login, no real account. */
  readonly sandbox: boolean;
  /** The state backend the profile fixes (the sandbox's file backend); undefined: the operator's login decides. */
  ownBackendUrl(paths: ProjectPaths): string | undefined;
  /** Makes sure the profile's own state directory exists before the CLI opens it. */
  prepareState(paths: ProjectPaths): Promise<void>;
  /**
   * The operator's credentials where they are not the standard chain's: for the sandbox a moto-made key
   * exported as AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (needed once moto enforces IAM), else moto's keys.
   */
  adminCredentials(env: NodeJS.ProcessEnv): AwsCredentials | undefined;
  /** Environment added to the Pulumi CLI's own (which it inherits). */
  engineEnvironment(paths: ProjectPaths, endpoint: string | undefined, env?: NodeJS.ProcessEnv): Record<string, string>;
  /** The AWS CLI as a printed command runs it against the stack's account, from the project directory (the AWS_ENDPOINT_URL the sandbox needs is exported). */
  readonly awsCli: string;
  /** A way out only the sandbox has, for a name held by a deleted object: start afresh. */
  readonly freshStart?: string;
  /**
   * A queue subscribed to the stack's alerts topic after every update, where its alerts can be read:
   * the sandbox's, since moto sends no e-mail. Real stacks subscribe people (alertEmails) and grow no
   * queue.
   */
  readonly alertInbox?: string;
}

const COMMON_ENGINE_ENVIRONMENT = { PULUMI_SKIP_UPDATE_CHECK: "true", ...SILENCE_SDK_NODE_NOTICE };

const realProfile = (stack: Environment): StackProfile => ({
  stack,
  sandbox: false,
  ownBackendUrl: () => undefined,
  prepareState: async () => undefined,
  adminCredentials: () => undefined,
  engineEnvironment: () => ({ ...COMMON_ENGINE_ENVIRONMENT }),
  awsCli: "aws",
});

const sandboxProfile = (stack: Environment): StackProfile => {
  const adminCredentials = (env: NodeJS.ProcessEnv): AwsCredentials => {
    const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
    return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : { ...MOTO_CREDENTIALS };
  };
  return {
    stack,
    sandbox: true,
    ownBackendUrl: (paths) => `file://${paths.localStateDir}`,
    prepareState: async (paths) => {
      await mkdir(paths.localStateDir, { recursive: true });
    },
    adminCredentials,
    engineEnvironment(paths, endpoint, env = process.env) {
      const credentials = adminCredentials(env) as { accessKeyId: string; secretAccessKey: string };
      const { AWS_ENDPOINT_URL: _unset, ...sandbox } = sandboxEngineEnv({ motoEndpoint: endpoint ?? "", stateDir: paths.localStateDir, credentials });
      return { ...COMMON_ENGINE_ENVIRONMENT, ...sandbox, ...(endpoint ? { AWS_ENDPOINT_URL: endpoint } : {}) };
    },
    // The project's virtualenv has the AWS CLI (setup installs it beside moto), so the sandbox's printed commands need none on PATH.
    awsCli: `AWS_ACCESS_KEY_ID=${MOTO_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${MOTO_CREDENTIALS.secretAccessKey} .venv/bin/aws --region ${MOTO_REGION}`,
    freshStart: "delete the sandbox's .sandbox/ directory to start afresh",
    alertInbox: `talentbase-${stack}-alert-inbox`,
  };
};

/** The one place that tells the sandbox stack from the real ones. */
export function profileOf(stack: Environment): StackProfile {
  return stack === SANDBOX_STACK ? sandboxProfile(stack) : realProfile(stack);
}
