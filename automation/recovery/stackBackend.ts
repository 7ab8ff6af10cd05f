import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import * as path from "node:path";
import type { Environment } from "../../infra/config";
import type { ProjectPaths } from "../projectPaths";
import { fileStateStore, type StateStore } from "./stateStore";

/**
 * The backend a stack's state lives in: the sandbox's file backend for `local`; for the others the
 * operator's, as the Pulumi CLI finds it (PULUMI_BACKEND_URL, else the current `pulumi login`).
 */
export async function backendUrlOf(stack: Environment, paths: ProjectPaths, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (stack === "local") return `file://${paths.localStateDir}`;
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

/** The state store of a self-managed backend; undefined for the Pulumi Cloud, which keeps locks itself. */
export function stateStoreOf(backendUrl: string): StateStore | undefined {
  if (backendUrl.startsWith("file://")) return fileStateStore(backendUrl);
  return undefined;
}
