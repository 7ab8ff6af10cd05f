import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import * as path from "node:path";
import type { Environment } from "../../infra/config";
import type { ProjectPaths } from "../projectPaths";
import { profileOf } from "../stacks/stackProfile";
import { fileStateStore, type StateStore } from "./stateStore";

/**
 * The backend a stack's state lives in: the sandbox's file backend for `local`; for the others the
 * operator's, as the Pulumi CLI finds it (PULUMI_BACKEND_URL, else the current `pulumi login`).
 */
export async function backendUrlOf(stack: Environment, paths: ProjectPaths, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const own = profileOf(stack).ownBackendUrl(paths);
  if (own) return own;
  if (env["PULUMI_BACKEND_URL"]) return env["PULUMI_BACKEND_URL"];
  const home = env["PULUMI_HOME"] ?? path.join(homedir(), ".pulumi");
  const credentials = await readFile(path.join(home, "credentials.json"), "utf8").catch(() => undefined);
  if (!credentials) return undefined;
  try {
    return (JSON.parse(credentials) as { current?: string }).current;
  } catch {
    return undefined;
  }
}

/**
 * What a backend URL is: `file` (a directory of one machine), `shared` (a self-managed backend a team
 * shares: a bucket or a database, the schemes of the CLI's DIY backend), or `cloud` (the Pulumi Cloud
 * or another service with its own locks and secrets).
 */
export type BackendKind = "file" | "shared" | "cloud";

const SHARED_SCHEMES = ["s3://", "gs://", "azblob://", "postgres://"];

export function backendKindOf(backendUrl: string): BackendKind {
  if (backendUrl.startsWith("file://")) return "file";
  return SHARED_SCHEMES.some((scheme) => backendUrl.startsWith(scheme)) ? "shared" : "cloud";
}

/**
 * The state store of a self-managed backend whose files the driver can repair: a directory or an S3
 * bucket. Undefined for the Pulumi Cloud, which keeps locks itself, and for the other buckets.
 */
export function stateStoreOf(backendUrl: string): StateStore | undefined {
  if (backendUrl.startsWith("file://")) return fileStateStore(backendUrl);
  // Loaded here: the S3 client costs a tenth of a second to load, which file backends do without.
  if (backendUrl.startsWith("s3://")) return (require("./s3StateStore") as typeof import("./s3StateStore")).s3StateStore(backendUrl);
  return undefined;
}

/**
 * Runs `use` on the stack's state store and closes the store afterwards; undefined, without calling
 * `use`, where the stack's backend has no store the driver can read (the Pulumi Cloud, no login).
 */
export async function withStateStore<T>(
  stack: Environment,
  paths: ProjectPaths,
  env: NodeJS.ProcessEnv,
  use: (store: StateStore) => Promise<T>,
): Promise<T | undefined> {
  const backendUrl = await backendUrlOf(stack, paths, env);
  const store = backendUrl ? stateStoreOf(backendUrl) : undefined;
  if (!store) return undefined;
  try {
    return await use(store);
  } finally {
    store.close();
  }
}
